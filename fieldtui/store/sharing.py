"""Sharing a store with a group (supervisors over SSH): a deliberate, reported step.

By default every store file is 0600: only its owner reads it. `share_store` makes the store's
folder setgid and group read/write (02770), so files created in it later belong to the group,
and makes the store's existing files group read/write (0660). Nothing is ever made readable by
other users. The engine keeps new files at 0660 in such a folder (`file_mode_for`).
"""

from __future__ import annotations

import grp
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

SHARED_DIR_MODE = 0o2770
SHARED_FILE_MODE = 0o660
PRIVATE_FILE_MODE = 0o600


class ShareError(Exception):
    """Sharing failed: carries an i18n key and fields."""

    def __init__(self, key: str, **fields: object) -> None:
        super().__init__(key)
        self.key, self.fields = key, fields


@dataclass
class ShareReport:
    """What `share_store` changed, for the user to read."""

    group: str
    directory: Path
    changed: list[tuple[Path, str]] = field(default_factory=list)  # (path, new mode as 0oNNNN)


def is_shared_directory(directory: Path) -> bool:
    """True when the folder is setgid and group-writable (a store shared with a group)."""
    try:
        mode = directory.stat().st_mode
    except OSError:
        return False
    return bool(mode & stat.S_ISGID) and bool(mode & stat.S_IWGRP)


def file_mode_for(directory: Path) -> int:
    """The mode for a new store file in ``directory``: 0660 if shared with a group, else 0600."""
    return SHARED_FILE_MODE if is_shared_directory(directory) else PRIVATE_FILE_MODE


def store_files(db_path: Path) -> list[Path]:
    """The store file and its companions (journal, lock, backups folder and its files)."""
    directory = db_path.parent
    if not directory.exists():
        return []
    found = sorted(p for p in directory.iterdir() if p.name.startswith(db_path.name))
    for path in list(found):
        if path.is_dir():
            found.extend(sorted(path.rglob("*")))
    return found


def share_store(db_path: Path, group: str) -> ShareReport:
    """Give ``group`` read/write access to the store at ``db_path``; never to other users."""
    try:
        gid = grp.getgrnam(group).gr_gid
    except KeyError:
        raise ShareError("share.error.no_group", group=group) from None
    directory = db_path.parent
    if not db_path.exists():
        raise ShareError("share.error.no_store", path=str(db_path))
    report = ShareReport(group=group, directory=directory)
    try:
        for path in [directory, *store_files(db_path)]:
            mode = SHARED_DIR_MODE if path.is_dir() else SHARED_FILE_MODE
            os.chown(path, -1, gid)
            os.chmod(path, mode)
            report.changed.append((path, f"0{mode:o}"))
    except PermissionError as exc:
        raise ShareError("share.error.permission", path=str(exc.filename)) from None
    return report


def world_accessible(db_path: Path) -> list[Path]:
    """Store files that other users (not owner, not group) can read or write."""
    return [
        path
        for path in store_files(db_path)
        if path.exists() and path.stat().st_mode & (stat.S_IROTH | stat.S_IWOTH)
    ]
