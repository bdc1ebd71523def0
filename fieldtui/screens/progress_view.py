"""How the dashboard shows progress: the period choices, table cells, bars and staleness.

Plain functions over `ProgressLine`s, so they are tested without running the app.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from rich.style import Style
from rich.text import Text

from fieldtui.domain import clock
from fieldtui.domain.models import Period
from fieldtui.domain.progress_rows import Level
from fieldtui.i18n import fmt_date, fmt_number, fmt_percent, t
from fieldtui.store.aggregates import ProgressLine

BAR_WIDTH = 5
DEFAULT_STALE_WEEKS = 4
_EIGHTHS = " ▏▎▍▌▋▊▉█"


class PeriodChoice(StrEnum):
    """The dashboard's period selector, in the order `p` cycles through them."""

    YEAR = "year"
    MONTH = "month"
    ALL = "all"
    CUSTOM = "custom"


@dataclass(frozen=True)
class PeriodSelection:
    """A period choice and the period it stands for (None: all time)."""

    choice: PeriodChoice
    period: Period | None

    @classmethod
    def of(
        cls, choice: PeriodChoice, today: dt.date, custom: Period | None = None
    ) -> PeriodSelection:
        """The period of ``choice`` around ``today`` (``custom`` for CUSTOM)."""
        if choice is PeriodChoice.YEAR:
            return cls(choice, Period.year(today.year))
        if choice is PeriodChoice.MONTH:
            return cls(choice, Period.month(today.year, today.month))
        if choice is PeriodChoice.CUSTOM and custom is not None:
            return cls(choice, custom)
        return cls(PeriodChoice.ALL, None)

    def label(self) -> str:
        """'Tahun 2026', 'November 2026', 'Semua waktu' or '1 Jan 2026 – 31 Mar 2026'."""
        period = self.period
        if period is None:
            return t("dashboard.period.all")
        if period == Period.year(period.start.year):
            return t("dashboard.period.year", year=period.start.year)
        if period == Period.month(period.start.year, period.start.month):
            month = fmt_date(period.start, long=True).split(" ", 1)[1]
            return t("dashboard.period.month", month=month)
        return t("dashboard.period.custom", start=fmt_date(period.start), end=fmt_date(period.end))


def as_of(period: Period | None, today: dt.date | None = None) -> dt.date:
    """The day the figures are taken on: today, or the period's end when it is over."""
    day = today or clock.today()
    return day if period is None else min(day, period.end)


def bar(ratio: float | None, width: int = BAR_WIDTH) -> str:
    """A bar of ``width`` cells filled to ``ratio`` (capped at full), in eighths of a cell."""
    if ratio is None:
        return " " * width
    eighths = round(max(0.0, min(ratio, 1.0)) * width * 8)
    full, part = divmod(eighths, 8)
    text = "█" * full + (_EIGHTHS[part] if part else "")
    return text.ljust(width, "·")


def is_stale(line: ProgressLine, day: dt.date, weeks: int = DEFAULT_STALE_WEEKS) -> bool:
    """A village (or banjar) with people or a target, but no visit in the last ``weeks`` weeks."""
    row = line.to_date_row
    if row.level not in (Level.DESA, Level.BANJAR) or row.region_code.endswith("/-"):
        return False
    if not (row.signups or line.target):
        return False
    last = row.last_visit
    return last is None or (day - last).days > weeks * 7


def weeks_since(last: dt.date | None, day: dt.date) -> int | None:
    """Whole weeks from ``last`` to ``day`` (None when never)."""
    return None if last is None else max(0, (day - last).days // 7)


def short_date(day: dt.date | None) -> str:
    """'13 Agu 17' for a narrow column, '–' when none."""
    if day is None:
        return "–"
    return fmt_date(day).rsplit(" ", 1)[0] + f" {day.year % 100:02d}"


def cells(line: ProgressLine, *, stale: bool, warn: Style, total: bool = False) -> list[Text]:
    """The table cells of one line: name, target, participants, % bar, paid %, nonaktif,
    visits, last visit."""
    row = line.to_date_row
    # The level is in the breadcrumb: a kecamatan's "Kec." only costs the narrow column room.
    short = row.name.removeprefix("Kec. ")
    name = ("⚠ " if stale else "") + ("Σ " if total else "") + short
    name_style = warn if stale else Style(bold=total)
    pct = line.pct_of_target
    target = line.target
    return [
        Text(name, style=name_style, overflow="ellipsis", no_wrap=True),
        Text(fmt_number(target) if target is not None else "–", justify="right"),
        Text(fmt_number(line.participants), justify="right"),
        Text(bar(pct) + " " + (fmt_percent(pct) if pct is not None else "–").rjust(4)),
        Text(fmt_percent(row.paid_pct) if row.paid_pct is not None else "–", justify="right"),
        Text(fmt_number(row.nonaktif), justify="right"),
        Text(fmt_number(line.period_row.visits), justify="right"),
        Text(short_date(row.last_visit), style=warn if stale else Style()),
    ]


def detail(line: ProgressLine, selection: PeriodSelection, day: dt.date, *, stale: bool) -> str:
    """Two or three lines about the selected row for the panel under the table."""
    row = line.to_date_row
    parts = [
        t(
            "dashboard.detail.head",
            name=row.name,
            level=row.level.label,
        ),
        t(
            "dashboard.detail.figures",
            participants=fmt_number(line.participants),
            new=fmt_number(line.new_signups),
            period=selection.label(),
            paid=fmt_number(row.paid),
            nonaktif=fmt_number(row.nonaktif),
        ),
    ]
    ago = weeks_since(row.last_visit, day)
    if row.last_visit is None:
        parts.append(t("dashboard.detail.never_visited"))
    else:
        parts.append(
            t(
                "dashboard.detail.last_visit",
                date=fmt_date(row.last_visit),
                weeks=fmt_number(ago or 0),
            )
        )
    if stale:
        parts[-1] = "⚠ " + parts[-1]
    return "\n".join(parts)
