"""JournalTable: a TinyDB Table whose writes cost O(change), through a buffering view of one table.

Stock `Table._update_table` copies the whole table into a new dict, lets an updater change it
and writes everything back. Here the updater gets a `TableView` instead: a dict-like view with
int doc ids over the storage's live table that buffers every change (documents it hands out are
private copies, so even in-place edits of nested lists are seen and can be undone). When the
updater returns, only the documents that really differ go to the storage's transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, MutableMapping
from typing import TYPE_CHECKING, Any

from tinydb.table import Table

from fieldtui.store.journal import clone

if TYPE_CHECKING:
    from fieldtui.store.engine import JournalStorage

_GONE = None  # a buffered deletion


class TableView(MutableMapping[int, dict[str, Any]]):
    """An int-keyed, change-buffering view of one table (what TinyDB's updaters expect)."""

    def __init__(self, base: Mapping[str, Any] | None) -> None:
        self._base: Mapping[str, Any] = base if base is not None else {}
        self.overlay: dict[int, dict[str, Any] | None] = {}
        self.cleared = False

    def __getitem__(self, doc_id: int) -> dict[str, Any]:
        if doc_id in self.overlay:
            doc = self.overlay[doc_id]
            if doc is _GONE:
                raise KeyError(doc_id)
            return doc
        if self.cleared:
            raise KeyError(doc_id)
        raw = self._base.get(str(doc_id))
        if raw is None:
            raise KeyError(doc_id)
        copy: dict[str, Any] = clone(raw)
        self.overlay[doc_id] = copy
        return copy

    def __setitem__(self, doc_id: int, doc: dict[str, Any]) -> None:
        self.overlay[doc_id] = clone(doc)

    def __delitem__(self, doc_id: int) -> None:
        if doc_id not in self:
            raise KeyError(doc_id)
        self.overlay[doc_id] = _GONE

    def __contains__(self, doc_id: object) -> bool:
        if doc_id in self.overlay:
            return self.overlay[doc_id] is not _GONE
        return not self.cleared and str(doc_id) in self._base

    def __iter__(self) -> Iterator[int]:
        if not self.cleared:
            for key in self._base:
                doc_id = int(key)
                if self.overlay.get(doc_id, True) is not _GONE:
                    yield doc_id
        for doc_id, doc in list(self.overlay.items()):
            if doc is not _GONE and (self.cleared or str(doc_id) not in self._base):
                yield doc_id

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def clear(self) -> None:
        """Empty the table (buffered like everything else)."""
        self.cleared = True
        self.overlay.clear()

    def changes(self) -> dict[str, dict[str, Any] | None]:
        """Documents that differ from the base: str doc id -> new document or None (removed)."""
        out: dict[str, dict[str, Any] | None] = {}
        for doc_id, doc in self.overlay.items():
            key = str(doc_id)
            old = None if self.cleared else self._base.get(key)
            if doc != old:
                out[key] = doc
        return out


class JournalTable(Table):
    """A TinyDB Table for `JournalStorage`: writes record only changed documents, doc ids come
    from the store-wide state under the write lock, and each write is one transaction."""

    def __init__(self, storage: Any, name: str, **kwargs: Any) -> None:
        self._journal: JournalStorage | None = None
        if hasattr(storage, "register_table"):
            self._journal = storage
        super().__init__(storage, name, **kwargs)
        if self._journal is not None:
            self._journal.register_table(self)

    def _update_table(self, updater: Callable[[dict[int, Mapping[str, Any]]], None]) -> None:
        journal = self._journal
        if journal is None:
            super()._update_table(updater)
            return
        with journal.transaction():
            view = TableView(journal.live_table(self.name))
            updater(view)  # type: ignore[arg-type]
            journal.apply_view(self.name, view.cleared, view.changes())
        self.clear_cache()

    def search(self, cond: Any) -> list[Any]:
        """TinyDB's search (which caches its answer); the storage is told that a query cache
        holds something, so its next write clears the caches. Told before the search too: a
        write between TinyDB caching the answer and the flag being set would skip the clear."""
        if self._journal is not None:
            self._journal.caches_used = True
        found: list[Any] = super().search(cond)
        if self._journal is not None:
            self._journal.caches_used = True
        return found

    def _get_next_id(self) -> int:
        journal = self._journal
        if journal is None:
            next_id: int = super()._get_next_id()  # type: ignore[no-untyped-call]
            return next_id
        with journal.transaction():
            return journal.allocate_id(self.name)

    # Doc ids must be allocated from the state refreshed under the lock, and TinyDB allocates
    # before it updates: so each of these runs as one transaction from the start.
    def insert(self, document: Mapping[str, Any]) -> int:
        """Insert one document; returns its doc id."""
        with self._transaction():
            doc_id: int = super().insert(document)
            return doc_id

    def insert_multiple(self, documents: Iterable[Mapping[str, Any]]) -> list[int]:
        """Insert several documents in one transaction; returns their doc ids."""
        with self._transaction():
            doc_ids: list[int] = super().insert_multiple(documents)
            return doc_ids

    def upsert(self, document: Mapping[str, Any], cond: Any = None) -> list[int]:
        """Update matching documents or insert one, in one transaction."""
        with self._transaction():
            doc_ids: list[int] = super().upsert(document, cond)
            return doc_ids

    def _transaction(self) -> Any:
        if self._journal is None:
            from contextlib import nullcontext

            return nullcontext()
        return self._journal.transaction()
