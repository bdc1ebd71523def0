"""NIK parsing, checks, derived birth date and sex, masking and formatting."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fieldtui.domain.models import Sex
from fieldtui.domain.nik import (
    clean_nik,
    format_nik,
    make_nik,
    mask_nik,
    parse_nik,
    provinces,
)
from fieldtui.i18n import set_language

TODAY = dt.date(2026, 11, 24)
WOMAN_1990 = "5171014708900001"  # Denpasar Selatan, born 7 Aug 1990, female


def _codes(issues: tuple[object, ...]) -> list[str]:
    return [getattr(i, "code", "") for i in issues]


def test_the_example_woman_from_denpasar_selatan() -> None:
    result = parse_nik("517101 470890 0001", today=TODAY)
    assert result.ok and result.errors == () and result.warnings == ()
    assert result.digits == WOMAN_1990
    assert result.birth_date == dt.date(1990, 8, 7)
    assert result.sex is Sex.FEMALE
    assert result.age == 36
    assert result.area_code == "51.71.01"
    assert result.province_name == "Bali"
    assert result.kab_name == "Kota Denpasar"
    assert result.kec_name == "Denpasar Selatan"
    assert result.serial == "0001"
    assert result.summary() == "perempuan, lahir 7 Agustus 1990"
    assert result.masked == "5171********0001"
    set_language("en")
    assert result.summary() == "female, born 7 August 1990"


def test_a_man_keeps_the_day_as_is() -> None:
    result = parse_nik("5171010708900001", today=TODAY)
    assert result.sex is Sex.MALE and result.birth_date == dt.date(1990, 8, 7)
    assert result.summary() == "laki-laki, lahir 7 Agustus 1990"


@pytest.mark.parametrize(
    "typed", ["5171.0147.0890.0001", "5171-0147-0890-0001", " 5171 0147 0890 0001 "]
)
def test_separators_are_ignored(typed: str) -> None:
    assert parse_nik(typed, today=TODAY).digits == WOMAN_1990
    assert clean_nik(typed) == WOMAN_1990


def test_empty_and_non_digits() -> None:
    assert _codes(parse_nik("  ", today=TODAY).errors) == ["nik.error.empty"]
    result = parse_nik("5171O14708900001", today=TODAY)  # a letter O for a zero
    assert _codes(result.errors) == ["nik.error.not_digits"]
    assert "“O”" in result.errors[0].message()
    # only ASCII digits count (no Arabic-Indic or full-width look-alikes)
    assert not parse_nik("٥" * 16, today=TODAY).ok


@pytest.mark.parametrize("size", [1, 6, 15, 17, 20])
def test_length_says_how_many_were_typed(size: int) -> None:
    result = parse_nik("5" * size, today=TODAY)
    assert _codes(result.errors) == ["nik.error.length"]
    assert result.errors[0].message() == f"NIK harus 16 angka; yang diketik {size} angka."
    set_language("en")
    assert result.errors[0].message() == f"A NIK has 16 digits; {size} typed."


def test_unknown_province_blocks() -> None:
    result = parse_nik("9971014708900001", today=TODAY)
    assert _codes(result.errors) == ["nik.error.province"]
    assert "99" in result.errors[0].message()
    assert result.birth_date == dt.date(1990, 8, 7)  # still derived for the form


def test_province_list() -> None:
    codes = provinces()
    assert len(codes) == 38
    assert (
        codes["51"] == "Bali" and codes["35"] == "Jawa Timur" and codes["96"] == "Papua Barat Daya"
    )
    assert all(11 <= int(code) <= 96 for code in codes)


def test_outside_bali_warns_never_blocks() -> None:
    result = parse_nik("3578014708900001", today=TODAY)
    assert result.ok
    assert _codes(result.warnings) == ["nik.warning.outside_bali"]
    assert "Jawa Timur" in result.warnings[0].message()
    assert result.province_name == "Jawa Timur" and result.kab_name is None


def test_unknown_bali_kab_and_kecamatan_warn() -> None:
    kab = parse_nik("5199014708900001", today=TODAY)
    assert kab.ok and _codes(kab.warnings) == ["nik.warning.unknown_kab"]
    kec = parse_nik("5171994708900001", today=TODAY)
    assert kec.ok and _codes(kec.warnings) == ["nik.warning.unknown_kec"]
    assert kec.kab_name == "Kota Denpasar" and kec.kec_name is None


@pytest.mark.parametrize(
    "date_part",
    ["000890", "320890", "400890", "720890", "071390", "070090", "310490", "300290", "290201"],
)
def test_impossible_dates_block(date_part: str) -> None:
    result = parse_nik(f"517101{date_part}0001", today=TODAY)
    assert _codes(result.errors) == ["nik.error.date"]
    assert result.birth_date is None and result.sex is None
    assert date_part in result.errors[0].message()


def test_leap_day_and_women_on_the_31st() -> None:
    assert parse_nik("5171016902000001", today=TODAY).birth_date == dt.date(2000, 2, 29)
    assert parse_nik("5171017101900001", today=TODAY).birth_date == dt.date(1990, 1, 31)


def test_a_birth_date_in_the_future_blocks() -> None:
    # On 15 Jan 2000, "29-02-00" is either 29 Feb 2000 (ahead) or 1900 (no such day).
    result = parse_nik("5171016902000001", today=dt.date(2000, 1, 15))
    assert _codes(result.errors) == ["nik.error.future"]


def test_serial_0000_blocks() -> None:
    result = parse_nik("5171014708900000", today=TODAY)
    assert _codes(result.errors) == ["nik.error.serial"]


def test_errors_are_collected_together() -> None:
    result = parse_nik("9971013208900000", today=TODAY)
    assert _codes(result.errors) == ["nik.error.province", "nik.error.date", "nik.error.serial"]


@pytest.mark.parametrize(
    ("yy", "year"),
    [("90", 1990), ("00", 2000), ("05", 2005), ("26", 2026), ("27", 1927), ("99", 1999)],
)
def test_two_digit_year_takes_the_most_recent_past_century(yy: str, year: int) -> None:
    result = parse_nik(f"5171010101{yy}0001", today=TODAY)
    assert result.birth_date == dt.date(year, 1, 1)


def test_a_date_later_this_year_means_a_century_ago() -> None:
    result = parse_nik("5171010112260001", today=TODAY)  # 1 Dec "26", on 24 Nov 2026
    assert result.birth_date == dt.date(1926, 12, 1)
    assert result.age == 99


def test_age_warnings() -> None:
    young = parse_nik("5171010101200001", today=TODAY)  # 2020: six years old
    assert young.ok and _codes(young.warnings) == ["nik.warning.too_young"]
    assert "6" in young.warnings[0].message()
    assert _codes(parse_nik("5171012411110001", today=TODAY).warnings) == []  # 15 today
    assert _codes(parse_nik("5171012511110001", today=TODAY).warnings) == [
        "nik.warning.too_young"
    ]  # 15 tomorrow
    # a typed birth date with the same two-digit year settles the century, even past 100
    old = parse_nik("5171010101240001", today=TODAY, typed_birth_date=dt.date(1924, 1, 1))
    assert old.birth_date == dt.date(1924, 1, 1)
    assert _codes(old.warnings) == ["nik.warning.too_old"]


def test_mismatch_with_what_was_typed_warns() -> None:
    result = parse_nik(
        WOMAN_1990, today=TODAY, typed_birth_date=dt.date(1990, 8, 8), typed_sex=Sex.MALE
    )
    assert result.ok
    assert _codes(result.warnings) == [
        "nik.warning.birth_date_mismatch",
        "nik.warning.sex_mismatch",
    ]
    date_msg, sex_msg = (w.message() for w in result.warnings)
    assert date_msg == "Tanggal lahir di NIK (7 Agu 1990) berbeda dengan yang diisi (8 Agu 1990)."
    assert sex_msg == "Jenis kelamin di NIK (perempuan) berbeda dengan yang dipilih (laki-laki)."
    set_language("en")
    assert result.warnings[1].message() == (
        "The sex in the NIK (female) differs from the one chosen (male)."
    )
    same = parse_nik(
        WOMAN_1990, today=TODAY, typed_birth_date=dt.date(1990, 8, 7), typed_sex=Sex.FEMALE
    )
    assert same.warnings == ()


def test_mask_and_format() -> None:
    assert mask_nik("5171010708900001") == "5171********0001"
    assert mask_nik("5171 0107 0890 0001") == "5171********0001"
    assert mask_nik("517") == "517"
    assert mask_nik("517101") == "5171**"
    assert mask_nik("5171010708") == "5171**0708"
    assert mask_nik("") == ""
    assert format_nik("5171010708900001") == "5171 0107 0890 0001"
    assert format_nik("517101070") == "5171 0107 0"
    assert format_nik(mask_nik("5171010708900001")) == "5171 **** **** 0001"


def test_make_nik() -> None:
    assert make_nik("51.71.01", dt.date(1990, 8, 7), Sex.FEMALE) == WOMAN_1990
    assert make_nik("517101", dt.date(1990, 8, 7), Sex.MALE, 42) == "5171010708900042"
    with pytest.raises(ValueError):
        make_nik("51.71", dt.date(1990, 8, 7), Sex.MALE)
    with pytest.raises(ValueError):
        make_nik("51.71.01", dt.date(1990, 8, 7), Sex.MALE, 0)


# --- properties ----------------------------------------------------------------------------

_AREAS = st.sampled_from(["51.71.01", "51.71.04", "51.03.01", "35.78.01", "31.71.01"])
# A two-digit year reads back only within the last hundred years.
_BIRTH_DATES = st.dates(min_value=dt.date(1926, 11, 25), max_value=TODAY)


@given(_AREAS, _BIRTH_DATES, st.sampled_from(list(Sex)), st.integers(1, 9999))
def test_make_then_parse_round_trips(area: str, born: dt.date, sex: Sex, serial: int) -> None:
    result = parse_nik(make_nik(area, born, sex, serial), today=TODAY)
    assert result.ok, result.errors
    assert result.birth_date == born
    assert result.sex is sex
    assert result.area_code == area
    assert result.serial == f"{serial:04d}"


@given(st.text(alphabet="0123456789", min_size=16, max_size=16), st.dates())
def test_a_derived_birth_date_is_never_in_the_future(digits: str, today: dt.date) -> None:
    result = parse_nik(digits, today=today)
    if result.birth_date is not None:
        assert result.birth_date <= today
        assert result.age is not None and result.age >= 0


@given(st.text(alphabet="0123456789", min_size=9, max_size=16))
def test_mask_keeps_first_and_last_four(digits: str) -> None:
    masked = mask_nik(digits)
    assert len(masked) == len(digits)
    assert masked[:4] == digits[:4] and masked[-4:] == digits[-4:]
    assert set(masked[4:-4]) <= {"*"}


@given(st.text(alphabet="0123456789", max_size=8))
def test_mask_of_a_partial_nik_shows_only_the_first_four(digits: str) -> None:
    masked = mask_nik(digits)
    assert masked[:4] == digits[:4] and set(masked[4:]) <= {"*"}


@given(st.text(alphabet="0123456789 .-", max_size=24))
def test_format_keeps_the_digits(text: str) -> None:
    assert clean_nik(format_nik(text)) == clean_nik(text)
