"""The on-disk format: snapshot layout round trips, journal lines and their checksums."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import orjson
from hypothesis import given, settings
from hypothesis import strategies as st

from fieldtui.store import journal as fmt

_JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53), 2**53) | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=8,
)
_DOC = st.dictionaries(st.text(max_size=6), _JSON, max_size=5)
_TABLE = st.dictionaries(st.integers(1, 10**6).map(str), _DOC, max_size=6)
_TABLES = st.dictionaries(st.text(min_size=1, max_size=8), _TABLE, max_size=4)


@settings(max_examples=80, deadline=None)
@given(tables=_TABLES)
def test_snapshot_layout_round_trips(tables: dict[str, dict[str, Any]]) -> None:
    tables.pop(fmt.ENGINE_TABLE, None)
    data = b"".join(fmt.snapshot_chunks({"generation": "g"}, tables))
    assert fmt._parse_lines_layout(data, Path("x")) is not None  # the fast path, not the fallback
    header, parsed = fmt.parse_snapshot(data, Path("x"))
    assert parsed == tables
    assert header is not None and header["generation"] == "g"
    assert orjson.loads(data) == {fmt.ENGINE_TABLE: {"1": header}, **tables}  # plain JSON


def test_other_tinydb_json_still_loads() -> None:
    tables = {"t": {"1": {"a": [1, 2]}, "2": {"b": "\n}"}}}
    for text in (json.dumps(tables), json.dumps(tables, indent=4)):
        assert fmt.parse_snapshot(text.encode(), Path("x")) == (None, tables)
    edited = b"".join(fmt.snapshot_chunks({}, tables)).replace(b'"a":[1,2]', b'"a": [1,\n 2]')
    assert fmt.parse_snapshot(edited, Path("x"))[1] == tables


def test_journal_lines_checksum_and_torn_tails() -> None:
    lines = [fmt.encode_line({"s": n}) for n in range(1, 4)]
    data = b"".join(lines)
    assert fmt.parse_lines(data) == ([{"s": 1}, {"s": 2}, {"s": 3}], len(data), False)
    torn = data + lines[0][:10]
    assert fmt.parse_lines(torn) == ([{"s": 1}, {"s": 2}, {"s": 3}], len(data), False)
    flipped = lines[0] + lines[1].replace(b'"s":2', b'"s":5') + lines[2]
    payloads, used, damaged = fmt.parse_lines(flipped)
    assert (payloads, used, damaged) == ([{"s": 1}], len(lines[0]), True)
