"""The progress report: rows per region at one level against targets, as the dashboard counts.

`build_report` reads the store's progress lines (`Store.progress`, the same books the Capaian
screen reads) from the branch down to the level asked for, and turns each into a `ReportRow`
with the dashboard's definitions: participants are live sign-ups registered up to the period's
end, % of target is participants / the period's target, paid and nonaktif are counted among
those participants on the report's day, visits are those made within the period. The rows feed
``fieldtui report`` (table, CSV, JSON, Markdown) and the progress export alike; the JSON form
(`report_json`) is documented in docs/report-json.md.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from fieldtui.domain import clock
from fieldtui.domain.models import Period
from fieldtui.domain.progress_rows import Level
from fieldtui.exchange.columns import PROGRESS_COLUMNS
from fieldtui.store.aggregates import ProgressLine

SCHEMA = "fieldtui-report"
SCHEMA_VERSION = 1
TOTAL = "total"  # the level of the total row
_DEPTH = {level: i for i, level in enumerate(Level)}
# What `--by` accepts: the level names, plus "kabupaten" (how people say it).
BY_NAMES: dict[str, Level] = {**{lvl.value: lvl for lvl in Level}, "kabupaten": Level.KABKOTA}


class ProgressSource(Protocol):
    """What the report reads: the store's progress lines."""

    def progress(
        self,
        parent_code: str | None = None,
        *,
        period: Period | None = None,
        as_of: dt.date | None = None,
        weeks: int = 8,
    ) -> list[ProgressLine]: ...

    def progress_of(
        self, code: str, *, period: Period | None = None, as_of: dt.date | None = None
    ) -> ProgressLine: ...


@dataclass(frozen=True, slots=True)
class ReportRow:
    """One region's figures (or the total's)."""

    level: str  # a `Level` value, or "total"
    region_code: str
    region: str
    parent_code: str | None
    target: int | None
    participants: int
    pct_of_target: float | None  # 0.336 for 33.6%; None without a target
    new_signups: int
    paid: int
    paid_pct: float | None  # paid / participants; None without participants
    nonaktif: int
    visits: int
    last_visit: dt.date | None

    @classmethod
    def of(cls, line: ProgressLine, parent_code: str | None, *, level: str = "") -> ReportRow:
        """The row of one progress line, with the dashboard's figures."""
        row = line.to_date_row
        return cls(
            level=level or row.level.value,
            region_code=row.region_code,
            region=row.name,
            parent_code=parent_code,
            target=line.target,
            participants=line.participants,
            pct_of_target=line.pct_of_target,
            new_signups=line.new_signups,
            paid=row.paid,
            paid_pct=row.paid_pct,
            nonaktif=row.nonaktif,
            visits=line.period_row.visits,
            last_visit=row.last_visit,
        )

    def as_json(self) -> dict[str, Any]:
        """The row as in the JSON report: plain numbers, ISO dates, ratios rounded to 4 places."""
        return {
            "level": self.level,
            "region_code": self.region_code,
            "region": self.region,
            "parent_code": self.parent_code,
            "target": self.target,
            "participants": self.participants,
            "pct_of_target": _ratio(self.pct_of_target),
            "new_signups": self.new_signups,
            "paid": self.paid,
            "paid_pct": _ratio(self.paid_pct),
            "nonaktif": self.nonaktif,
            "visits": self.visits,
            "last_visit": self.last_visit.isoformat() if self.last_visit else None,
        }


