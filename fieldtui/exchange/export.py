"""Exporting sign-ups, visits and progress to CSV or XLSX files, masked unless asked, audited.

`run_export` is what the ``fieldtui export`` command and the TUI's export dialog both call:
it checks up front that the acting user may export (and unmask), streams the records from the
store (`fieldtui.store.export_rows`) into a private temporary file, records the export in the
audit trail (who, when, what, which filters, masked or not, how many rows) and only then moves
the file into place. NIKs and phones are masked (``5171********0001``) unless ``unmask``.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fieldtui.domain import occupations
from fieldtui.domain.models import Period, ReviewState
from fieldtui.domain.nik import mask_nik
from fieldtui.domain.permissions import Permission, can
from fieldtui.domain.phone import mask_phone
from fieldtui.domain.progress_rows import Level
from fieldtui.domain.regions import branch, gazetteer
from fieldtui.exchange.columns import CellType, Column, ExportKind, columns, headers
from fieldtui.exchange.report import build_report, progress_cells
from fieldtui.exchange.tabular import FileFormat, TableWriter, open_writer, private_file
from fieldtui.i18n import t
from fieldtui.store.errors import PermissionDenied, StoreReadOnly
from fieldtui.store.export_rows import RecordStream, signup_records, visit_records
from fieldtui.store.gcpause import paused_gc
from fieldtui.store.listing import RecordFilter
from fieldtui.store.repository import Store

Progress = Callable[[int, int], None]  # (rows written so far, rows in all)


@dataclass(frozen=True, kw_only=True)
class ExportRequest:
    """What to export, where, and how."""

    kind: ExportKind
    fmt: FileFormat
    path: Path
    unmask: bool = False
    force: bool = False
    # sign-ups and visits: which records
    period: Period | None = None  # registration day (sign-ups) or visit day (visits)
    # a desa, kecamatan or kab/kota code, or a branch code (everything under it)
    region_code: str | None = None
    officer_id: str | None = None
    states: frozenset[ReviewState] = field(default_factory=frozenset)
    # progress: the level of the rows (the period and region above apply too)
    by: Level = Level.DESA
    as_of: dt.date | None = None
    # for the audit trail: the filters as the user gave them (e.g. the officer's username)
    described: dict[str, object] = field(default_factory=dict)

    def branch_roots(self) -> tuple[str, ...] | None:
        """The kab/kota codes of a branch ``region_code``; None for a gazetteer code or none."""
        found = branch(self.region_code) if self.region_code else None
        return found.region_codes if found is not None else None

    def record_filter(self) -> RecordFilter:
        """The store filter for sign-ups and visits (a branch is filtered in `_write_records`:
        the store's filter takes one gazetteer code, a branch spans several kab/kota)."""
        period = self.period
        return RecordFilter(
            officer_id=self.officer_id,
            desa_code=self.region_code if self.branch_roots() is None else None,
            date_from=period.start if period else None,
            date_to=period.end if period else None,
            review_states=self.states,
        )

    def audit_filters(self) -> dict[str, object]:
        """The filters as the audit trail keeps them."""
        found: dict[str, object] = {
            "format": self.fmt.value,
            "period": self.period.key if self.period else None,
            "region": self.region_code,
            "officer": self.officer_id,
            "states": sorted(s.value for s in self.states) or None,
        }
        if self.kind is ExportKind.PROGRESS:
            found["by"] = self.by.value
            found.pop("officer")
            found.pop("states")
        found.update(self.described)
        return found


@dataclass(frozen=True)
class ExportResult:
    """What an export wrote."""

    kind: ExportKind
    path: Path
    rows: int
    unmasked: bool


def default_path(kind: str, fmt: str, today: dt.date) -> Path:
    """~/fieldtui-ekspor/pendaftaran-2026-11-24.csv (folder and file named in the language in
    use)."""
    folder = Path.home() / t("export.default_folder")
    return folder / f"{t(f'export.file.{kind}')}-{today.isoformat()}.{fmt}"


def check_export_allowed(store: Store, *, unmask: bool) -> None:
    """Raise the store's own refusal when the acting user may not export (or unmask).

    Checked before any file is written; `Store.record_export` checks again when the export is
    recorded.
    """
    if store.read_only:
        raise StoreReadOnly("store.error.read_only_mode")
    actor = store.actor
    if actor is None:
        raise PermissionDenied("repository.error.no_actor")
    permission = Permission.EXPORT_UNMASKED if unmask else Permission.EXPORT
    if not can(actor.role, permission):
        raise PermissionDenied(f"repository.denied.{permission.value}")


def may_unmask(store: Store) -> bool:
    """True when the acting user may export unmasked NIKs and phones."""
    actor = store.actor
    return actor is not None and can(actor.role, Permission.EXPORT_UNMASKED)


def run_export(
    store: Store, request: ExportRequest, *, progress: Progress | None = None
) -> ExportResult:
    """Write the export file and record it in the audit trail; see the module docstring.

    Raises `fieldtui.exchange.tabular.FileExists` when the file exists and ``force`` is not
    set, and the store's errors (PermissionDenied, StoreReadOnly) when refused.
    """
    check_export_allowed(store, unmask=request.unmask)
    kind = request.kind
    cols = columns(kind)
    with private_file(request.path, force=request.force) as tmp:
        writer = open_writer(request.fmt, tmp, cols, headers(kind), sheet=t(f"export.sheet.{kind}"))
        try:
            if kind is ExportKind.PROGRESS:
                rows = _write_progress(store, request, writer, progress)
            else:
                rows = _write_records(store, request, writer, cols, progress)
        finally:
            writer.close()
        store.record_export(kind.value, request.audit_filters(), request.unmask, rows=rows)
    return ExportResult(kind=kind, path=request.path, rows=rows, unmasked=request.unmask)


def _write_progress(
    store: Store, request: ExportRequest, writer: TableWriter, progress: Progress | None
) -> int:
    report = build_report(
        store,
        request.by,
        period=request.period,
        region_code=request.region_code,
        as_of=request.as_of,
    )
    cells = progress_cells(report)
    writer.write_rows(cells)
    if progress is not None:
        progress(len(cells), len(cells))
    return len(cells)


def _write_records(
    store: Store,
    request: ExportRequest,
    writer: TableWriter,
    cols: Sequence[Column],
    progress: Progress | None,
) -> int:
    where = request.record_filter()
    if request.kind is ExportKind.SIGNUPS:
        stream = signup_records(store, where)
    else:
        stream = visit_records(store, where)
    row_of = _RowMaker(store, stream, cols, unmask=request.unmask)
    roots = request.branch_roots()
    under = tuple(root + "." for root in roots) if roots is not None else None
    desa = stream.keys.index("desa_code")
    done = written = 0
    with paused_gc():
        for batch in stream.batches:
            if under is not None:  # a branch: only the records in its kab/kota
                rows = [row_of(record) for record in batch if record[desa].startswith(under)]
            else:
                rows = [row_of(record) for record in batch]
            writer.write_rows(rows)
            written += len(rows)
            done += len(batch)
            if progress is not None:
                progress(done, stream.total)
    return written


class _RowMaker:
    """A stream's records -> rows in column order, with names looked up and NIKs masked.

    Each record is extended with the looked-up values (memoised per code), then one C-level
    itemgetter picks the columns in order: a few microseconds a row at 100k rows.
    """

    def __init__(
        self, store: Store, stream: RecordStream, cols: Sequence[Column], *, unmask: bool
    ) -> None:
        self._at = {key: i for i, key in enumerate(stream.keys)}
        self._unmask = unmask
        self._banjars = {b.id: b.name for b in store.banjars(include_deleted=True)}
        self._officers = {o.id: o.username for o in store.officers()}
        self._places: dict[str, tuple[str, str, str]] = {}
        self._jobs: dict[str, str] = {}
        extra = ("nik", "phone", "occupation", "kabkota", "kecamatan", "desa", "banjar", "officer")
        # Yes/no as 1/0 here, in one pass, so the CSV writer has nothing to change in most rows.
        flags = [c.key for c in cols if c.type is CellType.BOOL and c.key in self._at]
        self._flags = [self._at[key] for key in flags]
        width = len(stream.keys)
        positions = {key: i for i, key in enumerate(stream.keys)}
        positions.update({key: width + i for i, key in enumerate((*extra, *flags))})
        self._pick = operator.itemgetter(*(positions[c.key] for c in cols))
        self._has_person = "nik" in self._at
        self._desa, self._banjar = self._at["desa_code"], self._at["banjar_id"]
        self._officer = self._at["officer_id"]
        if self._has_person:
            self._nik, self._phone = self._at["nik"], self._at["phone"]
            self._occupation = self._at["occupation_code"]

    def _place(self, desa_code: str) -> tuple[str, str, str]:
        found = self._places.get(desa_code)
        if found is None:
            region = gazetteer().get(desa_code)
            found = self._places[desa_code] = (
                _ancestor(desa_code, 2),
                _ancestor(desa_code, 3),
                region.name if region is not None else desa_code,
            )
        return found

    def _job(self, code: str) -> str:
        found = self._jobs.get(code)
        if found is None:
            found = self._jobs[code] = occupations.label(code) if code else ""
        return found

    def __call__(self, record: tuple[Any, ...]) -> tuple[Any, ...]:
        nik = phone = job = ""
        if self._has_person:
            nik, phone = record[self._nik], record[self._phone] or ""
            if not self._unmask:
                nik, phone = mask_nik(nik), mask_phone(phone) if phone else ""
            job = self._job(record[self._occupation])
        kab, kec, desa = self._place(record[self._desa])
        banjar_id = record[self._banjar]
        extra = (
            nik,
            phone,
            job,
            kab,
            kec,
            desa,
            self._banjars.get(banjar_id, "") if banjar_id else "",
            self._officers.get(record[self._officer], ""),
            *[1 if record[i] else 0 for i in self._flags],
        )
        row: tuple[Any, ...] = self._pick(record + extra)
        return row


def _ancestor(desa_code: str, parts: int) -> str:
    """The name of the region ``parts`` segments long above ``desa_code`` ("51.71" -> Denpasar)."""
    region = gazetteer().get(".".join(desa_code.split(".")[:parts]))
    return region.name if region is not None else ""
