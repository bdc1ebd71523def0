"""Big tables kept as their snapshot text (RawTable): same behaviour, damage still reported."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tinydb import Query, TinyDB
from tinydb.storages import MemoryStorage

from fieldtui.store import journal as fmt
from fieldtui.store import rawtable
from fieldtui.store.check import check_store
from fieldtui.store.engine import open_db
from fieldtui.store.errors import StoreCorrupt
from fieldtui.store.rawtable import RawTable
from fieldtui.store.repository import Store
from tests.store.test_engine_tinydb import _OP, _dump, _run

Q = Query()


@pytest.fixture
def every_table_raw(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Keep every table of a snapshot raw, however small (the thresholds only save work)."""
    monkeypatch.setattr(rawtable, "RAW_MIN_DOCS", 1)
    monkeypatch.setattr(fmt, "_RAW_MIN_BYTES", 0)
    yield


def _rot(path: Path, good: bytes, bad: bytes) -> bytes:
    """Damage ``path`` in place as a failing disk would: same size, same modification time."""
    assert len(good) == len(bad)
    before = path.stat()
    text = path.read_bytes()
    assert good in text
    damaged = text.replace(good, bad)
    path.write_bytes(damaged)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    return damaged


def _snapshot(tables: Mapping[str, Mapping[str, Any]]) -> bytes:
    return b"".join(fmt.snapshot_chunks({"generation": "g"}, tables))


def test_a_big_table_loads_raw_and_reads_the_same(every_table_raw: None, tmp_path: Path) -> None:
    docs = {str(i): {"i": i, "text": "baris\nkedua", "list": [i, None]} for i in range(1, 400)}
    small: dict[str, Any] = {}
    _header, tables = fmt.parse_snapshot(
        _snapshot({"big": docs, "small": small}), tmp_path, raw=True
    )
    big = tables["big"]
    assert isinstance(big, RawTable) and not isinstance(tables["small"], RawTable)  # (empty)
    assert big == docs and dict(big.items()) == docs and list(big.values()) == list(docs.values())
    assert big.get("7") == docs["7"] and big.get("0") is None and big.get("0", 5) == 5
    assert "7" in big and "0" not in big and len(big) == 399
    assert big["7"] is not big["7"]  # a fresh copy each time: nothing parsed is kept
    big["7"] = {"new": True}  # written since: kept as the dict it is
    assert big["7"] is big["7"]
    assert big.pop("8") == docs["8"] and "8" not in big
    del big["9"]
    again = fmt.parse_snapshot(_snapshot(tables), tmp_path, raw=True)[1]["big"]
    assert again == {**{k: v for k, v in docs.items() if k not in ("8", "9")}, "7": {"new": True}}


def test_raw_documents_are_written_back_byte_for_byte(
    every_table_raw: None, tmp_path: Path
) -> None:
    docs = {str(i): {"b": "ü", "a": 1.5, "i": i} for i in range(1, 300)}
    text = _snapshot({"big": docs})
    tables = fmt.parse_snapshot(text, tmp_path, raw=True)[1]
    assert isinstance(tables["big"], RawTable)
    assert _snapshot(tables) == text


@pytest.mark.parametrize(
    "line",
    [
        b'"5":[1,2]',  # not a document
        b'"5":{"a":1',  # cut short
        b'"x5":{"a":1}',  # not a doc id
        b'"5" :{"a":1}',  # not how the engine writes
    ],
)
def test_lines_not_written_by_the_engine_are_parsed_as_before(tmp_path: Path, line: bytes) -> None:
    good = {str(i): {"i": i} for i in range(10, 400)}
    text = _snapshot({"big": good}).replace(b'"10":{"i":10}', line)
    try:
        tables = fmt.parse_snapshot(text, tmp_path, raw=True)[1]
    except StoreCorrupt:
        return  # not JSON, or not documents: reported as before
    assert not isinstance(tables["big"], RawTable)


