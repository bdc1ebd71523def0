"""`fieldtui demo [--db PATH] [--force]`: create the demo store and say what is in it.

Without ``--db`` the store goes to the per-user data folder as ``demo.fieldtui.json`` (the one
``fieldtui --demo`` opens). An existing demo store is kept (``--force`` builds it afresh); a store
with real data is never overwritten (exit code 1).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fieldtui.i18n import fmt_number, t

if TYPE_CHECKING:
    from rich.console import Console

    from fieldtui.exchange.demo import DemoUser

EXIT_OK, EXIT_REFUSED = 0, 1


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add the `demo` command."""
    parser = subparsers.add_parser("demo", help=t("demo.help"), description=t("demo.help"))
    # SUPPRESS: without --db here, the global --db (before the command) must not be reset.
    parser.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS, help=t("demo.db_help"))
    parser.add_argument("--force", action="store_true", help=t("demo.force_help"))
    parser.set_defaults(func=run)


def demo_path(args: argparse.Namespace) -> Path:
    """``--db`` if given, else the default demo store (never $FIELDTUI_DB: that is real data)."""
    from fieldtui.cli import resolve_db

    return resolve_db(argparse.Namespace(db=getattr(args, "db", None), demo=True))


def run(args: argparse.Namespace) -> int:
    """Create (or find) the demo store and print a summary; 1 when refused."""
    from rich.console import Console

    from fieldtui.exchange.demo import create_demo_store
    from fieldtui.store.errors import StoreError

    path = demo_path(args)
    console = Console(highlight=False)
    try:
        summary = create_demo_store(path, force=bool(args.force))
    except StoreError as exc:
        Console(stderr=True, highlight=False).print(
            exc.message(), style="red", markup=False, soft_wrap=True
        )
        return EXIT_REFUSED
    key = "demo.created" if summary.created else "demo.kept"
    # soft_wrap: a path or command is not broken across lines, so it can be copied whole.
    console.print(t(key, path=str(path)), style="bold", markup=False, soft_wrap=True)
    if summary.created:
        console.print(t("demo.took", seconds=fmt_number(round(summary.seconds, 1))))
    console.print(t("demo.about"))
    target = fmt_number(summary.target) if summary.target is not None else "–"
    console.print(t("demo.signups", count=fmt_number(summary.signups), target=target))
    console.print(
        t("demo.visits", count=fmt_number(summary.visits), banjars=fmt_number(summary.banjars))
    )
    _print_users(console, summary.users)
    default = path == demo_path(argparse.Namespace())
    command = "fieldtui --demo" if default else f"fieldtui --demo --db {path}"
    console.print(t("demo.open_hint", command=command), markup=False, soft_wrap=True)
    return EXIT_OK


def _print_users(console: Console, users: tuple[DemoUser, ...]) -> None:
    from rich.table import Table

    console.print(t("demo.users"))
    table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
    for column in ("name", "username", "role", "pin"):
        table.add_column(t(f"demo.column.{column}"))
    for user in users:
        table.add_row(user.name, user.username, t(f"demo.role.{user.role.value}"), user.pin)
    console.print(table)
