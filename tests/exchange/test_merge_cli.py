"""`fieldtui bundle` and `fieldtui merge`: files, sign-in, summaries, refusals."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from fieldtui.cli import main
from fieldtui.domain.auth import os_login_name
from fieldtui.domain.models import AuditAction, Officer, ReviewState, Role
from fieldtui.i18n import set_language
from fieldtui.store.repository import Store
from tests.builders import make_signup


@pytest.fixture(autouse=True)
def _indonesian() -> None:
    set_language("id")


def laptop(path: Path, *officers: str) -> Path:
    """A laptop store: this OS login as its officer, plus ``officers`` with a sign-up each."""
    with Store.open(path) as store:
        store.create_officer(Officer(username="boss", name="Made Boss", role=Role.SUPERVISOR))
        store.create_officer(Officer(username=os_login_name(), name="Login Officer"))
        for username in officers:
            store.create_officer(Officer(username=username, name=username.title()))
        for username in officers:
            officer = store.use_actor(username)
            store.create_signup(make_signup(officer.id, name=f"Peserta {username}"))
    return path


def wayans_bundle(tmp_path: Path) -> Path:
    """The bundle of a laptop where officer wayan registered one person."""
    bundle = tmp_path / "wayan.bundle"
    with Store.open(laptop(tmp_path / "laptop.json", "wayan"), actor_username="wayan") as store:
        store.write_bundle(bundle)
    return bundle


def branch(path: Path, role: Role = Role.SUPERVISOR) -> Path:
    """The branch store, where this OS login is a supervisor (or ``role``)."""
    with Store.open(path) as store:
        store.create_officer(Officer(username="first", name="First", role=Role.SUPERVISOR))
        store.create_officer(Officer(username=os_login_name(), name="Nyoman", role=role))
    return path


def test_bundle_writes_a_private_file_and_says_it_holds_niks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = laptop(tmp_path / "laptop.json", "wayan")
    out = tmp_path / "wayan.bundle"
    assert main(["--db", str(db), "bundle", "-o", str(out)]) == 0
    text = capsys.readouterr().out
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert "Bundel ditulis" in text and str(out) in text
    assert "1 pendaftaran" in text and "TANPA disamarkan" in text
    with Store.open(db, read_only=True) as store:
        assert len(store.audit_log(action=AuditAction.EXPORT)) == 1
    # Next week's bundle replaces last week's file.
    assert main(["bundle", "--db", str(db), "-o", str(out)]) == 0


def test_bundle_never_overwrites_a_store_or_other_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = laptop(tmp_path / "laptop.json")
    other = tmp_path / "notes.txt"
    other.write_text("penting")
    assert main(["--db", str(db), "bundle", "-o", str(other)]) == 1
    assert other.read_text() == "penting"
    assert "bukan bundel" in capsys.readouterr().err
    assert main(["--db", str(db), "bundle", "-o", str(db)]) == 1
    assert "penyimpanan ini sendiri" in capsys.readouterr().err
    assert main(["--db", str(db), "bundle", "-o", str(tmp_path / "nope" / "b")]) == 1


def test_merge_prints_a_summary_and_twice_is_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bundle = wayans_bundle(tmp_path)
    db = branch(tmp_path / "branch.json")
    assert main(["--db", str(db), "merge", str(bundle)]) == 0
    text = capsys.readouterr().out
    assert "Baru" in text and "Konflik" in text and "Duplikat" in text
    assert "Pengguna baru: 2" in text and "Selesai" in text
    with Store.open(db, read_only=True) as store:
        assert store.list_signups().total == 1
        assert len(store.audit_log(action=AuditAction.MERGE)) == 1
    assert main(["merge", "--db", str(db), str(bundle)]) == 0
    assert "Tidak ada yang baru" in capsys.readouterr().out
    with Store.open(db, read_only=True) as store:
        assert len(store.audit_log(action=AuditAction.MERGE)) == 1


def test_two_officers_same_person_one_duplicate_for_review(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bundles = []
    for name in ("wayan", "kadek"):
        path = tmp_path / f"{name}.bundle"
        with Store.open(laptop(tmp_path / f"{name}.json", name), actor_username=name) as store:
            store.write_bundle(path)
        bundles.append(str(path))
    db = branch(tmp_path / "branch.json")
    assert main(["--db", str(db), "merge", *bundles]) == 0
    text = capsys.readouterr().out
    assert "Jumlah" in text  # a total row for two sources
    assert "1 data ditandai perlu perbaikan" in text
    with Store.open(db, read_only=True) as store:
        signups = store.list_signups().items
        assert len(signups) == 2
        assert sorted(s.review_state for s in signups) == [
            ReviewState.HAS_ISSUES,
            ReviewState.NEW,
        ]


def test_dry_run_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bundle = wayans_bundle(tmp_path)
    db = branch(tmp_path / "branch.json")
    before = {p.name: p.read_bytes() for p in tmp_path.glob("branch.json*") if p.is_file()}
    assert main(["--db", str(db), "merge", "--dry-run", str(bundle)]) == 0
    assert "Uji coba" in capsys.readouterr().out
    after = {p.name: p.read_bytes() for p in tmp_path.glob("branch.json*") if p.is_file()}
    assert after == before


def test_officer_may_not_merge_and_bad_files_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bundle = wayans_bundle(tmp_path)
    officer_db = branch(tmp_path / "officer.json", role=Role.OFFICER)
    assert main(["--db", str(officer_db), "merge", str(bundle)]) == 1
    assert "Hanya supervisor yang dapat menggabungkan" in capsys.readouterr().err
    db = branch(tmp_path / "branch.json")
    damaged = tmp_path / "damaged.bundle"
    damaged.write_bytes(bundle.read_bytes()[:-40])
    assert main(["--db", str(db), "merge", str(damaged)]) == 1
    assert "rusak atau tidak lengkap" in capsys.readouterr().err
    with pytest.raises(SystemExit) as missing:
        main(["--db", str(db), "merge", str(tmp_path / "nothing.bundle")])
    assert missing.value.code == 2


def test_english_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = laptop(tmp_path / "laptop.json", "wayan")
    out = tmp_path / "w.bundle"
    assert main(["--lang", "en", "--db", str(db), "bundle", "-o", str(out)]) == 0
    assert "UNMASKED" in capsys.readouterr().out
    target = branch(tmp_path / "branch.json")
    assert main(["--lang", "en", "--db", str(target), "merge", str(out)]) == 0
    text = capsys.readouterr().out
    assert "New" in text and "Unchanged" in text and "Done" in text


def test_merge_reads_another_store_directly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = laptop(tmp_path / "laptop.json", "wayan")
    db = branch(tmp_path / "branch.json")
    assert main(["--db", str(db), "merge", "--dry-run", str(other)]) == 0
    assert "Uji coba" in capsys.readouterr().out
    assert main(["--db", str(db), "merge", str(other)]) == 0
    with Store.open(db, read_only=True) as store:
        assert store.list_signups().total == 1
    assert main(["--db", str(db), "merge", str(db)]) == 1
    assert "penyimpanan ini sendiri" in capsys.readouterr().err


def test_bundle_replaces_only_a_fieldtui_bundle_without_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Any gzip file is not a bundle: a backup.tar.gz is kept unless --force."""
    import gzip

    db = laptop(tmp_path / "laptop.json")
    backup = tmp_path / "backup.tar.gz"
    backup.write_bytes(gzip.compress(b"not a bundle\n"))
    before = backup.read_bytes()
    assert main(["--db", str(db), "bundle", "-o", str(backup)]) == 1
    assert backup.read_bytes() == before and "bukan bundel" in capsys.readouterr().err
    bundle = tmp_path / "wayan.bundle"
    assert main(["--db", str(db), "bundle", "-o", str(bundle)]) == 0
    assert main(["--db", str(db), "bundle", "-o", str(bundle)]) == 0  # a bundle: replaced
    assert main(["--db", str(db), "bundle", "-o", str(backup), "--force"]) == 0


