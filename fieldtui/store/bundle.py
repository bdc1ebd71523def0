"""Bundles: one file holding a store's records, reviews, kept merge versions and audit trail.

A bundle is how an officer's laptop hands its work to the branch machine (USB stick, synced
folder). Format version 1 is a gzip stream of two lines:

1. a JSON header ``{"format": "fieldtui-bundle", "version": 1, "schema_version": N,
   "created_at": ISO, "source": {"store_id", "host", "path", "user"}, "counts": {table: n},
   "bytes": len(line 2), "sha256": hex digest of line 2}``;
2. the JSON body ``{table: [document, ...]}`` for every table in `BUNDLE_TABLES`.

The header is read first, so a file that is not a bundle, or one from a newer fieldtui, is
refused before the body is parsed; the checksum catches a truncated or damaged copy (gzip's own
CRC catches most, the checksum also a body cut at a line end). The bundle holds NIKs, phones
and incomes unmasked: it is personal data (UU 27/2022), so it is written with mode 0600 to a
temporary file, fsync'd and renamed over the target — a half-written bundle never replaces a
good one.

`read_source` reads a bundle, or another store file directly (read-only, without building its
indexes), into the same `Bundle` shape that `Store.merge_from` takes.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from fieldtui.store import indexes as ix
from fieldtui.store.errors import StoreError, StoreReadOnly, StoreTooNew
from fieldtui.store.gcpause import paused_gc
from fieldtui.store.journal import fsync_dir
from fieldtui.store.schema import SCHEMA, stored_version

FORMAT = "fieldtui-bundle"
VERSION = 1
CONFLICTS = "conflicts"  # versions of a record a merge kept aside (see store/merge.py)
BUNDLE_TABLES = (*ix.RECORD_TABLES, ix.REVIEWS, CONFLICTS, ix.AUDIT)
GZIP_MAGIC = b"\x1f\x8b"
_LEVEL = 1  # gzip level: JSON this repetitive shrinks ~12x even at 1, in a third of 6's time

Doc = dict[str, Any]


class BundleError(StoreError):
    """A bundle that cannot be read: not a bundle, damaged, or from a newer fieldtui."""

    default_key = "merge.error.bundle_corrupt"


@dataclass(frozen=True)
class Bundle:
    """The documents of one store, table by table, and where they come from."""

    tables: Mapping[str, Sequence[Doc]]
    source: Mapping[str, str] = field(default_factory=dict)  # store_id, host, path, user
    schema_version: int = SCHEMA.version
    created_at: str = ""

    def count(self, table: str) -> int:
        """How many documents of ``table`` the bundle holds."""
        return len(self.tables.get(table, ()))

    @property
    def label(self) -> str:
        """Who and where the bundle comes from, for a summary line."""
        parts = [self.source.get("user", ""), self.source.get("host", "")]
        who = "@".join(p for p in parts if p)
        return who or self.source.get("path", "") or self.source.get("store_id", "")


def write_bundle_file(bundle: Bundle, path: Path) -> int:
    """Write ``bundle`` to ``path`` atomically with mode 0600; returns the file's size."""
    body = orjson.dumps({name: list(bundle.tables.get(name, ())) for name in BUNDLE_TABLES})
    header = {
        "format": FORMAT,
        "version": VERSION,
        "schema_version": bundle.schema_version,
        "created_at": bundle.created_at,
        "source": dict(bundle.source),
        "counts": {name: bundle.count(name) for name in BUNDLE_TABLES},
        "bytes": len(body),
        "sha256": hashlib.sha256(body).hexdigest(),
    }
    folder = path.parent
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        os.fchmod(fd, 0o600)  # personal data: the owner only, whatever the umask
        with os.fdopen(fd, "wb") as raw:
            with gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=_LEVEL) as gz:
                gz.write(json.dumps(header, ensure_ascii=False).encode("utf-8") + b"\n")
                gz.write(body)
                gz.write(b"\n")
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    fsync_dir(folder)
    return path.stat().st_size


def is_bundle_file(path: Path) -> bool:
    """True when ``path`` starts like a gzip file (a bundle, or at least not a store)."""
    try:
        with path.open("rb") as f:
            return f.read(2) == GZIP_MAGIC
    except OSError:
        return False


def read_bundle(path: Path) -> Bundle:
    """The bundle at ``path``; BundleError when it is not one, is damaged or too new."""
    shown = str(path)
    try:
        with gzip.open(path, "rb") as gz:
            header = _header(gz.readline(), shown)
            body = gz.read()
    except (OSError, EOFError, gzip.BadGzipFile, ValueError) as exc:
        if isinstance(exc, BundleError):
            raise
        raise BundleError("merge.error.bundle_corrupt", path=shown, detail=str(exc)) from None
    body = body.rstrip(b"\n")
    if len(body) != header.get("bytes") or hashlib.sha256(body).hexdigest() != header.get("sha256"):
        raise BundleError("merge.error.bundle_corrupt", path=shown, detail="sha256")
    try:
        with paused_gc():  # millions of new containers that all live on: no collections
            tables = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise BundleError("merge.error.bundle_corrupt", path=shown, detail=str(exc)) from None
    if not isinstance(tables, dict) or not all(isinstance(v, list) for v in tables.values()):
        raise BundleError("merge.error.bundle_corrupt", path=shown, detail="tables")
    source = header.get("source")
    return Bundle(
        tables=tables,
        source={str(k): str(v) for k, v in source.items()} if isinstance(source, dict) else {},
        schema_version=int(header.get("schema_version") or 0),
        created_at=str(header.get("created_at", "")),
    )


def _header(line: bytes, shown: str) -> dict[str, Any]:
    try:
        header = json.loads(line)
    except ValueError:
        header = None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise BundleError("merge.error.not_bundle", path=shown)
    version, schema = header.get("version"), header.get("schema_version")
    if not isinstance(version, int) or version > VERSION:
        raise BundleError("merge.error.bundle_too_new", path=shown, found=version, known=VERSION)
    if not isinstance(schema, int) or schema > SCHEMA.version:
        raise StoreTooNew(path=shown, found=schema, known=SCHEMA.version)
    return header


def read_store(path: Path) -> Bundle:
    """Another store's documents, read without locking it or building its indexes."""
    from fieldtui.store.backend import EngineBackend

    backend = EngineBackend(path, read_only=True, create=False)
    try:
        version = stored_version(backend)
        if version is not None and version > SCHEMA.version:
            raise StoreTooNew(path=str(path), found=version, known=SCHEMA.version)
        if version is not None and version < SCHEMA.version:
            raise StoreReadOnly(
                "repository.error.needs_migration",
                path=str(path),
                found=version,
                known=SCHEMA.version,
            )
        tables = backend.tables()
        with paused_gc():  # (a big table's documents are parsed here: 100k new dicts)
            docs = {name: list(tables.get(name, {}).values()) for name in BUNDLE_TABLES}
        store_id = ""
        for doc in tables.get(ix.META, {}).values():
            store_id = str(doc.get("store_id", store_id))
    finally:
        backend.close()
    source = {"store_id": store_id, "path": str(path)}
    return Bundle(tables=docs, source=source, schema_version=version or SCHEMA.version)


def read_source(path: Path) -> Bundle:
    """A bundle file, or a store file, as a `Bundle` (FileNotFoundError when missing)."""
    if not path.is_file():
        raise FileNotFoundError(path)
    return read_bundle(path) if is_bundle_file(path) else read_store(path)
