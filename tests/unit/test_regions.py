"""The packaged Bali gazetteer, its hierarchy, the forgiving name search and the branch areas."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fieldtui.domain.region_search import fold, within_one_edit
from fieldtui.domain.regions import (
    Gazetteer,
    Kind,
    Level,
    Region,
    branch,
    branch_of,
    branches,
    gazetteer,
    villages_in_branch,
)
from fieldtui.i18n import set_language, t

SESETAN = "51.71.01.1003"
DANGIN_PURI_KANGIN = "51.71.04.2001"
UBUNG_KAJA = "51.71.04.2008"
BRANCH = "KC-BALI-DENPASAR"


def _codes(regions: list[Region]) -> list[str]:
    return [r.code for r in regions]


# --- the data -------------------------------------------------------------------------------


def test_gazetteer_has_every_row_once_and_is_cached() -> None:
    places = gazetteer()
    assert len(places) == 783
    assert gazetteer() is places
    counts = Counter(r.level for r in places)
    assert counts == {
        Level.PROVINSI: 1,
        Level.KABUPATEN_KOTA: 9,
        Level.KECAMATAN: 57,
        Level.DESA_KELURAHAN: 716,
    }
    kinds = Counter(r.kind for r in places if r.is_village)
    assert kinds == {Kind.DESA: 636, Kind.KELURAHAN: 80}


def test_every_parent_exists_and_codes_nest() -> None:
    places = gazetteer()
    for region in places:
        if region.parent_code is None:
            assert region.code == "51"
            continue
        assert region.parent_code in places
        assert region.code.startswith(region.parent_code + ".")


def test_kind_follows_the_code_rules() -> None:
    for region in gazetteer():
        last = region.code.split(".")[-1]
        if region.level is Level.DESA_KELURAHAN:
            assert region.kind is (Kind.KELURAHAN if last.startswith("1") else Kind.DESA)
        elif region.level is Level.KABUPATEN_KOTA:
            assert region.kind is (Kind.KOTA if int(last) >= 71 else Kind.KABUPATEN)


# --- lookups and hierarchy ----------------------------------------------------------------


def test_get_parent_ancestors() -> None:
    places = gazetteer()
    sesetan = places.require(SESETAN)
    assert sesetan.name == "Sesetan" and sesetan.kind is Kind.KELURAHAN
    assert places.get("99.99") is None
    with pytest.raises(KeyError):
        places.require("99.99")
    parent = places.parent(SESETAN)
    assert parent is not None and parent.name == "Denpasar Selatan"
    assert places.parent("51") is None
    assert _codes(list(places.ancestors(SESETAN))) == ["51", "51.71", "51.71.01"]
    assert places.ancestors("51") == ()


def test_children_and_descendants() -> None:
    places = gazetteer()
    assert _codes(list(places.children("51.71"))) == [
        "51.71.01",
        "51.71.02",
        "51.71.03",
        "51.71.04",
    ]
    kids = places.children("51.71.01")
    assert len(kids) == 10 and SESETAN in _codes(list(kids))
    denpasar = places.descendants("51.71")
    assert len(denpasar) == 4 + 43
    assert len(places.descendants("51.71", Level.DESA_KELURAHAN)) == 43
    assert len(places.descendants("51", Level.DESA_KELURAHAN)) == 716
    # "51.7" must not swallow "51.71": descendants go by whole code segments
    assert places.descendants("51.7") == ()


def test_villages_under_a_code() -> None:
    places = gazetteer()
    assert [r.code for r in places.villages(SESETAN)] == [SESETAN]
    assert all(r.is_village for r in places.villages("51.71.04"))
    assert UBUNG_KAJA in _codes(list(places.villages("51.71.04")))


def test_display_names_and_paths() -> None:
    places = gazetteer()
    assert places.require(SESETAN).display_name == "Kel. Sesetan"
    assert places.require(UBUNG_KAJA).display_name == "Desa Ubung Kaja"
    assert places.require("51.71.01").display_name == "Kec. Denpasar Selatan"
    assert places.require("51.03").display_name == "Kab. Badung"
    assert places.require("51.03").short_name == "Badung"
    assert places.require("51.71").display_name == "Kota Denpasar"
    assert places.path(SESETAN) == "Denpasar Selatan, Kota Denpasar"
    assert places.path("51.03.01") == "Kab. Badung"
    assert places.path("51.03") == "Bali"
    assert places.path("51") == ""
    assert places.describe(SESETAN) == "Kel. Sesetan, Denpasar Selatan, Kota Denpasar"
    assert places.describe("12.34") == "12.34"


def test_kind_labels_translate() -> None:
    assert t("regions.kind.kelurahan") == "Kelurahan"
    set_language("en")
    assert t("regions.kind.kelurahan") == "Urban village (kelurahan)"
    # the kind prefix is part of the official name, in either language
    assert gazetteer().require(SESETAN).display_name == "Kel. Sesetan"


# --- search --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("sesetan", SESETAN),
        ("SESETAN", SESETAN),
        ("Sésetan", SESETAN),
        ("  seseTan. ", SESETAN),
        ("ubung kaja", UBUNG_KAJA),
        ("Ubung Kj", UBUNG_KAJA),
        ("ubungkaja", UBUNG_KAJA),
        ("kaja ubung", UBUNG_KAJA),
        ("Dangin Puri Kgn", DANGIN_PURI_KANGIN),
        ("danginpurikangin", DANGIN_PURI_KANGIN),
        ("dangin-puri kangin", DANGIN_PURI_KANGIN),
        ("Ds. Dangin Puri Kangin", DANGIN_PURI_KANGIN),
        ("desa ubung kaja", UBUNG_KAJA),
        ("Kel. Sesetan", SESETAN),
        ("kelurahan sesetan", SESETAN),
        ("Dangin Puri Kld", "51.71.02.2001"),
        ("pemecutan kl", "51.71.03.2002"),
        ("dauh puri kuh", "51.71.03.2003"),
        ("padang sambian", "51.71.03.1010"),  # the name is written "Padangsambian"
        ("banjar jawa", "51.08.06.1023"),  # a village whose name starts with "Banjar"
        ("kota denpasar", "51.71"),
        ("kab badung", "51.03"),
        ("kabupaten tabanan", "51.02"),
    ],
)
def test_search_finds_the_right_place_first(query: str, expected: str) -> None:
    found = gazetteer().search(query)
    assert found, query
    assert found[0].code == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("sestan", SESETAN),  # a letter missing
        ("sesetna", SESETAN),  # two letters swapped
        ("sesrtan", SESETAN),  # a wrong letter
        ("sesrta", SESETAN),  # a wrong letter, still typing
        ("ubng kaja", UBUNG_KAJA),
        ("danginpurikngin", DANGIN_PURI_KANGIN),
    ],
)
def test_search_forgives_one_typo(query: str, expected: str) -> None:
    assert gazetteer().search(query)[0].code == expected


def test_search_as_you_type_keeps_the_place_near_the_top() -> None:
    name = "sesetan"
    for end in range(3, len(name) + 1):
        assert SESETAN in _codes(gazetteer().search(name[:end], limit=10)), name[:end]


def test_village_wins_a_tie_unless_the_query_names_a_level() -> None:
    places = gazetteer()
    # Kuta is a kelurahan and a kecamatan; Tabanan a kecamatan and a kabupaten
    assert _codes(places.search("kuta", limit=2)) == ["51.03.01.1002", "51.03.01"]
    assert places.search("kec kuta")[0].code == "51.03.01"
    assert places.search("kecamatan kuta")[0].code == "51.03.01"
    assert places.search("tabanan")[0].code == "51.02.05"
    assert places.search("kab tabanan")[0].code == "51.02"
    assert places.search("kec denpasar")[0].level is Level.KECAMATAN
    assert places.search("denpasar")[0].code == "51.71"


def test_search_filters_limits_and_empties() -> None:
    places = gazetteer()
    assert places.search("") == []
    assert places.search(" .-, ") == []
    assert places.search("sesetan", limit=0) == []
    assert places.search("qqqqqq") == []
    assert len(places.search("a", limit=7)) == 7
    kaja = places.search("kaja", limit=50, within="51.71")
    assert kaja and all(r.code.startswith("51.71.") for r in kaja)
    both = places.search("kaja", limit=50, within=("51.71", "51.04"))
    assert {r.code[:5] for r in both} == {"51.71", "51.04"}
    villages = places.search("kuta", level=Level.DESA_KELURAHAN)
    assert villages and all(r.is_village for r in villages)


def test_search_over_a_small_gazetteer() -> None:
    small = Gazetteer(
        [
            Region("51", Level.PROVINSI, "Bali", None, Kind.PROVINSI),
            Region("51.71", Level.KABUPATEN_KOTA, "Kota Denpasar", "51", Kind.KOTA),
        ]
    )
    assert _codes(small.search("denpasar")) == ["51.71"]
    assert _codes(list(small.children("51"))) == ["51.71"]


@given(st.text(max_size=30))
def test_search_never_fails(text: str) -> None:
    found = gazetteer().search(text, limit=5)
    assert len(found) <= 5


def test_fold() -> None:
    assert fold("  Dangin  Puri-Kgn. ") == "dangin puri kgn"
    assert fold("Séséťan") == "sesetan"
    assert fold("Belok/Sidan") == "belok sidan"


@given(st.text(alphabet="abcdk", max_size=8), st.text(alphabet="abcdk", max_size=8))
def test_within_one_edit_is_symmetric(a: str, b: str) -> None:
    assert within_one_edit(a, b) == within_one_edit(b, a)


def test_within_one_edit_cases() -> None:
    assert within_one_edit("sesetan", "sesetan")
    assert within_one_edit("sestan", "sesetan")
    assert within_one_edit("sesetna", "sesetan")
    assert within_one_edit("sesxtan", "sesetan")
    assert not within_one_edit("ssetna", "sesetan")
    assert not within_one_edit("ab", "abcd")


# --- branches ------------------------------------------------------------------------------


def test_denpasar_branch_covers_437_villages() -> None:
    kc = branch(BRANCH)
    assert kc is not None and kc.name == "Kantor Cabang Bali Denpasar"
    assert set(kc.region_codes) == {"51.71", "51.03", "51.02", "51.01", "51.08"}
    villages = villages_in_branch(BRANCH)
    assert len(villages) == 437
    assert len({v.code for v in villages}) == 437
    assert all(v.is_village for v in villages)


def test_branch_areas_are_known_regions() -> None:
    places = gazetteer()
    for item in branches():
        for code in item.region_codes:
            assert places.require(code).level is Level.KABUPATEN_KOTA
        for pilot in item.pilot_villages:
            assert places.require(pilot.code).is_village
            assert item.covers(pilot.code)


def test_pilot_villages_and_their_2016_numbers() -> None:
    kc = branch(BRANCH)
    assert kc is not None
    numbers = {p.code: (p.year, p.signups) for p in kc.pilot_villages}
    assert numbers == {
        SESETAN: (2016, 2000),
        DANGIN_PURI_KANGIN: (2016, 1000),
        UBUNG_KAJA: (2016, 1000),
    }


def test_branch_of() -> None:
    kc = branch(BRANCH)
    assert branch_of(SESETAN) == kc
    assert branch_of("51.08") == kc
    assert branch_of("51.08.01") == kc
    assert branch_of("51.04.01.2001") is None  # Gianyar: another branch
    assert branch_of("51") is None  # the province spans several branches
    assert branch_of("51.710") is None
    assert branch("KC-NOWHERE") is None
    with pytest.raises(KeyError):
        villages_in_branch("KC-NOWHERE")
