"""The small storage interface the repository writes through: TinyDB tables plus transactions.

Two implementations with one shape: `EngineBackend` over the durable, multi-process store of
`fieldtui.store.engine`, and `MemoryBackend` over TinyDB's MemoryStorage for tests and
throwaway stores. Both report every applied change (own and, for the engine, other processes')
to listeners as `Change` batches, after the transaction that made them has committed.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator, Mapping, MutableMapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol

from tinydb import TinyDB
from tinydb.storages import MemoryStorage

from fieldtui.store.engine import Change, open_db
from fieldtui.store.errors import StoreReadOnly
from fieldtui.store.journal import clone

Doc = dict[str, Any]
Listener = Callable[[list[Change]], None]

__all__ = ["Backend", "Change", "Doc", "EngineBackend", "Listener", "MemoryBackend"]


class Backend(Protocol):
    """What the repository needs from a storage: raw documents, writes, transactions, news."""

    path: Path | None
    read_only: bool

    def tables(self) -> Mapping[str, Mapping[str, Doc]]:
        """All tables as {table: {str(doc_id): doc}} (live data: never mutate it)."""

    def get(self, table: str, doc_id: int) -> Doc | None:
        """One raw document (live data: never mutate it), or None."""

    def insert(self, table: str, doc: Doc, *, owned: bool = False) -> int:
        """Add a document inside a transaction; returns its doc id.

        ``owned``: the caller made ``doc`` for this insert (`encode` output) and keeps no
        reference to change it: the backend may store it as it is instead of a copy.
        """

    def replace(self, table: str, doc_id: int, doc: Doc) -> None:
        """Replace a whole document inside a transaction."""

    def transaction(self) -> Any:
        """A context manager: lock, catch up, then commit all writes at exit as one unit."""

    def refresh(self) -> list[Change]:
        """Apply other processes' saves; the changes applied (also sent to listeners)."""

    def add_listener(self, callback: Listener) -> None:
        """Call ``callback`` with every batch of applied changes after this point."""

    def remove_listener(self, callback: Listener) -> None:
        """Stop calling ``callback`` (if it was added)."""

    def close(self) -> None:
        """Release files and locks."""


def _replace_in_place(new: Doc) -> Callable[[MutableMapping[Any, Any]], None]:
    def mutate(doc: MutableMapping[Any, Any]) -> None:
        doc.clear()
        doc.update(new)

    return mutate


