"""MoneyInput: whole rupiah typed as digits, shown grouped as the officer types (1.500.000)."""

from __future__ import annotations

from fieldtui.i18n import fmt_number
from fieldtui.widgets.ordered_input import OrderedInput

MAX_DIGITS = 12  # up to Rp 999.999.999.999


def digits_of(text: str) -> str:
    """The digits in ``text``, leading zeros dropped."""
    return "".join(ch for ch in text if ch.isdigit()).lstrip("0")


class MoneyInput(OrderedInput):
    """An input whose `amount` is an int (or None when empty); grouping follows the locale."""

    def __init__(self, amount: int | None = None, *, id: str | None = None, placeholder: str = ""):
        super().__init__(
            value=fmt_number(amount) if amount is not None else "",
            restrict=r"[0-9., ]*",
            placeholder=placeholder,
            id=id,
        )

    @property
    def amount(self) -> int | None:
        """The typed amount in whole rupiah."""
        digits = digits_of(self.value)[:MAX_DIGITS]
        return int(digits) if digits else None

    @amount.setter
    def amount(self, value: int | None) -> None:
        self.value = "" if value is None else fmt_number(value)

    def _watch_value(self, value: str) -> None:
        digits = digits_of(value)[:MAX_DIGITS]
        grouped = fmt_number(int(digits)) if digits else ""
        if grouped != value:
            self.value = grouped  # re-enters once with the grouped text
            self.cursor_position = len(grouped)
            return
        super()._watch_value(value)
