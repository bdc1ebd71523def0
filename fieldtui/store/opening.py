"""Opening a store in a background thread, so the app can draw its first screen meanwhile.

`StoreOpening` runs one ``open`` callable (open the store, sign the user in, read the figures
the first screen shows) in a thread of its own and keeps what it gave: the store, or the
translated reason it could not be used (`StartRefused`), or an unexpected error for the caller
to raise. Whoever started it `close`s it: that waits for the thread and closes the store.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from fieldtui.store.repository import Store


class StartRefused(Exception):
    """The store cannot be used as asked: ``message`` is the translated reason."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class StoreOpening:
    """One store being opened in the background (see the module docstring)."""

    def __init__(self, open_store: Callable[[], Store]) -> None:
        self._open = open_store
        self._thread: threading.Thread | None = None
        self.store: Store | None = None
        self.refusal: str | None = None
        self.error: BaseException | None = None

    @property
    def started(self) -> bool:
        """True once `start` has been called."""
        return self._thread is not None

    def start(self, when_done: Callable[[], None]) -> None:
        """Open the store in a new thread, then call ``when_done`` (in that thread)."""
        if self._thread is not None:
            return
        self._thread = threading.Thread(
            target=self._run, args=(when_done,), name="fieldtui-open-store", daemon=True
        )
        self._thread.start()

    def _run(self, when_done: Callable[[], None]) -> None:
        try:
            self.store = self._open()
        except StartRefused as exc:
            self.refusal = exc.message
        except BaseException as exc:  # handed to the caller to raise
            self.error = exc
        when_done()

    def join(self) -> None:
        """Wait until the thread (if started) is done."""
        if self._thread is not None:
            self._thread.join()

    def close(self) -> None:
        """Wait for the opening to finish and close the store it opened."""
        self.join()
        if self.store is not None:
            self.store.close()
            self.store = None
