"""The command line: global options, sub-commands, and opening the app.

Each sub-command lives in its own module exposing ``register(subparsers)``, which adds a parser
whose ``func`` default takes the parsed namespace and returns an exit code. Bad arguments give a
translated message and exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn

from fieldtui import __version__
from fieldtui.i18n import DEFAULT_LANG, Lang, parse_lang, set_language, t

EXIT_USAGE = 2


class UsageError(Exception):
    """A problem with what the user typed: reported in one line, exit code 2."""


# argparse's own messages (it looks each up through its module's `_` when it needs it), in the
# user's language; the placeholders stay argparse's, so the texts keep them as they are.
_ARGPARSE_TEXTS = {
    "usage: ": "cli.argparse.usage",
    "argument %(argument_name)s: %(message)s": "cli.argparse.argument",
    "unrecognized arguments: %s": "cli.argparse.unrecognized",
    "the following arguments are required: %s": "cli.argparse.required",
    "one of the arguments %s is required": "cli.argparse.one_required",
    "expected one argument": "cli.argparse.expected_one",
    "expected at most one argument": "cli.argparse.expected_at_most_one",
    "expected at least one argument": "cli.argparse.expected_at_least_one",
    "invalid %(type)s value: %(value)r": "cli.argparse.invalid_value",
    "invalid choice: %(value)r (choose from %(choices)s)": "cli.argparse.invalid_choice",
    "not allowed with argument %s": "cli.argparse.not_allowed_with",
    "ambiguous option: %(option)s could match %(matches)s": "cli.argparse.ambiguous",
    "ignored explicit argument %r": "cli.argparse.ignored_explicit",
    "positional arguments": "cli.section.positional",
    "options": "cli.section.options",
    "show this help message and exit": "cli.help_help",
}


def _argparse_text(message: str) -> str:
    key = _ARGPARSE_TEXTS.get(message)
    return t(key) if key is not None else message


argparse._ = _argparse_text  # type: ignore[attr-defined]


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are translated one-liners with exit code 2 (argparse's
    own words are translated through `_argparse_text`)."""

    def error(self, message: str) -> NoReturn:
        sys.stderr.write(
            f"{self.prog}: {t('cli.error_prefix')}: {message}\n{t('cli.usage_hint')}\n"
        )
        raise SystemExit(EXIT_USAGE)


def _lang_from_argv(argv: Sequence[str]) -> Lang:
    """The language asked for, read before the parser is built so its help is translated."""
    # --lang beats $FIELDTUI_LANG, which beats the language saved in Pengaturan.
    value = os.environ.get("FIELDTUI_LANG")
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            value = argv[i + 1]
        elif arg.startswith("--lang="):
            value = arg.split("=", 1)[1]
    if value is None:
        from fieldtui.settings import preferred_language

        return preferred_language() or DEFAULT_LANG
    try:
        return parse_lang(value)
    except ValueError:
        return DEFAULT_LANG


def _lang_type(value: str) -> Lang:
    try:
        return parse_lang(value)
    except ValueError:
        raise argparse.ArgumentTypeError(t("cli.bad_lang", value=value)) from None


def default_data_dir() -> Path:
    """The per-user folder that holds the stores (platformdirs)."""
    from platformdirs import user_data_path

    return user_data_path("fieldtui", appauthor=False)


def resolve_db(args: argparse.Namespace) -> Path:
    """The store path: ``--db``, else $FIELDTUI_DB, else the per-user data folder."""
    if getattr(args, "db", None):
        return Path(args.db).expanduser()
    if getattr(args, "demo", False):
        return default_data_dir() / "demo.fieldtui.json"
    env = os.environ.get("FIELDTUI_DB")
    if env:
        return Path(env).expanduser()
    return default_data_dir() / "fieldtui.json"


Command = Callable[[argparse.Namespace], int]


def _command_modules() -> list[Callable[[argparse._SubParsersAction[Parser]], None]]:
    # Each command module adds itself here (import inside, so `--help` stays fast).
    from fieldtui.cli import (
        bundle,
        check,
        demo,
        export,
        import_cmd,
        iuran,
        merge,
        report,
        share,
        users,
    )

    return [
        share.register,
        iuran.register,
        check.register,
        demo.register,
        users.register,
        import_cmd.register,
        export.register,
        report.register,
        bundle.register,
        merge.register,
    ]


def build_parser() -> Parser:
    """The full parser, with help texts in the current language."""
    parser = Parser(prog="fieldtui", description=t("cli.description"))
    parser.add_argument(
        "--version", action="version", version=f"fieldtui {__version__}", help=t("cli.version_help")
    )
    parser.add_argument("--db", metavar="PATH", help=t("cli.db_help"))
    parser.add_argument("--lang", type=_lang_type, metavar="id|en", help=t("cli.lang_help"))
    parser.add_argument("--demo", action="store_true", help=t("cli.demo_help"))
    parser.add_argument("--user", metavar="NAME", help=t("cli.user_help"))
    parser.add_argument("--read-only", action="store_true", help=t("cli.read_only_help"))
    parser.add_argument("--low-bandwidth", action="store_true", help=t("cli.low_bandwidth_help"))
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    for register in _command_modules():
        register(subparsers)
    return parser


def main(argv: Sequence[str]) -> int:
    """Parse ``argv`` and run the command (or the app); return the exit code."""
    set_language(_lang_from_argv(argv))
    parser = build_parser()
    args = parser.parse_args(list(argv))
    if args.lang:
        set_language(args.lang)
    func: Command | None = getattr(args, "func", None)
    try:
        if func is not None:
            return func(args)
        return _run_app(args)
    except UsageError as exc:
        parser.error(str(exc))


def _run_app(args: argparse.Namespace) -> int:
    from fieldtui.cli import open_app

    return open_app.run(args, resolve_db(args))
