"""`fieldtui export signups|visits|progress`: write a CSV or XLSX file, masked unless --unmask.

The export acts as a user of the store, signed in as the app signs in (the OS login, or
``--user NAME`` with that user's PIN; ``--demo`` as the demo officer), because every export is
recorded in the audit trail with who, when, what and how many rows. Officers may export;
only supervisors may ``--unmask`` NIKs and phones. The file is created 0600 and an existing one
is kept unless ``--force``. One line says what was written, and when NIKs were unmasked.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fieldtui.i18n import fmt_number, t

if TYPE_CHECKING:
    from fieldtui.domain.models import Period
    from fieldtui.store.repository import Store

EXIT_OK, EXIT_FAILED = 0, 1
KINDS = ("signups", "visits", "progress")
FORMATS = ("csv", "xlsx")
STATES = ("new", "edited", "has_issues", "approved", "rejected")
LEVELS = ("branch", "kabupaten", "kecamatan", "desa", "banjar")
_BAR_FROM = 5_000  # rows: fewer than this finish before a progress bar would be seen


def add_period_options(parser: argparse.ArgumentParser) -> None:
    """--period, --from, --to (shared with `fieldtui report`)."""
    parser.add_argument("--period", metavar="2017|2026-11|all", help=t("export.period_help"))
    parser.add_argument(
        "--from", dest="date_from", metavar="YYYY-MM-DD", help=t("export.from_help")
    )
    parser.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD", help=t("export.to_help"))
    parser.add_argument("--region", metavar="CODE", help=t("export.region_help"))


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add the `export` command."""
    parser = subparsers.add_parser("export", help=t("export.help"), description=t("export.help"))
    parser.add_argument("kind", choices=KINDS, help=t("export.kind_help"))
    parser.add_argument("--format", choices=FORMATS, help=t("export.format_help"))
    parser.add_argument("-o", "--output", metavar="FILE", help=t("export.output_help"))
    add_period_options(parser)
    parser.add_argument("--officer", metavar="USERNAME", help=t("export.officer_help"))
    parser.add_argument(
        "--state", action="append", choices=STATES, default=[], help=t("export.state_help")
    )
    parser.add_argument("--by", choices=LEVELS, default="desa", help=t("export.by_help"))
    parser.add_argument("--unmask", action="store_true", help=t("export.unmask_help"))
    parser.add_argument("--force", action="store_true", help=t("export.force_help"))
    # SUPPRESS: without them here, the global --db / --user (before the command) are kept.
    parser.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS, help=t("cli.db_help"))
    parser.add_argument(
        "--user", metavar="NAME", default=argparse.SUPPRESS, help=t("cli.user_help")
    )
    parser.set_defaults(func=run)


def parse_period(args: argparse.Namespace, *, default: Period | None) -> Period | None:
    """The period of --period or --from/--to; ``default`` when neither; UsageError when bad."""
    from fieldtui.cli import UsageError
    from fieldtui.domain import clock
    from fieldtui.domain.models import Period

    if args.period and (args.date_from or args.date_to):
        raise UsageError(t("export.period_or_range"))
    if args.period:
        if args.period.strip().lower() in ("all", "semua"):
            return None
        try:
            return Period.parse(args.period)
        except ValueError:
            raise UsageError(t("export.bad_period", value=args.period)) from None
    if not (args.date_from or args.date_to):
        return default
    start, end = dt.date(1900, 1, 1), clock.today()
    try:
        if args.date_from:
            start = dt.date.fromisoformat(args.date_from)
        if args.date_to:
            end = dt.date.fromisoformat(args.date_to)
        return Period(start=start, end=end)
    except ValueError:
        value = f"{args.date_from or ''}..{args.date_to or ''}"
        raise UsageError(t("export.bad_period", value=value)) from None


def parse_region(text: str | None) -> str | None:
    """A region code (desa, kecamatan, kab/kota or branch), or UsageError."""
    from fieldtui.cli import UsageError
    from fieldtui.domain.regions import branch, gazetteer

    if not text:
        return None
    code = text.strip()
    if branch(code) is not None or code in gazetteer():
        return code
    raise UsageError(t("export.bad_region", value=text))


