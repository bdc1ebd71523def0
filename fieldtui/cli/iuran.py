"""`fieldtui iuran`: the contribution calculator officers use when a trader asks "berapa iurannya?".

``fieldtui iuran --income 1,5jt [--jht] [--employer] [--sector transport|other]
[--occupation CODE] [--date YYYY-MM-DD] [--months 1|3|6|12] [--json]``

The income may be typed as officers write it: ``1500000``, ``1.500.000``, ``1,500,000``,
``Rp 1.500.000``, ``1.5jt``, ``1,5 juta``, ``750rb``. The date defaults to today in Bali (WITA).
``--occupation`` sets the sector from the occupation's policy sector; an explicit, conflicting
``--sector`` is refused.

``--json`` prints one object whose keys are stable for scripts:

- ``income_rp`` (int), ``date`` (ISO), ``sector`` ("transport"|"other"), ``occupation`` (code or
  null), ``category`` (BpuCategory value), ``government_funded`` (false), ``jht`` (bool, true when
  taken or forced), ``jht_forced`` (bool), ``months`` (1, 3, 6 or 12);
- ``band``: ``number``, ``income_min_rp``, ``income_max_rp`` (null for the top band), ``base_rp``;
- ``lines``: one per programme, in order, each ``programme`` ("jkk"|"jkm"|"jht"), ``rate_percent``
  (number, or null for a flat amount), ``flat_rp`` (int or null), ``gross_rp``, ``discount_rp``,
  ``net_rp``, ``rule`` (rule id or null);
- ``monthly_gross_rp``, ``monthly_discount_rp``, ``monthly_rp``, ``period_rp`` (ints, rupiah);
- ``rules``: the discount rules applied, each ``id``, ``title`` (current language),
  ``legal_basis``, ``percent``, ``programmes``, ``start``, ``end`` (ISO, inclusive), and
  ``ends_within_period`` (bool: the total assumes the discount for every month paid);
- ``table``: ``edition``, ``effective`` (ISO), ``source``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
from decimal import Decimal
from typing import Any

from fieldtui.domain import clock, occupations
from fieldtui.domain.contributions import (
    PERIOD_MONTHS,
    SECTORS,
    Contribution,
    ContributionError,
    Sector,
    contribution_for,
)
from fieldtui.domain.income import parse_income
from fieldtui.domain.models import BpuCategory
from fieldtui.i18n import fmt_date, fmt_money, t

__all__ = ["as_json", "parse_income", "register", "run"]


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add the `iuran` command."""
    parser = subparsers.add_parser("iuran", help=t("iuran.help"), description=t("iuran.help"))
    parser.add_argument("--income", required=True, metavar="N", help=t("iuran.income_help"))
    parser.add_argument("--jht", action="store_true", help=t("iuran.jht_help"))
    parser.add_argument("--employer", action="store_true", help=t("iuran.employer_help"))
    parser.add_argument("--sector", metavar="transport|other", help=t("iuran.sector_help"))
    parser.add_argument("--occupation", metavar="CODE", help=t("iuran.occupation_help"))
    parser.add_argument("--date", metavar="YYYY-MM-DD", help=t("iuran.date_help"))
    parser.add_argument("--months", default="1", metavar="1|3|6|12", help=t("iuran.months_help"))
    parser.add_argument("--json", action="store_true", help=t("iuran.json_help"))
    parser.set_defaults(func=run)


def _sector(args: argparse.Namespace) -> Sector:
    from fieldtui.cli import UsageError

    sector: Sector | None = None
    if args.sector is not None:
        value = args.sector.strip().lower()
        if value not in SECTORS:
            raise UsageError(t("iuran.error.sector", value=args.sector))
        sector = value
    if args.occupation is None:
        return sector or "other"
    occupation = occupations.get(args.occupation.strip().lower())
    if occupation is None:
        hints = occupations.search(args.occupation, limit=3)
        key = "iuran.error.occupation_hint" if hints else "iuran.error.occupation"
        raise UsageError(t(key, value=args.occupation, hints=", ".join(o.code for o in hints)))
    if sector is not None and sector != occupation.sector:
        raise UsageError(
            t(
                "iuran.error.sector_conflict",
                occupation=occupation.code,
                code=occupation.sector,
                sector=t(f"contributions.sector.{occupation.sector}"),
                value=sector,
            )
        )
    return occupation.sector


def _inputs(args: argparse.Namespace) -> tuple[int, dt.date, int]:
    from fieldtui.cli import UsageError

    try:
        income = parse_income(args.income)
    except ValueError as exc:
        raise UsageError(t(str(exc), value=args.income)) from None
    try:
        on = dt.date.fromisoformat(args.date) if args.date else clock.today()
    except ValueError:
        raise UsageError(t("iuran.error.date", value=args.date)) from None
    months_text = str(args.months).strip()
    if not re.fullmatch(r"[0-9]+", months_text) or int(months_text) not in PERIOD_MONTHS:
        raise UsageError(t("iuran.error.months", value=args.months))
    return income, on, int(months_text)


