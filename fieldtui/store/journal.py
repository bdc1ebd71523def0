"""On-disk format of a journal store: snapshot layout, checksummed journal lines, safe file writes.

The snapshot is plain TinyDB JSON, written one document per line so it loads in bounded
chunks (a single ``orjson.loads`` of a 50 MB file peaks at ~3x its size in memory) and so a
person can read it. A big table's documents are not parsed at all when it loads: each stays as
text in a `RawTable` until it is read. Any other valid TinyDB JSON (stock TinyDB, a
hand edit) still loads, only in one piece. The engine's own header is the pseudo-table
``_engine`` (doc "1").

A journal line is ``{"crc":"<8 hex>","p":<payload>}\\n`` where the crc32 covers exactly the
payload bytes; the payload prefix has a fixed length, so a line is checked without parsing it.
"""

from __future__ import annotations

import errno
import os
import re
import zlib
from collections.abc import Iterator, Mapping, MutableMapping
from pathlib import Path
from typing import Any

import orjson

from fieldtui.store.errors import DiskFull, StoreCorrupt, StoreError, StoreReadOnly
from fieldtui.store.rawtable import RawTable, split_table_body

FORMAT_NAME = "fieldtui-journal"
FORMAT_VERSION = 1
FORMAT = f"{FORMAT_NAME}/{FORMAT_VERSION}"
ENGINE_TABLE = "_engine"

_PREFIX = b'{"crc":"'
_MID = b'","p":'
_HEAD = len(_PREFIX) + 8 + len(_MID)
_TABLE_END = re.compile(rb"\n\}")  # re finds it faster than bytes.find does
_CHUNK = 1 << 20  # bytes of snapshot documents parsed per orjson call
_RAW_MIN_BYTES = 64 << 10  # a table body smaller than this is parsed as it loads
# Types a JSON store cannot hold raise instead of being silently turned into strings.
DUMP_OPTS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS

Table = MutableMapping[str, Any]  # a dict, or a RawTable for a big table from the snapshot
Tables = dict[str, Table]


def dumps(value: Any) -> bytes:
    """Serialise a document or payload (TypeError for values JSON cannot hold)."""
    return orjson.dumps(value, option=DUMP_OPTS)


def clone(doc: Any) -> Any:
    """A deep copy of a JSON document (also checks that it is JSON)."""
    return orjson.loads(dumps(doc))


# -- journal lines -------------------------------------------------------------------------


def encode_line(payload: Any) -> bytes:
    """One journal line for ``payload``, checksummed."""
    body = dumps(payload)
    return b"%s%08x%s%s}\n" % (_PREFIX, zlib.crc32(body), _MID, body)


def _decode_line(line: bytes) -> Any | None:
    """The payload of one complete line (without its newline), or None if it is not valid."""
    if len(line) < _HEAD + 1 or not line.startswith(_PREFIX) or not line.endswith(b"}"):
        return None
    if line[_HEAD - len(_MID) : _HEAD] != _MID:
        return None
    body = line[_HEAD:-1]
    try:
        crc = int(line[len(_PREFIX) : len(_PREFIX) + 8], 16)
    except ValueError:
        return None
    if zlib.crc32(body) != crc:
        return None
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError:
        return None


def parse_lines(buf: bytes) -> tuple[list[Any], int, bool]:
    """Valid payloads from the start of ``buf``, the bytes they span, and whether any bytes
    after them hold a valid line (then the gap is damage, not a torn last write)."""
    payloads: list[Any] = []
    pos = 0
    end = len(buf)
    while pos < end:
        nl = buf.find(b"\n", pos)
        if nl < 0:
            break  # an unfinished last line: a write in progress or a torn one
        payload = _decode_line(buf[pos:nl])
        if payload is None:
            break
        payloads.append(payload)
        pos = nl + 1
    return payloads, pos, _valid_line_after(buf, pos)


