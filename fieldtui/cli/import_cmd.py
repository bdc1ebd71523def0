"""`fieldtui import FILE.csv|FILE.xlsx [--kind signups|visits] [--dry-run]`.

Imports sign-ups (or visits) as the signed-in user (the OS login, or ``--user NAME`` with its
PIN, as when opening the app). Prints what was read, imported, already present and refused; the
refused rows go to ``<file>.ditolak.csv`` beside the input. Exit code 0 when every row was
imported or already there, 1 when some were refused (or the store refused the user), 2 when
the file cannot be used at all.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fieldtui.i18n import fmt_number, t

if TYPE_CHECKING:
    from rich.console import Console

    from fieldtui.exchange.importer import ImportReport, Rejection

EXIT_OK, EXIT_REJECTED, EXIT_UNUSABLE = 0, 1, 2
SHOWN_PROBLEMS = 20
SHOWN_WARNINGS = 10


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add the `import` command."""
    parser = subparsers.add_parser("import", help=t("import.help"), description=t("import.help"))
    parser.add_argument("file", metavar="FILE", help=t("import.file_help"))
    parser.add_argument(
        "--kind", choices=("signups", "visits"), default=None, help=t("import.kind_help")
    )
    parser.add_argument("--dry-run", action="store_true", help=t("import.dry_run_help"))
    # SUPPRESS: without --db here, the global --db (before the command) must not be reset.
    parser.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS, help=t("cli.db_help"))
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Open the store, sign in, import the file, report; the exit code."""
    from rich.console import Console

    from fieldtui.cli import resolve_db
    from fieldtui.cli.open_app import open_store, sign_in
    from fieldtui.exchange.columns import ExportKind
    from fieldtui.exchange.import_report import rejected_path, write_rejected
    from fieldtui.exchange.importer import import_file
    from fieldtui.exchange.readers import FileRefused
    from fieldtui.store.errors import StoreError

    console = Console(highlight=False)
    errors = Console(stderr=True, highlight=False)
    source = Path(args.file).expanduser()
    if args.read_only:
        return _fail(errors, t("import.read_only"), EXIT_UNUSABLE)
    path = resolve_db(args)
    if not path.exists():
        return _fail(errors, t("store.error.missing", path=str(path)), EXIT_REJECTED)
    opened = open_store(path, read_only=False)
    if isinstance(opened, str):
        return _fail(errors, opened, EXIT_REJECTED)
    with opened as store:
        try:
            refusal = sign_in(store, user=getattr(args, "user", None), demo_user=None)
        except StoreError as exc:
            refusal = exc.message()
        if refusal is None and store.actor is None:
            refusal = t("import.no_user", path=str(path))
        if refusal is not None:
            return _fail(errors, refusal, EXIT_REJECTED)
        kind = ExportKind(args.kind) if args.kind else None
        try:
            report = _import(console, store, source, kind, bool(args.dry_run), import_file)
        except FileRefused as exc:
            errors.print(t("import.refused", file=str(source)), markup=False, soft_wrap=True)
            return _fail(errors, exc.message(), EXIT_UNUSABLE)
        except StoreError as exc:
            return _fail(errors, exc.message(), EXIT_REJECTED)
    # The import is committed by now: a report file that cannot be written (a read-only
    # folder, a folder of that name) is said in one line after the summary, not a traceback.
    try:
        rejected_file = write_rejected(report)
    except OSError as exc:
        _print_report(console, report, None)
        target = rejected_path(report.path)
        detail = exc.strerror or str(exc)
        return _fail(
            errors, t("import.rejected_unwritable", path=str(target), detail=detail), EXIT_REJECTED
        )
    _print_report(console, report, rejected_file)
    return EXIT_OK if report.ok else EXIT_REJECTED


def _import(
    console: Console, store: Any, source: Path, kind: Any, dry_run: bool, import_file: Any
) -> ImportReport:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with Progress(
        *columns, console=console, transient=True, disable=not console.is_terminal
    ) as bar:
        task = bar.add_task(t("import.progress", file=source.name), total=None)
        report: ImportReport = import_file(
            store,
            source,
            kind=kind,
            dry_run=dry_run,
            expected=lambda n: bar.update(task, total=n or None),
            progress=lambda n: bar.advance(task, n),
        )
    return report


def _fail(console: Console, message: str, code: int) -> int:
    console.print(message, style="red", markup=False, soft_wrap=True)
    return code


def _print_report(console: Console, report: ImportReport, rejected_file: Path | None) -> None:
    kind = t(f"import.kind.{report.kind.value}")
    title = "import.title_dry_run" if report.dry_run else "import.title"
    console.print(
        t(title, kind=kind, file=str(report.path)), style="bold", markup=False, soft_wrap=True
    )
    summary = "import.summary_dry_run" if report.dry_run else "import.summary"
    console.print(
        t(
            summary,
            read=fmt_number(report.read),
            imported=fmt_number(report.imported),
            present=fmt_number(report.present),
            rejected=fmt_number(len(report.rejected)),
        )
    )
    if report.banjars_created:
        names = ", ".join(f"{name} ({_village(desa)})" for desa, name in report.banjars_created)
        key = "import.banjars_dry_run" if report.dry_run else "import.banjars"
        count = fmt_number(len(report.banjars_created))
        console.print(t(key, count=count, names=names), markup=False)
    if report.ignored_columns:
        console.print(
            t("import.ignored", columns=", ".join(report.ignored_columns)),
            markup=False,
            style="dim",
        )
    if report.warnings:
        title = t("import.warnings", count=fmt_number(len(report.warnings)))
        _print_rows(console, title, report.warnings, SHOWN_WARNINGS, "import.more_warnings")
    if report.stopped is not None:
        console.print(t("import.stopped", reason=report.stopped), style="red", markup=False)
    if not report.rejected:
        return
    title = t("import.rejected_title")
    _print_rows(console, title, report.rejected, SHOWN_PROBLEMS, "import.more_problems")
    if rejected_file is not None:
        console.print(
            t("import.rejected_written", path=str(rejected_file)), markup=False, soft_wrap=True
        )


def _print_rows(console: Console, title: str, rows: list[Rejection], limit: int, more: str) -> None:
    """A table of row, column, reason; at most ``limit`` lines, then how many more."""
    from rich.table import Table
    from rich.text import Text

    console.print(title, markup=False)
    table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
    for column in ("row", "column", "reason"):
        table.add_column(t(f"import.rejected_column.{column}"), overflow="fold")
    shown = 0
    for row in rows:
        for problem in row.problems:
            if shown < limit:
                # Text: headers and reasons quote the file's cells, which are not Rich markup.
                table.add_row(fmt_number(row.row), Text(problem.column), Text(problem.reason))
            shown += 1
    console.print(table)
    if shown > limit:
        console.print(t(more, count=fmt_number(shown - limit)))


def _village(code: str) -> str:
    from fieldtui.domain.regions import gazetteer

    region = gazetteer().get(code)
    return region.name if region is not None else code
