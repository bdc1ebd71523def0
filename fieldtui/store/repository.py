"""`Store`: the one API the app uses for its data — typed records in, typed records out.

Open a file store with `Store.open(path, actor_username=...)` or a throwaway one with
`Store.memory()`; the same code runs on both. The store keeps in-memory indexes (ids, NIKs,
names, audit per record) and the progress aggregates up to date from the backend's change
batches — its own saves and, through `refresh()`, other processes' — so nothing is recomputed
from scratch after a save. Callbacks registered with `on_change` run after each such batch, in
the thread that applied it (a UI must hop back to its own thread).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from fieldtui.domain.issues import Issue
from fieldtui.domain.models import Period, RecordKind
from fieldtui.store import backups
from fieldtui.store import indexes as ix
from fieldtui.store.aggregates import Aggregates, FactsReader, ProgressLine
from fieldtui.store.audit import AuditMixin
from fieldtui.store.backend import Backend, Change, EngineBackend, MemoryBackend
from fieldtui.store.errors import StoreCorrupt, StoreReadOnly
from fieldtui.store.gcpause import freeze_long_lived, paused_gc
from fieldtui.store.merge import MergeMixin
from fieldtui.store.meta import MetaMixin, _FollowingBackend
from fieldtui.store.rawtable import read_every_document
from fieldtui.store.records import RecordsMixin
from fieldtui.store.schema import SCHEMA, Schema, prepare
from fieldtui.store.sharing import world_accessible
from fieldtui.store.signups import SignUpsMixin

ChangeCallback = Callable[[frozenset[RecordKind]], None]

_KINDS = {
    ix.OFFICERS: RecordKind.OFFICER,
    ix.BANJARS: RecordKind.BANJAR,
    ix.VISITS: RecordKind.VISIT,
    ix.SIGNUPS: RecordKind.SIGNUP,
    ix.TARGETS: RecordKind.TARGET,
    ix.REVIEWS: RecordKind.REVIEW,
    ix.META: RecordKind.STORE,
}


class Store(SignUpsMixin, RecordsMixin, AuditMixin, MetaMixin, MergeMixin):
    """Officers, banjars, visits, sign-ups, targets, reviews, audit trail and progress."""

    def __init__(self, backend: Backend, *, schema: Schema = SCHEMA) -> None:
        super().__init__(backend)
        self.path: Path | None = backend.path
        self.warnings: list[Issue] = []  # things to tell the user once the app is up
        self._callbacks: list[ChangeCallback] = []
        self.schema_version = prepare(
            backend, schema, path=self.path, before_migrating=self._backup_now
        )
        self._aggregates = Aggregates(backend.tables)
        with self._mutex, paused_gc():
            # One pass over the documents for the indexes and the progress facts: a big table's
            # documents are parsed on every read (see `fieldtui.store.rawtable`).
            reader = FactsReader()
            self._index.rebuild(backend.tables(), also=reader.add)
            self._aggregates.reset(reader)
            # The other tables' documents are read now too: damage anywhere is found at open.
            read_every_document(backend.tables(), skip=ix.INDEXED_TABLES)
            self._index.listeners.append(self._aggregates.on_row)
            backend.add_listener(self._on_changes)
            # Indexes and facts live as long as the store: out of the collector's way before
            # it is on again (its first pass over them took 0.2 s at 100k, holding up the UI).
            freeze_long_lived(sum(map(len, backend.tables().values())))

    # -- opening and closing ---------------------------------------------------------------

    @classmethod
    def open(
        cls,
        path: str | Path,
        *,
        actor_username: str | None = None,
        read_only: bool = False,
        lock_timeout: float = 5.0,
        schema: Schema = SCHEMA,
    ) -> Store:
        """Open (or create) the store at ``path`` and act as ``actor_username`` if known.

        A store that cannot be read raises StoreCorrupt naming the last good backup, and is
        left exactly as it was. Writable opens take a backup at most once a day.
        """
        path = Path(path)
        if not read_only:
            # A first start on a fresh machine: the per-user data folder may not exist yet.
            # 0700: what lives in it is personal data (UU 27/2022).
            try:
                path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreReadOnly(
                    "store.error.io", path=str(path), detail=exc.strerror or str(exc)
                ) from exc
        try:
            backend = EngineBackend(
                path, read_only=read_only, lock_timeout=lock_timeout, create=not read_only
            )
        except StoreCorrupt as exc:
            raise _with_backup(exc, path) from exc
        try:
            # Building the indexes reads every document: a damaged one is found here.
            store = cls(backend, schema=schema)
        except StoreCorrupt as exc:
            backend.close()
            raise _with_backup(exc, path) from exc
        except BaseException:
            backend.close()
            raise
        try:
            if not read_only and backups.backup_due(path):
                store._backup_now()
        except BaseException:
            backend.close()
            raise
        store.warnings += [
            Issue("store.warning.world_readable", {"path": str(p), "mode": _mode(p)})
            for p in world_accessible(path)
        ]
        if actor_username is not None:
            store._actor = store.officer_by_username(actor_username)
        return store

    @classmethod
    def memory(cls, *, actor_username: str | None = None, schema: Schema = SCHEMA) -> Store:
        """A store held in memory only (tests, demos): same behaviour, nothing on disk."""
        store = cls(MemoryBackend(), schema=schema)
        if actor_username is not None:
            store._actor = store.officer_by_username(actor_username)
        return store

    def close(self) -> None:
        """Release the store's files and lock, and let go of what it built."""
        self._backend.close()
        # The backend calls the store back and each search watches its index: reference
        # cycles. A big store's were frozen out of the collector's way (`freeze_long_lived`),
        # so only breaking them frees its memory (a process opening stores one after another).
        self._backend.remove_listener(self._on_changes)
        for index in self._index.tables.values():
            index.watchers.clear()
        self._index.listeners.clear()
        self._name_search = self._nik_search = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _backup_now(self) -> None:
        if self.path is None:
            return
        # Under the lock, so the snapshot and journal copied belong together.
        with self._backend.transaction():
            backups.make_backup(self.path)

    def files_state(self) -> list[int] | None:
        """The state of the store's files that this process's data was read from (see
        `fieldtui.store.warm`); None for a memory store, or while someone's save is not
        applied here yet."""
        backend = self._backend
        if not isinstance(backend, EngineBackend):
            return None
        with self._mutex:
            return backend.storage.state()

    def latest_good_backup(self) -> Path | None:
        """The newest backup of this store that opens, or None."""
        return None if self.path is None else backups.latest_good_backup(self.path)

    # -- progress ------------------------------------------------------------------------

    def progress(
        self,
        parent_code: str | None = None,
        *,
        period: Period | None = None,
        as_of: dt.date | None = None,
        weeks: int = 8,
    ) -> list[ProgressLine]:
        """Progress of the regions one level below ``parent_code`` (None: the branches).

        Kept up to date as records change; the first call for a new period builds its figures.
        """
        with self._mutex:
            return self._aggregates.lines(parent_code, period=period, as_of=as_of, weeks=weeks)

    def progress_ready(self, period: Period | None = None) -> bool:
        """True when `progress` for ``period`` is a quick read (its figures are built and kept
        current), False when the first call will build them (at 100k, most of a second)."""
        with self._mutex:
            return self._aggregates.ready(period)

    def progress_of(
        self, code: str, *, period: Period | None = None, as_of: dt.date | None = None
    ) -> ProgressLine:
        """Progress of one region or banjar."""
        with self._mutex:
            return self._aggregates.line(code, period=period, as_of=as_of)

    # -- other processes -------------------------------------------------------------------

    def refresh(self) -> bool:
        """Apply other processes' saves (cheap when there are none); True if anything changed."""
        with self._mutex:
            return bool(self._backend.refresh())

    def on_change(self, callback: ChangeCallback) -> None:
        """Call ``callback(kinds)`` after every applied batch of changes (own or foreign)."""
        self._callbacks.append(callback)

    def _on_changes(self, changes: list[Change]) -> None:
        with self._mutex:
            backend = self._backend
            reader = FactsReader()  # fed only if everything is read again ("*")
            if isinstance(backend, _FollowingBackend):  # a batch's commit: mostly seen already
                touched = {c.table for c in changes}
                touched |= self._index.apply(
                    backend.unfollowed(changes), backend.tables, also=reader.add
                )
            else:
                touched = self._index.apply(changes, backend.tables, also=reader.add)
            if "*" in touched:
                self._aggregates.reset(reader)
        if "*" in touched:
            kinds = frozenset(RecordKind)
        else:
            kinds = frozenset(_KINDS[name] for name in touched if name in _KINDS)
        if self._actor is not None and ("*" in touched or ix.OFFICERS in touched):
            self._refresh_actor()
        for callback in list(self._callbacks):
            callback(kinds)

    def _refresh_actor(self) -> None:
        # A supervisor may have changed this user (role, active) from another process.
        if self._actor is not None and self._actor.id in self._index.table(ix.OFFICERS).by_id:
            self._actor = self.get_officer(self._actor.id)


def _with_backup(exc: StoreCorrupt, path: Path) -> StoreCorrupt:
    """``exc`` naming the last good backup, when there is one."""
    good = exc.backup or backups.latest_good_backup(path)
    if good is None:
        return exc
    fields = {k: v for k, v in exc.fields.items() if k != "backup"}
    return StoreCorrupt(backup=good, **fields)


def _mode(path: Path) -> str:
    return f"0{path.stat().st_mode & 0o777:o}"
