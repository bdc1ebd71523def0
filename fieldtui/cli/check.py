"""`fieldtui check [--db PATH]`: verify a store and report plainly; exit 1 when it has problems."""

from __future__ import annotations

import argparse
from typing import Any

from rich.console import Console
from rich.table import Table

from fieldtui.i18n import fmt_number, t

EXIT_OK, EXIT_PROBLEMS = 0, 1


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add the `check` command."""
    parser = subparsers.add_parser("check", help=t("check.help"), description=t("check.help"))
    # SUPPRESS: without --db here, the global --db (before the command) must not be reset.
    parser.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS, help=t("cli.db_help"))
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Check the store, print the report, return 0 (fine) or 1 (problems found)."""
    from fieldtui.cli import UsageError, resolve_db
    from fieldtui.store.check import check_store

    path = resolve_db(args)
    try:
        report = check_store(path)
    except FileNotFoundError:
        raise UsageError(t("check.missing", path=str(path))) from None
    console = Console(highlight=False)
    # markup=False: a path may hold "[...]", which is not Rich markup; soft_wrap: the whole path.
    console.print(t("check.title", path=str(path)), style="bold", markup=False, soft_wrap=True)
    if report.schema_version is not None:
        console.print(t("check.schema", version=report.schema_version))
    if report.counts:
        table = Table(show_header=True, header_style="bold", box=None)
        table.add_column(t("check.column.table"))
        table.add_column(t("check.column.records"), justify="right")
        for name, count in report.counts.items():
            table.add_row(t(f"check.table.{name}"), fmt_number(count))
        console.print(table)
    for finding in report.findings:
        label = t(f"check.severity.{finding.severity}")
        style = "red" if finding.severity == "error" else "yellow"
        console.print(f"[{style}]{label}[/{style}] ", end="")
        console.print(finding.issue.message(), markup=False)
    if report.ok:
        console.print(t("check.ok"), style="green")
        return EXIT_OK
    console.print(t("check.problems", count=fmt_number(len(report.errors))), style="red")
    return EXIT_PROBLEMS
