"""The cyclic garbage collector around big loads: `paused_gc` (no collections inside a block that
makes many objects at once) and `freeze_long_lived` (then keep those objects out of its way)."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic collector (as it was before, after).

    Building or streaming 100k documents makes millions of containers; left on, the collector
    runs dozens of full passes that free nothing (a third of the time, measured in the
    progress books, bundles and exports).
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


FREEZE_AT = 20_000  # documents from which gc.freeze() pays off


def freeze_long_lived(documents: int) -> None:
    """After building what lives as long as the store for ``documents`` documents (the loaded
    tables, the indexes, the progress facts, the search indexes), move every object tracked
    now out of the collector's way (`gc.freeze`), when there are enough of them.

    Left in the collected generations, they make the next full collection walk all of them:
    at 100k sign-ups about 0.25 s, on whichever thread triggers it: a key press in the app
    waited for it while the store was being opened.
    """
    if documents >= FREEZE_AT:
        gc.freeze()
