"""Wall-clock time in Bali (WITA, Asia/Makassar, UTC+8) and month arithmetic."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

WITA = ZoneInfo("Asia/Makassar")


def now() -> dt.datetime:
    """The current time as an aware datetime in WITA, to the second."""
    return dt.datetime.now(WITA).replace(microsecond=0)


def today() -> dt.date:
    """Today's date in Bali."""
    return now().date()


def to_wita(value: dt.datetime) -> dt.datetime:
    """Convert an aware datetime to WITA; a naive one is taken to be WITA already."""
    if value.tzinfo is None:
        return value.replace(tzinfo=WITA)
    return value.astimezone(WITA)


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by ``months`` calendar months, clamped to the month's last day."""
    index = day.year * 12 + (day.month - 1) + months
    year, month0 = divmod(index, 12)
    month = month0 + 1
    last = (dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last))


def month_start(day: dt.date) -> dt.date:
    """The first day of ``day``'s month."""
    return day.replace(day=1)


def week_start(day: dt.date) -> dt.date:
    """The Monday of ``day``'s ISO week."""
    return day - dt.timedelta(days=day.weekday())
