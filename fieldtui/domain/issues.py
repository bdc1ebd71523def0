"""`Issue`: a validation message as an i18n key plus fields, translated only when shown."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from fieldtui.i18n import fmt_date, t


@dataclass(frozen=True, slots=True)
class Issue:
    """One problem (or note) found by a validator: ``code`` is the i18n key.

    Fields stay raw (dates as dates, nested issues as issues) so the same result can be shown
    in either language; `message` formats them for the language in use.
    """

    code: str
    fields: Mapping[str, object] = field(default_factory=dict, hash=False)

    def message(self) -> str:
        """The translated message, with dates formatted for the locale."""
        return t(self.code, **{name: _show(value) for name, value in self.fields.items()})

    def __str__(self) -> str:
        return self.message()


def _show(value: object) -> object:
    if isinstance(value, Issue):
        return value.message()
    if isinstance(value, dt.date):
        return fmt_date(value)
    return value
