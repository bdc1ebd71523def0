"""Translations (`t`) and locale-aware formatting of numbers, rupiah and dates.

Catalogs live in ``locales/<lang>/*.toml``, one file per area of the app; nested TOML tables
are flattened into dotted keys (``[nik.error] length = ...`` -> ``nik.error.length``).
Bahasa Indonesia is the default; English on request.
"""

from __future__ import annotations

import datetime as _dt
import tomllib
from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Any, Literal

from babel.dates import format_date, format_datetime, format_time
from babel.numbers import format_decimal, format_percent

Lang = Literal["id", "en"]
LANGUAGES: tuple[Lang, ...] = ("id", "en")
DEFAULT_LANG: Lang = "id"

_current: Lang = DEFAULT_LANG


def _flatten(prefix: str, table: Mapping[str, Any], out: dict[str, str]) -> None:
    for key, value in table.items():
        full = f"{prefix}.{key}" if prefix else key
        if isinstance(value, Mapping):
            _flatten(full, value, out)
        else:
            out[full] = str(value)


@cache
def catalog(lang: Lang) -> Mapping[str, str]:
    """All messages of one language, keyed by dotted key."""
    out: dict[str, str] = {}
    folder = resources.files("fieldtui.i18n").joinpath("locales", lang)
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            _flatten("", tomllib.loads(entry.read_text(encoding="utf-8")), out)
    return out


def parse_lang(value: str) -> Lang:
    """Return a supported language code for ``value`` or raise ValueError."""
    code = value.strip().lower()[:2]
    if code not in LANGUAGES:
        raise ValueError(value)
    return code


def set_language(lang: Lang) -> None:
    """Switch the language used by `t` and the formatters."""
    global _current
    _current = lang


def get_language() -> Lang:
    """The language in use."""
    return _current


def t(key: str, /, **fields: object) -> str:
    """Translate ``key`` into the current language, filling ``{fields}``.

    Numbers passed as fields are inserted as given; format them first with `fmt_number`,
    `fmt_money` or `fmt_date`. An unknown key returns the key itself so a gap shows up plainly.
    """
    return t_in(_current, key, **fields)


def t_in(lang: Lang, key: str, /, **fields: object) -> str:
    """Translate ``key`` into ``lang`` (falling back to Bahasa Indonesia)."""
    text = catalog(lang).get(key)
    if text is None:
        text = catalog(DEFAULT_LANG).get(key, key)
    return text.format(**fields) if fields else text


def _babel_locale(lang: Lang | None) -> str:
    return lang or _current


def fmt_number(value: int | float, *, lang: Lang | None = None) -> str:
    """7708 -> '7.708' (id) or '7,708' (en)."""
    return str(format_decimal(value, locale=_babel_locale(lang)))


def fmt_money(rupiah: int, *, lang: Lang | None = None) -> str:
    """16800 -> 'Rp16.800' (id) or 'Rp16,800' (en): whole rupiah, no decimals."""
    sign = "-" if rupiah < 0 else ""
    return f"{sign}Rp{fmt_number(abs(int(rupiah)), lang=lang)}"


def fmt_percent(ratio: float, *, lang: Lang | None = None, decimals: int = 0) -> str:
    """0.336 -> '34%' or, with decimals=1, '33,6%' (id)."""
    pattern = "#,##0%" if decimals == 0 else "#,##0." + "0" * decimals + "%"
    return str(format_percent(ratio, format=pattern, locale=_babel_locale(lang)))


def fmt_date(value: _dt.date, *, lang: Lang | None = None, long: bool = False) -> str:
    """2026-11-24 -> '24 Nov 2026'; with long=True '24 November 2026'."""
    pattern = "d MMMM y" if long else "d MMM y"
    return str(format_date(value, pattern, locale=_babel_locale(lang)))


def fmt_datetime(value: _dt.datetime, *, lang: Lang | None = None) -> str:
    """'24 Nov 2026 19.05' (id) / '24 Nov 2026 19:05' (en), in the value's own zone."""
    pattern = "d MMM y HH.mm" if _babel_locale(lang) == "id" else "d MMM y HH:mm"
    return str(format_datetime(value, pattern, tzinfo=value.tzinfo, locale=_babel_locale(lang)))


def fmt_time(value: _dt.time | _dt.datetime, *, lang: Lang | None = None) -> str:
    """'19.05' (id) / '19:05' (en)."""
    pattern = "HH.mm" if _babel_locale(lang) == "id" else "HH:mm"
    return str(format_time(value, pattern, locale=_babel_locale(lang)))
