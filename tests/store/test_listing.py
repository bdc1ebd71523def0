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


@pytest.mark.parametrize("text", ["made", "wayan", "a", "ni l", "zzz", "siti aminah"])
@pytest.mark.parametrize(("offset", "limit"), [(0, 50), (0, 5), (5, 5), (30, 10)])
def test_name_search_page_equals_a_scan(filled: Store, text: str, offset: int, limit: int) -> None:
    index = filled._index.table("signups")
    fast, total = page_rows(index, RecordFilter(text=text), offset, limit, filled._names())
    slow, slow_total = page_rows(index, RecordFilter(text=text), offset, limit)  # scans
    assert [row.doc_id for row in fast] == [row.doc_id for row in slow]
    assert total == slow_total == sum(fold(text) in row.text for row in index.newest_first())
