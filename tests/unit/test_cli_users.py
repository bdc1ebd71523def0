"""`fieldtui users …`: the branch admin manages users from the shell, signed in like the app."""

from __future__ import annotations

import io
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from fieldtui.cli import main
from fieldtui.domain.auth import hash_pin, os_login_name, verify_pin
from fieldtui.domain.models import AuditAction, Officer, Role
from fieldtui.domain.users import new_pin_problem, username_problem
from fieldtui.store.repository import Store

ME = os_login_name()  # the OS login this test runs as: signed in without a PIN


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def typed(monkeypatch: pytest.MonkeyPatch) -> Callable[..., list[str]]:
    """Type these PINs at the next getpass prompts; returns the prompts as they are shown."""

    def setup(*pins: str) -> list[str]:
        prompts: list[str] = []
        answers = iter(pins)
        monkeypatch.setattr(sys, "stdin", _Tty())

        def getpass(prompt: str = "") -> str:
            prompts.append(prompt)
            return next(answers)

        monkeypatch.setattr("getpass.getpass", getpass)
        return prompts

    return setup


def _store(path: Path, me: Role = Role.SUPERVISOR) -> None:
    """A store whose users are supervisor nyoman (the first), this login (``me``) and wayan."""
    with Store.open(path) as store:
        store.create_officer(
            Officer(
                username="nyoman", name="Nyoman", role=Role.SUPERVISOR, pin_hash=hash_pin("5171")
            )
        )
        store.create_officer(Officer(username=ME, name="Ni Kadek Sari", role=me))
        store.create_officer(Officer(username="wayan", name="I Wayan Sudarma"))


def _users(path: Path) -> dict[str, Officer]:
    with Store.open(path, read_only=True) as store:
        return {o.username: o for o in store.officers()}


