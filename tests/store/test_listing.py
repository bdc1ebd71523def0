"""A name typed in a list's search box: the name index gives the same page and total as a scan."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from fieldtui.store.indexes import fold
from fieldtui.store.listing import RecordFilter, page_rows
from fieldtui.store.repository import Store
from tests.builders import make_signup

NAMES = ["Ni Made Ayu", "I Wayan Sudarsana", "Ni Luh Made Sari", "I Made Wayan", "Siti Aminah"]


@pytest.fixture
def filled() -> Store:
    store = Store.memory()
    from fieldtui.domain.models import Officer

    officer = store.create_officer(Officer(username="w", name="W"))
    for serial in range(1, 41):
        day = dt.date(2026, 1, 1) + dt.timedelta(days=serial * 3 % 29)
        signup = make_signup(officer.id, serial=serial, name=NAMES[serial % 5], registered_on=day)
        store.create_signup(signup)
    store.delete_signup(store.list_signups(limit=1).items[0].id, "salah input")
    return store


@pytest.mark.parametrize(
    "text", ["made", "wayan", "a", "ni l", "zzz", "siti aminah", "5", "5171", "517101", "9", "0"]
)
@pytest.mark.parametrize(("offset", "limit"), [(0, 50), (0, 5), (5, 5), (30, 10)])
def test_name_search_page_equals_a_scan(filled: Store, text: str, offset: int, limit: int) -> None:
    index = filled._index.table("signups")
    fast, total = page_rows(
        index, RecordFilter(text=text), offset, limit, filled._names(), filled._niks()
    )
    slow, slow_total = page_rows(index, RecordFilter(text=text), offset, limit)  # scans
    assert [row.doc_id for row in fast] == [row.doc_id for row in slow]
    expected = sum(
        row.nik.startswith(text) or fold(text) in row.text for row in index.newest_first()
    )
    assert total == slow_total == expected


@pytest.mark.parametrize("text", ["5", "5171", "0"])
def test_many_hits_walk_the_newest_first_order(
    filled: Store, text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fieldtui.store import listing

    index = filled._index.table("signups")
    sorted_page, _ = page_rows(
        index, RecordFilter(text=text), 3, 7, filled._names(), filled._niks()
    )
    monkeypatch.setattr(listing, "_SORT_AT_MOST", 0)
    walked, total = page_rows(index, RecordFilter(text=text), 3, 7, filled._names(), filled._niks())
    assert [r.doc_id for r in walked] == [r.doc_id for r in sorted_page]
    assert total == len(list(index.newest_first())) or text == "0"


def test_counts_by_officer_and_state_equal_a_scan() -> None:
    """`limit=0` with only an officer and review states is answered from the index's counts;
    they must follow every review, edit, deletion and restore."""
    from fieldtui.domain.models import Officer, RecordKind, ReviewState, Role
    from tests.builders import acting_as

    store = Store.memory()
    sri = store.create_officer(Officer(username="sri", name="Sri", role=Role.SUPERVISOR))
    wayan = store.create_officer(Officer(username="wayan", name="Wayan"))
    kadek = store.create_officer(Officer(username="kadek", name="Kadek"))
    ids: dict[str, list[str]] = {}
    for officer in (wayan, kadek):
        with acting_as(store, officer.username):
            ids[officer.id] = [
                store.create_signup(
                    make_signup(officer.id, serial=n + (0 if officer is wayan else 50))
                ).id
                for n in range(1, 9)
            ]
    with acting_as(store, sri.username):
        store.review(RecordKind.SIGNUP, ids[wayan.id][0], ReviewState.HAS_ISSUES, "cek NIK")
        store.review(RecordKind.SIGNUP, ids[wayan.id][1], ReviewState.APPROVED)
        store.review(RecordKind.SIGNUP, ids[kadek.id][0], ReviewState.REJECTED, "ganda")
        store.review(RecordKind.SIGNUP, ids[wayan.id][2], ReviewState.HAS_ISSUES, "foto")
    with acting_as(store, wayan.username):
        fixed = store.get_signup(ids[wayan.id][2])
        store.update_signup(fixed, reason="perbaiki")  # has issues -> edited
        store.delete_signup(ids[wayan.id][3], "salah input")
        store.delete_signup(ids[wayan.id][4], "salah input")
        store.restore_signup(ids[wayan.id][4], "keliru hapus")

    index = store._index.table("signups")
    live = [row for row in index.newest_first()]
    for officer_id in (None, wayan.id, kadek.id, sri.id):
        for states in (
            frozenset(),
            frozenset({ReviewState.HAS_ISSUES, ReviewState.REJECTED}),
            frozenset({ReviewState.EDITED}),
            frozenset({ReviewState.NEW}),
        ):
            where = RecordFilter(officer_id=officer_id, review_states=states)
            expected = sum(
                (officer_id is None or row.officer_id == officer_id)
                and (not states or row.review_state in {s.value for s in states})
                for row in live
            )
            assert store.list_signups(where, limit=0).total == expected
            assert store.list_signups(where, limit=50).total == expected  # the scan agrees
    assert store.list_signups(RecordFilter(officer_id=wayan.id), limit=0).total == 7


@pytest.mark.parametrize("dense", [0, 2_000])  # 0: every search takes the pass over all names
@pytest.mark.parametrize("rebuild_after", [3, 10_000])
def test_searches_kept_current_equal_searches_built_afresh(
    rebuild_after: int, dense: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Searches built once and then fed change by change (new, renamed, deleted, restored
    sign-ups) answer exactly as searches built from scratch over the same rows."""
    import random

    from fieldtui.domain.models import Officer
    from fieldtui.store.search import NameSearch, NikSearch

    monkeypatch.setattr(NameSearch, "REBUILD_AFTER", rebuild_after)
    monkeypatch.setattr(NameSearch, "DENSE", dense)
    rng = random.Random(7)
    store = Store.memory()
    officer = store.create_officer(Officer(username="w", name="W"))
    ids = []
    for serial in range(1, 31):
        day = dt.date(2026, 1, 1) + dt.timedelta(days=serial * 7 % 23)
        signup = make_signup(officer.id, serial=serial, name=NAMES[serial % 5], registered_on=day)
        ids.append(store.create_signup(signup).id)
    names, niks = store._names(), store._niks()
    names.build()
    niks.build()
    more = ["Ketut Arsana", "Ni Wayan Sari", "Made Ayu Lestari", "Komang Wayan"]
    for step in range(40):
        action = rng.choice(["new", "rename", "delete", "restore"])
        target = rng.choice(ids)
        if action == "new":
            serial = 100 + step
            day = dt.date(2026, 1, 1) + dt.timedelta(days=rng.randint(0, 40))
            signup = make_signup(
                officer.id, serial=serial, name=rng.choice(more), registered_on=day
            )
            ids.append(store.create_signup(signup).id)
        elif action == "rename":
            current = store.get_signup(target)
            if current.deleted_at is None:
                person = dataclasses.replace(current.participant, name=rng.choice(more + NAMES))
                store.update_signup(dataclasses.replace(current, participant=person))
        elif action == "delete":
            store.delete_signup(target, "salah input")
        else:
            store.restore_signup(target, "keliru hapus")
        index = store._index.table("signups")
        fresh_names, fresh_niks = NameSearch(index), NikSearch(index)
        assert store._names() is names and store._niks() is niks  # not rebuilt by the store
        typed = ("w", "wa", "way", "wayan", "waya", "a", "ay", "ayu", "made ayu", "ni", "n")
        for text in (*typed, "ketut", "komang w", "zz"):
            assert names.find(text, 5) == fresh_names.find(text, 5)
            assert names.find(text) == fresh_names.find(text)
            assert names.ordered(text) == fresh_names.ordered(text)
            assert names.matching(text) == fresh_names.matching(text)
        for prefix in ("5", "5171", "51710", "9"):
            assert sorted(niks.matching(prefix)) == sorted(fresh_niks.matching(prefix))
