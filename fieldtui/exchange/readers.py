"""Spreadsheets to import, read as a stream: CSV (UTF-8, ``,`` or ``;``) and XLSX (first sheet).

A file is checked before any row is used: too big (`MAX_BYTES`) or too long (`MAX_ROWS`),
not UTF-8 (Excel's "CSV" in a Windows code page), not a spreadsheet at all. Each refusal is a
`FileRefused` whose message says what to do. Rows then come one by one with the row number a
spreadsheet program shows (the header is row 1), so a 50 MB file never sits in memory whole.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fieldtui.i18n import fmt_number, t

MAX_BYTES = 50 * 1024 * 1024  # 50 MB: ~150,000 sign-ups, far more than a laptop's spreadsheet
MAX_ROWS = 100_000
MAX_CELL_CHARS = 10_000  # a longer "cell" is a broken file, not a name or a note
_CHUNK = 1 << 20
_BOMS = {codecs.BOM_UTF16_LE: "UTF-16", codecs.BOM_UTF16_BE: "UTF-16"}
DELIMITERS = (",", ";", "\t")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # what a spreadsheet may run as a formula

Cell = str | int | float | bool | dt.date | dt.datetime | None


class FileRefused(Exception):
    """A file that cannot be imported at all; ``message()`` says why, translated."""

    def __init__(self, key: str, /, **fields: object) -> None:
        super().__init__(key)
        self.key = key
        self.fields = fields

    def message(self) -> str:
        """The reason in the language in use."""
        return t(self.key, **self.fields)


@dataclass
class Sheet:
    """A file opened for import: its header row and its data rows, read as they are used."""

    path: Path
    format: str  # "csv" or "xlsx"
    headers: list[str]
    rows: Iterator[tuple[int, list[Cell]]]  # (row number, cells), blank rows left out
    expected_rows: int  # data rows expected (for a progress bar; XLSX may be approximate)
    delimiter: str = ","


def open_sheet(path: Path) -> Sheet:
    """Check ``path`` and open it for reading; `FileRefused` when it cannot be imported."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise FileRefused("import.file.missing", path=str(path)) from None
    except OSError as exc:
        raise FileRefused("import.file.unreadable", path=str(path), detail=str(exc)) from None
    if not path.is_file():
        raise FileRefused("import.file.not_a_file", path=str(path))
    if size > MAX_BYTES:
        raise FileRefused(
            "import.file.too_big",
            size=fmt_number(round(size / 1024 / 1024, 1)),
            limit=fmt_number(MAX_BYTES // 1024 // 1024),
        )
    if size == 0:
        raise FileRefused("import.file.empty", path=str(path))
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _open_xlsx(path)
    if suffix in (".csv", ".txt"):
        return _open_csv(path)
    if suffix == ".xls":
        raise FileRefused("import.file.old_excel")
    raise FileRefused("import.file.unknown_format", suffix=suffix or "-")


# -- CSV ----------------------------------------------------------------------------------------


def _check_text(path: Path) -> int:
    """Check that the whole file is UTF-8 text; the number of lines in it."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    lines = offset = 0
    with path.open("rb") as stream:
        head = stream.read(4)
        for bom, name in _BOMS.items():
            if head.startswith(bom):
                raise FileRefused("import.file.encoding_named", encoding=name)
        stream.seek(0)
        while chunk := stream.read(_CHUNK):
            if b"\0" in chunk:
                raise FileRefused("import.file.binary")
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                where = offset + exc.start
                line = lines + chunk.count(b"\n", 0, exc.start) + 1
                raise FileRefused(
                    "import.file.not_utf8", line=fmt_number(line), byte=fmt_number(where)
                ) from None
            lines += chunk.count(b"\n")
            offset += len(chunk)
            if lines > MAX_ROWS + 1:
                raise FileRefused("import.file.too_many_rows", limit=fmt_number(MAX_ROWS))
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            raise FileRefused(
                "import.file.not_utf8", line=fmt_number(lines + 1), byte=fmt_number(offset)
            ) from None
    return lines


def sniff_delimiter(header_line: str) -> str:
    """``;`` for Indonesian Excel, ``,`` elsewhere, tab for pasted text: the most common one."""
    counts = {d: _count_outside_quotes(header_line, d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _count_outside_quotes(line: str, char: str) -> int:
    count, quoted = 0, False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif ch == char and not quoted:
            count += 1
    return count


def _open_csv(path: Path) -> Sheet:
    lines = _check_text(path)
    stream = path.open("r", encoding="utf-8-sig", newline="")
    first = stream.readline()
    if first.lower().startswith("sep=") and len(first.strip()) == 5:
        delimiter = first.strip()[4]  # Excel's own hint line; Excel does not show it as a row
        lines -= 1
    else:
        delimiter = sniff_delimiter(first)
        stream.seek(0)
    reader = csv.reader(stream, delimiter=delimiter)
    try:
        headers = next(reader)
    except (StopIteration, csv.Error):
        stream.close()
        raise FileRefused("import.file.no_header") from None
    return Sheet(
        path=path,
        format="csv",
        headers=[h.strip() for h in headers],
        rows=_csv_rows(reader, stream),
        expected_rows=max(0, lines - 1),
        delimiter=delimiter,
    )


def _csv_rows(reader: Any, stream: io.TextIOBase) -> Iterator[tuple[int, list[Cell]]]:
    number = 1
    with stream:
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise FileRefused(
                    "import.file.broken_row", row=number + 1, detail=str(exc)
                ) from exc
            number += 1
            if any(len(c) > MAX_CELL_CHARS for c in cells):
                raise FileRefused("import.file.cell_too_long", row=number, limit=MAX_CELL_CHARS)
            if any(c.strip() for c in cells):
                yield number, list(cells)


# -- XLSX ---------------------------------------------------------------------------------------


def _open_xlsx(path: Path) -> Sheet:
    import zipfile

    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise FileRefused("import.file.bad_xlsx", path=str(path)) from None
    sheet = book.worksheets[0] if book.worksheets else None
    if sheet is None:
        book.close()
        raise FileRefused("import.file.no_header")
    max_row = sheet.max_row or 0
    if max_row > MAX_ROWS + 1:
        book.close()
        raise FileRefused("import.file.too_many_rows", limit=fmt_number(MAX_ROWS))
    rows = sheet.iter_rows(values_only=True)
    header: list[str] = []
    for values in rows:
        header = ["" if v is None else str(v).strip() for v in values]
        break
    while header and not header[-1]:
        header.pop()
    if not any(header):
        book.close()
        raise FileRefused("import.file.no_header")
    return Sheet(
        path=path,
        format="xlsx",
        headers=header,
        rows=_xlsx_rows(book, rows),
        expected_rows=max(0, max_row - 1),
    )


def _xlsx_rows(book: Any, rows: Iterator[tuple[Any, ...]]) -> Iterator[tuple[int, list[Cell]]]:
    try:
        for number, values in enumerate(rows, start=2):
            if number > MAX_ROWS + 1:
                raise FileRefused("import.file.too_many_rows", limit=fmt_number(MAX_ROWS))
            cells: list[Cell] = [_xlsx_cell(v) for v in values]
            if any(c is not None and str(c).strip() for c in cells):
                yield number, cells
    finally:
        book.close()


def _xlsx_cell(value: Any) -> Cell:
    if isinstance(value, str):
        # A text cell of a workbook is text, never a formula (formulas come as their value):
        # mark one that looks like a formula the way a CSV export does, so it reads back as text.
        text: str = value[:MAX_CELL_CHARS]
        return "'" + text if text.startswith(FORMULA_START) else text
    if isinstance(value, dt.datetime) and value.microsecond:
        # Excel keeps moments as fractions of a day: 19:00 can come back as 19:00:00.288.
        moment: dt.datetime = value + dt.timedelta(microseconds=500_000)
        return moment.replace(microsecond=0)
    if value is None or isinstance(value, int | float | bool | dt.date):
        plain: Cell = value
        return plain
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    return str(value)
