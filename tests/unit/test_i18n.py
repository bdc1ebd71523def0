"""Catalogs agree with each other; formatting follows the locale."""

from __future__ import annotations

import datetime as dt
import re
import string

import pytest

from fieldtui.i18n import (
    catalog,
    fmt_date,
    fmt_money,
    fmt_number,
    fmt_percent,
    get_language,
    parse_lang,
    set_language,
    t,
)


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_key_in_both_catalogs() -> None:
    id_keys, en_keys = set(catalog("id")), set(catalog("en"))
    assert sorted(id_keys - en_keys) == [], "keys missing from English"
    assert sorted(en_keys - id_keys) == [], "keys missing from Indonesian"


def test_placeholders_agree() -> None:
    id_cat, en_cat = catalog("id"), catalog("en")
    mismatched = [k for k in id_cat if k in en_cat and _fields(id_cat[k]) != _fields(en_cat[k])]
    assert mismatched == []


def test_no_empty_messages() -> None:
    for lang in ("id", "en"):
        assert [k for k, v in catalog(lang).items() if not v.strip()] == []


def test_translate_and_fill() -> None:
    assert t("app.welcome", name="Wayan") == "Selamat datang, Wayan."
    set_language("en")
    assert get_language() == "en"
    assert t("app.welcome", name="Wayan") == "Welcome, Wayan."


def test_unknown_key_shows_itself() -> None:
    assert t("no.such.key") == "no.such.key"


def test_parse_lang() -> None:
    assert parse_lang("EN") == "en"
    assert parse_lang("id_ID") == "id"
    with pytest.raises(ValueError):
        parse_lang("fr")


def test_number_money_date_formats() -> None:
    assert fmt_number(7708) == "7.708"
    assert fmt_number(22964, lang="en") == "22,964"
    assert fmt_money(16800) == "Rp16.800"
    assert fmt_money(16800, lang="en") == "Rp16,800"
    assert fmt_date(dt.date(2026, 11, 24)) == "24 Nov 2026"
    assert fmt_date(dt.date(1990, 8, 7), long=True) == "7 Agustus 1990"
    assert fmt_date(dt.date(1990, 8, 7), long=True, lang="en") == "7 August 1990"
    assert fmt_percent(0.336) == "34%"
    assert fmt_percent(0.336, decimals=1) == "33,6%"


def test_catalog_keys_are_dotted_lowercase() -> None:
    pattern = re.compile(r"^[a-z0-9_]+(\.[a-z0-9_]+)+$")
    assert [k for k in catalog("id") if not pattern.match(k)] == []
