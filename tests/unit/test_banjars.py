"""Banjar names, head titles and the checks before a new banjar is saved."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fieldtui.domain.banjars import (
    HEAD_TITLES,
    KELIAN_ADAT,
    KELIAN_DINAS,
    KEPALA_DUSUN,
    KEPALA_LINGKUNGAN,
    banjar_display_name,
    banjar_key,
    default_head_title,
    head_titles,
    validate_banjar,
)
from fieldtui.i18n import set_language

SESETAN = "51.71.01.1003"  # kelurahan
UBUNG_KAJA = "51.71.04.2008"  # desa


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("br. kaja", "Banjar Kaja"),
        ("Br.Kaja", "Banjar Kaja"),
        ("BR TENGAH KGN", "Banjar Tengah Kangin"),
        ("  banjar   tegal  ", "Banjar Tegal"),
        ("kaja", "Banjar Kaja"),
        ("Banjar Dinas Kaja", "Banjar Dinas Kaja"),
        ("bjr adat kelod", "Banjar Adat Kelod"),
        ("lingk. sari", "Lingkungan Sari"),
        ("dsn kl", "Dusun Kelod"),
        ("", ""),
    ],
)
def test_display_name(typed: str, shown: str) -> None:
    assert banjar_display_name(typed) == shown


def test_key_ignores_case_spaces_and_the_unit_word() -> None:
    assert banjar_key("Br. Kaja") == banjar_key("banjar  KAJA") == banjar_key("Kaja")
    assert banjar_key("Banjar Kaja") != banjar_key("Banjar Kelod")


def test_head_titles() -> None:
    assert default_head_title(SESETAN) == KEPALA_LINGKUNGAN
    assert default_head_title(UBUNG_KAJA) == KELIAN_DINAS
    assert head_titles(SESETAN) == (KEPALA_LINGKUNGAN, KELIAN_ADAT)
    assert head_titles(UBUNG_KAJA) == (KELIAN_DINAS, KEPALA_DUSUN, KELIAN_ADAT)
    assert set(HEAD_TITLES) == {KEPALA_LINGKUNGAN, KELIAN_DINAS, KEPALA_DUSUN, KELIAN_ADAT}


def test_a_good_banjar_passes() -> None:
    assert validate_banjar("Br. Kaja", SESETAN, ["Banjar Kelod", "Banjar Tengah"]) == []


def test_name_is_required() -> None:
    for name in ("", "   ", " . "):
        codes = [i.code for i in validate_banjar(name, SESETAN)]
        assert codes == ["banjar.error.name_required"]


def test_name_length_is_bounded() -> None:
    issues = validate_banjar("x" * 81, SESETAN)
    assert [i.code for i in issues] == ["banjar.error.name_too_long"]
    assert "80" in issues[0].message()


def test_banjar_belongs_to_a_village() -> None:
    for code in ("51.71.01", "51.71", "99.99.99.9999"):
        issues = validate_banjar("Banjar Kaja", code)
        assert [i.code for i in issues] == ["banjar.error.not_a_village"]


def test_duplicate_in_the_same_village() -> None:
    issues = validate_banjar("br.  KAJA", UBUNG_KAJA, ["Banjar Tengah", "banjar kaja"])
    assert [i.code for i in issues] == ["banjar.error.duplicate"]
    assert issues[0].message() == "Banjar Kaja sudah tercatat di desa/kelurahan ini."
    set_language("en")
    assert issues[0].message() == "Banjar Kaja is already recorded in this desa/kelurahan."


@given(st.text(max_size=40))
def test_display_name_is_stable(text: str) -> None:
    once = banjar_display_name(text)
    assert banjar_display_name(once) == once
    assert banjar_key(once) == banjar_key(text)
