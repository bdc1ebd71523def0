"""`fieldtui users list|add|set-pin|deactivate|activate`: the branch admin's user management.

A command that changes users acts as the signed-in user exactly as the app does (the OS login,
or ``--user NAME`` with that user's PIN; `fieldtui.cli.open_app`), and the store decides what
that user may do: supervisors manage everyone, anyone may set their own PIN. PINs are read
with getpass on the terminal, never taken from the command line. Nobody is ever deleted: a
deactivated user keeps their records and cannot sign in.
"""

from __future__ import annotations

import argparse
import dataclasses
import getpass
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fieldtui.domain.auth import hash_pin, os_login_name, verify_pin
from fieldtui.domain.models import Officer, Role
from fieldtui.domain.permissions import Permission, can
from fieldtui.domain.users import new_pin_problem, username_problem
from fieldtui.i18n import t
from fieldtui.store.errors import PermissionDenied

if TYPE_CHECKING:
    from fieldtui.store.repository import Store

EXIT_OK, EXIT_FAILED = 0, 1
ROLES = [role.value for role in Role]


class Refused(Exception):
    """A translated reason the command did nothing (exit code 1)."""


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add the `users` command and its five sub-commands."""
    parser = subparsers.add_parser(
        "users", help=t("users.cli.help"), description=t("users.cli.help")
    )
    _common(parser)
    commands = parser.add_subparsers(dest="users_command", metavar="COMMAND", required=True)
    listing = commands.add_parser("list", help=t("users.cli.list_help"))
    add = commands.add_parser("add", help=t("users.cli.add_help"))
    add.add_argument("username", metavar="LOGIN", help=t("users.cli.username_help"))
    add.add_argument("--name", required=True, help=t("users.cli.name_help"))
    add.add_argument(
        "--role", choices=ROLES, default=Role.OFFICER.value, help=t("users.cli.role_help")
    )
    add.add_argument("--pin", action="store_true", help=t("users.cli.pin_help"))
    set_pin = commands.add_parser("set-pin", help=t("users.cli.set_pin_help"))
    set_pin.add_argument("username", metavar="LOGIN", nargs="?", help=t("users.cli.set_pin_who"))
    switches = []
    for name, key in (("deactivate", "deactivate_help"), ("activate", "activate_help")):
        switch = commands.add_parser(name, help=t(f"users.cli.{key}"))
        switch.add_argument("username", metavar="LOGIN", help=t("users.cli.username_help"))
        switch.add_argument("--reason", default="", help=t("users.cli.reason_help"))
        switches.append(switch)
    for leaf in (listing, add, set_pin, *switches):
        _common(leaf)
    parser.set_defaults(func=run)


def _common(parser: argparse.ArgumentParser) -> None:
    # SUPPRESS: options given before the command (fieldtui --db X users …) are kept.
    parser.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS, help=t("cli.db_help"))
    parser.add_argument(
        "--user", metavar="NAME", default=argparse.SUPPRESS, help=t("cli.user_help")
    )


def run(args: argparse.Namespace) -> int:
    """Open the store, sign in like the app, do the sub-command; the exit code."""
    from fieldtui.cli import resolve_db
    from fieldtui.cli.open_app import open_store, sign_in
    from fieldtui.store.errors import StoreError

    path = resolve_db(args)
    command: str = args.users_command
    looking = command == "list"
    if not path.exists():
        # Only adding oneself may start a new store (its first user); nothing else creates one.
        if command != "add":
            return _fail(t("store.error.missing", path=str(path)))
        if args.username != os_login_name():
            return _fail(t("users.cli.first_is_you", login=os_login_name(), path=str(path)))
    opened = open_store(path, read_only=looking or bool(getattr(args, "read_only", False)))
    if isinstance(opened, str):
        return _fail(opened)
    with opened as store:
        try:
            refusal = sign_in(store, user=getattr(args, "user", None), demo_user=None)
            if refusal is not None:
                return _fail(refusal)
            if looking:
                _print_users(store.officers())
            elif command == "add":
                _add(store, args, path)
            elif command == "set-pin":
                _set_pin(store, args.username)
            else:
                _switch(store, args.username, command == "activate", args.reason)
        except (StoreError, Refused) as exc:
            return _fail(exc.message() if isinstance(exc, StoreError) else str(exc))
    return EXIT_OK


def _fail(message: str) -> int:
    sys.stderr.write(message + "\n")
    return EXIT_FAILED


def _print_users(users: list[Officer]) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
    for column in ("name", "username", "role", "status", "pin"):
        table.add_column(t(f"users.column.{column}"))
    for user in users:
        # Text, not str: a str cell is parsed as Rich markup ("Made [/]" would crash).
        table.add_row(
            Text(user.name),
            Text(user.username),
            t(f"role.{user.role.value}"),
            t("users.status.active" if user.active else "users.status.inactive"),
            t("users.pin.set" if user.pin_hash else "users.pin.none"),
        )
    Console(highlight=False).print(table)


def _say(message: str) -> None:
    sys.stdout.write(message + "\n")


def _add(store: Store, args: argparse.Namespace, path: Path) -> None:
    username: str = args.username
    problem = username_problem(username, {o.username for o in store.officers()})
    if problem is not None:
        raise Refused(t(problem, username=username))
    name = " ".join(args.name.split())
    if not name:
        raise Refused(t("users.name_required"))
    if store.actor is None and username != os_login_name():
        # A new store's first user is whoever starts it (they create themself).
        raise Refused(t("users.cli.first_is_you", login=os_login_name(), path=str(path)))
    pin_hash = hash_pin(_ask_new_pin(username)) if args.pin else None
    officer = Officer(username=username, name=name, role=Role(args.role), pin_hash=pin_hash)
    saved = store.create_officer(officer)
    _say(
        t(
            "users.cli.added",
            name=saved.name,
            username=saved.username,
            role=t(f"role.{saved.role.value}"),
        )
    )
    if pin_hash is None:
        _say(t("users.cli.no_pin_hint", username=saved.username))


def _set_pin(store: Store, username: str | None) -> None:
    me: Officer | None = store.actor
    if me is None:
        raise Refused(t("repository.error.no_actor"))
    user = _find(store, username or me.username)
    if user.id != me.id and not can(me.role, Permission.MANAGE_USERS):
        # Said before the PIN is typed, not after (the store refuses it anyway).
        raise PermissionDenied("repository.denied.manage_users")
    if user.id == me.id and user.pin_hash:
        pin = _read_pin(t("users.cli.current_pin", username=user.username))
        if not verify_pin(pin, user.pin_hash):
            raise Refused(t("auth.pin_wrong"))
    pin_hash = hash_pin(_ask_new_pin(user.username))
    store.update_officer(dataclasses.replace(user, pin_hash=pin_hash), reason=t("users.reason.pin"))
    _say(t("users.cli.pin_set", username=user.username))


def _switch(store: Store, username: str, active: bool, reason: str) -> None:
    user = _find(store, username)
    if user.active == active:
        _say(
            t(
                "users.cli.already_active" if active else "users.cli.already_inactive",
                username=username,
            )
        )
        return
    store.update_officer(dataclasses.replace(user, active=active), reason=" ".join(reason.split()))
    _say(
        t(
            "users.cli.activated" if active else "users.cli.deactivated",
            name=user.name,
            username=username,
        )
    )


def _find(store: Store, username: str) -> Officer:
    user: Officer | None = store.officer_by_username(username)
    if user is None:
        raise Refused(t("repository.error.unknown_user", username=username))
    return user


def _read_pin(prompt: str) -> str:
    if not sys.stdin.isatty():
        raise Refused(t("users.cli.pin_needs_terminal"))
    return getpass.getpass(prompt)


def _ask_new_pin(username: str) -> str:
    """A new PIN, typed twice on the terminal (refused when it is weak or the two differ)."""
    pin = _read_pin(t("users.cli.new_pin", username=username))
    again = _read_pin(t("users.cli.new_pin_again"))
    problem = new_pin_problem(pin, again, required=True)
    if problem is not None:
        raise Refused(t(problem))
    return pin
