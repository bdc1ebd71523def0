"""`fieldtui report`: progress against targets per region, the figures a branch reports upward.

``--by branch|kabupaten|kecamatan|desa|banjar`` picks the rows (under ``--region``; by default
the level just under it, or the branches), ``--period 2017`` (or
``--from``/``--to``, or ``all``; default this year, as the dashboard) the period, ``--format``
a table (default), CSV, JSON (stable, see docs/report-json.md) or Markdown. Read-only: the
store is opened for reading and nothing is written, so no sign-in is needed.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

from fieldtui.i18n import fmt_date, fmt_number, fmt_percent, t

if TYPE_CHECKING:
    import datetime as dt

    from fieldtui.exchange.report import Report, ReportRow

EXIT_OK, EXIT_FAILED = 0, 1
FORMATS = ("table", "csv", "json", "markdown")
# The human columns (table, Markdown): (column key, right-aligned).
_HUMAN = (
    ("region", False),
    ("target", True),
    ("participants", True),
    ("pct_of_target", True),
    ("new_signups", True),
    ("paid", True),
    ("paid_pct", True),
    ("nonaktif", True),
    ("visits", True),
    ("last_visit", False),
)


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add the `report` command."""
    from fieldtui.cli.export import LEVELS, add_period_options

    parser = subparsers.add_parser("report", help=t("report.help"), description=t("report.help"))
    # No default here: without --by the rows are one level under --region (or the branches).
    parser.add_argument("--by", choices=LEVELS, default=None, help=t("report.by_help"))
    add_period_options(parser)
    parser.add_argument("--as-of", metavar="YYYY-MM-DD", help=t("report.as_of_help"))
    parser.add_argument("--format", choices=FORMATS, default="table", help=t("report.format_help"))
    # SUPPRESS: without --db here, the global --db (before the command) must not be reset.
    parser.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS, help=t("cli.db_help"))
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Build the report from the store and print it; 1 when the store cannot be read."""
    import datetime as dt

    from fieldtui.cli import UsageError, resolve_db
    from fieldtui.cli.export import parse_period, parse_region
    from fieldtui.cli.open_app import open_store
    from fieldtui.domain import clock
    from fieldtui.domain.models import Period
    from fieldtui.exchange.report import BY_NAMES, build_report

    period = parse_period(args, default=Period.year(clock.today().year))
    region = parse_region(args.region)
    by = rows_level(args.by, region)
    as_of = None
    if args.as_of:
        try:
            as_of = dt.date.fromisoformat(args.as_of)
        except ValueError:
            raise UsageError(t("report.bad_date", value=args.as_of)) from None
    opened = open_store(resolve_db(args), read_only=True)
    if isinstance(opened, str):
        sys.stderr.write(opened + "\n")
        return EXIT_FAILED
    with opened as store:
        report = build_report(store, BY_NAMES[by], period=period, region_code=region, as_of=as_of)
    if args.format == "json":
        from fieldtui.exchange.report import report_json

        sys.stdout.write(json.dumps(report_json(report), ensure_ascii=False, indent=2) + "\n")
    elif args.format == "csv":
        _print_csv(report)
    elif args.format == "markdown":
        sys.stdout.write(markdown(report))
    else:
        _print_table(report)
    return EXIT_OK


def region_rank(code: str) -> int:
    """Where a --region code sits in LEVELS (0 the branch ... 3 a desa); -1 for the province."""
    from fieldtui.domain.regions import Level, branch, gazetteer

    if branch(code) is not None:
        return 0
    region = gazetteer().require(code)
    ranks = {Level.KABUPATEN_KOTA: 1, Level.KECAMATAN: 2, Level.DESA_KELURAHAN: 3}
    return ranks.get(region.level, -1)


def rows_level(by: str | None, region: str | None) -> str:
    """The --by level of the rows: the one asked for, which must lie under ``region`` (rows at
    or above it would be empty), or by default the level just under ``region``."""
    from fieldtui.cli import UsageError
    from fieldtui.cli.export import LEVELS

    rank = region_rank(region) if region is not None else -1
    if by is None:
        return LEVELS[rank + 1]
    if LEVELS.index(by) <= rank:
        below = ", ".join(LEVELS[rank + 1 :])
        raise UsageError(t("report.by_not_under", by=by, region=region, levels=below))
    return by


def title(report: Report) -> str:
    """'Capaian per desa/kelurahan — tahun 2017, per 31 Des 2017'."""
    period = report.period
    if period is None:
        when = t("report.period.all")
    elif period.key.isdigit():
        when = t("report.period.year", year=period.key)
    else:
        when = t("report.period.span", start=fmt_date(period.start), end=fmt_date(period.end))
    level = t(f"progress.level.{report.by.value}")
    text = t("report.title", level=level, period=when, as_of=fmt_date(report.as_of))
    if report.region_code is not None:
        text = t("report.title_in", title=text, region=report.total.region)
    return text


def human_cells(row: ReportRow, *, short: bool = False) -> dict[str, str]:
    """A row's cells formatted for people, in the current language ('7.708', '33,6%', '–');
    ``short``: dates as '17 Agu 17' for a narrow table."""

    def pct(value: float | None) -> str:
        return fmt_percent(value, decimals=1) if value is not None else "–"

    name = row.region if row.level != "total" else t("report.total")
    return {
        "region": name,
        "target": fmt_number(row.target) if row.target is not None else "–",
        "participants": fmt_number(row.participants),
        "pct_of_target": pct(row.pct_of_target),
        "new_signups": fmt_number(row.new_signups),
        "paid": fmt_number(row.paid),
        "paid_pct": pct(row.paid_pct),
        "nonaktif": fmt_number(row.nonaktif),
        "visits": fmt_number(row.visits),
        "last_visit": _date(row.last_visit, short=short),
    }


def _date(day: dt.date | None, *, short: bool) -> str:
    if day is None:
        return "–"
    if short:
        return fmt_date(day).rsplit(" ", 1)[0] + f" {day.year % 100:02d}"
    return fmt_date(day)


def _header(key: str) -> str:
    return t(f"export.column.{key}")


def _print_table(report: Report) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console(highlight=False)
    # One space between columns and short dates: ten columns fit 80 characters.
    table = Table(box=None, header_style="bold", padding=(0, 0, 0, 1), pad_edge=False)
    for key, right in _HUMAN:
        if key == "region":
            # The only column that gives way when the terminal is narrow (long names wrap).
            table.add_column(t(f"report.col.{key}"), min_width=12)
        else:
            table.add_column(
                t(f"report.col.{key}"), justify="right" if right else "left", no_wrap=True
            )
    console.print(title(report), style="bold", markup=False, soft_wrap=True)
    # Text cells, not str: a str is parsed as Rich markup, and region and banjar names are
    # typed by people ("Banjar Anyar [/]" crashed the table, "[red]" lost words).
    for row in report.rows:
        cells = human_cells(row, short=True)
        table.add_row(*(Text(cells[key]) for key, _ in _HUMAN))
    cells = human_cells(report.total, short=True)
    table.add_row(*(Text(cells[key]) for key, _ in _HUMAN), style="bold", end_section=True)
    console.print(table)
    if not report.rows:
        console.print(t("report.empty"))


def markdown(report: Report) -> str:
    """The report as a Markdown heading and pipe table (numbers in the current language)."""
    lines = [f"## {title(report)}", ""]
    lines.append("| " + " | ".join(_header(key) for key, _ in _HUMAN) + " |")
    lines.append("|" + "|".join("---:" if right else "---" for _, right in _HUMAN) + "|")
    for row, bold in [*((r, False) for r in report.rows), (report.total, True)]:
        cells = human_cells(row)
        values = [cells[key].replace("|", "\\|") for key, _ in _HUMAN]
        if bold:
            values = [f"**{v}**" for v in values]
        lines.append("| " + " | ".join(values) + " |")
    return "\n".join(lines) + "\n"


def _print_csv(report: Report) -> None:
    from fieldtui.exchange.columns import ExportKind, columns, headers
    from fieldtui.exchange.report import progress_cells
    from fieldtui.exchange.tabular import CsvWriter

    out = CsvWriter.to_stream(
        sys.stdout, columns(ExportKind.PROGRESS), headers(ExportKind.PROGRESS)
    )
    out.write_rows(progress_cells(report))
    sys.stdout.flush()
