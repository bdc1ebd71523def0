"""Plain TinyDB behaviour, the same assertions on MemoryStorage and on JournalStorage."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tinydb import Query, TinyDB
from tinydb.storages import MemoryStorage
from tinydb.table import Document

from fieldtui.store.engine import JournalStorage, open_db

Opener = Callable[[], TinyDB]
Q = Query()


def _dump(db: TinyDB) -> dict[str, dict[int, dict[str, Any]]]:
    return {name: {d.doc_id: dict(d) for d in db.table(name).all()} for name in db.tables()}


@pytest.fixture(params=["memory", "journal", "journal-stock-table"])
def kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def make_db(kind: str, tmp_path: Path) -> Iterator[Callable[[], TinyDB]]:
    """Open (or re-open, for the journal: a fresh handle on the same files) the database."""
    opened: list[TinyDB] = []
    memory: list[TinyDB] = []

    def make() -> TinyDB:
        if kind == "memory":
            if not memory:
                memory.append(TinyDB(storage=MemoryStorage))
            return memory[0]
        if kind == "journal":
            db: TinyDB = open_db(tmp_path / "s.json", fsync=False)
        else:  # stock Table on our storage: the whole-table write() path
            db = TinyDB(tmp_path / "s.json", storage=JournalStorage, fsync=False)
        opened.append(db)
        return db

    yield make
    for db in opened:
        db.close()


@pytest.fixture
def db(make_db: Callable[[], TinyDB]) -> TinyDB:
    return make_db()


def test_insert_get_contains_count(db: TinyDB) -> None:
    assert db.insert({"name": "Wayan", "age": 30}) == 1
    assert db.insert_multiple([{"name": "Made", "age": 25}, {"name": "Nyoman", "age": 41}]) == [
        2,
        3,
    ]
    assert len(db) == 3
    assert db.get(doc_id=2) == {"name": "Made", "age": 25}
    assert db.get(doc_id=9) is None
    assert db.contains(doc_id=3)
    assert not db.contains(doc_id=4)
    assert db.count(Q.age > 26) == 2
    doc = db.get(Q.name == "Nyoman")
    assert isinstance(doc, Document)
    assert doc.doc_id == 3
    assert [d.doc_id for d in db.get(doc_ids=[1, 3])] == [1, 3]
    assert sorted(d["name"] for d in db.search(Q.name.matches("^N"))) == ["Nyoman"]


def test_update_upsert_remove(db: TinyDB) -> None:
    db.insert_multiple([{"n": i, "tags": []} for i in range(5)])
    assert db.update({"big": True}, Q.n >= 3) == [4, 5]
    assert db.update(lambda d: d["tags"].append("x"), doc_ids=[1, 99]) == [1]
    assert db.get(doc_id=1) == {"n": 0, "tags": ["x"]}
    assert db.upsert({"n": 2, "up": 1}, Q.n == 2) == [3]
    assert db.upsert({"n": 7}, Q.n == 7) == [6]
    assert db.upsert(Document({"n": 70}, doc_id=6)) == [6]
    assert db.remove(Q.big == True) == [4, 5]  # noqa: E712
    assert db.remove(doc_ids=[1, 42]) == [1]
    assert sorted(d.doc_id for d in db.all()) == [2, 3, 6]
    assert db.get(doc_id=3) == {"n": 2, "tags": [], "up": 1}
    assert db.update_multiple([({"a": 1}, Q.n == 1), ({"a": 2}, Q.n == 70)]) == [2, 6]
    with pytest.raises(RuntimeError):
        db.remove()


def test_ids_not_reused_after_remove_but_restart_after_truncate(db: TinyDB) -> None:
    db.insert_multiple([{"n": 1}, {"n": 2}, {"n": 3}])
    db.remove(doc_ids=[3])
    assert db.insert({"n": 4}) == 4
    db.truncate()
    assert len(db) == 0
    assert db.insert({"n": 5}) == 1


def test_explicit_doc_ids(db: TinyDB) -> None:
    assert db.insert(Document({"a": 1}, doc_id=10)) == 10
    assert db.insert({"a": 2}) == 11
    with pytest.raises(ValueError):
        db.insert(Document({"a": 3}, doc_id=10))
    with pytest.raises(ValueError):
        db.insert_multiple([{"a": 4}, Document({"a": 5}, doc_id=11)])
    assert sorted(d.doc_id for d in db.all()) == [10, 11]  # the failed batch left nothing


def test_tables_are_separate(db: TinyDB) -> None:
    visits, signups = db.table("visits"), db.table("signups")
    assert visits.insert({"v": 1}) == 1
    assert signups.insert({"s": 1}) == 1
    assert signups.insert({"s": 2}) == 2
    assert db.tables() == {"visits", "signups"}
    assert len(visits) == 1
    assert len(signups) == 2
    db.drop_table("visits")
    assert db.tables() == {"signups"}
    assert db.table("visits").all() == []
    db.drop_tables()
    assert db.tables() == set()


def test_query_cache_sees_writes(db: TinyDB) -> None:
    db.insert({"x": 1})
    assert db.count(Q.x == 1) == 1
    db.insert({"x": 1})
    assert db.count(Q.x == 1) == 2
    db.update({"x": 2}, doc_ids=[1])
    assert db.count(Q.x == 1) == 1


def test_data_survives_reopening(kind: str, make_db: Callable[[], TinyDB]) -> None:
    first = make_db()
    first.table("a").insert_multiple([{"i": i} for i in range(20)])
    first.table("a").remove(Q.i < 5)
    first.table("b").insert({"nested": {"k": [1, 2, {"z": None}]}})
    first.table("c").truncate()
    before = _dump(first)
    again = make_db()
    assert _dump(again) == before
    if kind != "memory":
        assert "c" in again.tables()  # an empty table is kept, as in stock TinyDB


# -- the same random history gives the same state on both storages ----------------------

_OP = st.one_of(
    st.tuples(st.just("insert"), st.sampled_from("ab"), st.integers(0, 9)),
    st.tuples(st.just("update"), st.sampled_from("ab"), st.integers(1, 12)),
    st.tuples(st.just("remove"), st.sampled_from("ab"), st.integers(1, 12)),
    st.tuples(st.just("truncate"), st.sampled_from("ab"), st.just(0)),
    st.tuples(st.just("drop"), st.sampled_from("ab"), st.just(0)),
)


def _run(db: TinyDB, ops: list[tuple[str, str, int]]) -> None:
    for op, name, arg in ops:
        table = db.table(name)
        if op == "insert":
            table.insert({"v": arg, "items": list(range(arg))})
        elif op == "update":
            table.update(lambda d: d["items"].append(-1), doc_ids=[arg])
        elif op == "remove":
            table.remove(doc_ids=[arg])
        elif op == "truncate":
            table.truncate()
        else:
            db.drop_table(name)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ops=st.lists(_OP, max_size=25))
def test_random_histories_match_memory_storage(ops: list[tuple[str, str, int]]) -> None:
    memory = TinyDB(storage=MemoryStorage)
    _run(memory, ops)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "s.json"
        with open_db(path, fsync=False, compact_bytes=300, compact_ratio=0) as journal:
            _run(journal, ops)
            assert _dump(journal) == _dump(memory)
        with open_db(path, fsync=False) as reopened:
            assert _dump(reopened) == _dump(memory)