def test_list_shows_every_user_with_role_status_and_pin(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _store(db_path)
    assert main(["users", "list", "--db", str(db_path)]) == 0
    out = capsys.readouterr().out
    assert "Nama" in out and "Login" in out and "Peran" in out
    lines = {line.split()[-4]: line for line in out.splitlines()[1:]}
    assert "pengawas" in lines[ME] and "aktif" in lines[ME]
    assert "petugas" in lines["wayan"] and lines["wayan"].rstrip().endswith("–")
    assert lines["nyoman"].rstrip().endswith("ada")  # has a PIN; never shown


def test_a_supervisor_adds_an_officer_audited_as_themself(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _store(db_path)
    assert main(["--db", str(db_path), "users", "add", "made", "--name", "Made  Ayu"]) == 0
    out = capsys.readouterr().out
    assert "Pengguna ditambahkan: Made Ayu (made, petugas)." in out
    assert "users set-pin made" in out  # no PIN: says how to add one
    users = _users(db_path)
    made = users["made"]
    assert (made.role, made.active, made.pin_hash) == (Role.OFFICER, True, None)
    with Store.open(db_path, read_only=True) as store:
        entry = store.history(made.id)[0]
    assert entry.action is AuditAction.CREATE and entry.actor_id == users[ME].id


def test_add_with_a_pin_asks_it_twice_and_stores_only_a_hash(
    db_path: Path, typed: Callable[..., list[str]]
) -> None:
    _store(db_path)
    prompts = typed("2580", "2580")
    args = ["users", "add", "putu", "--name", "Putu", "--role", "viewer", "--pin"]
    assert main([*args, "--db", str(db_path)]) == 0
    assert prompts == ["PIN baru untuk putu: ", "Ketik PIN itu sekali lagi: "]
    putu = _users(db_path)["putu"]
    assert putu.role is Role.VIEWER and verify_pin("2580", putu.pin_hash)
    assert "2580" not in db_path.read_text()


@pytest.mark.parametrize(
    ("pins", "message"),
    [(("2580", "2581"), "Kedua PIN tidak sama."), (("1111", "1111"), "terlalu mudah")],
)
def test_a_bad_pin_adds_nobody(
    db_path: Path,
    typed: Callable[..., list[str]],
    capsys: pytest.CaptureFixture[str],
    pins: tuple[str, str],
    message: str,
) -> None:
    _store(db_path)
    typed(*pins)
    assert main(["users", "add", "putu", "--name", "Putu", "--pin", "--db", str(db_path)]) == 1
    assert message in capsys.readouterr().err
    assert "putu" not in _users(db_path)


def test_a_pin_is_never_taken_from_the_command_line(db_path: Path) -> None:
    _store(db_path)
    with pytest.raises(SystemExit) as info:
        main(["users", "add", "putu", "--name", "Putu", "--pin", "2580", "--db", str(db_path)])
    assert info.value.code == 2
    assert "putu" not in _users(db_path)


@pytest.mark.parametrize(
    ("username", "message"),
    [
        ("Made", "huruf kecil"),
        ("made ayu", "spasi"),
        ("wayan", "sudah dipakai"),
        ("9made", "diawali huruf"),
    ],
)
def test_a_bad_login_name_is_refused(
    db_path: Path, capsys: pytest.CaptureFixture[str], username: str, message: str
) -> None:
    _store(db_path)
    assert main(["users", "add", username, "--name", "X", "--db", str(db_path)]) == 1
    assert message in capsys.readouterr().err
    assert len(_users(db_path)) == 3


def test_an_officer_cannot_add_users(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _store(db_path, me=Role.OFFICER)
    assert main(["users", "add", "made", "--name", "Made", "--db", str(db_path)]) == 1
    err = capsys.readouterr().err
    assert err.strip() == "Hanya supervisor yang dapat menambah atau mengubah pengguna."
    assert "made" not in _users(db_path)


def test_an_officer_acts_as_a_supervisor_with_their_pin(
    db_path: Path, typed: Callable[..., list[str]]
) -> None:
    _store(db_path, me=Role.OFFICER)
    prompts = typed("5171")  # nyoman's PIN, asked by the same sign-in as the app's
    assert main(["--user", "nyoman", "users", "deactivate", "wayan", "--db", str(db_path)]) == 0
    assert prompts == ["PIN untuk nyoman: "]
    assert not _users(db_path)["wayan"].active


def test_deactivate_keeps_the_user_who_can_then_not_sign_in(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _store(db_path)
    args = ["users", "deactivate", "wayan", "--reason", "pindah ke cabang lain"]
    assert main([*args, "--db", str(db_path)]) == 0
    assert "tidak bisa masuk lagi" in capsys.readouterr().out
    with Store.open(db_path) as store:
        wayan = store.officer_by_username("wayan")
        assert wayan is not None and not wayan.active
        assert store.history(wayan.id)[-1].reason == "pindah ke cabang lain"
        with pytest.raises(Exception, match="dinonaktifkan"):
            store.use_actor("wayan")
    assert main(["users", "deactivate", "wayan", "--db", str(db_path)]) == 0
    assert "sudah nonaktif" in capsys.readouterr().out
    assert main(["users", "activate", "wayan", "--db", str(db_path)]) == 0
    assert "aktif kembali" in capsys.readouterr().out
    assert _users(db_path)["wayan"].active


def test_nobody_deactivates_themself(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _store(db_path)
    assert main(["users", "deactivate", ME, "--db", str(db_path)]) == 1
    assert "tidak nama login, peran, atau status aktif Anda sendiri" in capsys.readouterr().err
    assert _users(db_path)[ME].active


def test_a_supervisor_resets_another_users_pin(
    db_path: Path, typed: Callable[..., list[str]]
) -> None:
    _store(db_path)
    prompts = typed("4826", "4826")
    assert main(["users", "set-pin", "wayan", "--db", str(db_path)]) == 0
    assert prompts == ["PIN baru untuk wayan: ", "Ketik PIN itu sekali lagi: "]
    assert verify_pin("4826", _users(db_path)["wayan"].pin_hash)


def test_an_officer_changes_own_pin_after_typing_the_current_one(
    db_path: Path, typed: Callable[..., list[str]], capsys: pytest.CaptureFixture[str]
) -> None:
    _store(db_path, me=Role.OFFICER)
    assert main(["users", "set-pin", "wayan", "--db", str(db_path)]) == 1  # not theirs
    assert "Hanya supervisor" in capsys.readouterr().err
    typed("3719", "3719")
    assert main(["users", "set-pin", "--db", str(db_path)]) == 0  # no PIN yet: none asked
    typed("0000", "1234", "1234")
    assert main(["users", "set-pin", "--db", str(db_path)]) == 1
    assert "PIN salah." in capsys.readouterr().err
    prompts = typed("3719", "8642", "8642")
    assert main(["users", "set-pin", "--db", str(db_path)]) == 0
    assert prompts[0] == f"PIN Anda sekarang ({ME}): "
    assert verify_pin("8642", _users(db_path)[ME].pin_hash)


def test_pins_need_a_terminal(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _store(db_path)
    sys_stdin = io.StringIO("2580\n2580\n")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sys, "stdin", sys_stdin)
        assert main(["users", "set-pin", "wayan", "--db", str(db_path)]) == 1
    assert "terminal" in capsys.readouterr().err


def test_the_first_user_of_a_new_store_is_whoever_adds_themself(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["users", "add", "--role", "supervisor", "--db", str(db_path)]
    assert main([*args, "someone", "--name", "Someone"]) == 1
    assert f"login '{ME}'" in capsys.readouterr().err
    assert not db_path.exists()  # a refused add leaves no empty store behind
    assert main([*args, ME, "--name", "Ni Kadek Sari"]) == 0
    assert _users(db_path)[ME].role is Role.SUPERVISOR
    assert main([*args, "made", "--name", "Made"]) == 0  # then as that supervisor
    assert set(_users(db_path)) == {ME, "made"}


def test_list_of_a_missing_store_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "none.fieldtui.json"
    assert main(["users", "list", "--db", str(missing)]) == 1
    assert str(missing) in capsys.readouterr().err
    assert not missing.exists()


def test_username_and_new_pin_rules() -> None:
    assert username_problem("wayan.demo") is None and username_problem("_svc-1") is None
    assert username_problem("") == "users.username.required"
    assert username_problem("a" * 33) == "users.username.format"
    assert username_problem("made", {"made"}) == "users.username.taken"
    assert new_pin_problem("", "") is None
    assert new_pin_problem("", "", required=True) == "users.pin.required"
    assert new_pin_problem("12a4", "12a4") == "auth.pin.digits_only"
    assert new_pin_problem("2580", "") == "users.pin.mismatch"


def test_list_prints_names_with_square_brackets_as_typed(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A name is text, not Rich markup: "[/]" crashed the table, "[red]" lost words."""
    _store(db_path)
    with Store.open(db_path) as store:
        store.use_actor("nyoman")
        store.create_officer(Officer(username="made", name="Made [/]"))
        store.create_officer(Officer(username="putu", name="Putu [red]Ayu"))
    assert main(["users", "list", "--db", str(db_path)]) == 0
    out = capsys.readouterr().out
    assert "Made [/]" in out and "Putu [red]Ayu" in out
