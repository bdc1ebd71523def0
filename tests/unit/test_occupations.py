"""Occupations: the data file, labels in both languages, sectors and as-you-type search."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fieldtui.domain import occupations
from fieldtui.i18n import catalog, set_language


def test_data_is_complete_and_stable() -> None:
    items = occupations.all()
    assert 30 <= len(items) <= 45
    codes = [o.code for o in items]
    assert len(set(codes)) == len(codes)
    assert all(c.replace("_", "").isalnum() and c.islower() for c in codes)
    assert {o.group for o in items} == set(occupations.GROUPS)
    assert all(o.label_id and o.label_en for o in items)
    for lang in ("id", "en"):
        assert all(f"occupations.group.{g}" in catalog(lang) for g in occupations.GROUPS)


def test_transport_sector_is_exactly_the_transport_group() -> None:
    for o in occupations.all():
        assert (o.sector == "transport") is (o.group == "transportasi"), o.code
    assert occupations.sector_of("ojek_online") == "transport"
    assert occupations.sector_of("kurir") == "transport"
    assert occupations.sector_of("pedagang_pasar") == "other"
    assert occupations.sector_of("") == "other"
    assert occupations.sector_of("retired_code") == "other"


def test_labels_follow_the_language() -> None:
    assert occupations.label("nelayan") == "Nelayan"
    ojol = occupations.get("ojek_online")
    assert ojol is not None and ojol.group_label == "Transportasi"
    set_language("en")
    assert occupations.label("nelayan") == "Fisher"
    assert ojol.group_label == "Transport"
    assert occupations.label("no_such") == "no_such"
    assert occupations.get("no_such") is None


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("ojol", "ojek_online"),
        ("gojek", "ojek_online"),
        ("GRAB", "ojek_online"),
        ("ojek pangkalan", "ojek_pangkalan"),
        ("PKL", "pkl"),
        ("kaki lima", "pkl"),
        ("kelontong", "warung"),
        ("canang", "pedagang_canang"),
        ("subak", "petani_padi"),
        ("rumput laut", "petani_rumput_laut"),
        ("nelyan", "nelayan"),  # a typo
        ("endek", "penenun"),
        ("gamelan", "penabuh"),
        ("jero mangku", "pemangku"),
        ("j&t", "kurir"),
        ("Fisher", "nelayan"),
        ("street vendor", "pkl"),
        ("tukang cukur", "tukang_cukur_salon"),
    ],
)
def test_search_finds(query: str, first: str) -> None:
    assert occupations.search(query)[0].code == first


def test_search_as_you_type_and_limits() -> None:
    assert {o.code for o in occupations.search("oj")} == {"ojek_pangkalan", "ojek_online"}
    assert [o.code for o in occupations.search("grab")][:2] == ["ojek_online", "sopir_taksi_online"]
    assert len(occupations.search("", limit=5)) == 5
    assert len(occupations.search("pedagang", limit=3)) == 3
    assert occupations.search("xyzzy") == []
    assert occupations.search("  Pédagang   PASAR ")[0].code == "pedagang_pasar"


@given(st.sampled_from(occupations.all()))
def test_every_label_finds_its_own_occupation(occupation: occupations.Occupation) -> None:
    for text in (occupation.label_id, occupation.label_en, occupation.code):
        assert occupation in occupations.search(text, limit=5), text


@given(st.text(max_size=30))
def test_search_never_fails(text: str) -> None:
    found = occupations.search(text, limit=7)
    assert len(found) <= 7