def _valid_line_after(buf: bytes, pos: int) -> bool:
    start = buf.find(b"\n", pos)
    while start >= 0:
        nl = buf.find(b"\n", start + 1)
        if nl < 0:
            return False
        if _decode_line(buf[start + 1 : nl]) is not None:
            return True
        start = nl
    return False


# -- snapshot ------------------------------------------------------------------------------


def snapshot_chunks(
    header: dict[str, Any], tables: Mapping[str, Mapping[str, Any]]
) -> Iterator[bytes | memoryview]:
    """The snapshot file, piece by piece: one table name or document per line.

    The biggest table goes last: its end is then found from the end of the file, not by
    scanning 50 MB for it.
    """
    order = sorted(tables, key=lambda name: len(tables[name]))
    yield b'{"%s":{"1":%s}' % (ENGINE_TABLE.encode(), dumps({**header, "tables": order}))
    for name in order:
        table = tables[name]
        yield b",\n%s:{" % dumps(name)
        sep = b"\n"
        if isinstance(table, RawTable):
            for doc_id, value in table.raw_items():
                # A document still as it was read from a snapshot goes back as those bytes.
                yield b"%s%s:" % (sep, dumps(doc_id))
                yield value if type(value) is memoryview else dumps(value)
                sep = b",\n"
        else:
            for doc_id, doc in table.items():
                yield b"%s%s:%s" % (sep, dumps(doc_id), dumps(doc))
                sep = b",\n"
        yield b"\n}"
    yield b"\n}\n"


def peek_generation(buf: bytes) -> str | None:
    """The generation in a snapshot's first line (the lines layout), without parsing the rest;
    None when the first line is not the engine's header."""
    prefix = b'{"%s":' % ENGINE_TABLE.encode()
    first = buf.find(b"\n")
    if first < 0 or not buf.startswith(prefix):
        return None
    head = buf[len(prefix) : first]
    try:
        engine = orjson.loads(head[:-1] if head.endswith(b",") else head)
    except orjson.JSONDecodeError:
        return None
    found = engine.get("1", {}).get("generation") if isinstance(engine, dict) else None
    return found if isinstance(found, str) else None


def parse_snapshot(
    buf: bytes, path: Path, *, raw: bool = False
) -> tuple[dict[str, Any] | None, Tables]:
    """(engine header or None, tables) of a snapshot; StoreCorrupt if it is not TinyDB JSON.

    ``raw``: the caller knows these are the exact bytes the engine wrote (`FileSet.load`), so
    big tables may be kept as text (`RawTable`): their lines can be split without parsing. Any
    other file (a hand edit, stock TinyDB) is parsed in full.
    """
    if not buf or buf.isspace():  # (strip() would copy a 50 MB buffer)
        return None, {}
    try:
        data = _parse_lines_layout(buf, path, raw=raw)
    except (ValueError, orjson.JSONDecodeError):
        data = None
    if data is None:
        try:
            data = orjson.loads(buf)
        except orjson.JSONDecodeError as exc:
            raise StoreCorrupt(path=str(path), detail=str(exc)) from None
    if not isinstance(data, dict) or not all(isinstance(t, dict | RawTable) for t in data.values()):
        raise StoreCorrupt(path=str(path), detail="not a TinyDB store")
    engine = data.pop(ENGINE_TABLE, None)
    header = engine.get("1") if isinstance(engine, dict) else None
    for name, table in data.items():
        if isinstance(table, RawTable):
            continue  # each document is checked when it is read
        if not set(map(type, table.values())) <= {dict}:
            raise StoreCorrupt(path=str(path), detail=f"table {name}: not documents")
    return (header if isinstance(header, dict) else None), data