def test_a_damaged_document_is_named_when_read(every_table_raw: None, tmp_path: Path) -> None:
    docs = {str(i): {"i": i} for i in range(1, 400)}
    text = _snapshot({"big": docs}).replace(b'"7":{"i":7}', b'"7":{"i":7\xff}')
    big = fmt.parse_snapshot(text, tmp_path, raw=True)[1]["big"]
    assert isinstance(big, RawTable)
    assert big["6"] == {"i": 6}
    with pytest.raises(StoreCorrupt) as info:
        big.get("7")
    assert "big" in info.value.message() and "7" in info.value.message()
    with pytest.raises(StoreCorrupt):
        list(big.values())


def test_a_store_with_a_damaged_sign_up_does_not_open_and_check_names_it(
    every_table_raw: None, db_path: Path
) -> None:
    from tests.store.test_warm import _store

    with _store(db_path) as store:
        assert store.actor is not None
        store._backend.storage.compact()  # type: ignore[attr-defined]
    damaged = _rot(db_path, b'"name":"Wayan"', b'"name":"Waya\xff"')
    with pytest.raises(StoreCorrupt):
        Store.open(db_path)
    report = check_store(db_path)
    assert not report.ok
    assert any("officers" in f.issue.message() for f in report.errors)
    assert db_path.read_bytes() == damaged  # never rewritten


def test_tinydb_on_raw_tables(every_table_raw: None, db_path: Path) -> None:
    with open_db(db_path, fsync=False) as db:
        db.table("a").insert_multiple([{"i": i, "even": i % 2 == 0} for i in range(50)])
        db.storage.compact()  # into the snapshot
    with open_db(db_path, fsync=False) as db:
        table = db.table("a")
        assert isinstance(db.storage.live_table("a"), RawTable)
        assert len(table) == 50 and table.get(doc_id=3) == {"i": 2, "even": True}
        assert len(table.search(Q.even == True)) == 25  # noqa: E712 - a TinyDB query
        table.update({"seen": 1}, Q.i < 3)
        table.remove(doc_ids=[10])
        assert table.insert({"i": 99}) == 51
        with pytest.raises(KeyError), db.storage.transaction():
            table.update({"i": -1}, doc_ids=[1])
            raise KeyError("roll back")
        assert table.get(doc_id=1) == {"i": 0, "even": True, "seen": 1}
        before = _dump(db)
        db.storage.compact()
    with open_db(db_path, fsync=False) as db:
        assert _dump(db) == before


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(first=st.lists(_OP, max_size=20), then=st.lists(_OP, max_size=20))
def test_random_histories_over_raw_tables_match_memory_storage(
    every_table_raw: None, first: list[tuple[str, str, int]], then: list[tuple[str, str, int]]
) -> None:
    memory = TinyDB(storage=MemoryStorage)
    _run(memory, first + then)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "s.json"
        with open_db(path, fsync=False) as journal:
            _run(journal, first)
            journal.storage.compact()
        with open_db(path, fsync=False, compact_bytes=300, compact_ratio=0) as journal:
            _run(journal, then)  # on raw tables, compacting as it goes
            assert _dump(journal) == _dump(memory)
        with open_db(path, fsync=False) as reopened:
            assert _dump(reopened) == _dump(memory)


def test_the_thresholds_keep_small_tables_parsed(tmp_path: Path) -> None:
    few = {str(i): {"i": i} for i in range(1, 10)}
    many = {str(i): {"i": i, "pad": "x" * 300} for i in range(1, 400)}
    tables = fmt.parse_snapshot(_snapshot({"few": few, "many": many}), tmp_path, raw=True)[1]
    assert type(tables["few"]) is dict and isinstance(tables["many"], RawTable)


