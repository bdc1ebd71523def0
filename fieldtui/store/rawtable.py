"""RawTable: a table whose documents stay as their snapshot text until someone reads them.

A parsed sign-up costs about five times its JSON in memory (a dict per object, a str per
value): at 100k sign-ups that was 250-370 MB for documents that are mostly never looked at
after the indexes are built. A big table loaded from the snapshot keeps each document as the
bytes of its snapshot line instead (``"<doc id>":{...}``, ~0.8 KB) and parses it on every
read, which costs a few microseconds. Nothing parsed is cached, so reading every document (an
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

from collections.abc import ItemsView, Iterator, MutableMapping, ValuesView
from pathlib import Path
from typing import Any, overload

import orjson

from fieldtui.store.errors import StoreCorrupt

Doc = dict[str, Any]
RAW_MIN_DOCS = 256  # smaller tables are parsed as they load (a raw one saves nothing there)


class RawTable(MutableMapping[str, Doc]):
    """str doc id -> document; snapshot documents kept as their line's bytes (module doc)."""

    __slots__ = ("_docs", "name", "path")

    def __init__(self, docs: dict[str, bytes | Doc], *, name: str, path: Path) -> None:
        self._docs = docs  # bytes: the snapshot line ``"<doc id>":{...}``; dict: written since
        self.name = name
        self.path = path

    def _parse(self, key: str, value: bytes | Doc) -> Doc:
        if type(value) is not bytes:
            return value  # type: ignore[return-value]
        try:
            doc = orjson.loads(memoryview(value)[len(key) + 3 :])
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

    def raw_items(self) -> Iterator[tuple[str, bytes | Doc]]:
        """(doc id, snapshot line bytes or written dict), for writing a snapshot."""
        return iter(self._docs.items())


class _Items(ItemsView[str, Doc]):
    _mapping: RawTable

    def __iter__(self) -> Iterator[tuple[str, Doc]]:
        table = self._mapping
        parse = table._parse
        for key, value in table._docs.items():
            yield key, parse(key, value)


class _Values(ValuesView[Doc]):
    _mapping: RawTable

    def __iter__(self) -> Iterator[Doc]:
        table = self._mapping
        parse = table._parse
        for key, value in table._docs.items():
            yield parse(key, value)


def split_table_body(
    buf: bytes, start: int, stop: int, *, name: str, path: Path
) -> RawTable | None:
    """The documents between ``start`` and ``stop`` of a snapshot in the lines layout
    (``"<id>":{...}`` lines joined by ``,\\n``) as a RawTable; None when the table is small
    or a line does not look like that (the caller then parses the table as before).

    A JSON text holds no raw newline (one in a string is written ``\\n``), so each line is one
    document and ``,\\n`` only ever joins two.
    """
    pieces = buf[start:stop].split(b",\n")
    if len(pieces) < RAW_MIN_DOCS:
        return None
    keys = [piece[1 : piece.find(b'":', 1)] for piece in pieces]
    shaped = all(map(bytes.isdigit, keys)) and all(
        piece[0] == 0x22 and piece[len(key) + 1 : len(key) + 4] == b'":{' and piece[-1] == 0x7D
        for piece, key in zip(pieces, keys, strict=True)
    )
    if not shaped:
        return None
    return RawTable(dict(zip(map(bytes.decode, keys), pieces, strict=True)), name=name, path=path)
