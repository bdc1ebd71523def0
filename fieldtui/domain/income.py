"""Declared incomes as officers type them: 1500000, 1.500.000, 1,500,000, Rp 1.500.000, 1,5jt."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

_SUFFIXES = (("juta", 10**6), ("jt", 10**6), ("ribu", 1_000), ("rb", 1_000), ("k", 1_000))
_GROUPED = re.compile(  # "1.500.000", "1,500,000", optionally with zero cents ("1.500.000,00")
    r"(?P<int>[0-9]{1,3}(?P<g>[.,])[0-9]{3}(?:(?P=g)[0-9]{3})*|[0-9]+)"
    r"(?:(?P<d>[.,])(?P<c>[0-9]{1,2}))?"
)


def parse_income(text: str) -> int:
    """Whole rupiah from what an officer types; ValueError with a message key otherwise.

    The message keys (``iuran.error.bad_income``, ``iuran.error.cents``,
    ``iuran.error.negative_income``) take a ``value`` field: the text as typed.
    """
    s = re.sub(r"\s+", "", text.lower())
    s = re.sub(r"^rp\.?", "", s)
    if s.startswith("-"):
        raise ValueError("iuran.error.negative_income")
    multiplier = 1
    for suffix, factor in _SUFFIXES:
        if s.endswith(suffix):
            s, multiplier = s[: -len(suffix)], factor
            break
    if multiplier > 1:
        # "1,5jt" and "1.5jt": with a unit, a single separator is a decimal point.
        if not re.fullmatch(r"[0-9]+(?:[.,][0-9]+)?", s):
            raise ValueError("iuran.error.bad_income")
        try:
            value = Decimal(s.replace(",", ".")) * multiplier
        except InvalidOperation:
            raise ValueError("iuran.error.bad_income") from None
        if value != value.to_integral_value():
            raise ValueError("iuran.error.bad_income")
        return int(value)
    if re.fullmatch(r"[0-9]+", s):
        return int(s)
    match = _GROUPED.fullmatch(s)
    if match is None or (match["d"] and match["d"] == match["g"]):
        raise ValueError("iuran.error.bad_income")
    if match["c"] and int(match["c"]):
        raise ValueError("iuran.error.cents")
    return int(re.sub(r"[.,]", "", match["int"]))
