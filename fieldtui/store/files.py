"""The store's files on disk: loading snapshot + journal consistently, polling for others'
saves, appending a transaction durably, and compaction (see `fieldtui.store.engine`)."""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from fieldtui.store import journal as fmt
from fieldtui.store.errors import StoreCorrupt, StoreError, StoreTooNew, StoreWarning
from fieldtui.store.sharing import file_mode_for, is_shared_directory

Loaded = tuple[dict[str, Any] | None, fmt.Tables, list[dict[str, Any]]]
_RO = os.O_RDONLY | os.O_CLOEXEC


def _identity(st: os.stat_result) -> tuple[int, int]:
    return st.st_dev, st.st_ino


class FileSet:
    """Open handles on PATH and PATH.journal and how far this process has read the journal.

    Both files stay open so their inode numbers cannot be reused: a different inode at the
    path then reliably means "replaced by a compaction".
    """

    def __init__(self, path: Path, *, sync: bool) -> None:
        self.path = path
        self.jpath = path.with_name(path.name + ".journal")
        self.sync = sync
        self.generation = ""
        self.snapshot_seq = 0  # the last transaction the snapshot holds
        self.snapshot_size = 0
        self._snap: tuple[int, tuple[int, int]] | None = None  # fd, identity
        # [size, mtime_ns] of the snapshot when its bytes are known to be the engine's own (it
        # wrote them, or a journal header vouched for them): journal headers carry it.
        self._stamp: list[int] | None = None
        self._jfd: int | None = None
        self._jid: tuple[int, int] | None = None
        self._jw: int | None = None  # append handle on the same journal
        self.journal_size = 0  # bytes of the journal this process has read (and applied)
        self._jvalid = False  # journal header matches the snapshot's generation

    # -- reading ---------------------------------------------------------------------------

    def load(self) -> Loaded:
        """Snapshot header, tables and the journal records of its generation, consistently."""
        for _attempt in range(50):
            try:
                sfd = os.open(self.path, _RO)
            except FileNotFoundError:
                raise StoreError("store.error.missing", path=str(self.path)) from None
            except PermissionError:
                raise StoreError("store.error.unreadable", path=str(self.path)) from None
            st = os.fstat(sfd)
            jfd: int | None = None
            try:
                buf = fmt.read_fd(sfd, 0, st.st_size)
                peeked = fmt.peek_generation(buf) or ""
                jfd, jid, records, offset, valid, stamp = self._open_journal(peeked)
                # The journal's header says which snapshot bytes its compaction wrote: only
                # those are split into raw documents; an edited file is parsed in full.
                trusted = valid and stamp == [st.st_size, st.st_mtime_ns]
                header, tables = fmt.parse_snapshot(buf, self.path, raw=trusted)
                del buf
                generation = str(header.get("generation", "")) if header else ""
                if generation != peeked:  # (a header not on the first line: a hand edit)
                    if jfd is not None:
                        os.close(jfd)
                    jfd = None
                    jfd, jid, records, offset, valid, _ = self._open_journal(generation)
                try:
                    same = _identity(os.stat(self.path)) == _identity(st)
                except FileNotFoundError:
                    raise StoreError("store.error.missing", path=str(self.path)) from None
            except BaseException:
                os.close(sfd)
                if jfd is not None:
                    os.close(jfd)
                raise
            if same:
                self._close()
                self._snap = sfd, _identity(st)
                self._stamp = [st.st_size, st.st_mtime_ns] if trusted else None
                self.snapshot_size = st.st_size
                self.generation = generation
                self.snapshot_seq = int(header.get("seq", 0)) if header else 0
                self._jfd, self._jid, self.journal_size, self._jvalid = jfd, jid, offset, valid
                return header, tables, records
            os.close(sfd)  # a compaction slipped in between: read again
            if jfd is not None:
                os.close(jfd)
        raise StoreError("store.error.busy", path=str(self.path))

    def _open_journal(
        self, generation: str
    ) -> tuple[int | None, tuple[int, int] | None, list[dict[str, Any]], int, bool, Any]:
        """The journal opened: fd, identity, records of ``generation``, bytes read, whether it
        belongs to that generation, and the snapshot stamp in its header ([size, mtime_ns])."""
        try:
            jfd = os.open(self.jpath, _RO)
        except FileNotFoundError:
            return None, None, [], 0, False, None
        st = os.fstat(jfd)
        payloads, used, damaged = fmt.parse_lines(fmt.read_fd(jfd, 0, st.st_size))
        if damaged:
            os.close(jfd)
            raise StoreCorrupt(path=str(self.jpath), detail=f"damaged line at byte {used}")
        head = payloads[0] if payloads else {}
        found = str(head.get("h", fmt.FORMAT))
        version = found.partition("/")[2]
        if version.isdigit() and int(version) > fmt.FORMAT_VERSION:
            os.close(jfd)
            raise StoreTooNew(path=str(self.jpath), found=found, known=fmt.FORMAT)
        if not payloads or head.get("g") != generation:
            return jfd, _identity(st), [], used, False, None  # stale: all in the snapshot
        return jfd, _identity(st), payloads[1:], used, True, head.get("s")

    def poll(self, generation: str) -> Literal["reload"] | list[dict[str, Any]]:
        """New journal records since the last call, or "reload" after a compaction."""
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            raise StoreError("store.error.missing", path=str(self.path)) from None
        if self._snap is None or _identity(st) != self._snap[1]:
            return "reload"
        try:
            jst = os.stat(self.jpath)
        except FileNotFoundError:
            self._close_journal()  # deleted under us: never append to a file nobody can see
            self._jvalid = False
            return []
        if _identity(jst) != self._jid:
            # A writer put a fresh journal in place for our snapshot (or a compaction is under
            # way and the snapshot will differ when we look again).
            jfd, jid, records, offset, valid, _ = self._open_journal(generation)
            if not valid:
                if jfd is not None:
                    os.close(jfd)
                return "reload"
            self._close_journal()
            self._jfd, self._jid, self.journal_size, self._jvalid = jfd, jid, offset, True
            return records
        if not self._jvalid or jst.st_size <= self.journal_size or self._jfd is None:
            return []
        new = fmt.read_fd(self._jfd, self.journal_size, jst.st_size - self.journal_size)
        payloads, used, damaged = fmt.parse_lines(new)
        if damaged:
            raise StoreCorrupt(
                path=str(self.jpath), detail=f"damaged line at byte {self.journal_size + used}"
            )
        self.journal_size += used
        return payloads

    def state(self) -> list[int] | None:
        """What this process has read, as `file_state` gives it for the files on disk; None
        when the journal holds bytes not applied yet (another process's save in progress)."""
        if self._snap is None:
            return None
        journal = [0, 0, 0, 0]
        if self._jfd is not None:
            jst = os.fstat(self._jfd)
            if jst.st_size != self.journal_size:
                return None
            journal = [jst.st_dev, jst.st_ino, jst.st_size, jst.st_mtime_ns]
        sst = os.fstat(self._snap[0])
        return [sst.st_dev, sst.st_ino, sst.st_size, sst.st_mtime_ns, *journal]

    # -- writing (all under the store's write lock) -----------------------------------------

    def create_store(self, header: dict[str, Any]) -> None:
        """Create an empty store: snapshot first, then its journal."""
        if self.jpath.exists():
            raise StoreCorrupt(path=str(self.path), detail="journal without snapshot")
        try:
            self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            mode = file_mode_for(self.path.parent)
            fmt.replace_atomically(
                self.path, iter(fmt.snapshot_chunks(header, {})), mode, sync=self.sync
            )
            self._write_journal_header(str(header["generation"]), int(header["seq"]))
        except OSError as exc:
            raise fmt.os_error(exc, self.path) from None

    def append(self, line: bytes, generation: str, seq: int) -> None:
        """Append one transaction line and fsync it; on failure leave the journal as it was."""
        try:
            fd = self._writable_journal(generation, seq)
        except OSError as exc:
            raise fmt.os_error(exc, self.jpath) from None
        start = self.journal_size
        try:
            fmt.write_all(fd, line)
            if self.sync:
                os.fsync(fd)
        except OSError as exc:
            # If even this fails, the torn tail is ignored by readers and cut by the next writer.
            with contextlib.suppress(OSError):
                os.ftruncate(fd, start)
            raise fmt.os_error(exc, self.jpath) from None
        self.journal_size = start + len(line)

    def journal_lost(self, seq: int) -> bool:
        """True when transactions up to ``seq`` are neither in the snapshot nor in a journal
        (someone deleted the journal): only a compaction can save them."""
        return seq != self.snapshot_seq and (not self._jvalid or self._jfd is None)

    def _writable_journal(self, generation: str, seq: int) -> int:
        if not self._jvalid or self._jfd is None:
            self._write_journal_header(generation, seq)  # missing or stale journal
        assert self._jfd is not None
        if self._jw is None:
            self._jw = os.open(self.jpath, os.O_WRONLY | os.O_APPEND | os.O_CLOEXEC)
            if _identity(os.fstat(self._jw)) != self._jid:
                raise OSError(0, "journal replaced while opening it")
        size = os.fstat(self._jw).st_size
        if size > self.journal_size:
            # Left by a writer killed mid-append (we hold the lock and have read every
            # complete line): cut it off unless a valid line follows, which would be damage.
            tail = fmt.read_fd(self._jfd, self.journal_size, size - self.journal_size)
            payloads, _used, damaged = fmt.parse_lines(tail)
            if payloads or damaged:
                raise StoreCorrupt(
                    path=str(self.jpath), detail=f"damaged line at byte {self.journal_size}"
                )
            os.ftruncate(self._jw, self.journal_size)
            if self.sync:
                os.fsync(self._jw)
        return self._jw

    def _write_journal_header(self, generation: str, seq: int) -> None:
        header: dict[str, Any] = {"h": fmt.FORMAT, "g": generation, "b": seq}
        if self._stamp is not None:
            # Which snapshot bytes this journal follows (`load` trusts only those for raw
            # tables): a snapshot is only ever replaced, so size and mtime name its bytes.
            # Never a snapshot loaded untrusted (a hand edit): it stays parsed in full until
            # the next compaction writes one of our own.
            header["s"] = self._stamp
        line = fmt.encode_line(header)
        mode = file_mode_for(self.path.parent)
        fmt.replace_atomically(self.jpath, iter([line]), mode, sync=self.sync)
        jfd = os.open(self.jpath, _RO)
        self._close_journal()
        self._jfd, self._jid = jfd, _identity(os.fstat(jfd))
        self.journal_size, self._jvalid = len(line), True

    def compact(self, header: dict[str, Any], tables: Mapping[str, Mapping[str, Any]]) -> None:
        """Write the whole state as a new snapshot (new generation), then a fresh journal.

        Raises OSError; if the snapshot was replaced, `generation` already names the new one.
        """
        self._remove_stray_temp_files()
        mode = file_mode_for(self.path.parent)
        fmt.replace_atomically(self.path, fmt.snapshot_chunks(header, tables), mode, sync=self.sync)
        sfd = os.open(self.path, _RO)
        st = os.fstat(sfd)
        if self._snap is not None:
            os.close(self._snap[0])
        self._snap, self.snapshot_size = (sfd, _identity(st)), st.st_size
        self._stamp = [st.st_size, st.st_mtime_ns]  # the bytes just written
        self.generation, self._jvalid = str(header["generation"]), False
        self.snapshot_seq = int(header["seq"])
        self._write_journal_header(self.generation, int(header["seq"]))

    def _remove_stray_temp_files(self) -> None:
        # Left by a process killed while writing one; we hold the lock, so none is in use.
        prefixes = (f"{self.path.name}.tmp-", f"{self.jpath.name}.tmp-")
        with contextlib.suppress(OSError):
            for entry in os.scandir(self.path.parent):
                if entry.name.startswith(prefixes):
                    with contextlib.suppress(OSError):
                        os.unlink(entry.path)

    # -- closing -------------------------------------------------------------------------

    def _close_journal(self) -> None:
        for fd in (self._jfd, self._jw):
            if fd is not None:
                os.close(fd)
        self._jfd = self._jw = None
        self._jid = None

    def _close(self) -> None:
        self._close_journal()
        if self._snap is not None:
            os.close(self._snap[0])
            self._snap = None

    def close(self) -> None:
        """Close both files."""
        self._close()


def file_state(path: Path) -> list[int] | None:
    """The store's files as they are now: device, inode, size and mtime of the snapshot, then
    of the journal (zeros without one); None without a snapshot. Two equal states mean the same
    files with the same bytes (a snapshot is only ever replaced, a journal only appended to)."""
    try:
        sst = os.stat(path)
    except OSError:
        return None
    try:
        jst = os.stat(path.with_name(path.name + ".journal"))
        journal = [jst.st_dev, jst.st_ino, jst.st_size, jst.st_mtime_ns]
    except FileNotFoundError:
        journal = [0, 0, 0, 0]
    except OSError:
        return None
    return [sst.st_dev, sst.st_ino, sst.st_size, sst.st_mtime_ns, *journal]


def privacy_warning(path: Path) -> StoreWarning | None:
    """A warning when a store file is readable beyond its owner and a deliberately shared group."""
    shared = is_shared_directory(path.parent)
    exposed = 0o007 if shared else 0o077
    for candidate in (path, path.with_name(path.name + ".journal")):
        try:
            mode = candidate.stat().st_mode
        except OSError:
            continue
        if mode & exposed:
            return StoreWarning(path=str(candidate), mode=f"0{stat.S_IMODE(mode):o}")
    return None
