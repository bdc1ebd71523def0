"""DateInput: a date typed as dd-mm-yyyy (or yyyy-mm-dd), checked as the officer types."""

from __future__ import annotations

import datetime as dt
import re

from fieldtui.widgets.ordered_input import OrderedInput

_DMY = re.compile(r"^\s*(\d{1,2})[-/. ](\d{1,2})[-/. ](\d{4})\s*$")
_YMD = re.compile(r"^\s*(\d{4})[-/. ](\d{1,2})[-/. ](\d{1,2})\s*$")


def parse_date(text: str) -> dt.date | None:
    """'7-8-1990', '07/08/1990', '1990-08-07' -> date(1990, 8, 7); None when not a real date."""
    if match := _DMY.match(text):
        day, month, year = (int(g) for g in match.groups())
    elif match := _YMD.match(text):
        year, month, day = (int(g) for g in match.groups())
    else:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def format_date_input(value: dt.date) -> str:
    """The form's own date format: dd-mm-yyyy."""
    return value.strftime("%d-%m-%Y")


class DateInput(OrderedInput):
    """An input whose `date` is a datetime.date or None when empty or not a real date."""

    def __init__(self, value: dt.date | None = None, *, id: str | None = None) -> None:
        super().__init__(
            value=format_date_input(value) if value else "",
            placeholder="dd-mm-yyyy",
            restrict=r"[0-9\-/. ]*",
            max_length=10,
            id=id,
        )

    @property
    def date(self) -> dt.date | None:
        """The typed date, or None."""
        return parse_date(self.value)

    @date.setter
    def date(self, value: dt.date | None) -> None:
        self.value = format_date_input(value) if value else ""
