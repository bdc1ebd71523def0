"""JournalStorage: a crash-safe, multi-process TinyDB storage whose save cost follows the change.

Files for a store at PATH: PATH (snapshot: plain TinyDB JSON plus an ``_engine`` pseudo-table
holding {format, generation, seq, next_ids}), PATH.journal (header line {format, generation,
base seq}, then one checksummed line per committed transaction) and PATH.lock (flock target).
The state is the snapshot plus the journal lines of the same generation, in seq order.

Writing (`transaction`, every TinyDB write runs in one): take the flock on PATH.lock (waiting
up to lock_timeout), refresh from disk, change the in-memory state while recording an undo
log, append one line and fsync it, release. The save is acknowledged only after the fsync. If
the append or fsync fails, the journal is cut back to its old length and memory rolled back.

Reading takes no lock: `refresh()` stats PATH and PATH.journal (cheap when nothing changed)
and reads only the journal bytes past its offset; complete, checksummed lines are applied,
an unfinished last line is left for later. A process killed mid-append leaves such a torn
tail: readers ignore it and the next writer (under the lock) cuts it off, unless a valid
line follows it — that is damage, reported as StoreCorrupt, never "repaired".

Compaction (a writer, still under the lock, when the journal outgrows max(compact_bytes,
compact_ratio x snapshot)): 1. write the whole state with a new generation G2 to PATH.tmp-*,
fsync; 2. rename it over PATH, fsync the directory; 3. write a new journal with header G2 to
a temp file, fsync, rename it over PATH.journal, fsync the directory. Crash windows: before
2, the old snapshot and journal are intact (a stray temp file is harmless); between 2 and 3,
PATH has G2 and the journal still says G: a journal of another generation is stale — every
line in it is already in the snapshot — so it is ignored, and the next writer replaces it
before appending. Other processes keep PATH and the journal open, so inode numbers cannot be
reused under them; a new PATH inode means "reload everything" and their listeners get
``Change("*", 0, None)``. Loading re-checks PATH after reading the journal and starts again if
a compaction slipped in between.

In memory, a big table loaded from the snapshot is a `RawTable`: its documents stay as the
bytes of their snapshot lines and are parsed whenever they are read (at 100k sign-ups the
parsed documents took ~250 MB more); documents written since are the dicts written. A
compaction writes the raw ones back as they are.

Every file is created with `file_mode_for` its folder (0600, or 0660 in a group-shared one).
Loading runs with the cyclic GC paused and, for big stores, ends with ``gc.freeze()``.
"""

from __future__ import annotations

import gc
import os
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, cast

from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Table

from fieldtui.store import journal as fmt
from fieldtui.store.errors import StoreCorrupt, StoreError, StoreReadOnly, StoreTooNew
from fieldtui.store.files import FileSet, privacy_warning
from fieldtui.store.gcpause import freeze_long_lived
from fieldtui.store.locking import FileLock
from fieldtui.store.sharing import file_mode_for
from fieldtui.store.table import JournalTable
from fieldtui.store.txn import RELOAD, Change, Transaction, apply_record

__all__ = ["Change", "JournalDB", "JournalStorage", "JournalTable", "file_mode_for", "open_db"]

Listener = Callable[[list[Change]], None]


