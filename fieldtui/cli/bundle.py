"""`fieldtui bundle -o FILE`: write this store's work to one file for the branch machine.

The signed-in user (OS login, or ``--user NAME`` with its PIN, as when opening the app) must be
allowed to export: officers and supervisors. The bundle holds NIKs unmasked, which the command
says, and the export is recorded in the audit trail.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from fieldtui.i18n import fmt_number, t

EXIT_OK, EXIT_FAILED = 0, 1


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add the `bundle` command."""
    parser = subparsers.add_parser("bundle", help=t("bundle.help"), description=t("bundle.help"))
    # SUPPRESS: without --db here, the global --db (before the command) must not be reset.
    parser.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS, help=t("cli.db_help"))
    parser.add_argument(
        "-o", "--output", required=True, metavar="FILE", help=t("bundle.output_help")
    )
    parser.add_argument("--force", action="store_true", help=t("bundle.force_help"))
    parser.set_defaults(func=run)


def _fail(message: str) -> int:
    sys.stderr.write(message + "\n")
    return EXIT_FAILED


def refusal_for(output: Path, store_path: Path, *, force: bool) -> str | None:
    """Why ``output`` must not be written (a store, a folder missing...), or None."""
    from fieldtui.store.bundle import is_bundle_file

    if output.resolve() == store_path.resolve():
        return t("bundle.is_store", path=str(output))
    if not output.parent.is_dir():
        return t("bundle.no_folder", path=str(output.parent))
    if output.exists() and not force and not is_bundle_file(output):
        return t("bundle.exists", path=str(output))
    return None


def human_size(size: int) -> str:
    """1234567 -> '1,2 MB' (id) / '1.2 MB' (en)."""
    if size < 1_000_000:
        return f"{fmt_number(max(1, round(size / 1000)))} kB"
    return f"{fmt_number(round(size / 1_000_000, 1))} MB"


def run(args: argparse.Namespace) -> int:
    """Write the bundle and say what is in it; 1 when refused."""
    from rich.console import Console

    from fieldtui.cli import resolve_db
    from fieldtui.cli.open_app import open_store, sign_in
    from fieldtui.store import indexes as ix
    from fieldtui.store.errors import StoreError

    path = resolve_db(args)
    output = Path(args.output).expanduser()
    refused = refusal_for(output, path, force=bool(args.force))
    if refused is not None:
        return _fail(refused)
    opened = open_store(path, read_only=False)
    if isinstance(opened, str):
        return _fail(opened)
    with opened as store:
        try:
            refusal = sign_in(store, user=args.user, demo_user=None)
            if refusal is not None:
                return _fail(refusal)
            bundle, size = store.write_bundle(output)
        except StoreError as exc:
            return _fail(exc.message())
        except OSError as exc:
            return _fail(t("store.error.io", path=str(output), detail=exc.strerror or str(exc)))
    console = Console(highlight=False)
    console.print(
        t("bundle.written", path=str(output), size=human_size(size)), markup=False, soft_wrap=True
    )
    counts = {
        "signups": fmt_number(bundle.count(ix.SIGNUPS)),
        "visits": fmt_number(bundle.count(ix.VISITS)),
        "audit": fmt_number(bundle.count(ix.AUDIT)),
    }
    console.print(t("bundle.contents", **counts))
    console.print(t("bundle.personal_data"), style="bold yellow", markup=False)
    return EXIT_OK
