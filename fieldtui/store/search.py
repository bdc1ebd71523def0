"""Search as you type over one table's live rows: names by substring, NIKs by prefix.

Names: the live rows' folded names are joined newest first into one text blob
``"\\n" + "\\n".join(names) + "\\n"``, scanned with `str.find` in C, so "starts with" is a search
for ``"\\n" + text``, "a word starts with" for ``" " + text`` and "contains" for the text itself.
Each kind of match is met in newest-first order, so a search stops as soon as it has enough rows:
a few milliseconds at 100k.

Both searches are built on first use and then kept current change by change (they watch their
`TableIndex`): a save does not make the next key press pay for a rebuild (at 100k a rebuild
costs ~0.1 s for names, ~0.3 s for the NIK sort). Names changed since the blob was built sit in
a small overlay that is tested in Python and merged into the blob's hits by sort order; the
blob is rebuilt when the overlay outgrows `NameSearch.REBUILD_AFTER`.
"""

from __future__ import annotations

import bisect
import heapq
from collections.abc import Iterator
from itertools import accumulate

from fieldtui.store.indexes import Row, TableIndex


class NameSearch:
    """Ranked substring search over the folded names of one table's live rows."""

    REBUILD_AFTER = 512  # rows changed since the blob was built
    DENSE = 2_000  # occurrences from which a pass over every name beats hit-by-hit
    KEEP = 8  # recent "contains" answers kept for the next key typed

    def __init__(self, index: TableIndex) -> None:
        self.index = index
        self._built = False
        self._blob = "\n"
        self._starts: list[int] = []  # blob offset where each name begins
        self._doc_ids: list[int] = []  # newest first, as in the blob
        self._names: list[str] = []  # the folded names, in the same order
        self._recent: dict[str, list[int]] = {}  # needle -> blob positions (`_containing`)
        self._added: dict[int, Row] = {}  # live rows added or changed since the build
        self._gone: set[int] = set()  # blob rows removed or changed since the build
        index.watchers.append(self)

    # -- kept current by the index --------------------------------------------------------

    def row_removed(self, row: Row) -> None:
        """A row left the index (deleted document, or the old version of a changed one)."""
        if not self._built:
            return
        self._added.pop(row.doc_id, None)
        if not row.deleted:
            self._gone.add(row.doc_id)
        self._maybe_drop()

    def row_added(self, row: Row) -> None:
        """A row entered the index (new document, or the new version of a changed one)."""
        if not self._built:
            return
        if not row.deleted:
            self._added[row.doc_id] = row
        self._maybe_drop()

    def _maybe_drop(self) -> None:
        if len(self._added) + len(self._gone) > self.REBUILD_AFTER:
            self._built = False  # cheaper to rebuild at the next search than to carry on
            self._added.clear()
            self._gone.clear()

    def build(self) -> None:
        """Build the blob now (a warm-up; searches build it when they need it)."""
        if self._built:
            return
        rows = self.index.rows
        doc_ids = [doc_id for _, doc_id in reversed(self.index.order)]
        names = [rows[doc_id].text for doc_id in doc_ids]
        self._starts = list(accumulate((len(name) + 1 for name in names), initial=1))[:-1]
        self._blob = "\n" + "\n".join(names) + "\n"
        self._doc_ids, self._names = doc_ids, names
        self._recent.clear()
        self._added.clear()
        self._gone.clear()
        self._built = True

    # -- searching ------------------------------------------------------------------------

    def _hits(self, needle: str, shift: int) -> Iterator[int]:
        """Blob positions (newest first) whose name contains ``needle``; may repeat a row."""
        blob, starts, find = self._blob, self._starts, self._blob.find
        at = find(needle)
        while at != -1:
            position = bisect.bisect_right(starts, at + shift) - 1
            yield position
            # Skip to the next name: one hit per row is enough.
            at = find(needle, starts[position + 1] - 1 if position + 1 < len(starts) else len(blob))

    def _blob_doc_ids(self, needle: str, shift: int) -> Iterator[int]:
        """Doc ids of the blob's live rows matching ``needle``, newest first, each once."""
        doc_ids, gone = self._doc_ids, self._gone
        if shift == 0:
            found = [doc_ids[p] for p in self._containing(needle)]
            return iter([d for d in found if d not in gone] if gone else found)
        return (
            d for d in map(doc_ids.__getitem__, _once(self._hits(needle, shift))) if d not in gone
        )

    def _containing(self, needle: str) -> list[int]:
        """Blob positions (newest first) of every name containing ``needle``.

        Typing narrows a search: the names containing "wa" are among those containing "w", so
        the last few answers are kept (until the blob is rebuilt) and the longest one whose text
        is inside ``needle`` is filtered instead of searching all names again; backspacing
        finds its answer kept.
        """
        names, cache = self._names, self._recent
        found = cache.pop(needle, None)
        if found is None:
            narrower = max((text for text in cache if text in needle), key=len, default=None)
            if narrower is not None:
                found = [p for p in cache[narrower] if needle in names[p]]
            elif self._blob.count(needle) > self.DENSE:
                # Hit after hit costs a bisection each; past a few thousand, one pass over
                # every name in a comprehension is cheaper.
                found = [p for p, name in enumerate(names) if needle in name]
            else:
                found = list(_once(self._hits(needle, 0)))
        cache[needle] = found  # most recent last
        while len(cache) > self.KEEP:
            del cache[next(iter(cache))]
        return found

    def _matches(self, needle: str, shift: int) -> Iterator[int]:
        """Doc ids of every live row matching ``needle``, newest first (blob + overlay)."""
        found = self._blob_doc_ids(needle, shift)
        if not self._added:
            return found
        text = needle[shift:] if shift else needle
        if needle.startswith("\n"):
            extra = [r for r in self._added.values() if r.text.startswith(text)]
        elif needle.startswith(" "):
            extra = [r for r in self._added.values() if needle in r.text]
        else:
            extra = [r for r in self._added.values() if text in r.text]
        if not extra:
            return found
        extra.sort(key=_newest_key, reverse=True)
        rows = self.index.rows
        return (
            doc_id
            for doc_id in heapq.merge(
                found,
                (r.doc_id for r in extra),
                key=lambda d: (rows[d].sort_key, d),
                reverse=True,
            )
        )

    def find(self, folded: str, limit: int | None = None) -> list[int]:
        """Doc ids of rows whose name contains ``folded``: starts-with, then word-start, then
        anywhere, each newest first; at most ``limit`` (all when None)."""
        if not folded or "\n" in folded:
            return []
        self.build()
        found: list[int] = []
        seen: set[int] = set()
        for needle, shift in (("\n" + folded, 1), (" " + folded, 1), (folded, 0)):
            for doc_id in self._matches(needle, shift):
                if doc_id in seen:
                    continue
                seen.add(doc_id)
                found.append(doc_id)
                if limit is not None and len(found) >= limit:
                    return found
        return found

    def ordered(self, folded: str) -> list[int]:
        """Doc ids of every live row whose name contains ``folded``, newest first."""
        if not folded or "\n" in folded:
            return []
        self.build()
        return list(self._matches(folded, 0))

    def matching(self, folded: str) -> set[int]:
        """Doc ids of every live row whose name contains ``folded`` (for list filters)."""
        if not folded or "\n" in folded:
            return set()
        self.build()
        found = set(self._blob_doc_ids(folded, 0))
        found.update(r.doc_id for r in self._added.values() if folded in r.text)
        return found


