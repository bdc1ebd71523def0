"""Writing tables to CSV and XLSX files: typed cells, formula-safe text, files only the owner reads.

Formula injection (OWASP "CSV injection"): a spreadsheet runs a cell starting with ``=``, ``+``,
``-`` or ``@`` (or a tab or carriage return, which some programs skip first) as a formula, so a
name typed as ``=HYPERLINK(...)`` could act when the regional office opens the file. In CSV
such text is prefixed with a single quote (`neutralise`; `unneutralise` undoes it when the file
is read back); in XLSX every text cell is written as a string cell, which is never evaluated.

Files are personal data (UU 27/2022): they are written to a temporary file created 0600 beside
the target and moved into place only when complete (`private_file`); an existing file is never
overwritten unless asked.
"""

from __future__ import annotations

import contextlib
import csv
import os
from collections.abc import Callable, Iterator, Sequence
from enum import StrEnum
from operator import itemgetter
from pathlib import Path
from types import NoneType
from typing import IO, Any, Protocol

from fieldtui.exchange.columns import CellType, Column

FORMULA_STARTS = "=+-@\t\r"  # a cell starting with one of these may run as a formula
_FORMULA = frozenset(FORMULA_STARTS)
_FIRST = itemgetter(0)
_AS_IS = frozenset({int, str, NoneType})  # what the csv module writes as it should be
_FIXES: dict[CellType, Callable[[Any], Any]] = {  # how the rest is written
    CellType.BOOL: lambda v: 1 if v else 0,
    CellType.PERCENT: lambda v: f"{v:.4f}",
    CellType.DATE: lambda v: v if isinstance(v, str) else v.isoformat(),
    CellType.DATETIME: lambda v: v if isinstance(v, str) else v.isoformat(),
}
PRIVATE_MODE = 0o600


class FileFormat(StrEnum):
    """The file formats an export can write."""

    CSV = "csv"
    XLSX = "xlsx"


def neutralise(text: str) -> str:
    """``text`` made safe for a spreadsheet cell: a leading ' before = + - @ tab CR."""
    return "'" + text if text and text[0] in FORMULA_STARTS else text


def unneutralise(text: str) -> str:
    """Undo `neutralise` (for import): drop the ' put before a formula-like start."""
    if len(text) > 1 and text[0] == "'" and text[1] in FORMULA_STARTS:
        return text[1:]
    return text


class TableWriter(Protocol):
    """Writes the header, then rows of values in column order."""

    def write_rows(self, rows: Sequence[Sequence[Any]]) -> None:
        """Write rows (values typed as their columns say; None for an empty cell)."""

    def close(self) -> None:
        """Finish the file."""


# -- the file itself ----------------------------------------------------------------------------


class FileExists(Exception):
    """The target file exists and overwriting was not asked for."""

    def __init__(self, path: Path) -> None:
        super().__init__(str(path))
        self.path = path


@contextlib.contextmanager
def private_file(path: Path, *, force: bool = False) -> Iterator[Path]:
    """A temporary path (created 0600 beside ``path``) to write; moved to ``path`` on success.

    Raises `FileExists` up front (and again at the end, should it appear meanwhile) when
    ``path`` exists and ``force`` is false; the temporary file is removed on any failure. The
    move happens after the ``with`` block, so work that must precede it (the audit entry) goes
    inside the block, last.
    """
    if path.exists() and not force:
        raise FileExists(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_MODE)
    os.close(fd)
    try:
        yield tmp
        os.chmod(tmp, PRIVATE_MODE)  # a writer that recreated the file keeps it private too
        _move(tmp, path, force=force)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise


def _move(tmp: Path, path: Path, *, force: bool) -> None:
    if force:
        os.replace(tmp, path)
        return
    try:
        os.link(tmp, path)  # atomic, and fails if the target appeared meanwhile
    except FileExistsError:
        raise FileExists(path) from None
    except OSError:  # no hard links (a FAT-formatted USB stick): check, then move
        if path.exists():
            raise FileExists(path) from None
        os.replace(tmp, path)
        return
    tmp.unlink()


# -- CSV ------------------------------------------------------------------------------------


class CsvWriter:
    """UTF-8 CSV (with a BOM, so spreadsheet programs read the names right), plain values:
    ISO dates, integers, 1/0 for yes/no, ratios (4 decimals) for percentages, text neutralised.
    """

    def __init__(
        self,
        path: Path | None,
        columns: Sequence[Column],
        headers: Sequence[str],
        *,
        stream: IO[str] | None = None,
    ) -> None:
        if stream is None:
            assert path is not None
            # UTF-8 with a BOM written by hand: the utf-8-sig codec encodes in Python, slowly.
            stream = open(path, "w", encoding="utf-8", newline="")  # noqa: SIM115
            stream.write("\ufeff")
            self._owned = True
        else:
            self._owned = False
        self._file: IO[str] = stream
        self._csv = csv.writer(self._file)
        # Only these need changing: the csv module writes None as "", ints, and dates as ISO.
        self._texts = [i for i, c in enumerate(columns) if c.type is CellType.TEXT]
        self._others = [i for i, c in enumerate(columns) if c.type in _FIXES]
        self._kinds = [c.type for c in columns]
        self._csv.writerow([neutralise(h) for h in headers])

    def write_rows(self, rows: Sequence[Sequence[Any]]) -> None:
        """Write rows of values in column order.

        Columns are checked a batch at a time with C-level scans (the first characters of a
        text column, the types of the others): usually no text starts like a formula and
        yes/no, dates and numbers are already as written, so the rows go to the csv module as
        they are; otherwise only the columns that need it are changed.
        """
        if not rows:
            return
        # The batch's columns, once (C-level): each check then walks a column as a tuple.
        cells: list[Sequence[Any]] = list(zip(*rows, strict=True))
        texts = [
            i for i in self._texts if not _FORMULA.isdisjoint(map(_FIRST, filter(None, cells[i])))
        ]
        others = [i for i in self._others if not _AS_IS.issuperset(map(type, cells[i]))]
        if not texts and not others:
            self._csv.writerows(rows)
            return
        # Fix the columns that need it, whole, and transpose back.
        starts = FORMULA_STARTS
        for i in texts:
            cells[i] = [("'" + v) if v and v[0] in starts else v for v in cells[i]]
        for i in others:
            fix = _FIXES[self._kinds[i]]
            cells[i] = [v if v is None else fix(v) for v in cells[i]]
        self._csv.writerows(zip(*cells, strict=True))

    @classmethod
    def to_stream(
        cls, stream: IO[str], columns: Sequence[Column], headers: Sequence[str]
    ) -> CsvWriter:
        """A writer on an open text stream (standard output), which it leaves open."""
        return cls(None, columns, headers, stream=stream)

    def close(self) -> None:
        """Flush to disk and close (a stream it was given is only flushed)."""
        self._file.flush()
        if self._owned:
            os.fsync(self._file.fileno())
            self._file.close()


def open_writer(
    fmt: FileFormat, path: Path, columns: Sequence[Column], headers: Sequence[str], *, sheet: str
) -> TableWriter:
    """A writer for ``fmt`` on ``path`` (which `private_file` created)."""
    if fmt is FileFormat.XLSX:
        from fieldtui.exchange.xlsx import XlsxWriter

        return XlsxWriter(path, columns, headers, sheet=sheet)
    return CsvWriter(path, columns, headers)