def test_a_failed_save_puts_raw_documents_back_raw(
    every_table_raw: None, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno
    import os

    from fieldtui.store.errors import DiskFull

    with open_db(db_path, fsync=False) as db:
        db.table("t").insert_multiple([{"i": i} for i in range(20)])
        db.storage.compact()
    with open_db(db_path) as db:
        table = db.storage.live_table("t")
        assert isinstance(table, RawTable)

        def full(fd: int) -> None:
            raise OSError(errno.ENOSPC, "full")

        with monkeypatch.context() as patch:
            patch.setattr(os, "fsync", full)
            with pytest.raises(DiskFull):
                db.table("t").update({"i": -1})
        assert all(type(table.raw_get(key)) is int for key in table)  # nothing parsed kept
        assert db.table("t").get(doc_id=1) == {"i": 0}


def test_damage_in_a_table_without_indexes_is_found_at_open(
    every_table_raw: None, db_path: Path
) -> None:
    from fieldtui.store.backups import backup_is_good
    from tests.store.test_warm import _store

    with _store(db_path) as store:
        store._backend.insert("conflicts", {"record_id": "X", "note": "siap"})
        store._backend.storage.compact()  # type: ignore[attr-defined]
    folder = db_path.parent / "copy"
    folder.mkdir()
    shutil.copy2(db_path, folder / db_path.name)
    shutil.copy2(db_path.with_name(db_path.name + ".journal"), folder)
    _rot(folder / db_path.name, b'"note":"siap"', b'"note":"sia\xff"')
    assert not backup_is_good(folder, db_path.name)  # a backup like this is not "good"
    _rot(db_path, b'"note":"siap"', b'"note":"sia\xff"')
    with pytest.raises(StoreCorrupt) as info:
        Store.open(db_path)
    assert "conflicts" in info.value.message()
    assert not check_store(db_path).ok


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        # Two documents joined on one line: still TinyDB JSON, nothing may go missing.
        ((b'"1":{"i":1},\n"2":{"i":2}', b'"1":{"i":1},"2":{"i":2}'), {"2": {"i": 2}}),
        # A document spread over lines whose next line looks like a document of its own.
        (
            (b'"5":{"i":5}', b'"5":{"x":{"a":1},\n"77":{"b":2}}'),
            {"5": {"x": {"a": 1}, "77": {"b": 2}}},
        ),
    ],
)
def test_a_hand_edited_snapshot_is_read_in_full(
    every_table_raw: None, db_path: Path, edit: tuple[bytes, bytes], expected: dict[str, Any]
) -> None:
    with open_db(db_path, fsync=False) as db:
        db.table("big").insert_multiple([{"i": i} for i in range(1, 400)])
        db.storage.compact()
    with open_db(db_path, fsync=False) as db:
        assert isinstance(db.storage.live_table("big"), RawTable)  # the engine's own bytes
    text = db_path.read_bytes()
    assert edit[0] in text
    db_path.write_bytes(text.replace(*edit))  # a person edits the file (its size or time moves)
    with open_db(db_path, fsync=False) as db:
        big = db.storage.live_table("big")
        assert not isinstance(big, RawTable)
        assert big is not None and len(big) == 399 and big["77"] == {"i": 77}
        for key, doc in expected.items():
            assert big[key] == doc


def test_a_hand_edit_stays_untrusted_when_the_journal_is_rewritten(
    every_table_raw: None, db_path: Path
) -> None:
    """An edited file opened without its journal: the next save writes a new journal header,
    which must not vouch for the edited bytes (the next open would split them as raw)."""
    with open_db(db_path, fsync=False) as db:
        db.table("big").insert_multiple([{"i": i} for i in range(1, 400)])
        db.storage.compact()
    text = db_path.read_bytes()
    db_path.write_bytes(text.replace(b'"1":{"i":1},\n"2":{"i":2}', b'"1":{"i":1},"2":{"i":2}'))
    db_path.with_name(db_path.name + ".journal").unlink()
    with open_db(db_path, fsync=False) as db:
        db.table("other").insert({"x": 1})  # writes a fresh journal header
    with open_db(db_path, fsync=False) as db:
        big = db.storage.live_table("big")
        assert not isinstance(big, RawTable)
        assert big is not None and len(big) == 399 and big["2"] == {"i": 2}
        db.storage.compact()  # our own bytes again
    with open_db(db_path, fsync=False) as db:
        big = db.storage.live_table("big")
        assert isinstance(big, RawTable) and len(big) == 399 and big["2"] == {"i": 2}