def _ratio(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


@dataclass(frozen=True, slots=True)
class Report:
    """A report's rows at one level, its total, and what it covers."""

    by: Level
    period: Period | None  # None: all time
    as_of: dt.date  # the day paid/nonaktif are counted on
    region_code: str | None  # the region reported on (None: every branch)
    rows: tuple[ReportRow, ...]
    total: ReportRow
    generated_at: dt.datetime

    @property
    def period_key(self) -> str:
        """'2017', '2026-11', 'start..end', or 'all'."""
        return self.period.key if self.period is not None else "all"


def report_as_of(period: Period | None, today: dt.date | None = None) -> dt.date:
    """The day figures are taken on: today, or the period's end when it is over (as the
    dashboard does)."""
    day = today or clock.today()
    return day if period is None else min(day, period.end)


def build_report(
    store: ProgressSource,
    by: Level,
    *,
    period: Period | None = None,
    region_code: str | None = None,
    as_of: dt.date | None = None,
) -> Report:
    """The rows at level ``by`` under ``region_code`` (None: every branch), in the dashboard's
    order, and their total (the region's own line, or the branches' lines added up)."""
    day = as_of or report_as_of(period)
    rows: list[ReportRow] = []
    if region_code is not None:
        top = store.progress_of(region_code, period=period, as_of=day)
        total = ReportRow.of(top, None, level=TOTAL)
        if top.to_date_row.level is by:
            rows.append(ReportRow.of(top, None))
        else:
            rows += _below(store, region_code, by, period, day)
    else:
        branches = store.progress(None, period=period, as_of=day)
        for line in branches:
            if by is Level.BRANCH:
                rows.append(ReportRow.of(line, None))
            else:
                rows += _below(store, line.region_code, by, period, day)
        total = sum_rows([ReportRow.of(line, None) for line in branches])
    return Report(
        by=by,
        period=period,
        as_of=day,
        region_code=region_code,
        rows=tuple(rows),
        total=total,
        generated_at=clock.now(),
    )


def _below(
    store: ProgressSource, parent: str, by: Level, period: Period | None, day: dt.date
) -> list[ReportRow]:
    """Rows at level ``by`` under ``parent``, depth first (each region's children together)."""
    out: list[ReportRow] = []
    for line in store.progress(parent, period=period, as_of=day):
        level = line.to_date_row.level
        if level is by:
            out.append(ReportRow.of(line, parent))
        elif _DEPTH[level] < _DEPTH[by]:
            out += _below(store, line.region_code, by, period, day)
    return out


def sum_rows(rows: Iterable[ReportRow]) -> ReportRow:
    """The total of rows of separate regions (e.g. several branches)."""
    rows = list(rows)
    targets = [r.target for r in rows if r.target is not None]
    target = sum(targets) if targets else None
    participants = sum(r.participants for r in rows)
    paid = sum(r.paid for r in rows)
    visits = [r.last_visit for r in rows if r.last_visit is not None]
    if len(rows) == 1:
        return dataclasses.replace(rows[0], level=TOTAL)
    return ReportRow(
        level=TOTAL,
        region_code="",
        region="",
        parent_code=None,
        target=target,
        participants=participants,
        pct_of_target=participants / target if target else None,
        new_signups=sum(r.new_signups for r in rows),
        paid=paid,
        paid_pct=paid / participants if participants else None,
        nonaktif=sum(r.nonaktif for r in rows),
        visits=sum(r.visits for r in rows),
        last_visit=max(visits) if visits else None,
    )


def report_json(report: Report) -> dict[str, Any]:
    """The stable JSON form (docs/report-json.md): keys never change within a schema version."""
    period = report.period
    return {
        "schema": SCHEMA,
        "version": SCHEMA_VERSION,
        "generated_at": report.generated_at.isoformat(),
        "as_of": report.as_of.isoformat(),
        "by": report.by.value,
        "region_code": report.region_code,
        "period": None
        if period is None
        else {"key": period.key, "start": period.start.isoformat(), "end": period.end.isoformat()},
        "rows": [row.as_json() for row in report.rows],
        "total": report.total.as_json(),
    }


def progress_cells(report: Report) -> list[list[Any]]:
    """The report's rows (then the total) as cells of the progress export's columns."""
    cells: list[list[Any]] = []
    for row in (*report.rows, report.total):
        data = row.as_json()
        data["period"] = report.period_key
        data["pct_of_target"], data["paid_pct"] = row.pct_of_target, row.paid_pct
        data["last_visit"] = row.last_visit
        cells.append([data[column.key] for column in PROGRESS_COLUMNS])
    return cells
