"""JournalStorage itself: transactions, listeners, refresh, compaction, read-only opens."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from tinydb import Query, TinyDB

from fieldtui.store import journal as fmt
from fieldtui.store.engine import Change, JournalDB, JournalStorage, open_db
from fieldtui.store.errors import StoreError, StoreReadOnly

Q = Query()


def _files(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(folder.iterdir())}


def _dump(db: TinyDB) -> dict[str, dict[int, dict[str, Any]]]:
    return {name: {d.doc_id: dict(d) for d in db.table(name).all()} for name in db.tables()}


@pytest.fixture
def db(db_path: Path) -> JournalDB:
    return open_db(db_path, fsync=False)


def test_new_store_files(db: JournalDB, db_path: Path) -> None:
    assert db_path.exists()
    assert db_path.with_name(db_path.name + ".journal").exists()
    assert db.storage.read() == {}
    assert db.storage.generation
    assert TinyDB(db_path).tables() == {"_engine"}  # stock TinyDB can open the snapshot


def test_transaction_is_atomic_across_tables(db: JournalDB, db_path: Path) -> None:
    with db.storage.transaction():
        db.table("signups").insert({"nik": "1"})
        db.table("audit").insert({"what": "create"})
        with db.storage.transaction():  # nested: part of the outer one
            db.table("audit").insert({"what": "more"})
    journal = db_path.with_name(db_path.name + ".journal").read_bytes().splitlines()
    assert len(journal) == 2  # header + ONE record
    with pytest.raises(KeyError), db.storage.transaction():
        db.table("signups").insert({"nik": "2"})
        db.table("signups").update({"nik": "changed"}, doc_ids=[1])
        db.table("audit").truncate()
        db.drop_table("signups")
        raise KeyError("boom")
    expected = {
        "signups": {1: {"nik": "1"}},
        "audit": {1: {"what": "create"}, 2: {"what": "more"}},
    }
    assert _dump(db) == expected
    assert _dump(open_db(db_path)) == expected
    assert db.table("signups").insert({"nik": "3"}) == 2  # the rolled-back id is free again


def test_no_aliasing_of_inserted_or_returned_documents(db: JournalDB) -> None:
    original = {"list": [1]}
    db.insert(original)
    original["list"].append(2)
    got = db.get(doc_id=1)
    assert got == {"list": [1]}


def test_values_json_cannot_hold_are_refused(db: JournalDB) -> None:
    import datetime as dt

    with pytest.raises(TypeError):
        db.insert({"when": dt.date(2026, 1, 1)})
    assert db.all() == []


def test_listener_gets_own_and_foreign_changes(db: JournalDB, db_path: Path) -> None:
    seen: list[list[Change]] = []
    other = open_db(db_path, fsync=False)
    other.storage.add_listener(seen.append)
    db.table("t").insert({"a": 1})
    db.table("t").update({"a": 2}, doc_ids=[1])
    assert other.table("t").all() == []  # not yet refreshed
    assert other.storage.refresh() == [
        Change("t", 1, {"a": 1}),
        Change("t", 1, {"a": 2}),
    ]
    assert other.table("t").all() == [{"a": 2}]
    assert other.storage.refresh() == []
    other.table("t").insert({"b": 1})
    db.table("t").remove(doc_ids=[1])  # refreshes first, so sees doc 2 and keeps it
    assert db.table("t").all() == [{"b": 1}]
    assert other.storage.refresh() == [Change("t", 1, None)]
    assert seen == [
        [Change("t", 1, {"a": 1}), Change("t", 1, {"a": 2})],
        [Change("t", 2, {"b": 1})],
        [Change("t", 1, None)],
    ]


def test_two_handles_never_share_a_doc_id(db_path: Path) -> None:
    first, second = open_db(db_path, fsync=False), open_db(db_path, fsync=False)
    ids = [h.insert({"by": i % 2}) for i, h in enumerate([first, second] * 10)]
    assert ids == list(range(1, 21))
    assert len(open_db(db_path).all()) == 20


def test_compaction_keeps_everything_and_others_reload(db_path: Path) -> None:
    db = open_db(db_path, fsync=False, compact_bytes=2000, compact_ratio=0)
    other = open_db(db_path, fsync=False)
    seen: list[list[Change]] = []
    other.storage.add_listener(seen.append)
    generation = db.storage.generation
    journal = db_path.with_name(db_path.name + ".journal")
    for i in range(60):
        db.table("t").insert({"i": i, "pad": "x" * 50})
    db.table("t").remove(Q.i < 10)
    assert db.storage.generation != generation
    assert journal.stat().st_size < 2500
    assert other.storage.refresh() == [Change("*", 0, None)]
    assert seen == [[Change("*", 0, None)]]
    assert _dump(other) == _dump(db)
    assert _dump(open_db(db_path)) == _dump(db)
    assert not [p for p in db_path.parent.iterdir() if ".tmp-" in p.name]
    assert other.table("t").insert({"i": 99}) == 61


def test_torn_last_line_is_ignored_then_cut(db: JournalDB, db_path: Path) -> None:
    db.insert({"a": 1})
    journal = db_path.with_name(db_path.name + ".journal")
    good = journal.read_bytes()
    torn = fmt.encode_line({"s": 2, "t": {"_default": {"d": {"2": {"a": 2}}}}})[:-9]
    with journal.open("ab") as f:
        f.write(torn)
    reader = open_db(db_path, fsync=False)
    assert reader.all() == [{"a": 1}]
    assert reader.insert({"b": 1}) == 2
    assert journal.read_bytes().startswith(good)
    assert torn not in journal.read_bytes()
    assert open_db(db_path).all() == [{"a": 1}, {"b": 1}]


def test_refresh_reads_nothing_when_nothing_changed(
    db: JournalDB, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = open_db(db_path, fsync=False)
    db.insert({"a": 1})
    other.storage.refresh()
    reads: list[int] = []
    real = fmt.read_fd

    def counting(fd: int, offset: int, size: int) -> bytes:
        reads.append(1)
        return real(fd, offset, size)

    monkeypatch.setattr(fmt, "read_fd", counting)
    assert other.storage.refresh() == []
    assert reads == []
    db.insert({"a": 2})
    assert len(other.storage.refresh()) == 1
    assert reads == [1]


def test_read_only_open_writes_nothing(db_path: Path) -> None:
    db = open_db(db_path, fsync=False, compact_bytes=1, compact_ratio=0)
    db.insert({"a": 1})
    db.close()
    (db_path.parent / (db_path.name + ".lock")).unlink()
    before = _files(db_path.parent)
    reader = open_db(db_path, read_only=True)
    assert reader.all() == [{"a": 1}]
    assert reader.search(Q.a == 1) == [{"a": 1}]
    reader.storage.refresh()
    with pytest.raises(StoreReadOnly) as caught:
        reader.insert({"a": 2})
    assert caught.value.message() != caught.value.key
    with pytest.raises(StoreReadOnly):
        reader.drop_tables()
    reader.close()
    assert _files(db_path.parent) == before  # same bytes, same mtimes, no lock file


def test_missing_store_is_not_created_when_asked_not_to(db_path: Path) -> None:
    for kwargs in ({"read_only": True}, {"create": False}):
        with pytest.raises(StoreError) as caught:
            JournalStorage(db_path, **kwargs)
        assert caught.value.key == "store.error.missing"
    assert not db_path.parent.joinpath(db_path.name).exists()


def test_plain_tinydb_file_is_adopted(db_path: Path) -> None:
    stock = TinyDB(db_path)
    stock.table("t").insert_multiple([{"a": 1}, {"a": 2}])
    stock.close()
    db = open_db(db_path, fsync=False)
    assert db.table("t").all() == [{"a": 1}, {"a": 2}]
    assert db.table("t").insert({"a": 3}) == 3
    assert open_db(db_path).table("t").all() == [{"a": 1}, {"a": 2}, {"a": 3}]


def test_compact_on_demand(db: JournalDB, db_path: Path) -> None:
    other = open_db(db_path, fsync=False)
    db.table("t").insert_multiple([{"i": i} for i in range(5)])
    db.storage.compact()
    journal = db_path.with_name(db_path.name + ".journal")
    assert len(journal.read_bytes().splitlines()) == 1  # only the header
    assert TinyDB(db_path).table("t").all() == [{"i": i} for i in range(5)]
    assert other.storage.refresh() == [Change("*", 0, None)]
    assert len(other.table("t")) == 5


def test_a_deleted_journal_is_rebuilt_from_memory(db: JournalDB, db_path: Path) -> None:
    db.insert_multiple([{"i": i} for i in range(3)])
    db_path.with_name(db_path.name + ".journal").unlink()
    db.insert({"i": 3})  # compacts first: the three earlier saves were only in that journal
    assert open_db(db_path).all() == [{"i": i} for i in range(4)]


def test_a_failing_listener_does_not_keep_the_lock(db: JournalDB, db_path: Path) -> None:
    other = open_db(db_path, fsync=False, lock_timeout=0.2)

    def broken(changes: list[Change]) -> None:
        raise RuntimeError("listener bug")

    other.storage.add_listener(broken)
    db.insert({"a": 1})
    with pytest.raises(RuntimeError):
        other.insert({"b": 1})  # refreshes first: the listener fails
    assert db.insert({"c": 1}) == 2  # the lock was released


def test_a_cached_query_sees_another_process_save(db_path: Path) -> None:
    """TinyDB caches query answers; a save read from another handle clears them."""
    writer = open_db(db_path, fsync=False)
    reader = open_db(db_path, fsync=False)
    writer.insert({"a": 1})
    reader.storage.refresh()
    assert reader.count(Q.a == 1) == 1  # now cached
    writer.insert({"a": 1})
    reader.storage.refresh()
    assert reader.count(Q.a == 1) == 2
    writer.close()
    reader.close()


def test_a_save_applied_while_a_query_caches_its_answer_clears_it(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The poller applies another process's save between TinyDB caching an answer and the
    search returning: the next query must not get the cached, older answer."""
    writer = open_db(db_path, fsync=False)
    reader = open_db(db_path, fsync=False)
    writer.insert({"a": 1})
    reader.storage.refresh()
    cache = reader.table("_default")._query_cache
    store_answer = type(cache).__setitem__
    fired: list[int] = []

    def setitem(self: Any, key: Any, value: Any) -> None:
        store_answer(self, key, value)
        if not fired:  # the other thread runs right here
            fired.append(1)
            writer.insert({"a": 1})
            reader.storage.refresh()

    monkeypatch.setattr(type(cache), "__setitem__", setitem)
    reader.count(Q.a == 1)
    monkeypatch.undo()
    assert reader.count(Q.a == 1) == 2
    writer.close()
    reader.close()
