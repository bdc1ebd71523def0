"""In-memory indexes over the raw documents, kept current from the backend's change batches.

Nothing here decodes a whole record: each document is summarised once into a small `Row`
(ids, codes, the date it sorts by, review state, folded name), so lookups by id and NIK are dict
hits, lists page without building dataclasses, and a name search scans short strings only.
Rows keep references to the document's own strings, so they cost little memory.
"""

from __future__ import annotations

import bisect
import gc
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from fieldtui.store.backend import Change, Doc

OFFICERS, BANJARS, VISITS, SIGNUPS = "officers", "banjars", "visits", "signups"
TARGETS, REVIEWS, AUDIT, META = "targets", "reviews", "audit", "_meta"
RECORD_TABLES = (OFFICERS, BANJARS, VISITS, SIGNUPS, TARGETS)
INDEXED_TABLES = frozenset({*RECORD_TABLES, REVIEWS, AUDIT})

_NON_WORD = re.compile(r"[\W_]+")


def fold(text: str) -> str:
    """Lower-case words without accents or punctuation, single-spaced, for matching names."""
    if text.isascii():  # most names: skip the Unicode decomposition (10x faster at open)
        low = text.lower()
        if low.replace(" ", "").isalpha():  # letters and spaces only: no pattern needed
            return " ".join(low.split())
        return " ".join(_NON_WORD.sub(" ", low).split())
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(_NON_WORD.sub(" ", bare.casefold()).split())


@dataclass(slots=True)
class Row:
    """The few fields of one document that filters, sorting and indexes need."""

    id: str
    doc_id: int
    deleted: bool
    sort_key: str  # newest-first order: the record's own date/time, then its id
    officer_id: str = ""
    desa_code: str = ""
    banjar_id: str | None = None
    day: str = ""  # ISO date the record is about (visit day, registration day)
    review_state: str = ""
    kind: str = ""  # visit type
    text: str = ""  # folded text for the list filter (sign-ups: the name)
    nik: str = ""
    birth_date: str = ""
    paid: bool = False


def _row(table: str, doc_id: int, doc: Mapping[str, Any]) -> Row:
    record_id = str(doc.get("id", ""))
    deleted = doc.get("deleted_at") is not None
    if table == SIGNUPS:
        # Positional and without str() around values that are strings already: this runs for
        # every sign-up when a store opens.
        person = doc.get("participant") or {}
        day = doc.get("registered_on") or ""
        return Row(
            record_id,
            doc_id,
            deleted,
            f"{day}|{doc.get('created_at', '')}|{record_id}",
            doc.get("officer_id") or "",
            doc.get("desa_code") or "",
            doc.get("banjar_id"),
            day,
            doc.get("review_state") or "",
            "",
            fold(person.get("name") or ""),
            person.get("nik") or "",
            person.get("birth_date") or "",
            bool(doc.get("payments")),
        )
    if table == VISITS:
        started = str(doc.get("started_at", ""))
        words = (doc.get(k, "") for k in ("event_name", "counterpart_name", "notes"))
        return Row(
            id=record_id,
            doc_id=doc_id,
            deleted=deleted,
            sort_key=f"{started[:19]}|{record_id}",
            officer_id=str(doc.get("officer_id", "")),
            desa_code=str(doc.get("desa_code", "")),
            banjar_id=doc.get("banjar_id"),
            day=started[:10],
            review_state=str(doc.get("review_state", "")),
            kind=str(doc.get("visit_type", "")),
            text=fold(" ".join(str(w) for w in words)),
        )
    return Row(
        id=record_id,
        doc_id=doc_id,
        deleted=deleted,
        sort_key=record_id,
        desa_code=str(doc.get("desa_code", doc.get("region_code", ""))),
        text=fold(str(doc.get("name", ""))),
    )


class RowWatcher(Protocol):
    """Something kept current with a table's rows (a search)."""

    def row_added(self, row: Row) -> None: ...

    def row_removed(self, row: Row) -> None: ...


