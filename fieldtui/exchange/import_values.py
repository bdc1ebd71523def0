"""Cell values as spreadsheets hold them, read into the app's values or refused with a reason.

Dates come as typed (``24-11-2026``, ``24/11/2026``, ``2026-11-24``) or as Excel dates; money as
``Rp1.500.000``, ``1.500.000``, ``1500000`` or ``1,5jt`` (`fieldtui.domain.income`); yes/no in
either language; sex, category, payment method and visit type by code or by label. A text cell
that would run as a formula in a spreadsheet (``=…``) is refused; fieldtui's own exports write
such text with a leading ``'`` (OWASP), which is taken off again here.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from functools import cache
from typing import TypeVar

from fieldtui.domain import clock
from fieldtui.domain.income import parse_income
from fieldtui.domain.issues import Issue
from fieldtui.domain.models import BpuCategory, PaymentMethod, Sex, VisitType
from fieldtui.domain.occupations import normalise
from fieldtui.exchange.readers import FORMULA_START, Cell
from fieldtui.i18n import LANGUAGES, t_in

E = TypeVar("E", bound=StrEnum)

# 24-11-2026, 24/11/2026, 24.11.2026 (day first, as written in Indonesia); 2026-11-24, 2026/11/24
_DAY_FIRST = re.compile(r"^(?P<d>\d{1,2})([-/.])(?P<m>\d{1,2})\2(?P<y>\d{4})$")
_YEAR_FIRST = re.compile(r"^(?P<y>\d{4})([-/])(?P<m>\d{1,2})\2(?P<d>\d{1,2})$")
EXCEL_EPOCH = dt.date(1899, 12, 30)  # day 0 of Excel's date serials (1900 system)
_SERIALS = (10_000, 80_000)  # 1927 .. 2119: a bare year (1990) is not a serial
_TIME = re.compile(r"^(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?$")
_YES = frozenset({"1", "ya", "y", "yes", "true", "benar", "v", "x", "ok", "setuju", "ikut", "✓"})
_NO = frozenset({"0", "tidak", "tdk", "t", "no", "n", "false", "salah", "-", "belum"})
_SEXES = {
    "l": Sex.MALE,
    "lk": Sex.MALE,
    "laki laki": Sex.MALE,
    "laki": Sex.MALE,
    "pria": Sex.MALE,
    "m": Sex.MALE,
    "male": Sex.MALE,
    "p": Sex.FEMALE,
    "pr": Sex.FEMALE,
    "perempuan": Sex.FEMALE,
    "wanita": Sex.FEMALE,
    "w": Sex.FEMALE,
    "f": Sex.FEMALE,
    "female": Sex.FEMALE,
}
_METHOD_WORDS = {"tunai": PaymentMethod.CASH, "autodebet": PaymentMethod.AUTODEBIT}
_VISIT_WORDS = {"sosialisasi": VisitType.BANJAR, "door to door": VisitType.DOOR_TO_DOOR}


class CellRefused(Exception):
    """One cell that cannot be used: ``issue`` says why, ``key`` is its column."""

    def __init__(self, key: str, issue: Issue) -> None:
        super().__init__(issue.code)
        self.key = key
        self.issue = issue


def refuse(key: str, code: str, **fields: object) -> CellRefused:
    """A `CellRefused` for column ``key`` with the message ``code``."""
    return CellRefused(key, Issue(code, fields))


def text(key: str, cell: Cell) -> str:
    """A text cell, stripped; an exported ``'=…`` loses its quote; a formula is refused."""
    return _text(key, cell, plain=False)


def plain_text(key: str, cell: Cell) -> str:
    """A free-text cell (name, notes): also refuse ``+…``/``-…`` formulas such as ``-2+3``."""
    return _text(key, cell, plain=True)


def _text(key: str, cell: Cell, *, plain: bool) -> str:
    if cell is None:
        return ""
    if isinstance(cell, dt.datetime | dt.date):
        return cell.isoformat()
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    value = str(cell).strip()
    if value.startswith("'") and value[1:2] in FORMULA_START:
        return value[1:]  # neutralised by an export: the text itself starts with = + - @
    if value.startswith("=") or (value.startswith("@") and len(value) > 1):
        raise refuse(key, "import.reason.formula")
    if plain and value[:1] in ("+", "-") and re.search(r"[=(!]|[-+*/]\d", value[1:]):
        raise refuse(key, "import.reason.formula")
    return value


def date_value(key: str, cell: Cell) -> dt.date | None:
    """A date: an Excel date, ISO or day-month-year with ``-``, ``/`` or ``.``; None if empty."""
    if cell is None or (isinstance(cell, str) and not cell.strip()):
        return None
    if isinstance(cell, dt.datetime):
        return clock.to_wita(cell).date() if cell.tzinfo else cell.date()
    if isinstance(cell, dt.date):
        return cell
    if (
        isinstance(cell, int | float)
        and not isinstance(cell, bool)
        and _SERIALS[0] < cell < _SERIALS[1]
    ):
        return EXCEL_EPOCH + dt.timedelta(days=int(cell))  # a date cell formatted as a number
    value = text(key, cell)
    if "T" in value or (" " in value and ":" in value):
        moment = datetime_value(key, value)
        return moment.date() if moment is not None else None
    match = _DAY_FIRST.match(value) or _YEAR_FIRST.match(value)
    if match is not None:
        try:
            return dt.date(int(match["y"]), int(match["m"]), int(match["d"]))
        except ValueError:
            pass  # 31-02-1990
    raise refuse(key, "import.reason.bad_date", value=value)


