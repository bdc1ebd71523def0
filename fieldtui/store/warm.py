"""Warm start: what the app showed when it last closed, so the next start draws it at once.

Reading a store of 100k sign-ups and indexing it takes seconds; the officer's dashboard needs
a few dozen figures. When the app closes it writes those figures here (`write_warm`), tagged
with the exact state of the store's files it read them from (`files.file_state`: device,
inode, size and mtime of the snapshot and of the journal). The next start draws them at once
and reads the store behind them (`read_warm`); the real figures then replace them.

A warm file is used only while nothing could have changed what it shows:
- the store's files are exactly as they were (any save, by any process, or a compaction makes
  it stale: the snapshot is only ever replaced and the journal only appended to);
- the same ``key``: the caller puts in it the fieldtui version, the user, the day (figures are
  as of a day), the language and anything else the figures depend on.
Otherwise it is simply not used; so is a file that is missing, unreadable, corrupt or of
another format. Nothing is lost either way: the store itself is always read.

It lives in the per-user cache folder (not beside the store: a shared store's folder is read
by other users), named by a hash of the store's path, created 0600 in 0700 folders. It holds no
participant's data: region figures, the store's path, and the signed-in user's id, login, name
and role (never a NIK, a phone or a PIN hash).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import orjson

from fieldtui.store import journal as fmt
from fieldtui.store.files import file_state

FORMAT = "fieldtui-warm/1"
MAX_BYTES = 1 << 20  # a warm file is a few kilobytes; anything bigger is not ours


def warm_folder() -> Path:
    """``<user cache folder>/fieldtui/warm`` (platformdirs; honours XDG_CACHE_HOME)."""
    from platformdirs import user_cache_path

    return user_cache_path("fieldtui", appauthor=False) / "warm"


def warm_file(store_path: Path) -> Path:
    """The warm file of the store at ``store_path``."""
    digest = hashlib.sha256(str(store_path.resolve()).encode()).hexdigest()[:24]
    return warm_folder() / f"{digest}.json"


def read_warm(store_path: Path, key: Mapping[str, str]) -> Any | None:
    """The payload written for ``key`` when the store's files were exactly as they are now,
    else None (never raises for a bad or stale file)."""
    state = file_state(store_path)
    if state is None:
        return None
    try:
        with open(warm_file(store_path), "rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
        data = orjson.loads(raw) if len(raw) <= MAX_BYTES else None
    except (OSError, orjson.JSONDecodeError):
        return None
    if (
        not isinstance(data, dict)
        or data.get("format") != FORMAT
        or data.get("store") != str(store_path.resolve())
        or data.get("files") != state
        or data.get("key") != dict(key)
    ):
        return None
    return data.get("payload")


def write_warm(
    store_path: Path, files: list[int] | None, key: Mapping[str, str], payload: Any
) -> bool:
    """Keep ``payload`` for the next start; ``files`` is the state of the store's files the
    payload was read from (`Store.files_state`). False when it could not be kept (nothing
    else happens: a warm file is only ever a shortcut)."""
    if files is None or file_state(store_path) != files:
        return False  # another process saved since: what we would keep is already old
    body = fmt.dumps(
        {
            "format": FORMAT,
            "store": str(store_path.resolve()),
            "files": files,
            "key": dict(key),
            "payload": payload,
        }
    )
    target = warm_file(store_path)
    try:
        for folder in (target.parent.parent, target.parent):  # .../fieldtui, .../fieldtui/warm
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            if folder.stat().st_mode & 0o077:
                folder.chmod(0o700)
        fmt.replace_atomically(target, iter([body]), 0o600, sync=False)
    except (OSError, TypeError):
        return False
    return True
