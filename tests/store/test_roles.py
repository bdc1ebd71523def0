"""Role rules, enforced by the store itself (issue 5): what officers, supervisors and viewers may
write, the first user's bootstrap, one's own profile, and a read-only open that writes nothing.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from fieldtui.domain.models import Banjar, Officer, Period, RecordKind, ReviewState, Role
from fieldtui.domain.permissions import ROLE_PERMISSIONS, Permission
from fieldtui.i18n import set_language, t
from fieldtui.store.errors import PermissionDenied, StoreReadOnly
from fieldtui.store.repository import Store
from tests.builders import acting_as
from tests.store.conftest import SESETAN, make_signup, make_visit

YEAR = Period.year(2026)


@pytest.fixture
def team(store: Store, officer: Officer) -> Store:
    """The `store` with a second officer (made) and a viewer (ketut) added by kadek."""
    with acting_as(store, "kadek"):
        store.create_officer(Officer(username="made", name="Made Ayu"))
        store.create_officer(Officer(username="ketut", name="Ketut Viewer", role=Role.VIEWER))
    return store


def _refused(store: Store, write: Callable[[], object], key: str) -> None:
    """``write`` raises PermissionDenied with ``key`` and changes nothing at all."""
    before = len(store.audit_log(limit=10_000))
    with pytest.raises(PermissionDenied) as info:
        write()
    assert info.value.key == key
    assert info.value.message() != key  # translated, not the bare key
    assert len(store.audit_log(limit=10_000)) == before


def test_every_denial_has_a_message_in_both_languages() -> None:
    keys = {f"repository.denied.{p.value}" for p in Permission} | {
        "repository.denied.not_own",
        "repository.denied.own_role",
    }
    for lang in ("id", "en"):
        set_language(lang)
        for key in keys:
            assert t(key) != key, (lang, key)
    set_language("en")
    assert PermissionDenied("repository.denied.set_targets").message() == (
        "Only supervisors set sign-up targets."
    )


def test_an_officer_cannot_review_set_targets_or_add_users(team: Store, officer: Officer) -> None:
    signup = team.create_signup(make_signup(officer.id))
    _refused(
        team,
        lambda: team.review(RecordKind.SIGNUP, signup.id, ReviewState.APPROVED),
        "repository.denied.review",
    )
    _refused(
        team,
        lambda: team.review(RecordKind.SIGNUP, signup.id, ReviewState.HAS_ISSUES, "NIK?"),
        "repository.denied.review",
    )
    _refused(team, lambda: team.set_target(SESETAN, YEAR, 10), "repository.denied.set_targets")
    _refused(
        team,
        lambda: team.create_officer(Officer(username="gede", name="Gede")),
        "repository.denied.manage_users",
    )
    made = team.officer_by_username("made")
    assert made is not None
    _refused(
        team,
        lambda: team.update_officer(dataclasses.replace(made, role=Role.SUPERVISOR)),
        "repository.denied.manage_users",
    )
    assert team.get_signup(signup.id).review_state is ReviewState.NEW


def test_an_officer_cannot_touch_another_officers_records(team: Store, officer: Officer) -> None:
    made = team.use_actor("made")
    signup = team.create_signup(make_signup(made.id))
    visit = team.create_visit(make_visit(made.id))
    team.use_actor("wayan")
    not_own = "repository.denied.not_own"
    _refused(team, lambda: team.update_signup(dataclasses.replace(signup, notes="x")), not_own)
    _refused(team, lambda: team.delete_signup(signup.id, "dobel"), not_own)
    _refused(team, lambda: team.update_visit(dataclasses.replace(visit, attendees=9)), not_own)
    _refused(team, lambda: team.delete_visit(visit.id, "salah"), not_own)
    # Creating a record in another officer's name is refused too.
    _refused(team, lambda: team.create_signup(make_signup(made.id, serial=2)), not_own)
    _refused(team, lambda: team.create_visit(make_visit(made.id, day=3)), not_own)
    # And one's own record cannot be handed to another officer.
    mine = team.create_visit(make_visit(officer.id, day=4))
    _refused(
        team, lambda: team.update_visit(dataclasses.replace(mine, officer_id=made.id)), not_own
    )
    assert team.get_signup(signup.id) == signup and team.get_visit(visit.id) == visit


def test_an_officer_edits_and_deletes_own_records(store: Store, officer: Officer) -> None:
    signup = store.create_signup(make_signup(officer.id))
    visit = store.create_visit(make_visit(officer.id))
    assert store.update_signup(dataclasses.replace(signup, notes="KTP dicek")).notes == "KTP dicek"
    assert store.update_visit(dataclasses.replace(visit, attendees=12)).attendees == 12
    assert store.delete_signup(signup.id, "dobel").deleted_at is not None
    assert store.restore_signup(signup.id, "bukan dobel").deleted_at is None
    assert store.delete_visit(visit.id, "salah").deleted_at is not None
    banjar = store.create_banjar(Banjar(desa_code=SESETAN, name="Banjar Kaja"))
    assert banjar.created_by == officer.id


def test_a_supervisor_reviews_sets_targets_adds_users_but_edits_no_signup(
    store: Store, officer: Officer
) -> None:
    signup = store.create_signup(make_signup(officer.id))
    visit = store.create_visit(make_visit(officer.id))
    kadek = store.use_actor("kadek")
    own_records = "repository.denied.write_own_records"
    _refused(
        store, lambda: store.update_signup(dataclasses.replace(signup, notes="x")), own_records
    )
    _refused(store, lambda: store.delete_signup(signup.id, "dobel"), own_records)
    _refused(store, lambda: store.update_visit(dataclasses.replace(visit, notes="x")), own_records)
    _refused(store, lambda: store.delete_visit(visit.id, "dobel"), own_records)
    _refused(store, lambda: store.create_signup(make_signup(kadek.id, serial=2)), own_records)
    decision = store.review(RecordKind.SIGNUP, signup.id, ReviewState.HAS_ISSUES, "NIK?")
    assert decision.reviewer_id == kadek.id
    assert store.get_signup(signup.id).review_state is ReviewState.HAS_ISSUES
    assert store.set_target(SESETAN, YEAR, 25).set_by == kadek.id
    made = store.create_officer(Officer(username="made", name="Made Ayu"))
    promoted = store.update_officer(dataclasses.replace(made, role=Role.SUPERVISOR))
    assert promoted.role is Role.SUPERVISOR
    store.record_reveal(signup.id, "cek KTP")


def test_a_viewer_writes_nothing_and_reveals_no_nik(team: Store, officer: Officer) -> None:
    signup = team.create_signup(make_signup(officer.id))
    visit = team.create_visit(make_visit(officer.id))
    viewer = team.use_actor("ketut")
    writes: list[tuple[Callable[[], object], Permission]] = [
        (
            lambda: team.create_signup(make_signup(viewer.id, serial=2)),
            Permission.WRITE_OWN_RECORDS,
        ),
        (lambda: team.create_visit(make_visit(viewer.id)), Permission.WRITE_OWN_RECORDS),
        (
            lambda: team.update_signup(dataclasses.replace(signup, notes="x")),
            Permission.WRITE_OWN_RECORDS,
        ),
        (lambda: team.delete_visit(visit.id, "x"), Permission.WRITE_OWN_RECORDS),
        (
            lambda: team.create_banjar(Banjar(desa_code=SESETAN, name="Kaja")),
            Permission.WRITE_BANJARS,
        ),
        (lambda: team.set_target(SESETAN, YEAR, 1), Permission.SET_TARGETS),
        (lambda: team.review(RecordKind.VISIT, visit.id, ReviewState.APPROVED), Permission.REVIEW),
        (lambda: team.create_officer(Officer(username="x", name="X")), Permission.MANAGE_USERS),
        (lambda: team.record_reveal(signup.id, "ingin tahu"), Permission.REVEAL_NIK),
        (lambda: team.record_export("signups", {}, False), Permission.EXPORT),
    ]
    for write, permission in writes:
        _refused(team, write, f"repository.denied.{permission.value}")
    assert ROLE_PERMISSIONS[Role.VIEWER] == frozenset({Permission.READ})
    assert team.list_signups().total == 1  # reading is fine


def test_the_first_user_creates_themself_then_only_supervisors_add(make_store: Any) -> None:
    store: Store = make_store()
    wayan = store.create_officer(Officer(username="wayan", name="I Wayan"))  # an officer
    assert store.actor == wayan and store.history(wayan.id)[0].actor_id == wayan.id
    _refused(
        store,
        lambda: store.create_officer(Officer(username="b", name="B")),
        "repository.denied.manage_users",
    )


@pytest.mark.parametrize("username", ["wayan", "kadek", "ketut"])
def test_everyone_edits_own_name_and_phone_but_not_own_role(team: Store, username: str) -> None:
    me = team.use_actor(username)
    renamed = team.update_officer(dataclasses.replace(me, name="Nama Baru", phone="+628123456789"))
    assert (renamed.name, renamed.phone) == ("Nama Baru", "+628123456789")
    assert team.actor == renamed
    other_role = Role.SUPERVISOR if me.role is not Role.SUPERVISOR else Role.OFFICER
    own_role = "repository.denied.own_role"
    _refused(
        team, lambda: team.update_officer(dataclasses.replace(renamed, role=other_role)), own_role
    )
    _refused(
        team, lambda: team.update_officer(dataclasses.replace(renamed, active=False)), own_role
    )
    assert team.get_officer(me.id).role is me.role


def _files(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {
        str(p.relative_to(folder)): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_a_read_only_open_writes_no_byte(db_path: Path) -> None:
    with Store.open(db_path) as store:
        store.create_officer(Officer(username="kadek", name="Kadek", role=Role.SUPERVISOR))
        wayan = store.create_officer(Officer(username="wayan", name="I Wayan"))
        store.use_actor("wayan")
        signup = store.create_signup(make_signup(wayan.id))
        store.create_visit(make_visit(wayan.id))
    before = _files(db_path.parent)
    assert before
    with Store.open(db_path, read_only=True, actor_username="wayan") as reader:
        assert reader.get_signup(signup.id) == signup
        assert reader.list_signups().total == 1 and reader.list_visits().total == 1
        assert reader.search_signups("Wayan") is not None
        assert reader.find_by_nik(signup.participant.nik) == signup
        assert reader.progress_of(SESETAN).participants == 1
        assert len(reader.officers()) == 2 and reader.history(signup.id)
        with pytest.raises(StoreReadOnly):
            reader.update_signup(dataclasses.replace(signup, notes="x"))
        with pytest.raises(StoreReadOnly):
            reader.record_reveal(signup.id)
        with pytest.raises(StoreReadOnly):
            reader.update_officer(dataclasses.replace(wayan, name="Baru"))
    assert _files(db_path.parent) == before
