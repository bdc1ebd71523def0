"""The repository over memory and file stores: users, banjars, visits, targets, listing."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest

from fieldtui.domain.models import Banjar, Officer, Period, RecordKind, ReviewState, VisitType
from fieldtui.store.base import InvalidRecord
from fieldtui.store.errors import NotFound, PermissionDenied, ValidationFailed
from fieldtui.store.listing import RecordFilter
from fieldtui.store.repository import Store
from tests.builders import acting_as
from tests.store.conftest import SESETAN, UBUNG_KAJA, make_visit


def test_first_user_creates_themself_and_acts(make_store: Any) -> None:
    store: Store = make_store()
    assert store.actor is None
    wayan = store.create_officer(Officer(username="wayan", name="I Wayan Sudarma"))
    assert store.actor == wayan
    assert store.officer_by_username("wayan") == wayan
    assert store.history(wayan.id)[0].actor_id == wayan.id


def test_second_user_needs_an_actor(make_store: Any) -> None:
    store: Store = make_store()
    store.create_officer(Officer(username="wayan", name="I Wayan"))
    other: Store = Store.memory()
    other.create_officer(Officer(username="a", name="A"))
    other._actor = None
    with pytest.raises(PermissionDenied):
        other.create_officer(Officer(username="b", name="B"))


def test_officers(store: Store, officer: Officer) -> None:
    store.use_actor("kadek")  # the supervisor adds and changes users
    made = store.create_officer(Officer(username="made", name="Made Ayu"))
    assert [o.username for o in store.officers()] == ["wayan", "made", "kadek"]  # by name
    with pytest.raises(ValidationFailed):
        store.create_officer(Officer(username="kadek", name="Someone else"))
    renamed = store.update_officer(dataclasses.replace(made, name="Made Ayu Lestari"))
    assert store.get_officer(made.id).name == "Made Ayu Lestari"
    assert renamed.updated_at >= made.updated_at
    assert store.use_actor("made") == renamed
    assert store.actor == renamed
    with pytest.raises(NotFound):
        store.use_actor("nobody")


def test_banjars(store: Store) -> None:
    kaja = store.create_banjar(Banjar(desa_code=SESETAN, name="Banjar Kaja"))
    store.create_banjar(Banjar(desa_code=SESETAN, name="Banjar Alit"))
    store.create_banjar(Banjar(desa_code=UBUNG_KAJA, name="Banjar Kaja"))
    assert [b.name for b in store.banjars(SESETAN)] == ["Banjar Alit", "Banjar Kaja"]
    with pytest.raises(InvalidRecord) as info:
        store.create_banjar(Banjar(desa_code=SESETAN, name="br. kaja"))
    assert info.value.issues[0].code == "banjar.error.duplicate"
    with pytest.raises(InvalidRecord):
        store.create_banjar(Banjar(desa_code="51.71.01", name="Kecamatan is no village"))
    store.update_banjar(dataclasses.replace(kaja, head_name="I Made Rai"))
    assert store.get_banjar(kaja.id).head_name == "I Made Rai"
    with pytest.raises(ValidationFailed):
        store.delete_banjar(kaja.id, "  ")
    store.delete_banjar(kaja.id, "dobel")
    assert [b.name for b in store.banjars(SESETAN)] == ["Banjar Alit"]
    assert len(store.banjars(SESETAN, include_deleted=True)) == 2
    assert store.get_banjar(kaja.id).deleted_reason == "dobel"
    # the name is free again once deleted
    store.create_banjar(Banjar(desa_code=SESETAN, name="Banjar Kaja"))


def test_visit_create_update_delete(store: Store, officer: Officer) -> None:
    banjar = store.create_banjar(Banjar(desa_code=SESETAN, name="Banjar Kaja"))
    visit = store.create_visit(make_visit(officer.id, banjar_id=banjar.id, attendees=35))
    assert store.get_visit(visit.id) == visit
    edited = store.update_visit(dataclasses.replace(visit, attendees=40), reason="recount")
    assert store.get_visit(visit.id).attendees == 40
    assert edited.created_at == visit.created_at
    assert store.update_visit(edited) == edited  # nothing changed: nothing written
    assert len(store.history(visit.id)) == 2
    store.delete_visit(visit.id, "wrong village")
    assert store.list_visits().total == 0
    with pytest.raises(ValidationFailed):
        store.update_visit(dataclasses.replace(edited, attendees=1))


def test_visit_references_are_checked(store: Store, officer: Officer) -> None:
    elsewhere = store.create_banjar(Banjar(desa_code=UBUNG_KAJA, name="Banjar Kaja"))
    # Nobody may save a visit for an unknown officer (it is not their own); validation says why.
    with pytest.raises(PermissionDenied):
        store.create_visit(make_visit("01NOBODY", desa_code="51.99.99.9999"))
    codes = {
        i.code for i in store.validate_visit(make_visit("01NOBODY", desa_code="51.99.99.9999"))
    }
    assert codes == {"repository.issue.unknown_officer", "repository.issue.unknown_desa"}
    with pytest.raises(InvalidRecord) as info:
        store.create_visit(make_visit(officer.id, banjar_id=elsewhere.id))
    assert info.value.issues[0].code == "repository.issue.banjar_elsewhere"
    assert store.list_visits().total == 0


def test_update_cannot_change_created_at_or_undelete(store: Store, officer: Officer) -> None:
    visit = store.create_visit(make_visit(officer.id))
    sneaky = dataclasses.replace(
        visit, created_at=visit.created_at - dt.timedelta(days=9), attendees=3
    )
    saved = store.update_visit(sneaky)
    assert saved.created_at == visit.created_at
    assert store.get_visit(visit.id).created_at == visit.created_at


def test_unknown_ids(store: Store) -> None:
    with pytest.raises(NotFound):
        store.get_visit("01NOPE")
    with pytest.raises(NotFound):
        store.delete_signup("01NOPE", "x")


def test_list_visits_filters_and_pages(store: Store, officer: Officer) -> None:
    with acting_as(store, "kadek"):
        made = store.create_officer(Officer(username="made", name="Made Ayu"))
    for day in range(1, 21):
        store.use_actor("wayan" if day % 2 else "made")  # each officer logs their own
        store.create_visit(
            make_visit(
                officer.id if day % 2 else made.id,
                day=day,
                desa_code=SESETAN if day <= 10 else UBUNG_KAJA,
                visit_type=VisitType.BOOTH if day == 7 else VisitType.BANJAR,
                event_name="Sesetan carnival" if day == 7 else "",
            )
        )
    page = store.list_visits(limit=5)
    assert page.total == 20 and page.has_more
    assert [v.started_at.day for v in page.items] == [20, 19, 18, 17, 16]
    last = store.list_visits(offset=15, limit=10)
    assert [v.started_at.day for v in last.items] == [5, 4, 3, 2, 1] and not last.has_more
    mine = store.list_visits(RecordFilter(officer_id=officer.id), limit=100)
    assert mine.total == 10 and all(v.officer_id == officer.id for v in mine.items)
    assert store.list_visits(RecordFilter(desa_code="51.71.04")).total == 10
    assert store.list_visits(RecordFilter(desa_code=SESETAN, officer_id=made.id)).total == 5
    window = RecordFilter(date_from=dt.date(2026, 11, 5), date_to=dt.date(2026, 11, 8))
    assert [v.started_at.day for v in store.list_visits(window).items] == [8, 7, 6, 5]
    assert store.list_visits(RecordFilter(visit_type=VisitType.BOOTH)).total == 1
    assert store.list_visits(RecordFilter(text="CARNIVAL")).items[0].started_at.day == 7
    states = RecordFilter(review_states=frozenset({ReviewState.NEW}))
    assert store.list_visits(states).total == 20


def test_targets(store: Store) -> None:
    store.use_actor("kadek")  # a supervisor sets targets
    year = Period.year(2017)
    target = store.set_target("51.71", year, 22_000)
    assert store.get_target("51.71", year) == target
    changed = store.set_target("51.71", year, 22_964)
    assert changed.id == target.id and store.get_target("51.71", year).number == 22_964  # type: ignore[union-attr]
    store.set_target(SESETAN, year, 3_000)
    store.set_target(SESETAN, Period.month(2017, 7), 300)
    assert len(store.targets(period=year)) == 2
    assert [t.region_code for t in store.targets(region_code="51.71.01")] == [SESETAN, SESETAN]
    store.delete_target(target.id, "wrong")
    assert store.get_target("51.71", year) is None
    assert store.set_target("51.71", year, 1).id != target.id
    with pytest.raises(ValidationFailed):
        store.set_target("51.71", year, -1)


def test_on_change_reports_kinds(store: Store, officer: Officer) -> None:
    seen: list[frozenset[RecordKind]] = []
    store.on_change(seen.append)
    store.create_visit(make_visit(officer.id))
    assert seen == [frozenset({RecordKind.VISIT})]
    assert store.refresh() is False


def test_failed_write_leaves_nothing(store: Store, officer: Officer) -> None:
    with pytest.raises(InvalidRecord):
        store.create_visit(make_visit(officer.id, attendees=-1))
    assert store.list_visits().total == 0
    assert len(store.audit_log()) == 2  # only the two users' creation


def test_read_only_memory_store_refuses_writes() -> None:
    from fieldtui.store.backend import MemoryBackend
    from fieldtui.store.errors import StoreReadOnly

    store = Store(MemoryBackend(read_only=True))
    with pytest.raises(StoreReadOnly):
        store.create_officer(Officer(username="a", name="A"))
