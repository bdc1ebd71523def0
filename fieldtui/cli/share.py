"""`fieldtui share --group NAME`: let a group (supervisors) open this store over SSH."""

from __future__ import annotations

import argparse
from typing import Any

from rich.console import Console

from fieldtui.i18n import t
from fieldtui.store.sharing import ShareError, share_store


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add the `share` command."""
    parser = subparsers.add_parser("share", help=t("share.help"), description=t("share.help"))
    parser.add_argument("--group", required=True, metavar="NAME", help=t("share.group_help"))
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Share the store and say exactly what changed."""
    from fieldtui.cli import UsageError, resolve_db

    console = Console()
    db_path = resolve_db(args)
    try:
        report = share_store(db_path, args.group)
    except ShareError as exc:
        raise UsageError(t(exc.key, **exc.fields)) from None
    # markup=False: paths and group names are not Rich markup.
    console.print(
        t("share.done", group=report.group, directory=str(report.directory)), markup=False
    )
    for path, mode in report.changed:
        console.print(f"  {mode}  {path}", highlight=False, markup=False)
    console.print(t("share.never_world"))
    return 0