class MemoryBackend:
    """TinyDB over MemoryStorage with the engine's transaction and listener behaviour."""

    path: Path | None = None

    def __init__(self, *, read_only: bool = False) -> None:
        self.db = TinyDB(storage=MemoryStorage)
        self.read_only = read_only
        self._listeners: list[Listener] = []
        self._depth = 0
        self._pending: list[Change] = []
        self._undo: list[tuple[str, int, Doc | None]] = []
        self._next_ids: dict[str, int] = {}

    def tables(self) -> Mapping[str, Mapping[str, Doc]]:
        """All tables (the storage's live dict)."""
        data: dict[str, dict[str, Doc]] | None = self.db.storage.read()
        return data or {}

    def get(self, table: str, doc_id: int) -> Doc | None:
        """One raw document, or None."""
        return self.tables().get(table, {}).get(str(doc_id))

    def _rows(self, table: str) -> dict[str, Doc]:
        # The storage's live dict. Stock `Table.insert` rebuilds the whole table for every
        # document, which made a 7,708-person demo take minutes in memory; writing the dict
        # directly costs O(1), like the engine's JournalTable.
        storage: Any = self.db.storage  # MemoryStorage: its `memory` is the live dict
        if storage.memory is None:
            storage.memory = {}
        rows: dict[str, Doc] = storage.memory.setdefault(table, {})
        return rows

    def insert(self, table: str, doc: Doc, *, owned: bool = False) -> int:
        """Insert inside the current transaction."""
        self._in_transaction()
        rows = self._rows(table)
        doc_id = self._next_ids.get(table) or max(map(int, rows), default=0) + 1
        self._next_ids[table] = doc_id + 1
        rows[str(doc_id)] = dict(doc)
        self._undo.append((table, doc_id, None))
        self._pending.append(Change(table=table, doc_id=doc_id, doc=rows[str(doc_id)]))
        return doc_id

    def replace(self, table: str, doc_id: int, doc: Doc) -> None:
        """Replace a document inside the current transaction."""
        self._in_transaction()
        rows = self._rows(table)
        old = rows.get(str(doc_id))
        if old is None:
            raise KeyError(doc_id)
        self._undo.append((table, doc_id, copy.deepcopy(old)))
        _replace_in_place(doc)(old)
        self._pending.append(Change(table=table, doc_id=doc_id, doc=old))

    def _in_transaction(self) -> None:
        if self._depth == 0:
            raise RuntimeError("writes must happen inside transaction()")
        if self.read_only:
            raise StoreReadOnly("store.error.read_only_mode")

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Re-entrant; an exception undoes every write of the outermost transaction."""
        self._depth += 1
        try:
            yield
        except BaseException:
            self._depth -= 1
            if self._depth == 0:
                self._rollback()
            raise
        self._depth -= 1
        if self._depth == 0:
            changes, self._pending, self._undo = self._pending, [], []
            if changes:
                self._notify(changes)

    def _rollback(self) -> None:
        for table, doc_id, old in reversed(self._undo):
            rows = self._rows(table)
            if old is None:
                rows.pop(str(doc_id), None)
            else:
                _replace_in_place(old)(rows[str(doc_id)])
        self._pending, self._undo = [], []

    def _notify(self, changes: list[Change]) -> None:
        for listener in list(self._listeners):
            listener(changes)

    def refresh(self) -> list[Change]:
        """Nothing else writes to a memory store."""
        return []

    def add_listener(self, callback: Listener) -> None:
        """Register ``callback`` for committed changes."""
        self._listeners.append(callback)

    def remove_listener(self, callback: Listener) -> None:
        """Stop calling ``callback`` (if it was added)."""
        if callback in self._listeners:
            self._listeners.remove(callback)

    def close(self) -> None:
        """Nothing to release."""
        self.db.close()


class EngineBackend:
    """The durable, multi-process store (fieldtui.store.engine) behind the same interface."""

    def __init__(
        self, path: Path, *, read_only: bool = False, lock_timeout: float = 5.0, create: bool = True
    ) -> None:
        self.path: Path | None = path
        self.read_only = read_only
        self.db = open_db(path, lock_timeout=lock_timeout, read_only=read_only, create=create)
        self.storage = self.db.storage

    def tables(self) -> Mapping[str, Mapping[str, Doc]]:
        """All tables (the engine's cached dict)."""
        data: dict[str, dict[str, Doc]] | None = self.storage.read()
        return data or {}

    def get(self, table: str, doc_id: int) -> Doc | None:
        """One raw document, or None."""
        return self.tables().get(table, {}).get(str(doc_id))

    def insert(self, table: str, doc: Doc, *, owned: bool = False) -> int:
        """Insert inside the current transaction.

        Straight into the engine (an id from the refreshed state, then the document, both
        undone if the transaction fails) rather than through TinyDB's Table.insert, whose
        nested transactions and view cost five times as much: an import saves thousands. A
        document the caller does not own is stored as a deep copy (a JSON round trip).
        """
        storage = self.storage
        with storage.transaction():
            doc_id = storage.allocate_id(table)
            storage.apply_view(table, False, {str(doc_id): doc if owned else clone(doc)})
        return doc_id

    def replace(self, table: str, doc_id: int, doc: Doc) -> None:
        """Replace a document inside the current transaction."""
        self.db.table(table).update(_replace_in_place(doc), doc_ids=[doc_id])

    def transaction(self) -> Any:
        """The engine's transaction (file lock, catch-up, one journal record at exit)."""
        return self.storage.transaction()

    def refresh(self) -> list[Change]:
        """Catch up with other processes' saves."""
        changes: list[Change] = self.storage.refresh()
        return changes

    def add_listener(self, callback: Listener) -> None:
        """Register ``callback`` for every applied batch (own and foreign)."""
        self.storage.add_listener(callback)

    def remove_listener(self, callback: Listener) -> None:
        """Stop calling ``callback`` (if it was added)."""
        self.storage.remove_listener(callback)

    def close(self) -> None:
        """Release the lock and files."""
        self.db.close()