@pytest.mark.parametrize(
    "name", ["laptop.json.journal", "laptop.json.lock", "laptop.json.backups/x.bundle"]
)
def test_bundle_never_writes_over_the_stores_own_files(
    tmp_path: Path, name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    db = laptop(tmp_path / "laptop.json")
    target = tmp_path / name
    target.parent.mkdir(exist_ok=True)
    existed = target.exists()
    before = target.read_bytes() if existed else None
    assert main(["--db", str(db), "bundle", "-o", str(target), "--force"]) == 1
    assert "milik penyimpanan" in capsys.readouterr().err
    assert (target.read_bytes() if target.exists() else None) == before


def test_bundle_refuses_read_only(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = laptop(tmp_path / "laptop.json")
    out = tmp_path / "wayan.bundle"
    assert main(["--db", str(db), "--read-only", "bundle", "-o", str(out)]) == 2
    assert "--read-only" in capsys.readouterr().err and not out.exists()
    with Store.open(db, read_only=True) as store:
        assert store.audit_log(action=AuditAction.EXPORT) == []


def test_merge_refuses_read_only_unless_a_dry_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bundle = wayans_bundle(tmp_path)
    db = branch(tmp_path / "branch.json")
    assert main(["--db", str(db), "--read-only", "merge", str(bundle)]) == 2
    assert "--dry-run" in capsys.readouterr().err
    with Store.open(db, read_only=True) as store:
        assert store.list_signups().total == 0
    assert main(["--db", str(db), "--read-only", "merge", "--dry-run", str(bundle)]) == 0
