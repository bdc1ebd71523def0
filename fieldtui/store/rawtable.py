"""RawTable: a table whose documents stay as their snapshot text until someone reads them.

A parsed sign-up costs about five times its JSON in memory (a dict per object, a str per
value): at 100k sign-ups that was 250-370 MB for documents that are mostly never looked at
after the indexes are built. A big table loaded from the snapshot keeps the snapshot's bytes
instead, and for each document only where its JSON starts in them; it parses a document on
every read, which costs a few microseconds. Nothing parsed is cached, so reading every document (an
export, a check) does not bring the memory back. Documents written since the snapshot are kept
as the dicts they were written as (they are few: the journal is compacted when it grows).

Documents are immutable once stored (writers store new dicts, `TableView` copies before
editing), so handing out a fresh copy on each read changes nothing for callers. A document that
does not parse, or is not a JSON object, raises StoreCorrupt naming it when it is read; the
repository reads every document of its tables when a store opens (to build its indexes), so a
damaged store is still reported at start-up.

A compaction writes a raw document's bytes back as they are, without parsing it.
"""

from __future__ import annotations

import re
from collections.abc import Collection, ItemsView, Iterator, Mapping, MutableMapping, ValuesView
from pathlib import Path
from typing import Any, overload

import orjson

from fieldtui.store.errors import StoreCorrupt

Doc = dict[str, Any]
RAW_MIN_DOCS = 256  # smaller tables are parsed as they load (a raw one saves nothing there)


class RawTable(MutableMapping[str, Doc]):
    """str doc id -> document; snapshot documents kept as their line's bytes (module doc)."""

    __slots__ = ("_docs", "_stop", "_text", "_view", "name", "path")

    def __init__(
        self, docs: dict[str, int | Doc], text: bytes, stop: int, *, name: str, path: Path
    ) -> None:
        # int: where the document's JSON starts in ``text`` (it ends at the next ",\n", or at
        # ``stop``, the end of the table's body); dict: a document written since.
        self._docs = docs
        self._text, self._view, self._stop = text, memoryview(text), stop
        self.name = name
        self.path = path

    def _span(self, start: int) -> memoryview:
        end = self._text.find(b",\n", start, self._stop)
        return self._view[start : self._stop if end < 0 else end]

    def _parse(self, key: str, value: int | Doc) -> Doc:
        if type(value) is not int:
            return value  # type: ignore[return-value]
        try:
            doc = orjson.loads(self._span(value))
        except orjson.JSONDecodeError as exc:
            raise self._damaged(key, str(exc)) from None
        if type(doc) is not dict:
            raise self._damaged(key, "not a document")
        return doc

    def _damaged(self, key: str, detail: str) -> StoreCorrupt:
        return StoreCorrupt(
            path=str(self.path), detail=f"table {self.name}, document {key}: {detail}"
        )

    def __getitem__(self, key: str) -> Doc:
        return self._parse(key, self._docs[key])

    @overload
    def get(self, key: str, /) -> Doc | None: ...
    @overload
    def get(self, key: str, /, default: Doc | Any) -> Doc | Any: ...
    def get(self, key: str, /, default: Any = None) -> Any:
        """The document (parsed now), or ``default``."""
        value = self._docs.get(key)
        return default if value is None else self._parse(key, value)

    def __setitem__(self, key: str, doc: Doc) -> None:
        self._docs[key] = doc

    def __delitem__(self, key: str) -> None:
        del self._docs[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._docs)

    def __len__(self) -> int:
        return len(self._docs)

    def __contains__(self, key: object) -> bool:
        return key in self._docs

    def items(self) -> ItemsView[str, Doc]:
        """(doc id, document) pairs, each document parsed as it comes."""
        return _Items(self)

    def values(self) -> ValuesView[Doc]:
        """The documents, each parsed as it comes."""
        return _Values(self)

    def raw_get(self, key: str) -> int | Doc | None:
        """What is stored for ``key`` (a position in the snapshot text or a written dict), not
        parsed: to put back as it was (a transaction's undo log)."""
        return self._docs.get(key)

    def raw_set(self, key: str, value: int | Doc) -> None:
        """Store what `raw_get` gave."""
        self._docs[key] = value

    def raw_items(self) -> Iterator[tuple[str, memoryview | Doc]]:
        """(doc id, the document's JSON text as read, or the dict written since), for writing
        a snapshot."""
        for key, value in self._docs.items():
            yield key, (self._span(value) if isinstance(value, int) else value)


class _Items(ItemsView[str, Doc]):
    _mapping: RawTable

    def __iter__(self) -> Iterator[tuple[str, Doc]]:
        # `RawTable._parse` written out: this loop reads every document when a store opens.
        table = self._mapping
        text, view, stop, loads = table._text, table._view, table._stop, orjson.loads
        for key, value in table._docs.items():
            if type(value) is not int:
                yield key, value  # type: ignore[misc]
                continue
            end = text.find(b",\n", value, stop)
            try:
                doc = loads(view[value : stop if end < 0 else end])
            except orjson.JSONDecodeError as exc:
                raise table._damaged(key, str(exc)) from None
            if type(doc) is not dict:
                raise table._damaged(key, "not a document")
            yield key, doc


class _Values(ValuesView[Doc]):
    _mapping: RawTable

    def __iter__(self) -> Iterator[Doc]:
        for _key, doc in _Items(self._mapping):
            yield doc


def read_every_document(
    tables: Mapping[str, Mapping[str, Any]], *, skip: Collection[str] = ()
) -> None:
    """Parse every document of every raw table (but those in ``skip``): StoreCorrupt names the
    first damaged one. A store is checked so when it opens, and a backup before it is called
    good."""
    for name, table in tables.items():
        if name not in skip and isinstance(table, RawTable):
            for _doc in table.values():
                pass


_SEPARATOR = re.compile(rb",\n")


def split_table_body(
    buf: bytes, start: int, stop: int, *, name: str, path: Path
) -> RawTable | None:
    """The documents between ``start`` and ``stop`` of a snapshot in the lines layout
    (``"<id>":{...}`` lines joined by ``,\\n``) as a RawTable over ``buf``; None when the table
    is small or a line does not look like that (the caller then parses the table as before).

    A JSON text holds no raw newline (one in a string is written ``\\n``), so each line is one
    document and ``,\\n`` only ever joins two.
    """
    starts = [start, *(match.end() for match in _SEPARATOR.finditer(buf, start, stop))]
    if len(starts) < RAW_MIN_DOCS:
        return None
    ends = [following - 2 for following in starts[1:]]
    ends.append(stop)
    docs: dict[str, int | Doc] = {}
    find = buf.find
    for line, end in zip(starts, ends, strict=True):
        colon = find(b'":', line + 1, end)
        if colon < 0 or buf[line] != 0x22 or buf[colon + 2] != 0x7B or buf[end - 1] != 0x7D:
            return None  # not '"<id>":{...}'
        key = buf[line + 1 : colon]
        if not key.isdigit():
            return None
        docs[key.decode()] = colon + 2
    return RawTable(docs, buf, stop, name=name, path=path)
