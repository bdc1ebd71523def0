"""The store's schema version (in the "_meta" table) and the migrations between versions.

A migration is a function taking the backend that turns a version-v store into a version-v+1
store, run inside one transaction together with the version bump. A store written by a newer
fieldtui is refused (StoreTooNew) rather than misread; a read-only open never migrates.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from fieldtui import __version__
from fieldtui.domain import clock
from fieldtui.store import indexes as ix
from fieldtui.store.backend import Backend
from fieldtui.store.errors import StoreReadOnly, StoreTooNew

Migration = Callable[[Backend], None]

DATA_TABLES = (*ix.RECORD_TABLES, ix.REVIEWS, ix.AUDIT)


def _v0_to_v1(backend: Backend) -> None:
    """Version 0 is a store from before versions were recorded: its documents already fit."""
    del backend


@dataclass(frozen=True)
class Schema:
    """The version this code writes, and how to get there from each older one."""

    version: int
    migrations: Mapping[int, Migration] = field(default_factory=dict)  # v -> v+1


SCHEMA = Schema(version=1, migrations={0: _v0_to_v1})


def stored_version(backend: Backend) -> int | None:
    """The schema version recorded in the store; 0 for data without one; None when empty."""
    tables = backend.tables()
    for doc in tables.get(ix.META, {}).values():
        version = doc.get("schema_version")
        if isinstance(version, int):
            return version
    if any(tables.get(name) for name in DATA_TABLES):
        return 0
    return None


def _stamp(backend: Backend, version: int) -> None:
    meta = backend.tables().get(ix.META, {})
    doc = {"schema_version": version, "written_by": __version__, "at": clock.now().isoformat()}
    # The version document, wherever it is: _meta holds other documents too (the demo marker).
    found = next((key for key, old in meta.items() if "schema_version" in old), None)
    if found is not None:
        backend.replace(ix.META, int(found), doc)
    else:
        backend.insert(ix.META, doc)


def prepare(
    backend: Backend,
    schema: Schema,
    *,
    path: Path | None,
    before_migrating: Callable[[], None] = lambda: None,
) -> int:
    """Make the store's schema current (or refuse it); returns the version it is now at."""
    shown = str(path) if path is not None else ":memory:"
    version = stored_version(backend)
    if version is not None and version > schema.version:
        raise StoreTooNew(path=shown, found=version, known=schema.version)
    if version == schema.version:
        return version
    if backend.read_only:
        if version is None:
            return schema.version  # an empty store: nothing to read, nothing to migrate
        raise StoreReadOnly(
            "repository.error.needs_migration", path=shown, found=version, known=schema.version
        )
    if version is not None:
        before_migrating()  # a backup, taken before anything is rewritten
    with backend.transaction():
        # Under the lock and caught up: another process may have done the work meanwhile.
        current = stored_version(backend)
        if current is None:
            _stamp(backend, schema.version)
            return schema.version
        if current > schema.version:
            raise StoreTooNew(path=shown, found=current, known=schema.version)
        for step in range(current, schema.version):
            migrate = schema.migrations.get(step)
            if migrate is None:
                raise RuntimeError(f"no migration from schema version {step}")
            migrate(backend)
        _stamp(backend, schema.version)
    return schema.version
