"""Warm start files: kept only for the exact store state, user, day and language they fit."""

from __future__ import annotations

import stat
from pathlib import Path

from fieldtui.domain.models import Officer, Role
from fieldtui.store.repository import Store
from fieldtui.store.warm import read_warm, warm_file, write_warm
from tests.builders import make_signup

KEY = {"version": "1", "user": "wayan", "day": "2026-11-24", "lang": "id"}
PAYLOAD = {"figures": [1, 2, 3], "user": {"name": "Wayan"}}


def _store(path: Path) -> Store:
    store = Store.open(path)
    store.create_officer(Officer(username="sri", name="Sri", role=Role.SUPERVISOR))
    store.use_actor("sri")
    store.create_officer(Officer(username="wayan", name="Wayan"))
    store.use_actor("wayan")
    return store


def test_kept_and_read_back_while_nothing_changed(db_path: Path) -> None:
    with _store(db_path) as store:
        assert write_warm(db_path, store.files_state(), KEY, PAYLOAD)
    assert read_warm(db_path, KEY) == PAYLOAD
    kept = warm_file(db_path)
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert stat.S_IMODE(kept.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(kept.parent.parent.stat().st_mode) == 0o700  # ~/.cache/fieldtui too
    assert not kept.is_relative_to(db_path.parent)  # not in a (possibly shared) store folder


def test_any_save_makes_it_stale(db_path: Path) -> None:
    with _store(db_path) as store:
        assert write_warm(db_path, store.files_state(), KEY, PAYLOAD)
        assert store.actor is not None
        store.create_signup(make_signup(store.actor.id))
    assert read_warm(db_path, KEY) is None


def test_a_compaction_makes_it_stale(db_path: Path) -> None:
    with _store(db_path) as store:
        assert write_warm(db_path, store.files_state(), KEY, PAYLOAD)
        store._backup_now()  # same data...
        store._backend.storage.compact()  # type: ignore[attr-defined]  # ...in new files
    assert read_warm(db_path, KEY) is None


def test_another_key_finds_nothing(db_path: Path) -> None:
    with _store(db_path) as store:
        assert write_warm(db_path, store.files_state(), KEY, PAYLOAD)
    for field, other in (
        ("user", "kadek"),
        ("day", "2026-11-25"),
        ("lang", "en"),
        ("version", "2"),
    ):
        assert read_warm(db_path, {**KEY, field: other}) is None
    assert read_warm(db_path.with_name("other.fieldtui.json"), KEY) is None


def test_not_kept_when_another_process_saved_meanwhile(db_path: Path) -> None:
    with _store(db_path) as mine, Store.open(db_path, actor_username="wayan") as theirs:
        files = mine.files_state()
        assert theirs.actor is not None
        theirs.create_signup(make_signup(theirs.actor.id))  # after we read, before we keep
        assert not write_warm(db_path, files, KEY, PAYLOAD)
        # Not applied here yet: this process cannot say what state its data is of.
        assert mine.files_state() is None
        mine.refresh()
        assert write_warm(db_path, mine.files_state(), KEY, PAYLOAD)
    assert read_warm(db_path, KEY) == PAYLOAD


def test_a_damaged_or_foreign_file_is_ignored(db_path: Path) -> None:
    with _store(db_path) as store:
        assert write_warm(db_path, store.files_state(), KEY, PAYLOAD)
    kept = warm_file(db_path)
    good = kept.read_bytes()
    for bad in (good[: len(good) // 2], b"[]", good.replace(b"fieldtui-warm/1", b"other/9")):
        kept.write_bytes(bad)
        assert read_warm(db_path, KEY) is None
    kept.write_bytes(b" " * (2 << 20))
    assert read_warm(db_path, KEY) is None


def test_a_memory_store_keeps_nothing(db_path: Path) -> None:
    assert Store.memory().files_state() is None
    assert not write_warm(db_path, None, KEY, PAYLOAD)


def test_a_cache_folder_that_cannot_be_made_is_no_error(db_path: Path) -> None:
    with _store(db_path) as store:
        folder = warm_file(db_path).parent
        folder.parent.mkdir(parents=True, exist_ok=True)
        folder.write_text("not a folder")  # (a mode would not stop root)
        assert not write_warm(db_path, store.files_state(), KEY, PAYLOAD)
    assert read_warm(db_path, KEY) is None


def test_folders_left_open_are_closed(db_path: Path) -> None:
    folder = warm_file(db_path).parent
    folder.mkdir(parents=True, mode=0o755)
    folder.chmod(0o755)
    folder.parent.chmod(0o755)
    with _store(db_path) as store:
        assert write_warm(db_path, store.files_state(), KEY, PAYLOAD)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(folder.parent.stat().st_mode) == 0o700