@dataclass
class TableIndex:
    """Rows of one table: by doc id, by record id, and the live ones in sort order."""

    rows: dict[int, Row] = field(default_factory=dict)
    by_id: dict[str, int] = field(default_factory=dict)
    order: list[tuple[str, int]] = field(default_factory=list)  # live rows, ascending sort_key
    version: int = 0  # bumped on every change, so derived caches know when to rebuild
    # Live rows per (officer id, review state): the review counts and an officer's flags
    # without a pass over every row.
    states: Counter[tuple[str, str]] = field(default_factory=Counter)
    # Searches kept current row by row (`fieldtui.store.search`).
    watchers: list[RowWatcher] = field(default_factory=list)

    def add(self, row: Row, *, bulk: bool = False) -> None:
        self.rows[row.doc_id] = row
        self.by_id[row.id] = row.doc_id
        self.version += 1
        for watcher in self.watchers:
            watcher.row_added(row)
        if not row.deleted:
            self.states[row.officer_id, row.review_state] += 1
            if bulk:  # loading: append now, sort once at the end (insort is O(n) per row)
                self.order.append((row.sort_key, row.doc_id))
            else:
                bisect.insort(self.order, (row.sort_key, row.doc_id))

    def remove(self, doc_id: int) -> Row | None:
        row = self.rows.pop(doc_id, None)
        if row is None:
            return None
        self.version += 1
        for watcher in self.watchers:
            watcher.row_removed(row)
        if self.by_id.get(row.id) == doc_id:
            del self.by_id[row.id]
        if not row.deleted:
            self.states[row.officer_id, row.review_state] -= 1
            key = (row.sort_key, doc_id)
            i = bisect.bisect_left(self.order, key)
            if i < len(self.order) and self.order[i] == key:
                del self.order[i]
        return row

    def count(self, officer_id: str | None, review_states: frozenset[str]) -> int:
        """How many live rows belong to ``officer_id`` (any when None) and are in one of
        ``review_states`` (any when empty)."""
        return sum(
            n
            for (officer, state), n in self.states.items()
            if (officer_id is None or officer == officer_id)
            and (not review_states or state in review_states)
        )

    def newest_first(self, include_deleted: bool = False) -> Iterator[Row]:
        """Rows newest first (live only unless asked)."""
        if include_deleted:
            yield from sorted(self.rows.values(), key=lambda r: r.sort_key, reverse=True)
            return
        rows = self.rows
        for _, doc_id in reversed(self.order):
            yield rows[doc_id]


RowListener = Callable[[str, Row | None, Row | None, Mapping[str, Any] | None], None]


