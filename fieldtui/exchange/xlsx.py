"""XLSX export with xlsxwriter: typed cells, a frozen, filterable header row, 100k rows quickly.

xlsxwriter builds the workbook (styles, number formats, column widths, the frozen pane, the
auto-filter, the zip) and, in constant-memory mode, streams each row to a temporary file as XML.
Its per-cell path costs about 8 µs on this project's machine, too slow for 100k rows of ~30
filled cells within the 20 s target, so data rows are written as XML by `_StreamingSheet`, a
worksheet subclass that emits exactly what xlsxwriter's own constant-memory writer emits for
inline strings, numbers, booleans and dates (`tests/exchange/test_export.py` reads the files
back with openpyxl). When a future xlsxwriter lacks the internals it relies on, the writer falls
back to the public per-cell API: slower, same file.

Every text cell is a string cell (never a formula, whatever it starts with); dates and times are
Excel dates with a format (WITA: Excel has no time zones); rupiah are numbers formatted "Rp".
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import Worksheet

from fieldtui.domain import clock
from fieldtui.exchange.columns import CellType, Column

_FORMATS: dict[CellType, dict[str, Any]] = {
    CellType.MONEY: {"num_format": '"Rp"#,##0'},
    CellType.INT: {"num_format": "#,##0"},
    CellType.DATE: {"num_format": "d mmm yyyy"},
    CellType.DATETIME: {"num_format": "d mmm yyyy hh:mm"},
    CellType.PERCENT: {"num_format": "0.0%"},
}
_EPOCH = dt.date(1899, 12, 30)  # Excel's day 0 as seen from 1 Mar 1900 on
_XML_SPECIAL = re.compile(r"[&<>\x00-\x08\x0b-\x1f\ufffe\uffff]|_x[0-9a-fA-F]{4}_")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f]")  # CR too: XML readers would turn it into LF


def _escape(text: str) -> str:
    """Text for an inline-string cell, as xlsxwriter escapes it (XML and control characters)."""
    if not _XML_SPECIAL.search(text):
        return text
    text = re.sub(r"(_x[0-9a-fA-F]{4}_)", r"_x005F\1", text)
    text = _CONTROL.sub(lambda m: f"_x{ord(m.group(0)):04X}_", text)
    text = text.replace("\ufffe", "_xFFFE_").replace("\uffff", "_xFFFF_")
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class _Serials:
    """Dates and times (ISO text or objects) -> Excel serial numbers, memoised by day."""

    def __init__(self) -> None:
        self._days: dict[str, int] = {}

    def day(self, value: Any) -> int:
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, dt.date):
            return (value - _EPOCH).days
        found = self._days.get(value)
        if found is None:
            found = self._days[value] = (dt.date.fromisoformat(value) - _EPOCH).days
        return found

    def moment(self, value: Any) -> float:
        if isinstance(value, str) and value.endswith("+08:00") and len(value) == 25:
            day, clock_time = value[:10], value[11:19]  # stored in WITA: read it as it is
            hours, minutes, seconds = int(clock_time[:2]), int(clock_time[3:5]), int(clock_time[6:])
            return self.day(day) + (hours * 3600 + minutes * 60 + seconds) / 86400
        moment = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(value)
        if moment.tzinfo is not None:
            moment = clock.to_wita(moment)
        since = moment.replace(tzinfo=None) - dt.datetime(1899, 12, 30)
        return since.days + since.seconds / 86400


class _StreamingSheet(Worksheet):  # type: ignore[misc]
    """A constant-memory worksheet that also takes whole rows as ready-made cell XML."""

    def append_row_xml(self, row: int, last_col: int, cells: str) -> None:
        """Write row ``row`` (0-based) whose cells span columns 0..``last_col``."""
        self._write_single_row(row)  # flush what xlsxwriter holds (the header row)
        self._check_dimensions(row, 0)
        self._check_dimensions(row, last_col)
        self.fh.write(f'<row r="{row + 1}">{cells}</row>')


def _fast_path_available() -> bool:
    """True when this xlsxwriter has the constant-memory internals `_StreamingSheet` uses."""
    return all(hasattr(Worksheet, name) for name in ("_write_single_row", "_check_dimensions"))


class XlsxWriter:
    """One sheet: the header row (bold, frozen, with filter buttons), then typed rows."""

    def __init__(
        self, path: Path, columns: Sequence[Column], headers: Sequence[str], *, sheet: str
    ) -> None:
        self._book: Any = xlsxwriter.Workbook(
            str(path), {"constant_memory": True, "strings_to_formulas": False}
        )
        fast = _fast_path_available()
        self._sheet: Any = self._book.add_worksheet(
            sheet[:31], worksheet_class=_StreamingSheet if fast else None
        )
        bold = self._book.add_format({"bold": True})
        self._formats = {kind: self._book.add_format(spec) for kind, spec in _FORMATS.items()}
        self._cols = len(columns)
        self._types = [c.type for c in columns]
        for i, (column, header) in enumerate(zip(columns, headers, strict=True)):
            self._sheet.set_column(i, i, column.width)
            self._sheet.write_string(0, i, header, bold)
        self._sheet.freeze_panes(1, 0)
        self._row = 1
        self._serials = _Serials()
        self._cell_xml = self._xml_makers(columns) if fast else None

    # -- the fast path: cell XML as xlsxwriter's constant-memory writer makes it --------------

    def _xml_makers(self, columns: Sequence[Column]) -> list[Callable[[str, Any], str]]:
        serials = self._serials
        makers: list[Callable[[str, Any], str]] = []
        for column in columns:
            fmt = self._formats.get(column.type)
            style = f' s="{fmt._get_xf_index()}"' if fmt is not None else ""
            kind = column.type
            if kind is CellType.TEXT:
                makers.append(_text_cell)
            elif kind is CellType.BOOL:
                makers.append(_bool_cell)
            elif kind is CellType.DATE:
                makers.append(_number_cell(style, lambda v: str(serials.day(v))))
            elif kind is CellType.DATETIME:
                makers.append(_number_cell(style, lambda v: f"{serials.moment(v):.16G}"))
            elif kind is CellType.PERCENT:
                makers.append(_number_cell(style, lambda v: f"{float(v):.16G}"))
            else:
                makers.append(_number_cell(style, lambda v: str(int(v))))
        return makers

    def write_rows(self, rows: Sequence[Sequence[Any]]) -> None:
        """Write rows of values in column order (None and "" leave the cell empty)."""
        makers = self._cell_xml
        if makers is None:
            for values in rows:
                self._write_row_slowly(values)
            return
        sheet, last = self._sheet, self._cols - 1
        letters = [xl_col_to_name(i) for i in range(self._cols)]
        for values in rows:
            number = str(self._row + 1)
            cells = "".join(
                [
                    make(letter + number, value)
                    for make, letter, value in zip(makers, letters, values, strict=True)
                    if value is not None and value != ""
                ]
            )
            sheet.append_row_xml(self._row, last, cells)
            self._row += 1

    # -- the public API, cell by cell ----------------------------------------------------------

    def _write_row_slowly(self, values: Sequence[Any]) -> None:
        sheet, r, serials = self._sheet, self._row, self._serials
        for c, (kind, value) in enumerate(zip(self._types, values, strict=True)):
            if value is None or value == "":
                continue
            fmt = self._formats.get(kind)
            if kind is CellType.TEXT:
                sheet.write_string(r, c, str(value))
            elif kind is CellType.BOOL:
                sheet.write_boolean(r, c, bool(value))
            elif kind is CellType.DATE:
                sheet.write_number(r, c, serials.day(value), fmt)
            elif kind is CellType.DATETIME:
                sheet.write_number(r, c, serials.moment(value), fmt)
            else:
                sheet.write_number(r, c, value, fmt)
        self._row = r + 1

    def close(self) -> None:
        """Add the filter buttons and write the workbook."""
        self._sheet.autofilter(0, 0, max(0, self._row - 1), self._cols - 1)
        self._book.close()


def _text_cell(ref: str, value: Any) -> str:
    text = _escape(str(value))
    space = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() else ""
    return f'<c r="{ref}" t="inlineStr"><is><t{space}>{text}</t></is></c>'


def _bool_cell(ref: str, value: Any) -> str:
    return f'<c r="{ref}" t="b"><v>{1 if value else 0}</v></c>'


def _number_cell(style: str, number: Callable[[Any], str]) -> Callable[[str, Any], str]:
    """A maker of number cells (with the style attribute, if any) from ``number(value)``."""

    def cell(ref: str, value: Any) -> str:
        return f'<c r="{ref}"{style}><v>{number(value)}</v></c>'

    return cell
