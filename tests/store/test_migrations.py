"""Schema versions and migrations: new stores are stamped, old ones migrated, newer refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from fieldtui.store import indexes as ix
from fieldtui.store.backend import Backend, EngineBackend, MemoryBackend
from fieldtui.store.backups import list_backups
from fieldtui.store.errors import StoreReadOnly, StoreTooNew
from fieldtui.store.repository import Store
from fieldtui.store.schema import SCHEMA, Schema, stored_version

OLD_OFFICER = {"id": "01HZZZZZZZZZZZZZZZZZZZZZZZ", "username": "wayan", "name": "I Wayan"}


def _add_officer_v0(backend: Backend) -> None:
    """The fake v0 -> v1 migration: v0 officers had no timestamps."""
    for key, doc in list(backend.tables().get(ix.OFFICERS, {}).items()):
        if "created_at" not in doc:
            at = "2016-07-01T09:00:00+08:00"
            backend.replace(ix.OFFICERS, int(key), {**doc, "created_at": at, "updated_at": at})


def _seed_v0(backend: Backend) -> None:
    with backend.transaction():
        backend.insert(ix.OFFICERS, dict(OLD_OFFICER))


def test_new_store_is_stamped(make_store: object) -> None:
    store: Store = make_store()  # type: ignore[operator]
    assert store.schema_version == SCHEMA.version == 1
    assert stored_version(store._backend) == 1


def test_fake_v0_store_is_migrated_on_memory() -> None:
    backend = MemoryBackend()
    _seed_v0(backend)
    assert stored_version(backend) == 0
    store = Store(backend, schema=Schema(version=1, migrations={0: _add_officer_v0}))
    assert store.schema_version == 1
    officer = store.officer_by_username("wayan")
    assert officer is not None and officer.created_at.year == 2016


def test_fake_v0_file_store_is_backed_up_then_migrated(db_path: Path) -> None:
    backend = EngineBackend(db_path)
    _seed_v0(backend)
    backend.close()
    calls: list[int] = []

    def migrate(b: Backend) -> None:
        calls.append(len(list_backups(db_path)))  # the backup exists before anything changes
        _add_officer_v0(b)

    with Store.open(db_path, schema=Schema(version=1, migrations={0: migrate})) as store:
        assert calls == [1]
        assert store.officer_by_username("wayan") is not None
    with Store.open(db_path, schema=Schema(version=1, migrations={0: migrate})) as again:
        assert again.schema_version == 1
    assert calls == [1]  # migrated once only
    assert len(list_backups(db_path)) == 1  # the day's backup was the pre-migration one


def test_migrations_run_in_order(db_path: Path) -> None:
    backend = EngineBackend(db_path)
    _seed_v0(backend)
    backend.close()
    order: list[int] = []
    schema = Schema(
        version=3,
        migrations={
            0: lambda b: order.append(0),
            1: lambda b: order.append(1),
            2: lambda b: order.append(2),
        },
    )
    with Store.open(db_path, schema=schema) as store:
        assert store.schema_version == 3
    assert order == [0, 1, 2]


def test_store_from_a_newer_version_is_refused(db_path: Path) -> None:
    Store.open(db_path).close()
    with pytest.raises(StoreTooNew) as info:
        Store.open(db_path, schema=Schema(version=0))
    assert info.value.fields["found"] == 1 and info.value.fields["known"] == 0
    assert str(db_path) in info.value.message()
    with Store.open(db_path) as store:  # and the store is untouched by the refusal
        assert store.schema_version == 1


def test_read_only_never_migrates(db_path: Path) -> None:
    backend = EngineBackend(db_path)
    _seed_v0(backend)
    backend.close()
    before = db_path.read_bytes()
    with pytest.raises(StoreReadOnly) as info:
        Store.open(db_path, read_only=True)
    assert info.value.key == "repository.error.needs_migration"
    assert db_path.read_bytes() == before
    assert list_backups(db_path) == []