class Indexes:
    """Every index the repository keeps, updated change by change."""

    def __init__(self) -> None:
        self.tables: dict[str, TableIndex] = {}
        self.nik: dict[str, list[str]] = {}  # NIK -> live sign-up ids, oldest first
        self.person: dict[tuple[str, str, str], set[str]] = {}  # (name, birth, desa) -> ids
        self.username: dict[str, str] = {}  # login name -> officer id
        self.audit: dict[str, list[int]] = {}  # record id -> audit doc ids, oldest first
        self.reviews: dict[str, list[int]] = {}  # record id -> review doc ids
        self.target_key: dict[tuple[str, str], str] = {}  # (region, period key) -> target id
        self.listeners: list[RowListener] = []  # e.g. the progress aggregates
        self._quiet = False  # no row notifications while rebuilding

    def table(self, name: str) -> TableIndex:
        """The index of one table (empty if the table has no documents yet)."""
        index = self.tables.get(name)
        if index is None:
            index = self.tables[name] = TableIndex()
        return index

    def rebuild(
        self,
        tables: Mapping[str, Mapping[str, Doc]],
        also: Callable[[str, Mapping[str, Any]], None] | None = None,
    ) -> None:
        """Drop everything and index ``tables`` afresh (first load, or "*" from the engine);
        ``also`` is given each indexed document too (read once for both)."""
        self.tables.clear()
        for mapping in (self.nik, self.person, self.username, self.audit, self.reviews):
            mapping.clear()
        self.target_key.clear()
        self._quiet = True
        collecting = gc.isenabled()
        gc.disable()  # ~400k new containers: repeated full collections would double the time
        try:
            for name, docs in tables.items():
                if name not in INDEXED_TABLES:
                    continue
                for key, doc in docs.items():
                    if also is not None:
                        also(name, doc)
                    self._add(name, int(key), doc, bulk=True)
            for index in self.tables.values():
                index.order.sort()
        finally:
            self._quiet = False
            if collecting:
                gc.enable()

    def apply(
        self,
        changes: list[Change],
        tables: Callable[[], Mapping[str, Mapping[str, Doc]]],
        also: Callable[[str, Mapping[str, Any]], None] | None = None,
    ) -> set[str]:
        """Apply one batch of changes; returns the names of the tables touched ("*" = all,
        after rebuilding everything: ``also`` is then given each document, as by `rebuild`)."""
        touched: set[str] = set()
        for change in changes:
            if change.table == "*":
                self.rebuild(tables(), also)
                return {"*"}
            touched.add(change.table)
            if change.table not in INDEXED_TABLES:
                continue
            old = self._remove(change.table, change.doc_id)
            if change.doc is not None:
                self._add(change.table, change.doc_id, change.doc, old)
            elif old is not None:
                self._notify(change.table, old, None, None)
        return touched

    def _add(
        self,
        table: str,
        doc_id: int,
        doc: Mapping[str, Any],
        old: Row | None = None,
        *,
        bulk: bool = False,
    ) -> None:
        if table in (AUDIT, REVIEWS):
            target = self.audit if table == AUDIT else self.reviews
            ids = target.setdefault(str(doc.get("record_id", "")), [])
            if doc_id not in ids:
                bisect.insort(ids, doc_id)
            return
        row = _row(table, doc_id, doc)
        self.table(table).add(row, bulk=bulk)
        if table == SIGNUPS and not row.deleted:
            self.nik.setdefault(row.nik, []).append(row.id)
            self.person.setdefault(self._person_key(row), set()).add(row.id)
        elif table == OFFICERS:
            self.username[str(doc.get("username", ""))] = row.id
        elif table == TARGETS and not row.deleted:
            period = doc.get("period") or {}
            key = (str(doc.get("region_code", "")), _period_key(period))
            self.target_key[key] = row.id
        self._notify(table, old, row, doc)

    def _remove(self, table: str, doc_id: int) -> Row | None:
        if table in (AUDIT, REVIEWS):
            return None  # append-only, never replaced
        index = self.tables.get(table)
        row = index.remove(doc_id) if index else None
        if row is None or row.deleted:
            if row is not None and table == OFFICERS:
                self.username = {u: i for u, i in self.username.items() if i != row.id}
            return row
        if table == SIGNUPS:
            ids = self.nik.get(row.nik, [])
            if row.id in ids:
                ids.remove(row.id)
            if not ids:
                self.nik.pop(row.nik, None)
            people = self.person.get(self._person_key(row))
            if people is not None:
                people.discard(row.id)
                if not people:
                    del self.person[self._person_key(row)]
        elif table == OFFICERS:
            self.username = {u: i for u, i in self.username.items() if i != row.id}
        elif table == TARGETS:
            self.target_key = {k: i for k, i in self.target_key.items() if i != row.id}
        return row

    def _notify(
        self, table: str, old: Row | None, new: Row | None, doc: Mapping[str, Any] | None
    ) -> None:
        if self._quiet:
            return
        for listener in self.listeners:
            listener(table, old, new, doc)

    @staticmethod
    def _person_key(row: Row) -> tuple[str, str, str]:
        return (row.text, row.birth_date, row.desa_code)

    def person_key(self, name: str, birth_date: str, desa_code: str) -> tuple[str, str, str]:
        """The likely-duplicate key of a person: folded name, birth date, desa."""
        return (fold(name), birth_date, desa_code)


def _period_key(period: Mapping[str, Any]) -> str:
    return f"{period.get('start', '')}..{period.get('end', '')}"
