"""What the visit form holds, as typed, and the checks that turn it into a visit's fields."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from fieldtui.domain import clock
from fieldtui.domain.models import VisitType
from fieldtui.i18n import t
from fieldtui.widgets.date_input import parse_date

_TIME = re.compile(r"^\s*(\d{1,2})[.:](\d{2})\s*$")


def parse_time(text: str) -> dt.time | None:
    """'19.05', '19:05', '7.30' -> a time; None when not a real time of day."""
    match = _TIME.match(text)
    if match is None:
        return None
    hour, minute = int(match.group(1)), int(match.group(2))
    if hour > 23 or minute > 59:
        return None
    return dt.time(hour, minute)


def tidy(text: str) -> str:
    """Spaces collapsed, ends trimmed."""
    return " ".join(text.split())


@dataclass(frozen=True, kw_only=True)
class VisitEntry:
    """The visit form's fields as the officer left them."""

    date: str
    time: str
    desa_code: str | None
    banjar_id: str | None
    visit_type: VisitType
    event: str = ""
    counterpart: str = ""
    role: str = ""
    attendees: str = ""
    follow_up: str = ""
    notes: str = ""


def check_entry(entry: VisitEntry) -> tuple[dict[str, Any], dict[str, str]]:
    """The fields of a `Visit` for ``entry``, or translated messages keyed by form field.

    Exactly one of the two is non-empty. Keys of the messages: date, time, desa, attendees,
    follow-up.
    """
    errors: dict[str, str] = {}
    day = parse_date(entry.date)
    time = parse_time(entry.time)
    if day is None:
        errors["date"] = t("visits.error.bad_date")
    if time is None:
        errors["time"] = t("visits.error.bad_time")
    if entry.desa_code is None:
        errors["desa"] = t("visits.error.desa_required")
    attendees = entry.attendees.strip() or "0"
    if not attendees.isdigit():
        errors["attendees"] = t("visits.error.bad_attendees")
    follow_up = parse_date(entry.follow_up) if entry.follow_up.strip() else None
    if entry.follow_up.strip() and follow_up is None:
        errors["follow-up"] = t("visits.error.bad_date")
    elif follow_up is not None and day is not None and follow_up < day:
        errors["follow-up"] = t("visits.error.bad_follow_up")
    if errors or day is None or time is None:
        return {}, errors
    return {
        "desa_code": entry.desa_code,
        "started_at": dt.datetime.combine(day, time, tzinfo=clock.WITA),
        "visit_type": entry.visit_type,
        "banjar_id": entry.banjar_id,
        "event_name": tidy(entry.event),
        "counterpart_name": tidy(entry.counterpart),
        "counterpart_role": tidy(entry.role),
        "attendees": int(attendees),
        "follow_up_on": follow_up,
        "notes": tidy(entry.notes),
    }, {}
