"""Indonesian mobile numbers: normalised to E.164 (``+628…``), checked, masked and shown.

Validity and the mobile/landline distinction come from ``phonenumbers`` (Google's
libphonenumber metadata), never from operator prefix lists of our own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat, PhoneNumberType

from fieldtui.domain.issues import Issue

REGION = "ID"
COUNTRY_CODE = 62
_ALLOWED = re.compile(r"[0-9+\-\s.()/]")
_SEPARATORS = re.compile(r"[\s.\-()/]+")
_MOBILE_TYPES = (PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE)
_REASON_TOO_SHORT = phonenumbers.ValidationResult.TOO_SHORT
_REASON_TOO_LONG = phonenumbers.ValidationResult.TOO_LONG
# The common case, read without phonenumbers' general parser (its parse is ~50 us, an import
# of 10,000 rows checks 10,000 numbers): "08…" or "+628…" whose national part matches
# libphonenumber's own mobile pattern for Indonesia, taken from its metadata. Such a number
# is mobile and valid whatever else it is (no premium, toll-free, shared-cost or UAN pattern
# for ID overlaps it); tests compare this path with the full one number by number.


def _mobile_desc() -> tuple[str, frozenset[int]]:
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(REGION)
    mobile = metadata.mobile if metadata is not None else None
    if mobile is None or mobile.national_number_pattern is None:  # pragma: no cover
        raise RuntimeError("phonenumbers has no mobile pattern for Indonesia")
    return mobile.national_number_pattern, frozenset(mobile.possible_length or ())


_MOBILE_PATTERN, _MOBILE_LENGTHS = _mobile_desc()
_FAST_MOBILE = re.compile(rf"(?:\+62|0)({_MOBILE_PATTERN})")


@dataclass(frozen=True, slots=True)
class PhoneResult:
    """A checked phone field: the E.164 number, or the reason it was refused."""

    e164: str | None  # None when the field was left empty or the number was refused
    error: Issue | None = None

    @property
    def ok(self) -> bool:
        """True when the number can be saved (an empty, optional field included)."""
        return self.error is None


class PhoneError(ValueError):
    """A phone number that cannot be saved; ``issue`` says why (translatable)."""

    def __init__(self, issue: Issue) -> None:
        super().__init__(issue.code)
        self.issue = issue


def _refuse(code: str, **fields: object) -> PhoneResult:
    return PhoneResult(None, Issue(code, fields))


_KNOWN: dict[str, PhoneResult] = {}  # checked numbers (a save checks a phone twice, an import
_KNOWN_AT_MOST = 4096  # thousands): phonenumbers' parse is the costly part


def parse_phone(text: str) -> PhoneResult:
    """Check a typed mobile number: "0812 3456 789", "628123456789", "+62 812-3456-789"...

    An empty field is fine (the phone is optional): ``PhoneResult(None)``. Answers are kept
    (they depend on the text alone), under the text typed and under the E.164 form found.
    """
    known = _KNOWN.get(text)
    if known is not None:
        return known
    result = _parse_phone(text)
    if len(_KNOWN) >= _KNOWN_AT_MOST:
        _KNOWN.clear()
    _KNOWN[text] = result
    if result.e164 is not None:
        _KNOWN[result.e164] = result
    return result


def _parse_phone(text: str) -> PhoneResult:
    typed = text.strip()
    if not typed:
        return PhoneResult(None)
    bad = next((c for c in typed if not _ALLOWED.fullmatch(c)), None)
    if bad is not None:
        return _refuse("phone.error.characters", char=bad)
    compact = _SEPARATORS.sub("", typed)
    # Written the international way without "+": "62812…", or "0062812…" as dialled abroad.
    if compact.startswith("0062"):
        compact = "+" + compact[2:]
    elif compact.startswith("62"):
        compact = "+" + compact
    fast = _FAST_MOBILE.fullmatch(compact)
    if fast is not None and len(fast.group(1)) in _MOBILE_LENGTHS:
        return PhoneResult("+62" + fast.group(1))
    return _parse_with_phonenumbers(compact)


def _parse_with_phonenumbers(compact: str) -> PhoneResult:
    try:
        number = phonenumbers.parse(compact, REGION)
    except NumberParseException as exc:
        if exc.error_type in (
            NumberParseException.TOO_SHORT_NSN,
            NumberParseException.TOO_SHORT_AFTER_IDD,
        ):
            return _refuse("phone.error.too_short")
        if exc.error_type == NumberParseException.TOO_LONG:
            return _refuse("phone.error.too_long")
        return _refuse("phone.error.invalid")
    if number.country_code != COUNTRY_CODE:
        return _refuse("phone.error.not_indonesian")
    reason = phonenumbers.is_possible_number_for_type_with_reason(number, PhoneNumberType.MOBILE)
    if reason == _REASON_TOO_SHORT:
        return _refuse("phone.error.too_short")
    if reason == _REASON_TOO_LONG:
        return _refuse("phone.error.too_long")
    if not phonenumbers.is_valid_number(number):
        return _refuse("phone.error.invalid")
    if phonenumbers.number_type(number) not in _MOBILE_TYPES:
        return _refuse("phone.error.not_mobile")
    return PhoneResult(phonenumbers.format_number(number, PhoneNumberFormat.E164))


def normalise_phone(text: str) -> str | None:
    """The E.164 form of a typed mobile number, None for an empty field; PhoneError otherwise."""
    result = parse_phone(text)
    if result.error is not None:
        raise PhoneError(result.error)
    return result.e164


def format_phone(e164: str) -> str:
    """How officers write a number: "0812-3456-789"; a foreign one in international form."""
    try:
        number = phonenumbers.parse(e164, REGION)
    except NumberParseException:
        return e164
    if number.country_code == COUNTRY_CODE:
        return str(phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL))
    return str(phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL))


def mask_phone(e164: str) -> str:
    """Hide the middle of a number: "+628123456789" -> "+62812****789".

    Keeps the country code, the first three digits after it and the last three; anything
    shorter than that is masked after its first three characters.
    """
    if e164.startswith("+62") and len(e164) > 9:
        return e164[:6] + "*" * (len(e164) - 9) + e164[-3:]
    if len(e164) > 9:
        return e164[:4] + "*" * (len(e164) - 7) + e164[-3:]
    return e164[:3] + "*" * max(0, len(e164) - 3)