def _parse_lines_layout(buf: bytes, path: Path, *, raw: bool = False) -> dict[str, Any] | None:
    """Parse the layout written by `snapshot_chunks` in ~1 MB pieces; None if it differs."""
    first = buf.find(b"\n")
    prefix = b'{"%s":' % ENGINE_TABLE.encode()
    if first < 0 or not buf.startswith(prefix) or not buf.endswith(b"\n}\n"):
        return None
    last = len(buf) - 3  # where the closing "\n}\n" starts
    head = buf[len(prefix) : first]
    if head.endswith(b","):
        head = head[:-1]
    elif first != last:
        return None
    engine = orjson.loads(head)
    order = engine.get("1", {}).get("tables") if isinstance(engine, dict) else None
    if not isinstance(order, list):
        return None
    out: dict[str, Any] = {ENGINE_TABLE: engine}
    if not order:
        return out if first == last else None
    pos = first + 1
    for index, expected in enumerate(order):
        nl = buf.find(b"\n", pos)
        line = buf[pos:nl]
        if not line.endswith(b":{") or orjson.loads(line[:-2]) != expected:
            return None
        if index == len(order) - 1:
            close = last - 2  # the biggest table is last: no need to scan it for its end
            if not buf.startswith(b"\n}", close) or close < nl:
                return None
        else:
            match = _TABLE_END.search(buf, nl)
            if match is None:
                return None
            close = match.start()
        table = None
        if raw and close - nl > _RAW_MIN_BYTES:
            table = split_table_body(buf, nl + 1, close, name=expected, path=path)
        out[expected] = table if table is not None else _parse_table_body(buf, nl + 1, close)
        pos = close + 2
        if buf.startswith(b",\n", pos):
            pos += 2
    return out if pos == last else None


def _parse_table_body(buf: bytes, start: int, stop: int) -> dict[str, Any]:
    table: dict[str, Any] = {}
    while start < stop:
        cut = buf.find(b",\n", min(start + _CHUNK, stop))
        if cut < 0 or cut >= stop:
            cut = stop
        table.update(orjson.loads(b"{%s}" % buf[start:cut]))
        start = cut + 2
    return table


# -- files ---------------------------------------------------------------------------------


def os_error(exc: OSError, path: Path) -> StoreError:
    """The store error a user should see for an OS error while writing ``path``."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return DiskFull(path=str(path))
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return StoreReadOnly(path=str(path))
    return StoreError("store.error.io", path=str(path), detail=exc.strerror or str(exc))


def write_all(fd: int, data: bytes) -> None:
    """Write every byte (a regular file may take a write in parts)."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def fsync_dir(directory: Path) -> None:
    """Make a rename in ``directory`` durable."""
    fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def create_exclusive(path: Path, mode: int) -> int:
    """A new file opened for writing with exactly ``mode`` (umask does not apply)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, mode)
    try:
        os.fchmod(fd, mode)
    except OSError:
        os.close(fd)
        raise
    return fd


def replace_atomically(
    path: Path, chunks: Iterator[bytes | memoryview], mode: int, *, sync: bool
) -> None:
    """Write ``chunks`` to a temp file beside ``path``, fsync it, rename it over ``path`` and
    fsync the directory: readers see the old file or the new one, never a mix."""
    tmp = path.with_name(f"{path.name}.tmp-{os.getpid()}-{os.urandom(4).hex()}")
    fd = create_exclusive(tmp, mode)
    try:
        try:
            buf: list[bytes | memoryview] = []
            size = 0
            for chunk in chunks:
                buf.append(chunk)
                size += len(chunk)
                if size >= _CHUNK:
                    write_all(fd, b"".join(buf))
                    buf, size = [], 0
            write_all(fd, b"".join(buf))
            if sync:
                os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    if sync:
        fsync_dir(path.parent)


def read_fd(fd: int, offset: int, size: int) -> bytes:
    """``size`` bytes from ``offset`` (fewer if the file is shorter)."""
    parts: list[bytes] = []
    while size > 0:
        part = os.pread(fd, min(size, 1 << 26), offset)
        if not part:
            break
        parts.append(part)
        offset += len(part)
        size -= len(part)
    return b"".join(parts)
