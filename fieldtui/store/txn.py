"""One write transaction's bookkeeping: the net change per table (for the journal record and
the listeners) and an undo log (to put the in-memory state back when the commit fails)."""

from __future__ import annotations

from collections.abc import MutableMapping
from dataclasses import dataclass, field
from typing import Any

from fieldtui.store.rawtable import RawTable

Table = MutableMapping[str, Any]


@dataclass(frozen=True)
class Change:
    """One applied change: ``doc`` is the new document, or None when it was removed.

    ``Change("*", 0, None)`` means "everything may have changed: rebuild from read()".
    """

    table: str
    doc_id: int
    doc: dict[str, Any] | None


RELOAD = Change("*", 0, None)


@dataclass
class TableDelta:
    """What a transaction did to one table: replaced it wholesale (truncate) and/or set docs."""

    replaced: bool = False
    docs: dict[str, dict[str, Any] | None] = field(default_factory=dict)


@dataclass
class Transaction:
    """The net effect and the undo log of the transaction in progress."""

    next_ids: dict[str, int]  # high-water marks at the start, restored on rollback
    tables: dict[str, TableDelta] = field(default_factory=dict)
    dropped: set[str] = field(default_factory=set)
    # table name -> the table object it had at the start (None: it did not exist)
    original_tables: dict[str, Table | None] = field(default_factory=dict)
    undo_docs: list[tuple[Table, str, Any]] = field(default_factory=list)
    _seen: set[tuple[int, str]] = field(default_factory=set)

    def remember_table(self, name: str, table: Table | None) -> None:
        """Keep the table object ``name`` had before this transaction first swapped it."""
        self.original_tables.setdefault(name, table)

    def remember_doc(self, table: Table, doc_id: str) -> None:
        """Keep a document's value before this transaction first changed it in ``table``."""
        key = (id(table), doc_id)
        if key not in self._seen:
            self._seen.add(key)
            # A raw table's document as stored (not parsed: nothing to parse, and put back raw).
            old = table.raw_get(doc_id) if isinstance(table, RawTable) else table.get(doc_id)
            self.undo_docs.append((table, doc_id, old))

    def delta(self, name: str) -> TableDelta:
        """The delta of table ``name`` (created on first use)."""
        self.dropped.discard(name)
        return self.tables.setdefault(name, TableDelta())

    def drop(self, name: str) -> None:
        """Record that table ``name`` is gone at the end (so far)."""
        self.tables.pop(name, None)
        self.dropped.add(name)

    def empty(self) -> bool:
        """True when nothing needs to be written."""
        return not self.tables and not self.dropped

    def record(self, seq: int) -> dict[str, Any]:
        """Journal payload: {"s": seq, "t": {table: {"r": 1?, "d": {id: doc|null}}}, "x": [..]}."""
        tables: dict[str, Any] = {}
        for name, delta in self.tables.items():
            entry: dict[str, Any] = {"d": delta.docs}
            if delta.replaced:
                entry["r"] = 1
            tables[name] = entry
        payload: dict[str, Any] = {"s": seq, "t": tables}
        if self.dropped:
            payload["x"] = sorted(self.dropped)
        return payload

    def changes(self, live: dict[str, Table]) -> list[Change]:
        """The listener's view of this transaction, in a stable order."""
        out: list[Change] = []
        for name in sorted(self.dropped):
            out.extend(_removed(name, self.original_tables.get(name), {}))
        for name, delta in self.tables.items():
            if delta.replaced:
                out.extend(_removed(name, self.original_tables.get(name), delta.docs))
            table = live.get(name, {})
            out.extend(Change(name, int(k), table.get(k)) for k in delta.docs)
        return out

    def rollback(self, live: dict[str, Table]) -> None:
        """Put documents and tables back as they were before the transaction."""
        for table, doc_id, old in reversed(self.undo_docs):
            if old is None:
                table.pop(doc_id, None)
            elif isinstance(table, RawTable):
                table.raw_set(doc_id, old)
            else:
                table[doc_id] = old
        for name, table_obj in self.original_tables.items():
            if table_obj is None:
                live.pop(name, None)
            else:
                live[name] = table_obj


def _removed(name: str, old: Table | None, kept: Table) -> list[Change]:
    if not old:
        return []
    return [Change(name, int(k), None) for k in old if k not in kept]


def apply_record(
    tables: dict[str, Table],
    next_ids: dict[str, int],
    payload: dict[str, Any],
    *,
    collect: bool = True,
) -> list[Change]:
    """Apply one journal payload (a committed transaction) to the in-memory state; the
    changes for listeners unless ``collect`` is false (loading: nobody listens yet)."""
    out: list[Change] = []
    for name in payload.get("x", ()):
        old = tables.pop(name, None)
        if collect:
            out.extend(_removed(name, old, {}))
        next_ids.pop(name, None)
    for name, entry in payload["t"].items():
        docs: dict[str, Any] = entry["d"]
        if entry.get("r"):
            if collect:
                out.extend(_removed(name, tables.get(name), docs))
            tables[name] = {}
            next_ids[name] = 0
        table = tables.setdefault(name, {})
        table.update(docs)
        gone = [doc_id for doc_id, doc in docs.items() if doc is None]
        for doc_id in gone:
            del table[doc_id]
        if len(gone) < len(docs):
            high = max(int(k) for k, doc in docs.items() if doc is not None)
            next_ids[name] = max(next_ids.get(name, 0), high)
        if collect:
            out.extend(Change(name, int(doc_id), doc) for doc_id, doc in docs.items())
    return out
