"""How a visit reads in the Kunjungan list: its table cells, a one-line label, place names."""

from __future__ import annotations

import datetime as dt

from rich.text import Text

from fieldtui.domain.models import Visit
from fieldtui.domain.regions import gazetteer
from fieldtui.i18n import fmt_date, fmt_datetime, fmt_number, fmt_time, t
from fieldtui.widgets.paged_table import Cell, Column

COLUMNS = (
    Column("current", "visits.col.current", 1),
    Column("when", "visits.col.when", 15),
    Column("desa", "visits.col.desa", 11),
    Column("banjar", "visits.col.banjar", 10),
    Column("type", "visits.col.type", 13),
    Column("attendees", "visits.col.attendees", 5),
    Column("follow_up", "visits.col.follow_up", 10),
    Column("counterpart", "visits.col.counterpart", 16),
    Column("review", "visits.col.review", 9),
)
# Left out below this width (the detail line under the table shows them): at 80 columns the
# rest fits with nothing past the right edge.
_WIDE_ONLY = frozenset({"follow_up", "counterpart"})
_ALL_FIT = sum(column.width or 0 for column in COLUMNS) + 2 * len(COLUMNS) + 2


def columns(width: int) -> tuple[Column, ...]:
    """The table's columns for a terminal ``width`` columns wide."""
    if width >= _ALL_FIT:
        return COLUMNS
    return tuple(column for column in COLUMNS if column.key not in _WIDE_ONLY)


def desa_name(code: str) -> str:
    """'Sesetan' for 51.71.01.1003 (the code itself when unknown)."""
    region = gazetteer().get(code)
    return region.short_name if region is not None else code


def place(code: str) -> str:
    """'Kel. Sesetan, Denpasar Selatan': the village and its kecamatan."""
    places = gazetteer()
    region, parent = places.get(code), places.parent(code)
    if region is None:
        return code
    return f"{region.display_name}, {parent.name}" if parent else region.display_name


def visit_label(visit: Visit, banjar_name: str = "") -> str:
    """'24 Nov 2026 19.05, Banjar Kaja, Sesetan': a visit in a sentence."""
    parts = [fmt_datetime(visit.started_at), banjar_name, desa_name(visit.desa_code)]
    return ", ".join(part for part in parts if part)


def short_date(day: dt.date) -> str:
    """'24 Nov 26' for a narrow column."""
    return fmt_date(day).rsplit(" ", 1)[0] + f" {day.year % 100:02d}"


def short_banjar(name: str) -> str:
    """'Tengah Kangin' for 'Banjar Tengah Kangin' (the column says it is a banjar)."""
    unit, _, rest = name.partition(" ")
    return rest if unit == "Banjar" and rest else name


def visit_cells(
    visit: Visit, banjar_name: str, *, current: bool, keys: tuple[str, ...] | None = None
) -> list[Cell]:
    """The table cells of one visit, for the columns ``keys`` (all when None)."""
    none = t("visits.none")
    cells: dict[str, Cell] = {
        "current": Text(t("visits.current_mark"), style="bold") if current else "",
        "when": f"{short_date(visit.started_at.date())} {fmt_time(visit.started_at)}",
        "desa": desa_name(visit.desa_code),
        "banjar": short_banjar(banjar_name) if banjar_name else none,
        "type": t(f"visits.type_short.{visit.visit_type.value}"),
        "attendees": Text(fmt_number(visit.attendees), justify="right"),
        "follow_up": short_date(visit.follow_up_on) if visit.follow_up_on else none,
        "counterpart": visit.counterpart_name or none,
        "review": t(f"visits.review.{visit.review_state.value}"),
    }
    return [cells[key] for key in keys or (column.key for column in COLUMNS)]
