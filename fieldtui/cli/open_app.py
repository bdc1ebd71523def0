"""Opening the app: the store (with translated start-up errors), who is using it, then the TUI.

Identity comes from the OS login name, which the OS or sshd has already authenticated. Acting
as another user of the store (``--user NAME``, e.g. on a shared branch account) asks for that
user's PIN on the terminal before the app starts. A login the store does not know is refused
with a plain message instead of a guess; a store with no users yet asks, inside the app, who is
starting it. The demo store signs its visitor in as its first officer.

An existing store is read in the background while the app is already drawn (`StoreOpening`):
at 100k sign-ups reading it takes seconds, so the dashboard shows the figures the last run kept
(`fieldtui.store.warm`, only when the store's files have not changed since) and the real ones
replace them once the store is open. A refusal (an unknown login, a damaged store) then closes
the app and is printed like any other. Only ``--user`` (a PIN asked on the terminal), a store
that does not exist yet and a demo store still to be built are opened before the app starts.
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from fieldtui import __version__
from fieldtui.domain import clock
from fieldtui.domain.auth import os_login_name, verify_pin
from fieldtui.domain.models import Officer, Role
from fieldtui.i18n import get_language, t
from fieldtui.store.errors import StoreError
from fieldtui.store.opening import StartRefused, StoreOpening
from fieldtui.store.repository import Store
from fieldtui.store.warm import read_warm, write_warm

if TYPE_CHECKING:
    from fieldtui.app import FieldApp, WarmStart

EXIT_OK, EXIT_FAILED = 0, 1
PIN_TRIES = 3
LOW_BANDWIDTH_FPS = 8  # frames per second over a phone hotspot
DEMO_BUILT_BYTES = 64 << 10  # a built demo store is ~40 MB; an empty one a few hundred bytes


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


def _demo(store: Store, *, announce: bool = True) -> tuple[str, dt.date]:
    """Build the demo in ``store`` on first use; who it signs in, and its day.

    The store is opened once: a demo store is kept as it is, an empty one is filled, one holding
    real data is refused (`DemoRefused`).
    """
    from fieldtui.exchange.demo import DEMO_OFFICER, build_demo
    from fieldtui.exchange.demo_signups import DEMO_DAY

    if announce and store.is_empty and not store.read_only:
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
    if args.user is None and path.exists() and not (args.demo and _demo_to_build(path)):
        return _run_opening_behind(args, path, low_bandwidth=low_bandwidth)
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
        keep_warm(app, store, path)
    return EXIT_OK


def _demo_to_build(path: Path) -> bool:
    """True when the demo store at ``path`` is still (nearly) empty: building it takes half a
    minute, said on the terminal before the app starts, not behind a loading dashboard."""
    journal = path.with_name(path.name + ".journal")
    size = path.stat().st_size + (journal.stat().st_size if journal.exists() else 0)
    return size < DEMO_BUILT_BYTES


def _run_opening_behind(args: argparse.Namespace, path: Path, *, low_bandwidth: bool) -> int:
    """Run the app at once and open the store in the background (see the module docstring)."""
    from fieldtui.app import make_app
    from fieldtui.exchange.demo import DEMO_OFFICER
    from fieldtui.exchange.demo_signups import DEMO_DAY
    from fieldtui.screens.dashboard import start_figures

    demo, read_only = bool(args.demo), bool(args.read_only)
    login = DEMO_OFFICER.username if demo else os_login_name()
    fixed_today = DEMO_DAY if demo else None

    def open_and_sign_in() -> Store:
        opened = open_store(path, read_only=read_only)
        if isinstance(opened, str):
            raise StartRefused(opened)
        try:
            demo_user = _demo(opened, announce=False)[0] if demo else None
            refusal = sign_in(opened, user=None, demo_user=demo_user)
            if refusal is not None:
                raise StartRefused(refusal)
            # Read now, in the opening thread: when the app gets the store they are quick.
            start_figures(opened, fixed_today or clock.today(), quick=False)
        except StoreError as exc:
            opened.close()
            raise StartRefused(exc.message()) from exc
        except BaseException:
            opened.close()
            raise
        return opened

    opening = StoreOpening(open_and_sign_in)
    app = make_app(
        opening=opening,
        warm=_warm_start(path, warm_key(login, fixed_today or clock.today())),
        demo=demo,
        low_bandwidth=low_bandwidth,
        fixed_today=fixed_today,
    )
    try:
        app.run()
    except BaseException:
        opening.close()
        raise
    opening.join()  # quit while it was opening: let it finish, then close it below
    if opening.refusal is not None:
        return _fail(opening.refusal)
    if opening.error is not None:
        raise opening.error
    store = opening.store
    if store is not None:
        try:
            keep_warm(app, store, path)
        finally:
            store.close()
    return app.return_code or EXIT_OK


# -- warm start ------------------------------------------------------------------------------


def warm_key(username: str, today: dt.date) -> dict[str, str]:
    """What the kept figures depend on besides the store's files."""
    return {
        "version": __version__,
        "user": username,
        "day": today.isoformat(),
        "lang": get_language(),
    }


def _warm_start(path: Path, key: dict[str, str]) -> WarmStart | None:
    """What the last run kept for this store, user and day, if the store has not changed."""
    from fieldtui.app import WarmStart

    payload = read_warm(path, key)
    if not isinstance(payload, dict) or not isinstance(payload.get("user"), dict):
        return None
    user = payload["user"]
    try:
        officer = Officer(
            id=str(user["id"]),
            username=str(user["username"]),
            name=str(user["name"]),
            role=Role(user["role"]),
        )
    except (KeyError, ValueError):
        return None
    return WarmStart(user=officer, figures=payload.get("figures"))


def keep_warm(app: FieldApp, store: Store, path: Path) -> bool:
    """Keep what the next start draws before it has read the store (`fieldtui.store.warm`)."""
    from fieldtui.screens.dashboard import start_figures

    user = store.actor
    if user is None or not app.store_ready:
        return False
    files = store.files_state()
    today = app.today()
    figures = start_figures(store, today)
    payload = {
        "user": {
            "id": user.id,
            "username": user.username,
            "name": user.name,
            "role": user.role.value,
        },
        "figures": figures.to_json() if figures is not None else None,
    }
    return write_warm(path, files, warm_key(user.username, today), payload)
