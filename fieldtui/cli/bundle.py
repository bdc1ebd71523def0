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

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
_HEADER_LIMIT = 64 * 1024  # a bundle's header line is a few hundred bytes


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


def is_fieldtui_bundle(path: Path) -> bool:
    """True when ``path`` opens with a fieldtui bundle's header (the line
    `fieldtui.store.bundle.read_bundle` reads first); any other gzip file (a backup.tar.gz) is
    not one."""
    import gzip
    import json

    from fieldtui.store.bundle import FORMAT

    try:
        with gzip.open(path, "rb") as gz:
            header = json.loads(gz.readline(_HEADER_LIMIT))
    except (OSError, EOFError, ValueError):  # not gzip, damaged, not JSON, not a file
        return False
    return isinstance(header, dict) and header.get("format") == FORMAT


def refusal_for(output: Path, store_path: Path, *, force: bool) -> str | None:
    """Why ``output`` must not be written (the store or one of its files, a folder missing, a
    file that is not a bundle without --force...), or None."""
    target, store = output.resolve(), store_path.resolve()
    if target == store:
        return t("bundle.is_store", path=str(output))
    # Never, even with --force: the store's own files beside it (PATH.journal, PATH.lock,
    # PATH.backups/...) all start with its name.
    if str(target).startswith(str(store)):
        return t("bundle.store_file", path=str(output), store=str(store_path))
    if not output.parent.is_dir():
        return t("bundle.no_folder", path=str(output.parent))
    if output.exists() and not force and not is_fieldtui_bundle(output):
        return t("bundle.exists", path=str(output))
    return None


def human_size(size: int) -> str:
    """1234567 -> '1,2 MB' (id) / '1.2 MB' (en)."""
    if size < 1_000_000:
        return f"{fmt_number(max(1, round(size / 1000)))} kB"
    return f"{fmt_number(round(size / 1_000_000, 1))} MB"


def run(args: argparse.Namespace) -> int:
    """Write the bundle and say what is in it; 1 when refused, 2 under --read-only."""
    from rich.console import Console

    from fieldtui.cli import resolve_db
    from fieldtui.cli.open_app import open_store, sign_in
    from fieldtui.store import indexes as ix
    from fieldtui.store.errors import StoreError

    if getattr(args, "read_only", False):
        # The bundle is recorded in the audit trail: it writes to the store.
        sys.stderr.write(t("bundle.read_only") + "\n")
        return EXIT_USAGE
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
