"""The BPU rate table: income bands, programme rates, minimums and dated discount rules.

Loaded from packaged data: ``data/bpu-income-bands.csv`` (PP 44/2015 Lampiran II) and
``data/bpu-rates.json`` (the table's edition, effective date and source; programme rates;
minimums; policy rules such as the PP 50/2025 discounts with their sectors and dates). A branch
can replace both files without touching code (`RateTable.from_texts`).
"""

from __future__ import annotations

import bisect
import csv
import datetime as dt
import io
import json
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import Any, Literal

from fieldtui.i18n import fmt_date, fmt_number, get_language, t

Sector = Literal["transport", "other"]
SECTORS: tuple[Sector, ...] = ("transport", "other")
PERIOD_MONTHS: tuple[int, ...] = (1, 3, 6, 12)  # monthly, or 3, 6 or 12 months ahead


class Programme(StrEnum):
    """The programmes open to BPU: JKK and JKM always, JHT optional."""

    JKK = "jkk"  # jaminan kecelakaan kerja (work accident)
    JKM = "jkm"  # jaminan kematian (death)
    JHT = "jht"  # jaminan hari tua (old-age savings)


class ContributionError(ValueError):
    """Bad input to the calculator: a message key and its fields (see `message`)."""

    def __init__(self, key: str, **fields: object) -> None:
        super().__init__(key)
        self.key = key
        self.fields = fields

    def message(self) -> str:
        """The translated message in the current language."""
        return t(self.key, **self.fields)


@dataclass(frozen=True, slots=True)
class Band:
    """An income band: income at least ``income_min_rp`` and below ``income_max_rp`` + 1."""

    number: int
    income_min_rp: int
    income_max_rp: int | None  # None for the top band
    base_rp: int


@dataclass(frozen=True, slots=True)
class ProgrammeRate:
    """How one programme's monthly contribution is computed."""

    programme: Programme
    percent: Decimal | None  # of the base; None for a flat amount
    amount_rp: int | None  # flat amount per month
    mandatory: bool


@dataclass(frozen=True, slots=True)
class PolicyRule:
    """A dated discount on some programmes for some sectors (e.g. PP 50/2025)."""

    id: str
    title_id: str
    title_en: str
    legal_basis: str
    programmes: tuple[Programme, ...]
    percent: Decimal
    sectors: tuple[Sector, ...]
    start: dt.date
    end: dt.date  # inclusive
    excludes_government_funded: bool = True

    def applies(self, on: dt.date, sector: Sector, government_funded: bool) -> bool:
        """True when the rule is in force on ``on`` for this sector and funding."""
        if government_funded and self.excludes_government_funded:
            return False
        return sector in self.sectors and self.start <= on <= self.end

    def title_in_current_language(self) -> str:
        """The rule's title in the language in use (Indonesian as fallback)."""
        return self.title_en if get_language() == "en" else self.title_id

    def summary(self) -> str:
        """'Diskon 50% JKK+JKM s.d. 31 Des 2026 (PP 50/2025)' in the current language."""
        return t(
            "contributions.discount",
            percent=fmt_decimal(self.percent),
            programmes="+".join(p.value.upper() for p in self.programmes),
            until=fmt_date(self.end),
            basis=self.legal_basis,
        )


