"""A name typed in a list's search box: the name index gives the same page and total as a scan."""

from __future__ import annotations

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
