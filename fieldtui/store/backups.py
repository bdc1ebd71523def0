"""Rolling backups of a store: a copy of its files once a day and before migrations.

A backup of PATH is a folder ``PATH.backups/<YYYYmmddTHHMMSS>/`` holding copies of the snapshot
and journal under their own names, so a backup is itself a store that opens read-only and can
be put back by copying its files. A backup is assembled in a hidden temporary folder and renamed
into place, so a listed backup is always complete; the newest `KEEP` are kept.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

from fieldtui.domain import clock
from fieldtui.store.journal import fsync_dir
from fieldtui.store.sharing import file_mode_for, is_shared_directory

KEEP = 7
_STAMP = "%Y%m%dT%H%M%S"


def backups_dir(path: Path) -> Path:
    """Where the backups of the store at ``path`` go."""
    return path.with_name(path.name + ".backups")


def list_backups(path: Path) -> list[Path]:
    """The backup folders of a store, newest first."""
    folder = backups_dir(path)
    if not folder.is_dir():
        return []
    found = [p for p in folder.iterdir() if p.is_dir() and _stamp_of(p) is not None]
    return sorted(found, key=lambda p: p.name, reverse=True)


def _stamp_of(folder: Path) -> dt.datetime | None:
    try:
        return dt.datetime.strptime(folder.name[:15], _STAMP)
    except ValueError:
        return None


def backup_due(path: Path, today: dt.date | None = None) -> bool:
    """True when the store has no backup made today (WITA)."""
    newest = list_backups(path)
    if not newest:
        return True
    stamp = _stamp_of(newest[0])
    return stamp is None or stamp.date() != (today or clock.today())


def _copy(source: Path, target: Path, mode: int) -> None:
    # Create with the final mode from the start: the copy is never readable by others.
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    with os.fdopen(fd, "wb") as out, source.open("rb") as src:
        shutil.copyfileobj(src, out, 1 << 20)
        out.flush()
        os.fsync(out.fileno())
    os.chmod(target, mode)  # the umask may have taken bits away; never adds world bits


def make_backup(path: Path, *, now: dt.datetime | None = None, keep: int = KEEP) -> Path:
    """Copy the store's snapshot and journal into a new backup folder; prune old ones.

    The caller holds the store's lock, so the copied files belong together.
    """
    folder = backups_dir(path)
    shared = is_shared_directory(path.parent)
    folder.mkdir(mode=0o2770 if shared else 0o700, exist_ok=True)
    mode = file_mode_for(path.parent)
    stamp = (now or clock.now()).strftime(_STAMP)
    temp = folder / f".tmp-{stamp}-{os.getpid()}"
    shutil.rmtree(temp, ignore_errors=True)
    temp.mkdir(mode=0o700)
    for source in (path, path.with_name(path.name + ".journal")):
        if source.exists():
            _copy(source, temp / source.name, mode)
    final, n = folder / stamp, 1
    while final.exists():
        final, n = folder / f"{stamp}-{n}", n + 1
    os.rename(temp, final)
    if shared:
        os.chmod(final, 0o2770)
    fsync_dir(folder)
    for old in list_backups(path)[keep:]:
        shutil.rmtree(old, ignore_errors=True)
    return final


def backup_is_good(folder: Path, store_name: str) -> bool:
    """True when the backup's store opens and every document in it reads (read-only, nothing
    written)."""
    snapshot = folder / store_name
    if not snapshot.exists():
        return False
    try:
        from fieldtui.store.backend import EngineBackend
        from fieldtui.store.errors import StoreError
        from fieldtui.store.rawtable import read_every_document

        backend = EngineBackend(snapshot, read_only=True, create=False)
    except (StoreError, OSError, ValueError):
        return False
    try:
        read_every_document(backend.tables())
    except StoreError:
        return False
    finally:
        backend.close()
    return True


def latest_good_backup(path: Path) -> Path | None:
    """The newest backup folder of the store at ``path`` that opens, or None."""
    for folder in list_backups(path):
        if backup_is_good(folder, path.name):
            return folder
    return None
