"""The dashboard's pure helpers: period choices, bars, staleness, short dates."""

from __future__ import annotations

import datetime as dt

from fieldtui.domain.models import Period
from fieldtui.domain.progress_rows import Level, ProgressRow
from fieldtui.i18n import set_language
from fieldtui.screens.progress_view import (
    PeriodChoice,
    PeriodSelection,
    as_of,
    bar,
    is_stale,
    short_date,
    weeks_since,
)
from fieldtui.store.aggregates import ProgressLine

TODAY = dt.date(2026, 11, 24)


def _line(
    level: Level,
    *,
    signups: int = 3,
    last: dt.date | None = None,
    target: int | None = None,
    code: str = "51.71.04.2001",
) -> ProgressLine:
    row = ProgressRow(
        region_code=code,
        name="Dangin Puri Kangin",
        level=level,
        target=target,
        signups=signups,
        pct_of_target=None,
        paid=0,
        paid_pct=None,
        nonaktif=0,
        visits=0,
        last_visit=last,
        weekly=(0,) * 8,
    )
    return ProgressLine(period_row=row, to_date_row=row)


def test_period_choices() -> None:
    assert PeriodSelection.of(PeriodChoice.YEAR, TODAY).period == Period.year(2026)
    assert PeriodSelection.of(PeriodChoice.MONTH, TODAY).period == Period.month(2026, 11)
    assert PeriodSelection.of(PeriodChoice.ALL, TODAY).period is None
    # A custom choice without a period falls back to all time.
    assert PeriodSelection.of(PeriodChoice.CUSTOM, TODAY).choice is PeriodChoice.ALL


def test_period_labels_in_both_languages() -> None:
    month = PeriodSelection.of(PeriodChoice.MONTH, TODAY)
    assert month.label() == "November 2026"
    assert PeriodSelection.of(PeriodChoice.YEAR, TODAY).label() == "Tahun 2026"
    custom = Period(start=dt.date(2026, 8, 1), end=dt.date(2026, 8, 17))
    assert (
        PeriodSelection.of(PeriodChoice.CUSTOM, TODAY, custom).label() == "1 Agu 2026 – 17 Agu 2026"
    )
    set_language("en")
    assert PeriodSelection.of(PeriodChoice.ALL, TODAY).label() == "All time"
    assert (
        PeriodSelection.of(PeriodChoice.CUSTOM, TODAY, custom).label() == "1 Aug 2026 – 17 Aug 2026"
    )


def test_as_of_stops_at_the_end_of_a_past_period() -> None:
    assert as_of(Period.year(2017), TODAY) == dt.date(2017, 12, 31)
    assert as_of(Period.year(2026), TODAY) == TODAY
    assert as_of(None, TODAY) == TODAY


def test_bar_fills_in_eighths_and_caps() -> None:
    assert bar(None) == "     "
    assert bar(0.0) == "·····"
    assert bar(1.0) == "█████"
    assert bar(2.5) == "█████"
    assert bar(0.5) == "██▌··"
    assert all(len(bar(i / 100)) == 5 for i in range(0, 101))


def test_stale_only_for_villages_with_people_or_a_target() -> None:
    old = TODAY - dt.timedelta(weeks=5)
    assert is_stale(_line(Level.DESA, last=old), TODAY)
    assert is_stale(_line(Level.DESA, last=None), TODAY)
    assert not is_stale(_line(Level.DESA, last=TODAY - dt.timedelta(weeks=2)), TODAY)
    assert not is_stale(_line(Level.DESA, signups=0, last=None), TODAY)
    assert is_stale(_line(Level.DESA, signups=0, target=100, last=None), TODAY)
    assert not is_stale(_line(Level.KECAMATAN, last=old, code="51.71.04"), TODAY)
    assert not is_stale(_line(Level.BANJAR, last=old, code="51.71.04.2001/-"), TODAY)
    assert is_stale(_line(Level.DESA, last=TODAY - dt.timedelta(weeks=3)), TODAY, weeks=2)


def test_weeks_and_short_dates() -> None:
    assert weeks_since(None, TODAY) is None
    assert weeks_since(TODAY - dt.timedelta(days=36), TODAY) == 5
    assert short_date(dt.date(2017, 8, 13)) == "13 Agu 17"
    assert short_date(None) == "–"
