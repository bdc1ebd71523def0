"""The store's user rules: a deactivated user cannot sign in (and keeps their records), and a
store never loses its last active supervisor."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from fieldtui.cli import open_app
from fieldtui.domain.auth import os_login_name
from fieldtui.domain.models import AuditAction, Officer, Role
from fieldtui.i18n import set_language
from fieldtui.store.errors import PermissionDenied, ValidationFailed
from fieldtui.store.repository import Store
from tests.store.conftest import make_signup


def _deactivate(store: Store, username: str, *, by: str = "kadek") -> Officer:
    """``by`` (a supervisor) switches ``username`` off; the store then acts as ``by``."""
    store.use_actor(by)
    user = store.officer_by_username(username)
    assert user is not None
    return store.update_officer(dataclasses.replace(user, active=False), reason="pindah tugas")


def test_a_deactivated_user_cannot_sign_in_and_keeps_their_records(
    store: Store, officer: Officer
) -> None:
    signup = store.create_signup(make_signup(officer.id))
    _deactivate(store, "wayan")
    with pytest.raises(PermissionDenied) as info:
        store.use_actor("wayan")
    assert info.value.key == "users.error.inactive"
    assert "wayan" in info.value.message() and "dinonaktifkan" in info.value.message()
    assert store.actor is not None and store.actor.username == "kadek"  # unchanged
    assert store.get_signup(signup.id).officer_id == officer.id  # never deleted, never moved
    entry = store.history(officer.id)[-1]
    assert entry.action is AuditAction.UPDATE and entry.reason == "pindah tugas"
    assert [(c.field, c.before, c.after) for c in entry.changes if c.field == "active"] == [
        ("active", True, False)
    ]
    # Reactivated, they sign in again as the same user.
    back = store.update_officer(dataclasses.replace(store.get_officer(officer.id), active=True))
    assert store.use_actor("wayan") == back and back.id == officer.id


def test_the_app_refuses_a_deactivated_os_login_with_a_plain_message() -> None:
    login = os_login_name()
    store = Store.memory()
    store.create_officer(Officer(username="kadek", name="Kadek", role=Role.SUPERVISOR))
    store.create_officer(Officer(username=login, name="Wayan"))
    _deactivate(store, login)
    store._actor = None  # as just opened
    set_language("en")
    with pytest.raises(PermissionDenied) as info:  # open_app.run turns it into its refusal
        open_app.sign_in(store, user=None, demo_user=None)
    assert info.value.message() == (
        f"User '{login}' has been deactivated. Ask a supervisor to reactivate them."
    )
    assert store.actor is None


def test_an_inactive_user_is_listed_but_not_among_the_active(store: Store) -> None:
    _deactivate(store, "wayan")
    assert [o.username for o in store.officers()] == ["wayan", "kadek"]  # by name: I Wayan, Ni
    assert [o.username for o in store.officers(include_inactive=False)] == ["kadek"]


def test_the_last_active_supervisor_cannot_demote_or_deactivate_themself(store: Store) -> None:
    me = store.use_actor("kadek")
    for change in ({"role": Role.OFFICER}, {"active": False}):
        with pytest.raises(PermissionDenied) as info:
            store.update_officer(dataclasses.replace(me, **change))
        assert info.value.key == "repository.denied.own_role"
    assert store.get_officer(me.id) == me


def test_a_second_supervisor_may_be_switched_off_but_not_the_last(store: Store) -> None:
    store.use_actor("kadek")
    putu = store.create_officer(Officer(username="putu", name="Putu", role=Role.SUPERVISOR))
    demoted = store.update_officer(dataclasses.replace(putu, role=Role.OFFICER))
    assert demoted.role is Role.OFFICER
    store.update_officer(dataclasses.replace(demoted, role=Role.SUPERVISOR, active=False))
    store.update_officer(dataclasses.replace(store.get_officer(putu.id), active=True))
    assert store.get_officer(putu.id).active


def test_two_supervisors_switching_each_other_off_at_once_leave_one(db_path: Path) -> None:
    with Store.open(db_path) as first:
        kadek = first.create_officer(Officer(username="kadek", name="Kadek", role=Role.SUPERVISOR))
        putu = first.create_officer(Officer(username="putu", name="Putu", role=Role.SUPERVISOR))
        with Store.open(db_path, actor_username="putu") as second:
            # Kadek switches Putu off; Putu's app, still open, then tries the same on Kadek:
            # refused, Putu being switched off already (their app learns it as it catches up).
            first.update_officer(dataclasses.replace(putu, active=False))
            with pytest.raises(PermissionDenied) as denied:
                second.update_officer(dataclasses.replace(kadek, active=False))
            assert denied.value.key == "users.error.inactive"
            # Had Putu still been active, the last-supervisor rule would refuse it as well.
            second._actor = dataclasses.replace(putu, active=True)
            with pytest.raises(ValidationFailed) as info:
                second.update_officer(dataclasses.replace(kadek, active=False))
            assert info.value.key == "users.error.last_supervisor"
            assert "Kadek" in info.value.message() and "terakhir" in info.value.message()
        assert first.get_officer(kadek.id).active
        assert [o.username for o in first.officers(include_inactive=False)] == ["kadek"]


def test_an_officer_is_refused_as_an_officer_not_as_the_last_supervisor(store: Store) -> None:
    boss = store.officer_by_username("kadek")
    assert boss is not None
    with pytest.raises(PermissionDenied) as info:
        store.update_officer(dataclasses.replace(boss, active=False))
    assert info.value.key == "repository.denied.manage_users"


def test_a_user_switched_off_from_another_process_can_write_no_more(db_path: Path) -> None:
    """An officer's app stays open while a supervisor (over SSH) deactivates them: their next
    save is refused with a plain message, and nothing of it is stored."""
    with Store.open(db_path) as branch:
        branch.create_officer(Officer(username="kadek", name="Kadek", role=Role.SUPERVISOR))
        wayan = branch.create_officer(Officer(username="wayan", name="Wayan"))
        with Store.open(db_path, actor_username="wayan") as laptop:
            laptop.create_signup(make_signup(wayan.id, serial=1))
            branch.use_actor("kadek")
            branch.update_officer(dataclasses.replace(wayan, active=False), reason="pindah")
            with pytest.raises(PermissionDenied) as info:
                laptop.create_signup(make_signup(wayan.id, serial=2))
            assert info.value.key == "users.error.inactive"
            assert "dinonaktifkan" in info.value.message()
        assert branch.list_signups().total == 1


def test_a_user_switched_off_elsewhere_can_neither_export_nor_bundle(db_path: Path) -> None:
    """Reading needs no write, but an export or a bundle (personal data leaving the store)
    is refused too once another process has switched the user off."""
    with Store.open(db_path) as branch:
        branch.create_officer(Officer(username="kadek", name="Kadek", role=Role.SUPERVISOR))
        wayan = branch.create_officer(Officer(username="wayan", name="Wayan"))
        with Store.open(db_path, actor_username="wayan") as laptop:
            signup = laptop.create_signup(make_signup(wayan.id, serial=1))
            branch.use_actor("kadek")
            branch.update_officer(dataclasses.replace(wayan, active=False), reason="pindah")
            for attempt in (
                lambda: laptop.record_export("signups", {}, False, rows=1),
                lambda: laptop.bundle(),
                lambda: laptop.record_reveal(signup.id, "cek"),
            ):
                with pytest.raises(PermissionDenied) as info:
                    attempt()
                assert info.value.key == "users.error.inactive"


def test_deactivated_elsewhere_then_compacted_still_cannot_save(db_path: Path) -> None:
    """Another process deactivates this user and then compacts the store: this process reloads
    everything ("*"), and must still see the change."""
    import dataclasses

    from fieldtui.store.errors import PermissionDenied as Denied
    from tests.builders import make_signup

    with Store.open(db_path) as branch:
        branch.create_officer(Officer(username="kadek", name="Kadek", role=Role.SUPERVISOR))
        branch.use_actor("kadek")
        wayan = branch.create_officer(Officer(username="wayan", name="Wayan"))
        with Store.open(db_path, actor_username="wayan") as laptop:
            branch.update_officer(dataclasses.replace(wayan, active=False), reason="pindah")
            branch._backend.storage.compact()  # type: ignore[attr-defined]
            with pytest.raises(Denied):
                laptop.create_signup(make_signup(wayan.id, serial=2))
