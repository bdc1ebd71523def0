"""Opening the app: the store (with translated start-up errors), who is using it, then the TUI.

Identity comes from the OS login name, which the OS or sshd has already authenticated. Acting
as another user of the store (``--user NAME``, e.g. on a shared branch account) asks for that
user's PIN on the terminal before the app starts. A login the store does not know is refused
with a plain message instead of a guess; a store with no users yet asks, inside the app, who is
starting it. The demo store signs its visitor in as its first officer.
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import os
import sys
from pathlib import Path

from fieldtui.domain.auth import os_login_name, verify_pin
from fieldtui.i18n import t
from fieldtui.store.errors import StoreError
from fieldtui.store.repository import Store

EXIT_OK, EXIT_FAILED = 0, 1
PIN_TRIES = 3
LOW_BANDWIDTH_FPS = 8  # frames per second over a phone hotspot


def _fail(message: str) -> int:
    sys.stderr.write(message + "\n")
    return EXIT_FAILED


def open_store(path: Path, *, read_only: bool) -> Store | str:
    """The store at ``path``, or the translated reason it cannot be opened."""
    if read_only and not path.exists():
        return t("store.error.missing", path=str(path))
    try:
        return Store.open(path, read_only=read_only)
    except StoreError as exc:
        return exc.message()
    except OSError as exc:
        return t("store.error.io", path=str(path), detail=exc.strerror or str(exc))


def sign_in(store: Store, *, user: str | None, demo_user: str | None) -> str | None:
    """Make the right user the store's actor; the translated refusal, or None when done.

    With no users in the store yet nobody is signed in: the app's first-run screen creates the
    first user from the OS login.
    """
    if demo_user is not None:
        store.use_actor(demo_user)
        return None
    login = os_login_name()
    if user is not None and user != login:
        return _pin_sign_in(store, user)
    if store.officer_by_username(login) is not None:
        store.use_actor(login)
        return None
    if not store.officers() or store.read_only:
        return None  # first run (or just looking): the app handles it
    return t("auth.unknown_login", login=login, path=str(store.path))


def _pin_sign_in(store: Store, username: str) -> str | None:
    officer = store.officer_by_username(username)
    if officer is None or not officer.active:
        return t("auth.unknown_user", username=username)
    if officer.pin_hash is None:
        return t("auth.no_pin", username=username)
    if not sys.stdin.isatty():
        return t("auth.pin_needs_terminal", username=username)
    for _ in range(PIN_TRIES):
        pin = getpass.getpass(t("auth.pin_prompt", username=username))
        if verify_pin(pin, officer.pin_hash):
            store.use_actor(username)
            return None
        sys.stderr.write(t("auth.pin_wrong") + "\n")
    return t("auth.pin_refused", username=username)


def _demo(store: Store) -> tuple[str, dt.date]:
    """Build the demo in ``store`` on first use; who it signs in, and its day.

    The store is opened once: a demo store is kept as it is, an empty one is filled, one holding
    real data is refused (`DemoRefused`).
    """
    from fieldtui.exchange.demo import DEMO_OFFICER, build_demo
    from fieldtui.exchange.demo_signups import DEMO_DAY

    if store.is_empty and not store.read_only:
        sys.stderr.write(t("app.demo_building", path=str(store.path)) + "\n")
    if not store.read_only:
        build_demo(store)
    # The demo is the drive as it stood on the carnival's last day, 17 Aug 2017.
    return DEMO_OFFICER.username, DEMO_DAY


def run(args: argparse.Namespace, path: Path) -> int:
    """Open the store, sign in and run the app; the exit code."""
    low_bandwidth = bool(args.low_bandwidth) or os.environ.get("FIELDTUI_LOW_BANDWIDTH") == "1"
    if low_bandwidth:
        # Textual reads these once, when it is first imported: set them before that.
        os.environ.setdefault("TEXTUAL_FPS", str(LOW_BANDWIDTH_FPS))
        os.environ["TEXTUAL_ANIMATIONS"] = "none"
    from fieldtui.app import make_app

    opened = open_store(path, read_only=bool(args.read_only))
    if isinstance(opened, str):
        return _fail(opened)
    with opened as store:
        demo_user: str | None = None
        demo_day: dt.date | None = None
        try:
            if args.demo:
                demo_user, demo_day = _demo(store)
            refusal = sign_in(store, user=args.user, demo_user=demo_user)
        except StoreError as exc:
            refusal = exc.message()
        if refusal is not None:
            return _fail(refusal)
        app = make_app(
            store, demo=bool(args.demo), low_bandwidth=low_bandwidth, fixed_today=demo_day
        )
        app.run()
    return EXIT_OK
