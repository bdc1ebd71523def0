"""Bad conditions: full disk, read-only file system, a held lock, damage, newer formats, modes."""

from __future__ import annotations

import errno
import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import orjson
import pytest

from fieldtui.i18n import set_language
from fieldtui.store import journal as fmt
from fieldtui.store.engine import open_db
from fieldtui.store.errors import (
    DiskFull,
    StoreCorrupt,
    StoreLocked,
    StoreReadOnly,
    StoreTooNew,
)


def _journal(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".journal")


def _failing(err: int, real: Any) -> Any:
    def fail(fd: int, *args: Any) -> Any:
        raise OSError(err, os.strerror(err))

    return fail


@pytest.mark.parametrize("call", ["write", "fsync"])
def test_disk_full_loses_nothing_and_rolls_back(
    db_path: Path, monkeypatch: pytest.MonkeyPatch, call: str
) -> None:
    db = open_db(db_path)
    db.insert({"n": 1})
    journal_before = _journal(db_path).read_bytes()
    with monkeypatch.context() as patch:
        patch.setattr(os, call, _failing(errno.ENOSPC, getattr(os, call)))
        with pytest.raises(DiskFull) as caught:
            db.insert({"n": 2})
        with pytest.raises(DiskFull):
            db.update({"n": 10}, doc_ids=[1])
    assert "Disk penuh" in caught.value.message()
    set_language("en")
    assert "disk is full" in caught.value.message()
    assert db.all() == [{"n": 1}]  # memory rolled back
    assert _journal(db_path).read_bytes() == journal_before
    assert open_db(db_path).all() == [{"n": 1}]
    assert db.insert({"n": 3}) == 2  # and the app carries on once there is space
    assert open_db(db_path).all() == [{"n": 1}, {"n": 3}]


def test_disk_full_during_compaction_keeps_the_acknowledged_save(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = open_db(db_path, compact_bytes=200, compact_ratio=0)
    db.insert({"n": 0})
    real_replace = os.replace

    def replace(src: Any, dst: Any) -> None:
        if str(dst) == str(db_path):
            raise OSError(errno.ENOSPC, "No space left on device")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    generation = db.storage.generation
    for n in range(1, 6):
        db.insert({"n": n, "pad": "x" * 100})  # each would compact; each compaction fails
    monkeypatch.undo()
    assert db.storage.generation == generation
    assert not [p for p in db_path.parent.iterdir() if ".tmp-" in p.name]
    assert [d["n"] for d in open_db(db_path).all()] == list(range(6))


@pytest.mark.parametrize("err", [errno.EROFS, errno.EACCES])
def test_read_only_file_system(db_path: Path, monkeypatch: pytest.MonkeyPatch, err: int) -> None:
    db = open_db(db_path)
    db.insert({"n": 1})
    db.close()
    (db_path.parent / (db_path.name + ".lock")).unlink()
    real_open = os.open

    def ro_open(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
            raise OSError(err, os.strerror(err))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", ro_open)
    db = open_db(db_path)  # reading works
    with pytest.raises(StoreReadOnly):
        db.insert({"n": 2})
    assert db.all() == [{"n": 1}]
    with pytest.raises(StoreReadOnly):
        open_db(db_path.with_name("new.json"))  # cannot create a store there either


def test_lock_held_by_another_process(db_path: Path) -> None:
    db = open_db(db_path, lock_timeout=0.3)
    db.insert({"n": 1})
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl, sys, time\n"
            "f = open(sys.argv[1], 'a')\n"
            "fcntl.flock(f, fcntl.LOCK_EX)\n"
            "print('held', flush=True)\n"
            "time.sleep(60)\n",
            str(db_path) + ".lock",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(StoreLocked) as caught:
            db.insert({"n": 2})
        assert "0.3" in caught.value.message()
        assert db.all() == [{"n": 1}]
        assert open_db(db_path, read_only=True).all() == [{"n": 1}]  # readers are not blocked
    finally:
        holder.kill()
        holder.wait()
    assert db.insert({"n": 3}) == 2


def test_corrupt_snapshot_is_reported_and_never_overwritten(db_path: Path) -> None:
    db_path.write_bytes(b'{"t": {"1": {"a": 1}')
    before = db_path.read_bytes()
    with pytest.raises(StoreCorrupt) as caught:
        open_db(db_path)
    assert caught.value.key == "store.error.corrupt"
    assert str(db_path) in caught.value.message()
    assert db_path.read_bytes() == before
    assert not _journal(db_path).exists()


def test_damaged_journal_line_before_good_ones_is_not_repaired(db_path: Path) -> None:
    db = open_db(db_path)
    db.insert({"n": 0})
    writer = open_db(db_path)  # has read up to here
    for n in range(1, 3):
        db.insert({"n": n})
    journal = _journal(db_path)
    lines = journal.read_bytes().splitlines(keepends=True)
    lines[2] = lines[2].replace(b'"n":1', b'"n":7')  # checksum no longer matches
    journal.write_bytes(b"".join(lines))
    before = journal.read_bytes()
    with pytest.raises(StoreCorrupt):
        open_db(db_path)
    with pytest.raises(StoreCorrupt):
        writer.insert({"n": 3})  # not mistaken for a torn tail and cut off
    with pytest.raises(StoreCorrupt):
        writer.storage.refresh()
    assert journal.read_bytes() == before
    assert writer.all() == [{"n": 0}]


def test_journal_without_snapshot_is_corrupt(db_path: Path) -> None:
    _journal(db_path).write_bytes(fmt.encode_line({"h": fmt.FORMAT, "g": "x", "b": 0}))
    with pytest.raises(StoreCorrupt):
        open_db(db_path)
    assert not db_path.exists()


def test_newer_format_is_refused(db_path: Path) -> None:
    db = open_db(db_path)
    db.insert({"n": 1})
    db.close()
    data = orjson.loads(db_path.read_bytes())
    data["_engine"]["1"]["format"] = "fieldtui-journal/2"
    db_path.write_bytes(orjson.dumps(data))
    with pytest.raises(StoreTooNew) as caught:
        open_db(db_path)
    assert "fieldtui-journal/2" in caught.value.message()


def test_files_are_private_whatever_the_umask(db_path: Path) -> None:
    old = os.umask(0)
    try:
        db = open_db(db_path, compact_bytes=1, compact_ratio=0)
        db.insert({"n": 1})  # compacts: new snapshot and journal
    finally:
        os.umask(old)
    for path in db_path.parent.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    assert db.storage.privacy_warning() is None
    assert not db.storage.world_readable
    db_path.chmod(0o644)
    warning = db.storage.privacy_warning()
    assert warning is not None
    assert "0644" in warning.message()
    assert db.storage.world_readable


def test_files_in_a_shared_folder_are_group_readable(tmp_path: Path) -> None:
    folder = tmp_path / "shared"
    folder.mkdir()
    folder.chmod(0o2770)
    db_path = folder / "s.json"
    db = open_db(db_path, compact_bytes=1, compact_ratio=0)
    db.insert({"n": 1})
    for path in folder.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o660, path
    assert db.storage.privacy_warning() is None