def datetime_value(key: str, cell: Cell, time_cell: Cell = None) -> dt.datetime | None:
    """A moment in WITA: an ISO timestamp, or a date plus a time ("19:00", "19.00") if given."""
    if cell is None or (isinstance(cell, str) and not cell.strip()):
        return None
    if isinstance(cell, dt.datetime):
        moment = cell
    elif isinstance(cell, dt.date):
        moment = dt.datetime.combine(cell, dt.time(0, 0))
    else:
        value = text(key, cell)
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            day_text, _, time_text = value.partition(" ")
            day = date_value(key, day_text)
            if day is None:
                return None
            moment = dt.datetime.combine(day, _time(key, time_text) or dt.time(0, 0))
    extra = _time("time", time_cell)
    if extra is not None and moment.time() == dt.time(0, 0):
        moment = dt.datetime.combine(moment.date(), extra, moment.tzinfo)
    return clock.to_wita(moment)


def _time(key: str, cell: Cell) -> dt.time | None:
    if cell is None or (isinstance(cell, str) and not cell.strip()):
        return None
    if isinstance(cell, dt.time):
        return cell
    if isinstance(cell, dt.datetime):
        return cell.time()
    value = text(key, cell)
    match = _TIME.match(value)
    if match is None:
        raise refuse(key, "import.reason.bad_time", value=value)
    hour, minute, second = int(match[1]), int(match[2]), int(match[3] or 0)
    if hour > 23 or minute > 59 or second > 59:
        raise refuse(key, "import.reason.bad_time", value=value)
    return dt.time(hour, minute, second)


def money(key: str, cell: Cell) -> int | None:
    """Whole rupiah from a number or ``Rp1.500.000``-like text; None if empty."""
    if cell is None or isinstance(cell, bool):
        return None if cell is None else int(cell)
    if isinstance(cell, int):
        value = cell
    elif isinstance(cell, float):
        if not cell.is_integer():
            raise refuse(key, "import.reason.bad_money", value=f"{cell:g}")
        value = int(cell)
    else:
        typed = text(key, cell)
        if not typed:
            return None
        try:
            value = parse_income(typed)
        except ValueError:
            raise refuse(key, "import.reason.bad_money", value=typed) from None
    if value < 0:
        raise refuse(key, "import.reason.bad_money", value=str(value))
    return value


def whole_number(key: str, cell: Cell) -> int | None:
    """A count (attendees, months); None if empty."""
    if cell is None or isinstance(cell, bool):
        return None
    if isinstance(cell, float) and cell.is_integer():
        return int(cell)
    if isinstance(cell, int):
        return cell
    value = text(key, cell).replace(".", "").replace(",", "")
    if not value:
        return None
    if not value.isdigit():
        raise refuse(key, "import.reason.bad_number", value=text(key, cell))
    return int(value)


def yes_no(key: str, cell: Cell) -> bool | None:
    """Ya/tidak, yes/no, 1/0, a tick; None if empty."""
    if cell is None:
        return None
    if isinstance(cell, bool):
        return cell
    if isinstance(cell, int | float) and cell in (0, 1):
        return bool(cell)
    word = " ".join(text(key, cell).casefold().split())
    if not word:
        return None
    if word in _YES:
        return True
    if word in _NO:
        return False
    raise refuse(key, "import.reason.bad_yes_no", value=text(key, cell))


def sex_value(key: str, cell: Cell) -> Sex | None:
    """L/P, laki-laki/perempuan, male/female; None if empty."""
    word = normalise(text(key, cell))
    if not word:
        return None
    found = _SEXES.get(word)
    if found is None:
        raise refuse(key, "import.reason.bad_sex", value=text(key, cell))
    return found


def choice(key: str, cell: Cell, enum: type[E], prefix: str, words: dict[str, E]) -> E | None:
    """A value of ``enum`` by code or by its label (``prefix.<code>``) in either language."""
    word = normalise(text(key, cell))
    if not word:
        return None
    found = _labels(enum, prefix).get(word) or words.get(word)
    if found is None:
        raise refuse(key, "import.reason.bad_choice", value=text(key, cell))
    return found


@cache
def _labels(enum: type[E], prefix: str) -> dict[str, E]:
    out: dict[str, E] = {}
    for member in enum:
        out[normalise(member.value)] = member
        for lang in LANGUAGES:
            out.setdefault(normalise(t_in(lang, prefix + member.value)), member)
    return out


def category_value(key: str, cell: Cell) -> BpuCategory | None:
    """A BPU category by code or label."""
    return choice(key, cell, BpuCategory, "signups.category.", {})


def method_value(key: str, cell: Cell) -> PaymentMethod | None:
    """A payment method by code or label ("tunai", "transfer", "autodebet", "agen")."""
    words = {**_METHOD_WORDS, "agen": PaymentMethod.AGENT}
    return choice(key, cell, PaymentMethod, "signups.method.", words)


def visit_type_value(key: str, cell: Cell) -> VisitType | None:
    """A kind of visit by code or label ("Sosialisasi banjar", "Booth di acara")."""
    return choice(key, cell, VisitType, "visits.type.", _VISIT_WORDS)
