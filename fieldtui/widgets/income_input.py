"""IncomeInput: a MoneyInput that also takes incomes as officers say them ("1,5jt", "750rb")."""

from __future__ import annotations

import re

from textual.events import Blur
from textual.widgets import Input

from fieldtui.domain.income import parse_income
from fieldtui.i18n import fmt_number
from fieldtui.widgets.money_input import MAX_DIGITS, MoneyInput

_LAST_GROUP = re.compile(r"[.,]([0-9]*)$")


class IncomeInput(MoneyInput):
    """Digits are grouped as they are typed (1.500.000); a unit (jt, juta, rb, ribu, k) or a
    decimal part ("1,5jt") is left as typed until the field is left, then shown grouped.

    `amount` is the income in whole rupiah, or None while the text cannot be read; `problem`
    is then the message key saying why (it takes the typed text as ``value``).
    """

    def __init__(self, amount: int | None = None, *, id: str | None = None, placeholder: str = ""):
        super().__init__(amount, id=id, placeholder=placeholder)
        self.restrict = r"[0-9., a-zA-Z]*"

    @property
    def amount(self) -> int | None:
        """The typed income in whole rupiah (None when empty or unreadable)."""
        try:
            value = parse_income(self.value)
        except ValueError:
            return None
        return value if len(str(value)) <= MAX_DIGITS else None

    @amount.setter
    def amount(self, value: int | None) -> None:
        self.value = "" if value is None else fmt_number(value)

    @property
    def problem(self) -> str | None:
        """The message key for text that cannot be read as an income (None when it can)."""
        if not self.value.strip():
            return None
        try:
            value = parse_income(self.value)
        except ValueError as exc:
            return str(exc)
        return "iuran.error.bad_income" if len(str(value)) > MAX_DIGITS else None

    def _as_typed(self, value: str) -> bool:
        # Leave text alone while it is on its way to "1,5jt": a letter, or a separator followed
        # by fewer than three digits (which may be a decimal part). Three or more digits after
        # the last separator is a thousands group: regroup as MoneyInput does.
        if any(ch.isalpha() for ch in value):
            return True
        match = _LAST_GROUP.search(value.strip())
        return match is not None and len(match.group(1)) < 3

    def _watch_value(self, value: str) -> None:
        if self._as_typed(value):
            Input._watch_value(self, value)
            return
        super()._watch_value(value)

    def normalise(self) -> None:
        """Show a readable income grouped ("1,5jt" -> "1.500.000")."""
        amount = self.amount
        if amount is not None and self.value != fmt_number(amount):
            self.value = fmt_number(amount)
            self.cursor_position = len(self.value)

    def _on_blur(self, event: Blur) -> None:
        self.normalise()
        super()._on_blur(event)
