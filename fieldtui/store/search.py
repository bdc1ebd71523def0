"""Name search as you type: one text blob of folded names, scanned with `str.find` in C.

The live sign-ups' folded names are joined newest first into ``"\\n" + "\\n".join(names) + "\\n"``
(rebuilt lazily after a change), so "starts with" is a search for ``"\\n" + text``, "a word
starts with" for ``" " + text`` and "contains" for the text itself. Each kind of match is met in
newest-first order, so a search stops as soon as it has enough rows: a few milliseconds at 100k.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator

from fieldtui.store.indexes import TableIndex


class NameSearch:
    """Ranked substring search over the folded names of one table's live rows."""

    def __init__(self, index: TableIndex) -> None:
        self.index = index
        self._version = -1
        self._blob = "\n"
        self._starts: list[int] = []  # blob offset where each name begins
        self._doc_ids: list[int] = []

    def _refresh(self) -> None:
        if self._version == self.index.version:
            return
        rows = self.index.rows
        doc_ids = [doc_id for _, doc_id in reversed(self.index.order)]
        names = [rows[doc_id].text for doc_id in doc_ids]
        starts, offset = [], 1
        for name in names:
            starts.append(offset)
            offset += len(name) + 1
        self._blob = "\n" + "\n".join(names) + "\n"
        self._starts, self._doc_ids = starts, doc_ids
        self._version = self.index.version

    def _hits(self, needle: str, shift: int) -> Iterator[int]:
        """Row positions (newest first) whose name contains ``needle``; may repeat a row."""
        blob, starts, find = self._blob, self._starts, self._blob.find
        at = find(needle)
        while at != -1:
            position = bisect.bisect_right(starts, at + shift) - 1
            yield position
            # Skip to the next name: one hit per row is enough.
            at = find(needle, starts[position + 1] - 1 if position + 1 < len(starts) else len(blob))

    def find(self, folded: str, limit: int | None = None) -> list[int]:
        """Doc ids of rows whose name contains ``folded``: starts-with, then word-start, then
        anywhere, each newest first; at most ``limit`` (all when None)."""
        if not folded or "\n" in folded:
            return []
        self._refresh()
        found: list[int] = []
        seen: set[int] = set()
        for needle, shift in (("\n" + folded, 1), (" " + folded, 1), (folded, 0)):
            for position in self._hits(needle, shift):
                if position in seen:
                    continue
                seen.add(position)
                found.append(self._doc_ids[position])
                if limit is not None and len(found) >= limit:
                    return found
        return found

    def ordered(self, folded: str) -> list[int]:
        """Doc ids of every live row whose name contains ``folded``, newest first."""
        if not folded or "\n" in folded:
            return []
        self._refresh()
        doc_ids, found, last = self._doc_ids, [], -1
        for position in self._hits(folded, 0):
            if position != last:  # positions come in order; a row may repeat
                found.append(doc_ids[position])
                last = position
        return found

    def matching(self, folded: str) -> set[int]:
        """Doc ids of every live row whose name contains ``folded`` (for list filters)."""
        if not folded or "\n" in folded:
            return set()
        self._refresh()
        return {self._doc_ids[position] for position in self._hits(folded, 0)}


class NikSearch:
    """Live rows by NIK prefix: their NIKs sorted once (rebuilt lazily after a change), so a
    prefix is two bisections instead of a pass over every row."""

    def __init__(self, index: TableIndex) -> None:
        self.index = index
        self._version = -1
        self._niks: list[str] = []
        self._doc_ids: list[int] = []

    def _refresh(self) -> None:
        if self._version == self.index.version:
            return
        pairs = sorted(
            (row.nik, doc_id) for doc_id, row in self.index.rows.items() if not row.deleted
        )
        self._niks = [nik for nik, _ in pairs]
        self._doc_ids = [doc_id for _, doc_id in pairs]
        self._version = self.index.version

    def matching(self, prefix: str) -> list[int]:
        """Doc ids of the live rows whose NIK starts with ``prefix`` (in NIK order)."""
        self._refresh()
        low = bisect.bisect_left(self._niks, prefix)
        high = bisect.bisect_left(self._niks, prefix + "\uffff")
        return self._doc_ids[low:high]
