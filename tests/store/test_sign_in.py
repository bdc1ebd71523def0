"""Opening the app: who is signed in, and the plain refusals when nobody can be."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from fieldtui.cli import open_app
from fieldtui.domain.auth import hash_pin, os_login_name
from fieldtui.domain.models import Officer, Role
from fieldtui.store.repository import Store

# The first user of these stores is a supervisor: only a supervisor adds the others.
_FIRST = Officer(username="first", name="First", role=Role.SUPERVISOR)


def _store(*users: Officer) -> Store:
    store = Store.memory()
    for user in users:
        store.create_officer(user)
    return store


def test_the_os_login_signs_in() -> None:
    store = _store(Officer(username=os_login_name(), name="Wayan"))
    store._actor = None  # as just opened
    assert open_app.sign_in(store, user=None, demo_user=None) is None
    assert store.actor is not None and store.actor.name == "Wayan"


def test_a_new_store_signs_in_nobody_the_app_asks() -> None:
    store = _store()
    assert open_app.sign_in(store, user=None, demo_user=None) is None
    assert store.actor is None


def test_an_unknown_login_is_refused_plainly() -> None:
    store = _store(Officer(username="someone-else", name="Kadek"))
    store._actor = None
    refusal = open_app.sign_in(store, user=None, demo_user=None)
    assert refusal is not None and os_login_name() in refusal and "--user" in refusal
    assert store.actor is None


def test_another_user_needs_their_pin(monkeypatch: pytest.MonkeyPatch) -> None:
    boss = Officer(
        username="nyoman", name="Nyoman", role=Role.SUPERVISOR, pin_hash=hash_pin("5821")
    )
    store = _store(_FIRST, boss)
    store._actor = None
    monkeypatch.setattr(sys, "stdin", _Tty())
    typed = iter(["1111", "5821"])
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(typed))
    assert open_app.sign_in(store, user="nyoman", demo_user=None) is None
    assert store.actor is not None and store.actor.username == "nyoman"


def test_three_wrong_pins_refuse(monkeypatch: pytest.MonkeyPatch) -> None:
    boss = Officer(username="nyoman", name="Nyoman", pin_hash=hash_pin("5821"))
    store = _store(_FIRST, boss)
    store._actor = None
    monkeypatch.setattr(sys, "stdin", _Tty())
    monkeypatch.setattr("getpass.getpass", lambda prompt: "0000")
    refusal = open_app.sign_in(store, user="nyoman", demo_user=None)
    assert refusal is not None and "nyoman" in refusal
    assert store.actor is None


def test_a_user_without_pin_cannot_be_borrowed() -> None:
    store = _store(_FIRST, Officer(username="b", name="B"))
    assert open_app.sign_in(store, user="b", demo_user=None) == (
        "Pengguna 'b' belum punya PIN, jadi tidak bisa dipakai dari login lain."
    )


def test_store_errors_are_translated_messages(tmp_path: Path) -> None:
    bad = tmp_path / "bad.fieldtui.json"
    bad.write_text("{ not json", encoding="utf-8")
    bad.chmod(0o600)
    opened = open_app.open_store(bad, read_only=False)
    assert isinstance(opened, str) and str(bad) in opened and "tidak dapat dibaca" in opened
    assert bad.read_text(encoding="utf-8") == "{ not json"  # never overwritten
    missing = open_app.open_store(tmp_path / "none.json", read_only=True)
    assert isinstance(missing, str) and "tidak ada" in missing


def test_a_new_store_gets_its_folder(tmp_path: Path) -> None:
    path = tmp_path / "fresh" / "data" / "s.fieldtui.json"
    opened = open_app.open_store(path, read_only=False)
    assert isinstance(opened, Store)
    opened.close()
    assert (path.parent.stat().st_mode & 0o777) == 0o700


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True