def _once(positions: Iterator[int]) -> Iterator[int]:
    """``positions`` (ascending, possibly repeated) without repeats."""
    last = -1
    for position in positions:
        if position != last:
            last = position
            yield position


def _newest_key(row: Row) -> tuple[str, int]:
    return (row.sort_key, row.doc_id)


class NikSearch:
    """Live rows by NIK prefix: their NIKs kept sorted (built on first use, then kept current
    change by change), so a prefix is two bisections instead of a pass over every row."""

    def __init__(self, index: TableIndex) -> None:
        self.index = index
        self._built = False
        self._niks: list[str] = []
        self._doc_ids: list[int] = []  # in the order of _niks
        index.watchers.append(self)

    def build(self) -> None:
        """Sort the NIKs now (a warm-up; a search sorts them when it needs them)."""
        if self._built:
            return
        live = [(row.nik, doc_id) for doc_id, row in self.index.rows.items() if not row.deleted]
        niks = [nik for nik, _ in live]
        order = sorted(range(len(live)), key=niks.__getitem__)  # 2x faster than sorting pairs
        self._niks = [niks[i] for i in order]
        self._doc_ids = [live[i][1] for i in order]
        self._built = True

    def row_removed(self, row: Row) -> None:
        """Forget a live row's NIK."""
        if not self._built or row.deleted:
            return
        low = bisect.bisect_left(self._niks, row.nik)
        high = bisect.bisect_right(self._niks, row.nik, lo=low)
        for i in range(low, high):
            if self._doc_ids[i] == row.doc_id:
                del self._niks[i]
                del self._doc_ids[i]
                return

    def row_added(self, row: Row) -> None:
        """Add a live row's NIK in its place."""
        if not self._built or row.deleted:
            return
        i = bisect.bisect_right(self._niks, row.nik)
        self._niks.insert(i, row.nik)
        self._doc_ids.insert(i, row.doc_id)

    def _span(self, prefix: str) -> tuple[int, int]:
        self.build()
        low = bisect.bisect_left(self._niks, prefix)
        return low, bisect.bisect_left(self._niks, prefix + "\uffff", lo=low)

    def matching(self, prefix: str) -> list[int]:
        """Doc ids of the live rows whose NIK starts with ``prefix`` (in NIK order)."""
        low, high = self._span(prefix)
        return self._doc_ids[low:high]

    def count(self, prefix: str) -> int:
        """How many live rows have a NIK starting with ``prefix``."""
        low, high = self._span(prefix)
        return high - low