def _format_of(args: argparse.Namespace) -> str:
    if args.format:
        return str(args.format)
    suffix = Path(args.output).suffix.lower().lstrip(".") if args.output else ""
    return suffix if suffix in FORMATS else "csv"


def _open_signed_in(args: argparse.Namespace) -> Store | str:
    """The store, signed in as the app would sign in; or the translated refusal."""
    from fieldtui.cli import resolve_db
    from fieldtui.cli.open_app import open_store, sign_in
    from fieldtui.store.errors import StoreError

    path = resolve_db(args)
    if not path.exists():
        return t("store.error.missing", path=str(path))
    opened = open_store(path, read_only=bool(getattr(args, "read_only", False)))
    if isinstance(opened, str):
        return opened
    demo_user = None
    if getattr(args, "demo", False) and not getattr(args, "user", None):
        from fieldtui.exchange.demo import DEMO_OFFICER

        demo_user = DEMO_OFFICER.username
    try:
        refusal = sign_in(opened, user=getattr(args, "user", None), demo_user=demo_user)
        if refusal is None and opened.actor is None:
            refusal = t("export.no_user", path=str(path))
    except StoreError as exc:
        refusal = exc.message()
    if refusal is not None:
        opened.close()
        return refusal
    return opened


def run(args: argparse.Namespace) -> int:
    """Export, print one line about it; 0 done, 1 refused or failed, 2 bad arguments."""
    from fieldtui.cli import UsageError
    from fieldtui.domain import clock
    from fieldtui.domain.models import Period, ReviewState
    from fieldtui.exchange.columns import ExportKind
    from fieldtui.exchange.export import ExportRequest, default_path, run_export
    from fieldtui.exchange.report import BY_NAMES
    from fieldtui.exchange.tabular import FileExists, FileFormat
    from fieldtui.store.errors import StoreError

    fmt = _format_of(args)
    kind = ExportKind(args.kind)
    default = Period.year(clock.today().year) if kind is ExportKind.PROGRESS else None
    period = parse_period(args, default=default)
    region = parse_region(args.region)
    path = Path(args.output).expanduser() if args.output else default_path(kind, fmt, clock.today())
    opened = _open_signed_in(args)
    if isinstance(opened, str):
        return _fail(opened)
    with opened as store:
        officer_id = None
        if args.officer:
            officer = store.officer_by_username(args.officer)
            if officer is None:
                raise UsageError(t("export.bad_officer", value=args.officer))
            officer_id = officer.id
        request = ExportRequest(
            kind=kind,
            fmt=FileFormat(fmt),
            path=path,
            unmask=bool(args.unmask),
            force=bool(args.force),
            period=period,
            region_code=region,
            officer_id=officer_id,
            states=frozenset(ReviewState(s) for s in args.state),
            by=BY_NAMES[args.by],
            described={"officer": args.officer} if args.officer else {},
        )
        if not args.output:
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        try:
            result = _with_progress_bar(store, request, run_export)
        except FileExists:
            return _fail(t("export.exists", path=str(path)))
        except StoreError as exc:
            return _fail(exc.message())
        except OSError as exc:
            return _fail(t("export.io_error", path=str(path), detail=exc.strerror or str(exc)))
    key = "export.done_unmasked" if result.unmasked else "export.done_masked"
    from rich.console import Console

    Console(highlight=False).print(
        t(key, rows=fmt_number(result.rows), path=str(result.path)), markup=False, soft_wrap=True
    )
    return EXIT_OK


def _with_progress_bar(store: Store, request: Any, export: Any) -> Any:
    """Run ``export`` with a progress bar on stderr when it is a terminal and rows are many."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    console = Console(stderr=True)
    if not console.is_terminal:
        return export(store, request)
    with Progress(
        TextColumn(t("export.writing")),
        BarColumn(),
        MofNCompleteColumn(),
        console=console,
        transient=True,
    ) as bar:
        task = bar.add_task("export", total=None, visible=False)

        def advance(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total, visible=total >= _BAR_FROM)

        return export(store, request, progress=advance)


def _fail(message: str) -> int:
    sys.stderr.write(message + "\n")
    return EXIT_FAILED
