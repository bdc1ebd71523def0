"""`fieldtui merge SOURCE...`: merge officers' bundles (or other stores) into this store.

Supervisors only (the store enforces Permission.MERGE); the signed-in user is found as when
opening the app. Each source is merged in one transaction, and a summary table says what came
in: new, updated, unchanged, conflicts and possible duplicates (both flagged for Tinjau).
``--dry-run`` opens the store read-only and shows the summary without writing.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fieldtui.i18n import fmt_number, t

if TYPE_CHECKING:
    from rich.console import Console

    from fieldtui.store.merge import MergeSummary

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
_COLUMNS = ("new", "updated", "unchanged", "conflicts", "duplicates")
_LINES = ("officers_added", "banjars_added", "skipped", "audit_added")


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add the `merge` command."""
    parser = subparsers.add_parser("merge", help=t("merge.help"), description=t("merge.help"))
    parser.add_argument("sources", nargs="+", metavar="FILE_OR_STORE", help=t("merge.source_help"))
    # SUPPRESS: without --db here, the global --db (before the command) must not be reset.
    parser.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS, help=t("cli.db_help"))
    parser.add_argument("--dry-run", action="store_true", help=t("merge.dry_run_help"))
    parser.set_defaults(func=run)


def _fail(message: str) -> int:
    sys.stderr.write(message + "\n")
    return EXIT_FAILED


def run(args: argparse.Namespace) -> int:
    """Merge each source in turn and print the summary; 1 when refused or unreadable, 2 under
    --read-only without --dry-run."""
    from rich.console import Console

    from fieldtui.cli import UsageError, resolve_db
    from fieldtui.cli.open_app import open_store, sign_in
    from fieldtui.store.bundle import read_source
    from fieldtui.store.errors import StoreError

    path = resolve_db(args)
    dry_run = bool(args.dry_run)
    if getattr(args, "read_only", False) and not dry_run:
        sys.stderr.write(t("merge.read_only") + "\n")
        return EXIT_USAGE
    sources = [Path(s).expanduser() for s in args.sources]
    for source in sources:
        if not source.is_file():
            raise UsageError(t("merge.missing", path=str(source)))
        if source.resolve() == path.resolve():
            return _fail(t("merge.error.same_store"))
    opened = open_store(path, read_only=dry_run)
    if isinstance(opened, str):
        return _fail(opened)
    console = Console(highlight=False)
    done: list[tuple[str, MergeSummary]] = []
    with opened as store:
        try:
            refusal = sign_in(store, user=args.user, demo_user=None)
            if refusal is not None:
                return _fail(refusal)
            for source in sources:
                console.print(t("merge.title", path=str(source)), markup=False, soft_wrap=True)
                bundle = read_source(source)
                if bundle.label and bundle.label != str(source):
                    console.print(t("merge.from", source=bundle.label), markup=False)
                done.append((source.name, store.merge_from(bundle, dry_run=dry_run)))
        except StoreError as exc:
            _print_table(console, done)
            return _fail(exc.message())
    _print_table(console, done)
    _print_lines(console, [summary for _, summary in done], dry_run=dry_run)
    return EXIT_OK


def _print_table(console: Console, done: list[tuple[str, MergeSummary]]) -> None:
    from rich.table import Table
    from rich.text import Text

    if not done:
        return
    table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
    table.add_column(t("merge.column.source"), overflow="fold")
    for column in _COLUMNS:
        table.add_column(t(f"merge.column.{column}"), justify="right")
    for name, summary in done:
        table.add_row(Text(name), *(fmt_number(getattr(summary, c)) for c in _COLUMNS))
    if len(done) > 1:
        totals = (sum(getattr(s, c) for _, s in done) for c in _COLUMNS)
        table.add_row(t("merge.total"), *(fmt_number(n) for n in totals), style="bold")
    console.print(table)


def _print_lines(console: Console, summaries: list[MergeSummary], *, dry_run: bool) -> None:
    for line in _LINES:
        count = sum(getattr(s, line) for s in summaries)
        if count:
            console.print(t(f"merge.line.{line}", count=fmt_number(count)))
    flagged = sum(s.conflicts + s.duplicates for s in summaries)
    if flagged:
        console.print(t("merge.review_hint", count=fmt_number(flagged)), style="yellow")
    if dry_run:
        console.print(t("merge.dry_run"), style="bold")
    elif not any(s.changed or s.audit_added or s.reviews_added for s in summaries):
        console.print(t("merge.nothing"))
    else:
        console.print(t("merge.done"), style="green")
