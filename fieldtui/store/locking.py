"""The store's write lock: flock on PATH.lock, plus a lock for this process's threads."""

from __future__ import annotations

import errno
import fcntl
import os
import threading
import time
from pathlib import Path

from fieldtui.store.errors import StoreLocked, StoreReadOnly
from fieldtui.store.sharing import file_mode_for


class FileLock:
    """Exclusive writer lock shared by every process that opens the store.

    flock is per open file, so two threads of one process would both "get" it: a re-entrant
    thread lock is taken first. Waiting is bounded by ``timeout``; then `StoreLocked`.
    """

    def __init__(self, path: Path, timeout: float) -> None:
        self.path = path
        self.timeout = timeout
        self._fd: int | None = None
        self._threads = threading.RLock()
        self._held = 0

    def _open(self) -> int:
        if self._fd is None:
            try:
                self._fd = self._open_file()
            except OSError as exc:
                if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
                    raise StoreReadOnly(path=str(self.path)) from None
                raise
        return self._fd

    def _open_file(self) -> int:
        mode = file_mode_for(self.path.parent)
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, mode)
        except FileExistsError:
            try:
                return os.open(self.path, os.O_RDWR | os.O_CLOEXEC)
            except PermissionError:
                # flock needs only an open file: a read-only one will do.
                return os.open(self.path, os.O_RDONLY | os.O_CLOEXEC)
        os.fchmod(fd, mode)
        return fd

    def acquire(self) -> None:
        """Take the lock (re-entrant in this thread); StoreLocked after ``timeout`` seconds."""
        deadline = time.monotonic() + self.timeout
        if not self._threads.acquire(timeout=max(self.timeout, 0.0)):
            raise StoreLocked(path=str(self.path), seconds=f"{self.timeout:g}")
        if self._held:
            self._held += 1
            return
        try:
            fd = self._open()
            pause = 0.001
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise StoreLocked(
                            path=str(self.path), seconds=f"{self.timeout:g}"
                        ) from None
                    time.sleep(pause)
                    pause = min(pause * 2, 0.02)
        except BaseException:
            self._threads.release()
            raise
        self._held = 1

    def release(self) -> None:
        """Give the lock back (the OS lock when the outermost holder releases)."""
        self._held -= 1
        if self._held == 0 and self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
        self._threads.release()

    @property
    def held(self) -> bool:
        """True while this process holds the lock."""
        return self._held > 0

    def close(self) -> None:
        """Close the lock file (releasing any OS lock with it)."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
