"""Facts about a store as a whole (is it a demo store? is it empty?) and `batch()` bulk writes.

The demo marker is its own document in the "_meta" table, next to the schema version, so that
the app can tell demo data from real data before showing anything.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from fieldtui.domain import clock
from fieldtui.store import indexes as ix
from fieldtui.store.backend import Backend, Change, Doc
from fieldtui.store.base import StoreBase
from fieldtui.store.errors import StoreReadOnly
from fieldtui.store.indexes import Indexes
from fieldtui.store.schema import DATA_TABLES

DEMO_KEY = "demo"
_RELOAD = Change("*", 0, None)


class MetaMixin(StoreBase):
    """The demo marker, emptiness, and writing many records as one transaction."""

    # -- the demo marker -------------------------------------------------------------------

    @property
    def is_demo(self) -> bool:
        """True when the store holds demo data (`mark_demo` was called on it)."""
        return self.demo_info is not None

    @property
    def demo_info(self) -> Mapping[str, Any] | None:
        """What `mark_demo` recorded (at least ``created_at``), or None for a real store."""
        with self._mutex:
            for doc in self._backend.tables().get(ix.META, {}).values():
                info = doc.get(DEMO_KEY)
                if isinstance(info, dict):
                    return dict(info)
        return None

    def mark_demo(self, **details: str | int) -> None:
        """Mark the store as holding demo data (once; details such as the seed are kept)."""
        if self._backend.read_only:
            raise StoreReadOnly("store.error.read_only_mode")
        with self._mutex, self._backend.transaction():
            if self.is_demo:
                return
            info: dict[str, Any] = {"created_at": clock.now().isoformat(), **details}
            self._backend.insert(ix.META, {DEMO_KEY: info})

    @property
    def is_empty(self) -> bool:
        """True when the store holds no records at all (a new store, or a build that failed)."""
        with self._mutex:
            tables = self._backend.tables()
            return not any(tables.get(name) for name in DATA_TABLES)

    # -- bulk writes -----------------------------------------------------------------------

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Make every write inside one transaction: one lock, one fsync, all or nothing.

        Creating records one by one costs an fsync each; thousands at once (the demo store, an
        import) belong in a batch. The store's indexes follow each write at once rather than at
        the commit, so the checks of later writes see the batch's own records (an officer or a
        banjar created earlier in it, a NIK already used). If anything inside raises, nothing is
        saved and the indexes and progress figures are rebuilt from what is stored. Nested
        batches join the outer one.
        """
        with self._mutex:
            if isinstance(self._backend, _FollowingBackend):
                yield
                return
            inner = self._backend
            self._backend = _FollowingBackend(inner, self._index)
            collecting = gc.isenabled()
            # Thousands of new containers that all live on: the repeated full collections would
            # cost more than the work itself (a third of the demo build).
            gc.disable()
            try:
                with inner.transaction():
                    yield
            except BaseException:
                self._backend = inner
                self._on_changes([_RELOAD])  # forget what the indexes saw of the rolled-back writes
                raise
            finally:
                self._backend = inner
                if collecting:
                    gc.enable()

    def _on_changes(self, changes: list[Change]) -> None:
        """Bring the derived state up to date with applied changes (`Store` does more)."""
        with self._mutex:
            self._index.apply(changes, self._backend.tables)


class _FollowingBackend:
    """A backend that hands each write to the store's indexes as soon as it is made.

    At the commit the backend reports the same changes again; `unfollowed` leaves out those the
    indexes have already seen (applying them twice would give the same state, at twice the cost).
    """

    def __init__(self, inner: Backend, index: Indexes) -> None:
        self.inner = inner
        self.index = index
        self.path: Path | None = inner.path
        self.read_only = inner.read_only
        self.followed: dict[tuple[str, int], Doc | None] = {}  # the last document indexed

    def _follow(self, table: str, doc_id: int) -> None:
        doc = self.inner.get(table, doc_id)
        self.followed[table, doc_id] = doc
        self.index.apply([Change(table=table, doc_id=doc_id, doc=doc)], self.inner.tables)

    def unfollowed(self, changes: list[Change]) -> list[Change]:
        """The committed changes the indexes have not seen yet: those of a document whose last
        change is not the very document object indexed when it was written."""
        last: dict[tuple[str, int], Doc | None] = {}
        for change in changes:
            last[change.table, change.doc_id] = change.doc
        seen = {
            key
            for key, doc in last.items()
            if doc is not None and key in self.followed and self.followed[key] is doc
        }
        return [c for c in changes if (c.table, c.doc_id) not in seen]

    def tables(self) -> Mapping[str, Mapping[str, Doc]]:
        """All tables of the wrapped backend."""
        return self.inner.tables()

    def get(self, table: str, doc_id: int) -> Doc | None:
        """One raw document of the wrapped backend."""
        return self.inner.get(table, doc_id)

    def insert(self, table: str, doc: Doc, *, owned: bool = False) -> int:
        """Insert, then index the new document."""
        doc_id = self.inner.insert(table, doc, owned=owned)
        self._follow(table, doc_id)
        return doc_id

    def replace(self, table: str, doc_id: int, doc: Doc) -> None:
        """Replace, then re-index the document."""
        self.inner.replace(table, doc_id, doc)
        self._follow(table, doc_id)

    def transaction(self) -> Any:
        """The wrapped backend's (re-entrant) transaction."""
        return self.inner.transaction()

    def refresh(self) -> list[Change]:
        """Inside the batch's transaction nobody else can have written."""
        return self.inner.refresh()

    def add_listener(self, callback: Any) -> None:
        """Listeners belong to the wrapped backend."""
        self.inner.add_listener(callback)

    def remove_listener(self, callback: Any) -> None:
        """Listeners belong to the wrapped backend."""
        self.inner.remove_listener(callback)

    def close(self) -> None:
        """Close the wrapped backend."""
        self.inner.close()