@dataclass(frozen=True, slots=True)
class RateTable:
    """Bands, programme rates, minimums and policy rules, with the table's edition and source."""

    bands: tuple[Band, ...]
    programmes: dict[Programme, ProgrammeRate]
    minimum_rp: int
    minimum_with_jht_rp: int
    rules: tuple[PolicyRule, ...]
    edition: str
    effective: dt.date
    source: str

    @classmethod
    def from_texts(cls, rates_json: str, bands_csv: str) -> RateTable:
        """Build a table from the JSON rates document and the CSV band table."""
        doc: dict[str, Any] = json.loads(rates_json, parse_float=Decimal)
        rows = list(csv.DictReader(io.StringIO(bands_csv)))
        mins = [int(r["income_min_rp"]) for r in rows]
        if mins != sorted(set(mins)) or not mins or mins[0] != 0:
            raise ValueError("band minimums must start at 0 and increase")
        bands = tuple(
            Band(
                number=int(r["band"]),
                income_min_rp=mins[i],
                income_max_rp=mins[i + 1] - 1 if i + 1 < len(mins) else None,
                base_rp=int(r["base_rp"]),
            )
            for i, r in enumerate(rows)
        )
        programmes = {
            Programme(p["code"]): ProgrammeRate(
                programme=Programme(p["code"]),
                percent=Decimal(p["percent"]) if p["kind"] == "percent_of_base" else None,
                amount_rp=int(p["amount_rp"]) if p["kind"] == "flat" else None,
                mandatory=bool(p["mandatory"]),
            )
            for p in doc["programmes"]
        }
        rules = tuple(
            PolicyRule(
                id=r["id"],
                title_id=r["title"]["id"],
                title_en=r["title"]["en"],
                legal_basis=r["legal_basis"],
                programmes=tuple(Programme(p) for p in r["programmes"]),
                percent=Decimal(r["percent"]),
                sectors=tuple(_sector(s) for s in r["sectors"]),
                start=dt.date.fromisoformat(r["start"]),
                end=dt.date.fromisoformat(r["end"]),
                excludes_government_funded=bool(r.get("excludes_government_funded", True)),
            )
            for r in doc["rules"]
        )
        table = doc["table"]
        built = cls(
            bands=bands,
            programmes=programmes,
            minimum_rp=int(doc["minimum_rp"]["without_jht"]),
            minimum_with_jht_rp=int(doc["minimum_rp"]["with_jht"]),
            rules=rules,
            edition=table["edition"],
            effective=dt.date.fromisoformat(table["effective"]),
            source=table["source"],
        )
        built._check_minimums()
        return built

    def _check_minimums(self) -> None:
        # The published minimums are what the lowest band yields; a replaced table that
        # undercuts them is a data error, caught when it is loaded rather than at a booth.
        lowest = self.bands[0].base_rp
        gross = {
            p: round_half_up(Decimal(lowest) * r.percent / 100)
            if r.percent is not None
            else r.amount_rp or 0
            for p, r in self.programmes.items()
        }
        mandatory = sum(gross[p] for p, r in self.programmes.items() if r.mandatory)
        if mandatory < self.minimum_rp or mandatory + gross.get(Programme.JHT, 0) < (
            self.minimum_with_jht_rp
        ):
            raise ValueError("the lowest band yields less than the published minimum")

    def band_for(self, income_rp: int) -> Band:
        """The band a declared monthly income falls in (at least its minimum, below the next)."""
        if income_rp < 0:
            raise ContributionError("contributions.error.negative_income")
        index = bisect.bisect_right([b.income_min_rp for b in self.bands], income_rp) - 1
        return self.bands[index]


def _sector(value: str) -> Sector:
    if value not in SECTORS:
        raise ValueError(f"unknown sector {value!r}")
    return value


@cache
def default_table() -> RateTable:
    """The packaged rate table."""
    folder = resources.files("fieldtui").joinpath("data")
    rates = folder.joinpath("bpu-rates.json").read_text(encoding="utf-8")
    bands = folder.joinpath("bpu-income-bands.csv").read_text(encoding="utf-8")
    return RateTable.from_texts(rates, bands)


def band_for(income_rp: int, *, table: RateTable | None = None) -> Band:
    """The income band of ``income_rp`` in the packaged (or given) table."""
    return (table or default_table()).band_for(income_rp)


def fmt_decimal(value: Decimal) -> str:
    """1 -> '1', 1.5 -> '1,5' (id) / '1.5' (en)."""
    integral = value == value.to_integral_value()
    return fmt_number(int(value) if integral else float(value))


def round_half_up(value: Decimal) -> int:
    """Round to whole rupiah, halves up (10,000.5 -> 10,001)."""
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))
