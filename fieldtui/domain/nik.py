"""The NIK (Nomor Induk Kependudukan): parse and check it, derive birth date and sex, mask it.

A NIK is 16 digits ``PPKKSS DDMMYY NNNN``: the province, kab/kota and kecamatan where it was
issued, the birth date with 40 added to the day for women, and a serial from 0001. Blocking
problems are ``errors``; things worth a second look (an area outside Bali, an unusual age, a
mismatch with what was typed) are ``warnings`` and never block.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources

from fieldtui.domain.issues import Issue
from fieldtui.domain.models import Sex
from fieldtui.domain.regions import gazetteer
from fieldtui.i18n import fmt_date, t

NIK_LENGTH = 16
BALI = "51"
FEMALE_DAY_OFFSET = 40
MIN_WORKER_AGE = 15
MAX_PLAUSIBLE_AGE = 100
_SEPARATORS = re.compile(r"[\s.\-]+")


@cache
def provinces() -> Mapping[str, str]:
    """Indonesian province codes -> names (Kemendagri 2025, ``data/id-provinces.csv``)."""
    text = resources.files("fieldtui").joinpath("data", "id-provinces.csv").read_text("utf-8")
    return {row["code"]: row["name"] for row in csv.DictReader(io.StringIO(text))}


def clean_nik(text: str) -> str:
    """``text`` without the spaces, dots and dashes people type between the digit groups."""
    return _SEPARATORS.sub("", text)


@dataclass(frozen=True, slots=True, kw_only=True)
class NikResult:
    """What a NIK says, and what is wrong with it."""

    digits: str  # the input without separators
    errors: tuple[Issue, ...] = ()
    warnings: tuple[Issue, ...] = ()
    birth_date: dt.date | None = None
    sex: Sex | None = None
    age: int | None = None  # full years on the day of checking
    area_code: str | None = None  # "51.71.01"
    province_name: str | None = None
    kab_name: str | None = None  # "Kota Denpasar" (Bali only)
    kec_name: str | None = None  # "Denpasar Selatan" (Bali only)
    serial: str | None = None  # "0001"

    @property
    def ok(self) -> bool:
        """True when nothing blocks saving this NIK (warnings may remain)."""
        return not self.errors

    @property
    def masked(self) -> str:
        """The NIK as shown by default: ``5171********0001``."""
        return mask_nik(self.digits)

    def summary(self) -> str:
        """ "perempuan, lahir 7 Agustus 1990" — or "" when sex and birth date are unknown."""
        if self.sex is None or self.birth_date is None:
            return ""
        return t(
            "nik.summary",
            sex=t(f"nik.sex.{self.sex.name.lower()}"),
            date=fmt_date(self.birth_date, long=True),
        )


def parse_nik(
    text: str,
    *,
    today: dt.date,
    typed_birth_date: dt.date | None = None,
    typed_sex: Sex | None = None,
) -> NikResult:
    """Check a typed NIK and derive what it encodes (see the module docstring)."""
    digits = clean_nik(text)
    if not digits:
        return NikResult(digits=digits, errors=(Issue("nik.error.empty"),))
    bad = next((c for c in digits if not ("0" <= c <= "9")), None)
    if bad is not None:
        return NikResult(digits=digits, errors=(Issue("nik.error.not_digits", {"char": bad}),))
    if len(digits) != NIK_LENGTH:
        issue = Issue("nik.error.length", {"count": len(digits), "length": NIK_LENGTH})
        return NikResult(digits=digits, errors=(issue,))

    errors: list[Issue] = []
    warnings: list[Issue] = []
    area = _Area.read(digits[:6], errors, warnings)
    sex, birth_date = _birth(digits[6:12], today, typed_birth_date, errors)
    serial = digits[12:]
    if serial == "0000":
        errors.append(Issue("nik.error.serial"))

    age = None
    if birth_date is not None:
        age = _full_years(birth_date, today)
        if age < MIN_WORKER_AGE:
            warnings.append(Issue("nik.warning.too_young", {"age": age}))
        elif age > MAX_PLAUSIBLE_AGE:
            warnings.append(Issue("nik.warning.too_old", {"age": age}))
        if typed_birth_date is not None and typed_birth_date != birth_date:
            dates = {"nik_date": birth_date, "typed_date": typed_birth_date}
            warnings.append(Issue("nik.warning.birth_date_mismatch", dates))
    if sex is not None and typed_sex is not None and typed_sex != sex:
        sexes = {"nik_sex": _sex_word(sex), "typed_sex": _sex_word(typed_sex)}
        warnings.append(Issue("nik.warning.sex_mismatch", sexes))

    return NikResult(
        digits=digits,
        errors=tuple(errors),
        warnings=tuple(warnings),
        birth_date=birth_date,
        sex=sex,
        age=age,
        area_code=area.code,
        province_name=area.province,
        kab_name=area.kab,
        kec_name=area.kec,
        serial=serial,
    )


@dataclass(frozen=True, slots=True)
class _Area:
    code: str
    province: str | None = None
    kab: str | None = None
    kec: str | None = None

    @classmethod
    def read(cls, six: str, errors: list[Issue], warnings: list[Issue]) -> _Area:
        """The PPKKSS part: a known province is required; outside Bali is only noted."""
        code = f"{six[:2]}.{six[2:4]}.{six[4:6]}"
        province = provinces().get(six[:2])
        if province is None:
            errors.append(Issue("nik.error.province", {"code": six[:2]}))
            return cls(code)
        if six[:2] != BALI:
            # People move: a NIK issued elsewhere is normal for a worker living in Bali.
            warnings.append(Issue("nik.warning.outside_bali", {"province": province}))
            return cls(code, province)
        places = gazetteer()
        kab = places.get(code[:5])
        if kab is None:
            warnings.append(Issue("nik.warning.unknown_kab", {"code": code[:5]}))
            return cls(code, province)
        kec = places.get(code)
        if kec is None:
            # Kecamatan are split and renumbered; an old NIK can carry a code no longer listed.
            warnings.append(Issue("nik.warning.unknown_kec", {"code": code}))
        return cls(code, province, kab.name, kec.name if kec else None)


def _birth(
    six: str, today: dt.date, typed: dt.date | None, errors: list[Issue]
) -> tuple[Sex | None, dt.date | None]:
    """Sex and birth date from DDMMYY, the century chosen for a plausible age."""
    day, month, yy = int(six[:2]), int(six[2:4]), int(six[4:])
    sex = Sex.FEMALE if day > FEMALE_DAY_OFFSET else Sex.MALE
    if sex is Sex.FEMALE:
        day -= FEMALE_DAY_OFFSET
    # The most recent year ending in yy that is not after today, then the century before:
    # a birth date never lies in the future, and an age of 0 to 100 covers every worker.
    recent = today.year - (today.year - yy) % 100
    years = [recent, recent - 100]
    if typed is not None and typed.year % 100 == yy and typed <= today:
        years.insert(0, typed.year)  # the typed date settles the century (even past 100)
    valid = False
    for year in years:
        try:
            born = dt.date(year, month, day)
        except ValueError:
            continue
        valid = True
        if born <= today:
            return sex, born
    if not valid:
        errors.append(Issue("nik.error.date", {"digits": six}))
    else:
        # Only a 29 February can get here: real in the coming leap year, not a century before.
        errors.append(Issue("nik.error.future", {"digits": six}))
    return None, None


def _full_years(born: dt.date, today: dt.date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def _sex_word(sex: Sex) -> Issue:
    # An Issue as a field is translated when the message is shown, in the language then in use.
    return Issue(f"nik.sex.{sex.name.lower()}")


def mask_nik(text: str) -> str:
    """Hide the middle of a NIK: ``5171********0001``; partial input keeps only its first 4."""
    if len(text) == NIK_LENGTH and text.isdigit():  # as stored: an export masks 100k of them
        return text[:4] + "********" + text[12:]
    digits = clean_nik(text)
    size = len(digits)
    if size <= 4:
        return digits
    if size <= 8:
        return digits[:4] + "*" * (size - 4)
    return digits[:4] + "*" * (size - 8) + digits[-4:]


def format_nik(text: str) -> str:
    """Groups of four for reading aloud: ``5171 0107 0890 0001`` (masked input works too)."""
    digits = clean_nik(text)
    return " ".join(digits[i : i + 4] for i in range(0, len(digits), 4))


def make_nik(area: str, birth_date: dt.date, sex: Sex, serial: int = 1) -> str:
    """Build a NIK (for tests and the demo store): ``make_nik("51.71.01", date, Sex.FEMALE)``."""
    area_digits = clean_nik(area)
    if len(area_digits) != 6 or not area_digits.isdigit():
        raise ValueError(f"area must be 6 digits (PPKKSS), got {area!r}")
    if not 1 <= serial <= 9999:
        raise ValueError(f"serial must be 1..9999, got {serial}")
    day = birth_date.day + (FEMALE_DAY_OFFSET if sex is Sex.FEMALE else 0)
    return f"{area_digits}{day:02d}{birth_date.month:02d}{birth_date.year % 100:02d}{serial:04d}"
