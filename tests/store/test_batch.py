"""`Store.batch()` (many writes, one transaction) and the demo marker, on memory and file stores."""

from __future__ import annotations

from typing import Any

import pytest

from fieldtui.domain.models import Banjar, Officer, Period, Role
from fieldtui.store.errors import DuplicateNik
from fieldtui.store.repository import Store
from tests.store.conftest import SESETAN, make_signup, make_visit


class Boom(Exception):
    """Raised on purpose inside a batch."""


def test_records_made_earlier_in_a_batch_can_be_referred_to(make_store: Any) -> None:
    store: Store = make_store()
    with store.batch():
        store.create_officer(Officer(username="kadek", name="Kadek", role=Role.SUPERVISOR))
        officer = store.create_officer(Officer(username="wayan", name="I Wayan Sudarma"))
        store.use_actor("wayan")
        banjar = store.create_banjar(Banjar(desa_code=SESETAN, name="Banjar Kaja"))
        visit = store.create_visit(make_visit(officer.id, banjar_id=banjar.id))
        first = store.create_signup(make_signup(officer.id, banjar_id=banjar.id, visit_id=visit.id))
        # Lookups inside the batch already see its own records.
        assert store.find_by_nik(first.participant.nik) == first
        assert store.get_visit(visit.id) == visit
        with pytest.raises(DuplicateNik):
            store.create_signup(make_signup(officer.id, name="Ni Made Lain"))
        store.create_signup(make_signup(officer.id, serial=2))
        store.use_actor("kadek")  # the supervisor sets the target
        store.set_target(SESETAN, Period.year(2026), 10)
    assert store.list_signups().total == 2
    assert store.progress_of(SESETAN, period=Period.year(2026)).participants == 2
    assert len(store.history(first.id)) == 1


def test_a_failed_batch_saves_nothing(make_store: Any) -> None:
    store: Store = make_store()
    store.create_officer(Officer(username="wayan", name="I Wayan Sudarma"))
    officer_id = store.actor.id if store.actor else ""
    before = store.progress_of(SESETAN, period=Period.year(2026)).participants
    nik = make_signup(officer_id).participant.nik
    with pytest.raises(Boom), store.batch():
        store.create_signup(make_signup(officer_id))
        store.create_banjar(Banjar(desa_code=SESETAN, name="Banjar Kaja"))
        raise Boom
    assert store.find_by_nik(nik) is None
    assert store.list_signups().total == 0 and store.banjars() == []
    assert store.progress_of(SESETAN, period=Period.year(2026)).participants == before == 0
    store.create_signup(make_signup(officer_id))  # the NIK is free: the index forgot it
    assert store.list_signups().total == 1


def test_a_batch_is_one_transaction_on_disk(make_store: Any, store_kind: str) -> None:
    if store_kind != "file":
        pytest.skip("a memory store has no journal")
    store: Store = make_store()
    store.create_officer(Officer(username="wayan", name="I Wayan Sudarma"))
    assert store.path is not None
    journal = store.path.with_name(store.path.name + ".journal")
    lines = journal.read_bytes().count(b"\n")
    officer_id = store.actor.id if store.actor else ""
    with store.batch():
        for serial in range(1, 21):
            store.create_signup(make_signup(officer_id, serial=serial))
    assert journal.read_bytes().count(b"\n") == lines + 1
    other = make_store()  # another handle on the same file sees all twenty
    assert other.list_signups().total == 20


def test_nested_batches_join_the_outer_one(make_store: Any) -> None:
    store: Store = make_store()
    with pytest.raises(Boom), store.batch():
        store.create_officer(Officer(username="wayan", name="I Wayan Sudarma"))
        with store.batch():
            store.create_banjar(Banjar(desa_code=SESETAN, name="Banjar Kaja"))
        raise Boom
    assert store.officers() == [] and store.banjars() == []


def test_demo_marker(make_store: Any, store_kind: str) -> None:
    store: Store = make_store()
    assert store.is_empty and not store.is_demo and store.demo_info is None
    store.mark_demo(seed=7)
    store.mark_demo(seed=8)  # once only
    assert store.is_demo
    info = store.demo_info
    assert info is not None and info["seed"] == 7 and "created_at" in info
    assert store.is_empty  # the marker is not a record
    if store_kind == "file":
        reopened = make_store(read_only=True)
        assert reopened.is_demo and reopened.schema_version == store.schema_version