class JournalStorage(Storage):
    """A TinyDB storage: snapshot + fsync'd journal, flock-serialised writers (see module doc)."""

    def __init__(
        self,
        path: str | Path,
        *,
        lock_timeout: float = 5.0,
        read_only: bool = False,
        create: bool = True,
        fsync: bool = True,
        compact_bytes: int = 4 << 20,
        compact_ratio: float = 0.25,
    ) -> None:
        self.path = Path(path)
        self.read_only = read_only
        self.compact_bytes, self.compact_ratio = compact_bytes, compact_ratio
        self._files = FileSet(self.path, sync=fsync)
        self._lock = FileLock(self.path.with_name(self.path.name + ".lock"), lock_timeout)
        self._tables: fmt.Tables = {}
        self._next_ids: dict[str, int] = {}
        self._seq = 0
        self._tx: Transaction | None = None
        self._depth = 0
        self._listeners: list[Listener] = []
        self._table_objs: weakref.WeakSet[JournalTable] = weakref.WeakSet()
        # Set by a TinyDB query that cached its answer: writes then clear the tables' caches
        # (the repository reads through its own indexes, so most writes have none to clear).
        self.caches_used = False
        self._compact_after = 0  # journal size below which no compaction is tried
        if not self.path.exists():
            if read_only or not create:
                raise StoreError("store.error.missing", path=str(self.path))
            self._create()
        self._load()

    @property
    def generation(self) -> str:
        """The snapshot generation this process has loaded (changes at each compaction)."""
        return self._files.generation

    # -- TinyDB Storage API --------------------------------------------------------------

    def read(self) -> dict[str, dict[str, Any]] | None:
        """The live tables (a new outer dict; tables and documents are shared, do not edit).

        A big table loaded from the snapshot is a `RawTable` (a mapping, not a dict)."""
        return cast(dict[str, dict[str, Any]], dict(self._tables))

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        """Replace the whole state (stock TinyDB path: drop_table(s), stock Table writes)."""
        with self.transaction():
            tx = self._tx
            assert tx is not None
            for name in [n for n in self._tables if n not in data]:
                tx.remember_table(name, self._tables.pop(name))
                self._next_ids.pop(name, None)
                tx.drop(name)
            for name, table in data.items():
                if table is not self._tables.get(name):
                    self.apply_view(name, True, {str(k): v for k, v in table.items()})

    def close(self) -> None:
        """Close every file (the store stays as it is on disk)."""
        self._files.close()
        self._lock.close()

    # -- reading other processes' saves --------------------------------------------------

    def refresh(self) -> list[Change]:
        """Apply other processes' saves; a couple of stat() calls when nothing changed."""
        with self._thread_guard():
            if self._depth:
                return []  # we hold the write lock: nobody else can have written
            changes = self._refresh()
        self._notify(changes)
        return changes

    def state(self) -> list[int] | None:
        """The files as this process has read them (see `files.file_state`), or None while a
        transaction is open or another process's save is not applied yet."""
        with self._thread_guard():
            return None if self._depth else self._files.state()

    def add_listener(self, callback: Listener) -> None:
        """Call ``callback`` with each batch of applied changes (ours and others'), in order."""
        self._listeners.append(callback)

    def remove_listener(self, callback: Listener) -> None:
        """Stop calling ``callback`` (if it was added)."""
        if callback in self._listeners:
            self._listeners.remove(callback)

    @property
    def world_readable(self) -> bool:
        """True when a store file can be read beyond its owner (and a deliberately shared group)."""
        return privacy_warning(self.path) is not None

    def privacy_warning(self) -> StoreError | None:
        """A translated warning when store files are readable by others, else None."""
        return privacy_warning(self.path)

    # -- transactions --------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Lock, refresh, buffer every write inside, commit them as one fsync'd journal line.

        An exception inside rolls the in-memory state back; a failed commit raises DiskFull,
        StoreReadOnly or StoreError after rolling back. Nested use joins the outer transaction.
        """
        if self.read_only:
            raise StoreReadOnly("store.error.read_only_mode", path=str(self.path))
        self._lock.acquire()
        foreign: list[Change] = []
        try:
            if self._depth == 0:
                foreign = self._refresh()
                if self._files.journal_lost(self._seq):
                    self._compact_now()
                self._tx = Transaction(next_ids=dict(self._next_ids))
        except BaseException:
            self._lock.release()
            raise
        self._depth += 1
        mine: list[Change] = []
        try:
            self._notify(foreign)  # inside: a failing listener must not leave the lock held
            yield
            if self._depth == 1:
                mine = self._commit()
        except BaseException:
            if self._depth == 1:
                self._rollback()
            raise
        else:
            if mine:  # after the commit: nothing here may roll an acknowledged save back
                self._maybe_compact()
        finally:
            self._depth -= 1
            if self._depth == 0:
                self._tx = None
            self._lock.release()
        self._notify(mine)

    def compact(self) -> None:
        """Write the whole state into a fresh snapshot now (e.g. before copying it as a backup)."""
        with self.transaction():
            self._compact_now()

    def live_table(self, name: str) -> fmt.Table | None:
        """The live table (for JournalTable's view); None when it does not exist."""
        return self._tables.get(name)

    def allocate_id(self, name: str) -> int:
        """The next doc id of ``name`` from the refreshed store-wide state (in a transaction)."""
        assert self._tx is not None, "allocate_id needs a transaction"
        high = self._next_ids.get(name)
        if high is None:
            high = max((int(k) for k in self._tables.get(name, {})), default=0)
        self._next_ids[name] = high + 1
        return high + 1

    def apply_view(self, name: str, cleared: bool, docs: dict[str, dict[str, Any] | None]) -> None:
        """Apply one table operation's changes in place, with undo (inside a transaction)."""
        tx = self._tx
        assert tx is not None, "apply_view needs a transaction"
        table = self._tables.get(name)
        if table is not None and not cleared and not docs:
            return
        if table is None or cleared:
            tx.remember_table(name, table)
            table = self._tables[name] = {}
            delta = tx.delta(name)
            delta.replaced, delta.docs = True, {}
            if cleared:
                self._next_ids[name] = 0
        else:
            delta = tx.delta(name)
        high = self._next_ids.get(name, 0)
        for doc_id, doc in docs.items():
            tx.remember_doc(table, doc_id)
            if doc is None:
                table.pop(doc_id, None)
            else:
                table[doc_id] = doc
                high = max(high, int(doc_id))
            delta.docs[doc_id] = doc
        self._next_ids[name] = high
        self._clear_caches()

    def register_table(self, table: JournalTable) -> None:
        """Let ``table``'s query cache be cleared whenever data changes."""
        self._table_objs.add(table)

    # -- internals -----------------------------------------------------------------------

    @contextmanager
    def _thread_guard(self) -> Iterator[None]:
        # Same re-entrant thread lock as writers use, without the OS lock.
        with self._lock._threads:
            yield

    def _notify(self, changes: list[Change]) -> None:
        if changes:
            self._clear_caches()
            for callback in list(self._listeners):
                callback(changes)

    def _clear_caches(self) -> None:
        if not self.caches_used:
            return
        self.caches_used = False  # before clearing: a query caching meanwhile sets it again
        for table in list(self._table_objs):
            table.clear_cache()

    def _create(self) -> None:
        self._lock.acquire()
        try:
            if not self.path.exists():
                self._files.create_store(self._header(fmt_generation()))
        finally:
            self._lock.release()

    def _header(self, generation: str) -> dict[str, Any]:
        return {
            "format": fmt.FORMAT,
            "generation": generation,
            "seq": self._seq,
            "next_ids": dict(self._next_ids),
        }

    def _load(self) -> None:
        enabled = gc.isenabled()
        gc.disable()  # millions of new containers: collecting meanwhile only slows the load
        try:
            header, tables, records = self._files.load()
            self._check_format(header)
            self._seq = int(header.get("seq", 0)) if header else 0
            ids = header.get("next_ids", {}) if header else {}
            self._next_ids = {str(k): int(v) for k, v in ids.items() if k in tables}
            self._tables = tables
            self._apply(records, collect=False)
            # The documents are long-lived and acyclic: left in the young generations, every
            # collection for a while walks all of them (at 100k docs that made building the
            # repository's indexes 6x slower). Freezing moves them out of the collector's way,
            # before it is on again (its first pass would walk them all).
            freeze_long_lived(sum(map(len, self._tables.values())))
        finally:
            if enabled:
                gc.enable()

    def _check_format(self, header: dict[str, Any] | None) -> None:
        found = str(header.get("format", fmt.FORMAT)) if header else fmt.FORMAT
        name, _, version = found.partition("/")
        if name != fmt.FORMAT_NAME or not version.isdigit():
            raise StoreCorrupt(path=str(self.path), detail=f"format {found!r}")
        if int(version) > fmt.FORMAT_VERSION:
            raise StoreTooNew(path=str(self.path), found=found, known=fmt.FORMAT)

    def _apply(self, records: list[dict[str, Any]], *, collect: bool = True) -> list[Change]:
        changes: list[Change] = []
        for payload in records:
            seq = int(payload.get("s", 0))
            if seq <= self._seq:
                continue  # already in the snapshot
            if seq != self._seq + 1:
                raise StoreCorrupt(
                    path=str(self.path), detail=f"journal jumps from {self._seq} to {seq}"
                )
            changes.extend(apply_record(self._tables, self._next_ids, payload, collect=collect))
            self._seq = seq
        return changes

    def _refresh(self) -> list[Change]:
        state = self._files.poll(self.generation)
        if state == "reload":
            self._load()
            return [RELOAD]
        return self._apply(state)

    def _commit(self) -> list[Change]:
        tx = self._tx
        assert tx is not None
        if tx.empty():
            return []
        line = fmt.encode_line(tx.record(self._seq + 1))
        self._files.append(line, self.generation, self._seq)
        self._seq += 1
        return tx.changes(self._tables)

    def _rollback(self) -> None:
        tx = self._tx
        if tx is None:
            return
        tx.rollback(self._tables)
        self._next_ids = tx.next_ids
        self._clear_caches()

    def _compact_now(self) -> None:
        try:
            self._files.compact(self._header(fmt_generation()), self._tables)
        except OSError as exc:
            raise fmt.os_error(exc, self.path) from None

    def _maybe_compact(self) -> None:
        size = self._files.journal_size
        limit = max(self.compact_bytes, int(self.compact_ratio * self._files.snapshot_size))
        if size <= max(limit, self._compact_after):
            return
        try:
            self._files.compact(self._header(fmt_generation()), self._tables)
        except OSError:
            # The save itself is safe in the journal; try again once it has grown further.
            self._compact_after = size + limit
            return
        self._compact_after = 0


def fmt_generation() -> str:
    """A fresh generation id."""
    return os.urandom(8).hex()


class JournalDB(TinyDB):
    """TinyDB whose tables are JournalTables; ``storage`` is the JournalStorage."""

    table_class: type[Table] = JournalTable

    @property
    def storage(self) -> JournalStorage:
        """The JournalStorage under this database."""
        storage = self._storage
        assert isinstance(storage, JournalStorage)
        return storage


def open_db(
    path: str | Path,
    *,
    lock_timeout: float = 5.0,
    read_only: bool = False,
    create: bool = True,
    fsync: bool = True,
    **options: Any,
) -> JournalDB:
    """A TinyDB on a JournalStorage at ``path`` (``db.storage`` is the JournalStorage)."""
    return JournalDB(
        path,
        storage=JournalStorage,
        lock_timeout=lock_timeout,
        read_only=read_only,
        create=create,
        fsync=fsync,
        **options,
    )
