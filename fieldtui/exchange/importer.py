"""Importing sign-ups or visits from a CSV or XLSX file into a store, row by row.

Every row is checked by the same rules as the forms; a valid row is saved whole (with its new
banjar, if it names one the desa does not have yet) or not at all, an invalid one is reported
with its row number, column and reason. Rows are written in batches of `CHUNK_ROWS` (one
transaction and one fsync each), so a big file never holds the store's lock for long, and a
row already in the store (same NIK; for a visit the same officer, place and time) is skipped:
importing a file twice adds nothing. ``dry_run`` checks everything and writes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import chain, islice
from pathlib import Path

from fieldtui.domain import clock
from fieldtui.exchange.columns import ExportKind
from fieldtui.exchange.header_map import HeaderMap, guess_kind, map_headers
from fieldtui.exchange.import_base import RowContext, Rows
from fieldtui.exchange.import_values import CellRefused
from fieldtui.exchange.readers import Cell, FileRefused, Sheet, open_sheet
from fieldtui.i18n import t
from fieldtui.store.errors import PermissionDenied
from fieldtui.store.import_rows import may_import, record_import
from fieldtui.store.repository import Store

CHUNK_ROWS = 1_000
HEADER_SEARCH_ROWS = 10  # rows under a title row searched for the headers

Progress = Callable[[int], None]


@dataclass(frozen=True)
class Problem:
    """One reason a row was refused: the column (as headed in the file) and the message."""

    column: str
    reason: str


@dataclass(frozen=True)
class Rejection:
    """A refused row: its number (as a spreadsheet shows it), why, and its cells as read."""

    row: int
    problems: tuple[Problem, ...]
    cells: tuple[str, ...]


@dataclass
class ImportReport:
    """What an import did (or, in a dry run, would do)."""

    path: Path
    kind: ExportKind
    dry_run: bool
    headers: list[str]
    read: int = 0
    imported: int = 0
    present: int = 0
    rejected: list[Rejection] = field(default_factory=list)
    warnings: list[Rejection] = field(default_factory=list)  # imported rows worth a second look
    banjars_created: list[tuple[str, str]] = field(default_factory=list)  # (desa code, name)
    ignored_columns: list[str] = field(default_factory=list)
    stopped: str | None = None  # the file turned out unreadable part way: why
    delimiter: str = ","  # the input's, for the file of refused rows

    @property
    def ok(self) -> bool:
        """True when every row read was imported or already present."""
        return not self.rejected and self.stopped is None


def import_file(
    store: Store,
    path: Path,
    *,
    kind: ExportKind | None = None,
    dry_run: bool = False,
    today: dt.date | None = None,
    progress: Progress | None = None,
    expected: Callable[[int], None] | None = None,
    chunk_rows: int = CHUNK_ROWS,
) -> ImportReport:
    """Import ``path`` into ``store`` as its signed-in user.

    `FileRefused` when the file cannot be used at all (too big, not UTF-8, required columns
    missing...), `PermissionDenied` when the user may not import. ``expected(n)`` is told the
    number of data rows the file seems to hold, ``progress(n)`` the rows done as they are.
    """
    if store.actor is None:
        raise PermissionDenied("repository.error.no_actor")
    may_import(store)
    sheet = open_sheet(path)
    kind, columns = _locate_header(sheet, kind)
    _check_columns(columns)
    if expected is not None:
        expected(sheet.expected_rows)
    context = RowContext(
        store=store,
        columns=columns,
        path=path,
        today=today or clock.today(),
        dry_run=dry_run,
        actor_id=store.actor.id,
    )
    rows = _rows_for(kind, context)
    report = ImportReport(
        path=path,
        kind=kind,
        dry_run=dry_run,
        headers=sheet.headers,
        ignored_columns=columns.ignored + columns.duplicates,
        banjars_created=context.banjars_created,
        delimiter=sheet.delimiter if sheet.format == "csv" else t("import.xlsx_delimiter"),
    )
    while True:
        try:
            chunk = list(islice(sheet.rows, chunk_rows))
        except FileRefused as exc:
            report.stopped = exc.message()
            break
        if not chunk:
            break
        if dry_run:
            _run_chunk(rows, chunk, report)
        else:
            with store.batch():
                _run_chunk(rows, chunk, report)
        if progress is not None:
            progress(len(chunk))
    if not dry_run and (report.imported or report.banjars_created):
        record_import(store, kind=kind.value, file=path.name, counts=_counts(report))
    return report


def _locate_header(sheet: Sheet, kind: ExportKind | None) -> tuple[ExportKind, HeaderMap]:
    """The header row: the first row, or the first of the next few that names every required
    column (office spreadsheets often start with a title: "DAFTAR PESERTA BPU 2017")."""
    found = kind or guess_kind(sheet.headers)
    columns = map_headers(found, sheet.headers)
    if not columns.missing():
        return found, columns
    ahead = list(islice(sheet.rows, HEADER_SEARCH_ROWS))
    for position, (number, cells) in enumerate(ahead):
        headers = [_shown(cell).strip() for cell in cells]
        candidate_kind = kind or guess_kind(headers)
        candidate = map_headers(candidate_kind, headers)
        if not candidate.missing():
            sheet.headers = headers
            sheet.rows = chain(ahead[position + 1 :], sheet.rows)
            sheet.expected_rows = max(0, sheet.expected_rows - number + 1)
            return candidate_kind, candidate
    sheet.rows = chain(ahead, sheet.rows)
    return found, columns


def _rows_for(kind: ExportKind, context: RowContext) -> Rows:
    if kind is ExportKind.SIGNUPS:
        from fieldtui.exchange.import_signups import SignUpRows

        return SignUpRows(context)
    if kind is ExportKind.VISITS:
        from fieldtui.exchange.import_visits import VisitRows

        return VisitRows(context)
    raise FileRefused("import.file.kind_not_importable", kind=kind.value)


def _check_columns(columns: HeaderMap) -> None:
    missing = columns.missing()
    if missing:
        names = [" / ".join(t(f"import.column.{key}") for key in group) for group in missing]
        raise FileRefused(
            "import.file.missing_columns",
            columns=", ".join(names),
            kind=t(f"import.kind.{columns.kind.value}"),
        )


def _run_chunk(rows: Rows, chunk: list[tuple[int, list[Cell]]], report: ImportReport) -> None:
    columns = rows.context.columns
    for number, cells in chunk:
        report.read += 1
        outcome = rows.handle(number, cells)
        if outcome == "imported":
            report.imported += 1
            if rows.warnings:
                report.warnings.append(_rejection(number, cells, rows.warnings, columns))
        elif outcome == "present":
            report.present += 1
        else:
            assert isinstance(outcome, list)
            report.rejected.append(_rejection(number, cells, outcome, columns))


def _rejection(
    number: int, cells: list[Cell], problems: list[CellRefused], columns: HeaderMap
) -> Rejection:
    seen: set[tuple[str, str]] = set()
    found: list[Problem] = []
    for problem in problems:
        column = columns.header(problem.key) if problem.key else ""
        item = (column, problem.issue.message())
        if item not in seen:
            seen.add(item)
            found.append(Problem(*item))
    return Rejection(row=number, problems=tuple(found), cells=tuple(_shown(c) for c in cells))


def _shown(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, dt.date):
        return cell.isoformat()
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell)


def _counts(report: ImportReport) -> dict[str, int]:
    return {
        "read": report.read,
        "imported": report.imported,
        "present": report.present,
        "rejected": len(report.rejected),
        "banjars_created": len(report.banjars_created),
    }