def run(args: argparse.Namespace) -> int:
    """Compute and print the contribution; bad input raises UsageError (exit code 2)."""
    from fieldtui.cli import UsageError

    income, on, months = _inputs(args)
    sector = _sector(args)
    category = BpuCategory.PEMBERI_KERJA if args.employer else BpuCategory.PEKERJA_MANDIRI
    try:
        result = contribution_for(
            income, on=on, sector=sector, jht=args.jht, category=category, months=months
        )
    except ContributionError as exc:
        raise UsageError(exc.message()) from None
    occupation = occupations.get(args.occupation.strip().lower()) if args.occupation else None
    code = occupation.code if occupation else None
    if args.json:
        print(json.dumps(as_json(result, code), ensure_ascii=False, indent=2))
    else:
        _print(result, code)
    return 0


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def as_json(c: Contribution, occupation: str | None = None) -> dict[str, Any]:
    """The stable JSON object described in the module docstring."""
    ending = {r.id for r in c.rules_ending_in_period()}
    return {
        "income_rp": c.income_rp,
        "date": c.on.isoformat(),
        "sector": c.sector,
        "occupation": occupation,
        "category": c.category.value,
        "government_funded": c.government_funded,
        "jht": c.jht,
        "jht_forced": c.jht_forced,
        "months": c.months,
        "band": {
            "number": c.band.number,
            "income_min_rp": c.band.income_min_rp,
            "income_max_rp": c.band.income_max_rp,
            "base_rp": c.band.base_rp,
        },
        "lines": [
            {
                "programme": line.programme.value,
                "rate_percent": _number(line.rate.percent)
                if line.rate.percent is not None
                else None,
                "flat_rp": line.rate.amount_rp,
                "gross_rp": line.gross_rp,
                "discount_rp": line.discount_rp,
                "net_rp": line.net_rp,
                "rule": line.rule.id if line.rule else None,
            }
            for line in c.lines
        ],
        "monthly_gross_rp": c.monthly_gross_rp,
        "monthly_discount_rp": c.monthly_discount_rp,
        "monthly_rp": c.monthly_rp,
        "period_rp": c.period_rp,
        "rules": [
            {
                "id": r.id,
                "title": r.title_in_current_language(),
                "legal_basis": r.legal_basis,
                "percent": _number(r.percent),
                "programmes": [p.value for p in r.programmes],
                "start": r.start.isoformat(),
                "end": r.end.isoformat(),
                "ends_within_period": r.id in ending,
            }
            for r in c.rules
        ],
        "table": {
            "edition": c.table.edition,
            "effective": c.table.effective.isoformat(),
            "source": c.table.source,
        },
    }


def _print(c: Contribution, occupation: str | None) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(highlight=False)
    console.print(
        t(
            "iuran.title",
            date=fmt_date(c.on),
            sector=t(f"contributions.sector.{c.sector}"),
        ),
        style="bold",
    )
    if occupation:
        console.print(t("iuran.occupation", label=occupations.label(occupation), code=occupation))
    console.print(t("iuran.income", income=fmt_money(c.income_rp)))
    console.print(c.describe()[0])  # the band and base
    table = Table(show_footer=True, box=None, pad_edge=False)
    table.add_column(t("iuran.col.programme"), footer=t("iuran.per_month"))
    table.add_column(t("iuran.col.rate"), justify="right")
    table.add_column(t("iuran.col.gross"), justify="right", footer=fmt_money(c.monthly_gross_rp))
    table.add_column(
        t("iuran.col.discount"),
        justify="right",
        footer=fmt_money(c.monthly_discount_rp) if c.monthly_discount_rp else "–",
    )
    table.add_column(t("iuran.col.net"), justify="right", footer=fmt_money(c.monthly_rp))
    for line in c.lines:
        table.add_row(
            t(f"contributions.programme.{line.programme.value}"),
            line.tarif(),
            fmt_money(line.gross_rp),
            fmt_money(line.discount_rp) if line.discount_rp else "–",
            fmt_money(line.net_rp),
        )
    console.print(table)
    console.print(t("contributions.monthly", amount=fmt_money(c.monthly_rp)), style="bold")
    if c.months > 1:
        console.print(
            t("contributions.period", months=c.months, amount=fmt_money(c.period_rp)),
            style="bold",
        )
    for rule in c.rules:
        console.print(rule.summary())
    for rule in c.rules_ending_in_period():
        console.print(t("contributions.warning.rule_ends", until=fmt_date(rule.end)))
    if not c.rules:
        console.print(t("iuran.no_discount"))
    if c.jht_forced:
        console.print(t("contributions.jht_forced"))
    console.print(t("iuran.table_source", edition=c.table.edition), style="dim")
