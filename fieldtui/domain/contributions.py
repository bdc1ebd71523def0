"""BPU contributions: band, base, per-programme lines, monthly and period totals, in rupiah.

The rates and rules come from `fieldtui.domain.rate_table` (packaged data, replaceable).

Rounding (the regulation publishes none): every programme line is computed on its own in exact
decimals and rounded half up to whole rupiah — first the gross amount (base × rate), then the
amount due after the discount; the discount is the difference of the two, so lines always add up.
The monthly total is the sum of the lines, the period total the monthly total × months.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from fieldtui.domain import clock
from fieldtui.domain.models import BpuCategory
from fieldtui.domain.rate_table import (
    PERIOD_MONTHS,
    SECTORS,
    Band,
    ContributionError,
    PolicyRule,
    Programme,
    ProgrammeRate,
    RateTable,
    Sector,
    band_for,
    default_table,
    fmt_decimal,
    round_half_up,
)
from fieldtui.i18n import fmt_date, fmt_money, t

__all__ = [
    "PERIOD_MONTHS",
    "SECTORS",
    "Band",
    "Contribution",
    "ContributionError",
    "Line",
    "PolicyRule",
    "Programme",
    "ProgrammeRate",
    "RateTable",
    "Sector",
    "band_for",
    "contribution_for",
    "default_table",
]


@dataclass(frozen=True, slots=True)
class Line:
    """One programme's monthly amount: gross, discount, net, and the rule that discounted it."""

    programme: Programme
    rate: ProgrammeRate
    gross_rp: int
    discount_rp: int
    net_rp: int
    rule: PolicyRule | None

    def tarif(self) -> str:
        """'1%' of the base, or the flat amount ('Rp6.800'), in the current language."""
        if self.rate.percent is not None:
            return f"{fmt_decimal(self.rate.percent)}%"
        return fmt_money(self.rate.amount_rp or 0)


@dataclass(frozen=True, slots=True)
class Contribution:
    """What a BPU participant pays: band, base, per-programme lines, monthly and period totals."""

    income_rp: int
    on: dt.date
    sector: Sector
    category: BpuCategory
    government_funded: bool
    jht: bool
    jht_forced: bool  # a pemberi kerja must take JHT
    months: int
    band: Band
    lines: tuple[Line, ...]
    table: RateTable

    @property
    def base_rp(self) -> int:
        """The nominal base the percentages apply to."""
        return self.band.base_rp

    @property
    def monthly_gross_rp(self) -> int:
        """The monthly amount before any discount."""
        return sum(line.gross_rp for line in self.lines)

    @property
    def monthly_discount_rp(self) -> int:
        """The monthly discount."""
        return sum(line.discount_rp for line in self.lines)

    @property
    def monthly_rp(self) -> int:
        """The monthly amount due."""
        return sum(line.net_rp for line in self.lines)

    @property
    def period_rp(self) -> int:
        """The amount due for ``months`` months paid at once."""
        return self.monthly_rp * self.months

    @property
    def rules(self) -> tuple[PolicyRule, ...]:
        """The discount rules applied, each once, in the order of the lines."""
        seen: dict[str, PolicyRule] = {}
        for line in self.lines:
            if line.rule is not None:
                seen.setdefault(line.rule.id, line.rule)
        return tuple(seen.values())

    @property
    def period_end(self) -> dt.date:
        """The last day of the months paid for, counted from the month of ``on``."""
        return clock.add_months(clock.month_start(self.on), self.months) - dt.timedelta(days=1)

    def rules_ending_in_period(self) -> tuple[PolicyRule, ...]:
        """Applied rules that end before the period paid for does (the total assumes they last)."""
        return tuple(rule for rule in self.rules if rule.end < self.period_end)

    def describe(self) -> list[str]:
        """The breakdown as translated lines of text, for the UI and the CLI."""
        band = self.band
        out = [
            t(
                "contributions.band",
                band=band.number,
                low=fmt_money(band.income_min_rp),
                high=fmt_money(band.income_max_rp) if band.income_max_rp is not None else "…",
                base=fmt_money(band.base_rp),
            )
        ]
        for line in self.lines:
            key = "contributions.line_discounted" if line.discount_rp else "contributions.line"
            out.append(
                t(
                    key,
                    programme=t(f"contributions.programme.{line.programme.value}"),
                    tarif=line.tarif(),
                    gross=fmt_money(line.gross_rp),
                    discount=fmt_money(line.discount_rp),
                    net=fmt_money(line.net_rp),
                )
            )
        out.append(t("contributions.monthly", amount=fmt_money(self.monthly_rp)))
        if self.months > 1:
            out.append(
                t("contributions.period", months=self.months, amount=fmt_money(self.period_rp))
            )
        out.extend(rule.summary() for rule in self.rules)
        out.extend(
            t("contributions.warning.rule_ends", until=fmt_date(rule.end))
            for rule in self.rules_ending_in_period()
        )
        if self.jht_forced:
            out.append(t("contributions.jht_forced"))
        return out


def contribution_for(
    income_rp: int,
    *,
    on: dt.date,
    sector: Sector = "other",
    jht: bool = False,
    category: BpuCategory = BpuCategory.PEKERJA_MANDIRI,
    government_funded: bool = False,
    months: int = 1,
    table: RateTable | None = None,
) -> Contribution:
    """The contribution for a declared monthly income on a date; see the module for rounding.

    Raises `ContributionError` for a negative income, an unknown sector or a number of months
    other than 1, 3, 6 or 12. Where several rules discount one programme, the largest wins.
    """
    table = table or default_table()
    if sector not in SECTORS:
        raise ContributionError("contributions.error.sector", sector=sector)
    if months not in PERIOD_MONTHS:
        raise ContributionError("contributions.error.months", months=months)
    band = table.band_for(income_rp)
    jht_forced = category is BpuCategory.PEMBERI_KERJA and not jht
    with_jht = jht or category is BpuCategory.PEMBERI_KERJA
    in_force = [r for r in table.rules if r.applies(on, sector, government_funded)]
    lines: list[Line] = []
    for programme, rate in table.programmes.items():
        if not rate.mandatory and not (programme is Programme.JHT and with_jht):
            continue
        if rate.percent is not None:
            gross_exact = Decimal(band.base_rp) * rate.percent / 100
        else:
            gross_exact = Decimal(rate.amount_rp or 0)
        gross = round_half_up(gross_exact)
        rules = [r for r in in_force if programme in r.programmes]
        rule = max(rules, key=lambda r: r.percent) if rules else None
        net = gross if rule is None else round_half_up(gross * (100 - rule.percent) / 100)
        lines.append(Line(programme, rate, gross, gross - net, net, rule))
    return Contribution(
        income_rp=income_rp,
        on=on,
        sector=sector,
        category=category,
        government_funded=government_funded,
        jht=with_jht,
        jht_forced=jht_forced,
        months=months,
        band=band,
        lines=tuple(lines),
        table=table,
    )
