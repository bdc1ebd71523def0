"""Mobile numbers: normalised to E.164, refused with a translated reason, masked, shown."""

from __future__ import annotations

import phonenumbers
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from fieldtui.domain.phone import (
    PhoneError,
    format_phone,
    mask_phone,
    normalise_phone,
    parse_phone,
)
from fieldtui.i18n import set_language

E164 = "+628123456789"


@pytest.mark.parametrize(
    "typed",
    [
        "08123456789",
        "628123456789",
        "+628123456789",
        "+62 812-3456-789",
        "0812 3456 789",
        "0812-3456-789",
        "0812.3456.789",
        "(0812) 3456 789",
        "62-812-3456-789",
        "+62 0812 3456 789",  # the trunk 0 written after +62 by habit
        "0062 812 3456 789",  # as dialled from abroad
        "  08123456789  ",
    ],
)
def test_every_usual_notation_gives_e164(typed: str) -> None:
    result = parse_phone(typed)
    assert result.ok and result.error is None
    assert result.e164 == E164
    assert normalise_phone(typed) == E164


def test_empty_is_allowed() -> None:
    for typed in ("", "   "):
        result = parse_phone(typed)
        assert result.ok and result.e164 is None
        assert normalise_phone(typed) is None


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("0812-abc-789", "phone.error.characters"),
        ("0812 3456 789 ext 2", "phone.error.characters"),
        ("08", "phone.error.too_short"),
        ("0812345", "phone.error.too_short"),
        ("+628", "phone.error.too_short"),
        ("081234567890123", "phone.error.too_long"),
        ("0361 123456", "phone.error.not_mobile"),  # a Denpasar landline
        ("021 1234567", "phone.error.not_mobile"),
        ("+1 415 555 0123", "phone.error.not_indonesian"),
        ("+44 7911 123456", "phone.error.not_indonesian"),
        ("+", "phone.error.invalid"),
    ],
)
def test_refused_numbers_say_why(typed: str, code: str) -> None:
    result = parse_phone(typed)
    assert not result.ok and result.e164 is None
    assert result.error is not None and result.error.code == code
    with pytest.raises(PhoneError) as caught:
        normalise_phone(typed)
    assert caught.value.issue.code == code


def test_messages_in_both_languages() -> None:
    error = parse_phone("0361 123456").error
    assert error is not None
    assert error.message().startswith("Ini bukan nomor HP")
    set_language("en")
    assert error.message().startswith("This is not a mobile number")
    bad = parse_phone("08x").error
    assert bad is not None and "“x”" in bad.message()


def test_mask_and_format() -> None:
    assert mask_phone(E164) == "+62812****789"
    assert mask_phone("+6281234567890") == "+62812*****890"
    assert format_phone(E164) == "0812-3456-789"
    assert format_phone("+6281234567890") == "0812-3456-7890"
    assert format_phone("not a number") == "not a number"
    assert mask_phone("+62") == "+62"


# --- properties ----------------------------------------------------------------------------

_EXAMPLE = phonenumbers.example_number_for_type("ID", phonenumbers.PhoneNumberType.MOBILE)
assert _EXAMPLE is not None
_NATIONAL = str(_EXAMPLE.national_number)  # "812345678"


@st.composite
def mobiles(draw: st.DrawFn) -> str:
    """Indonesian mobile numbers in E.164: the library's example with other digits after it."""
    size = draw(st.integers(min_value=len(_NATIONAL), max_value=len(_NATIONAL) + 3))
    tail = draw(st.text(alphabet="0123456789", min_size=size - 3, max_size=size - 3))
    candidate = f"+62{_NATIONAL[:3]}{tail}"
    number = phonenumbers.parse(candidate)
    assume(phonenumbers.is_valid_number(number))
    assume(phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.MOBILE)
    return candidate


@given(mobiles(), st.sampled_from(["0{n}", "62{n}", "+62{n}", "+62 {n}", "0{n} "]))
def test_notations_agree(e164: str, pattern: str) -> None:
    typed = pattern.format(n=e164[3:])
    assert normalise_phone(typed) == e164


@given(mobiles())
def test_display_form_reads_back(e164: str) -> None:
    shown = format_phone(e164)
    assert shown.startswith("08")
    assert normalise_phone(shown) == e164


@given(mobiles())
def test_mask_keeps_prefix_and_last_three(e164: str) -> None:
    masked = mask_phone(e164)
    assert len(masked) == len(e164)
    assert masked[:6] == e164[:6] and masked[-3:] == e164[-3:]
    assert set(masked[6:-3]) == {"*"}


# --- the fast path agrees with phonenumbers ---------------------------------------------------


@given(
    st.sampled_from(["0", "+62", "62", "0062", "+620", ""]),
    st.text(alphabet="0123456789", min_size=1, max_size=14),
)
def test_fast_path_answers_as_phonenumbers_does(prefix: str, digits: str) -> None:
    """Numbers read by the fast path get the same answer as from libphonenumber's full parse."""
    from fieldtui.domain.phone import _parse_phone, _parse_with_phonenumbers

    typed = prefix + digits
    compact = "+" + typed[2:] if typed.startswith("0062") else typed
    compact = "+" + compact if compact.startswith("62") else compact
    assert _parse_phone(typed) == _parse_with_phonenumbers(compact)


def test_fast_path_every_mobile_prefix_and_length() -> None:
    """Every 8x prefix at every length from 8 to 13 digits, exhaustively over the prefixes."""
    from fieldtui.domain.phone import _parse_phone, _parse_with_phonenumbers

    for second in "0123456789":
        for third in "0123456789":
            for length in range(8, 14):
                national = ("8" + second + third + "1234567890123")[:length]
                for typed in ("0" + national, "+62" + national):
                    assert _parse_phone(typed) == _parse_with_phonenumbers(typed), typed
