"""Rolling backups, and a corrupt store that is named, left alone, and pointed at its backup."""

from __future__ import annotations

import datetime as dt
import stat
from pathlib import Path

import pytest

from fieldtui.domain import clock
from fieldtui.domain.clock import WITA
from fieldtui.domain.models import Officer
from fieldtui.store import backups
from fieldtui.store.backups import backup_due, latest_good_backup, list_backups, make_backup
from fieldtui.store.errors import StoreCorrupt
from fieldtui.store.repository import Store


def _store_with_user(db_path: Path) -> None:
    with Store.open(db_path) as store:
        store.create_officer(Officer(username="wayan", name="I Wayan"))


def test_open_backs_up_once_a_day(db_path: Path) -> None:
    _store_with_user(db_path)
    (first,) = list_backups(db_path)
    assert sorted(p.name for p in first.iterdir()) == [db_path.name, db_path.name + ".journal"]
    for file in first.iterdir():
        assert stat.S_IMODE(file.stat().st_mode) == 0o600
    assert stat.S_IMODE(first.parent.stat().st_mode) & 0o077 == 0
    Store.open(db_path).close()
    assert len(list_backups(db_path)) == 1
    assert not backup_due(db_path)
    assert backup_due(db_path, today=clock.today() + dt.timedelta(days=1))


def test_read_only_open_takes_no_backup(db_path: Path) -> None:
    Store.open(db_path).close()
    for folder in list_backups(db_path):
        for file in folder.iterdir():
            file.unlink()
        folder.rmdir()
    Store.open(db_path, read_only=True).close()
    assert list_backups(db_path) == []


def test_keeps_the_last_seven(db_path: Path) -> None:
    _store_with_user(db_path)
    start = dt.datetime(2026, 11, 1, 8, 0, tzinfo=WITA)
    for day in range(10):
        make_backup(db_path, now=start + dt.timedelta(days=day))
    kept = list_backups(db_path)
    assert len(kept) == backups.KEEP == 7
    assert kept[0].name > kept[-1].name  # newest first
    assert not any(p.name.startswith(".tmp") for p in kept[0].parent.iterdir())


def test_latest_good_backup_skips_damaged_ones(db_path: Path) -> None:
    _store_with_user(db_path)
    older = list_backups(db_path)[0]
    newer = make_backup(db_path, now=dt.datetime(2099, 1, 1, tzinfo=WITA))
    assert latest_good_backup(db_path) == newer
    (newer / db_path.name).write_text("{ not json", encoding="utf-8")
    assert latest_good_backup(db_path) == older


def test_corrupt_store_names_its_last_good_backup(db_path: Path) -> None:
    _store_with_user(db_path)  # its open-time backup holds the empty store
    with Store.open(db_path) as store:
        store._backup_now()  # a backup that holds the user
    good = list_backups(db_path)[0]
    db_path.write_bytes(b'{"officers": {"1": {"id": ')  # cut off mid-document
    damaged = db_path.read_bytes()
    with pytest.raises(StoreCorrupt) as info:
        Store.open(db_path)
    assert info.value.backup == good
    assert str(good) in info.value.message()
    assert db_path.read_bytes() == damaged  # never overwritten
    assert list_backups(db_path)[0] == good  # no backup of the damage pushed it out
    # the backup itself is a store that opens
    with Store.open(good / db_path.name, read_only=True) as restored:
        assert restored.officer_by_username("wayan") is not None


def test_corrupt_store_without_backups(db_path: Path) -> None:
    db_path.write_bytes(b"\x00\x01garbage")
    with pytest.raises(StoreCorrupt) as info:
        Store.open(db_path)
    assert info.value.backup is None
    assert db_path.read_bytes() == b"\x00\x01garbage"
