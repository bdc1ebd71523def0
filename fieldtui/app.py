"""FieldApp: the Textual application, its global bindings and screen routing.

The app holds the open `Store` and the signed-in user. Started from the command line it is
drawn before the store is read: a `StoreOpening` reads it in a thread while the dashboard shows
the figures kept from the last run (`fieldtui.store.warm`), or says it is loading. Keys that
need the store meanwhile: the last F-key pressed is carried out once it is open, and so are the
dashboard's own keys (Enter, Backspace, p) while no F-key is pending (`when_ready`); keys that
open a dialog only say the data is still loading (`still_loading`).

Each main screen is a Textual *mode* (its own screen stack), switched with an F-key, so moving
between Capaian, Kunjungan and Pendaftaran never loses what a screen was showing. Other
processes' saves (a supervisor over SSH, an officer's second window) are picked up by polling
the store about once a second in a worker thread; every applied change, own or foreign, is
published on `store_changed` so the screens refresh what they show.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, ClassVar

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.signal import Signal

from fieldtui import __version__
from fieldtui.domain import clock
from fieldtui.domain.models import Officer, RecordKind, Visit
from fieldtui.i18n import t
from fieldtui.screens.base import translate_bindings
from fieldtui.screens.calculator import CalculatorScreen
from fieldtui.screens.dashboard import DashboardScreen
from fieldtui.screens.first_run import FirstRunScreen
from fieldtui.screens.help import HelpScreen
from fieldtui.screens.preferences import apply_preferences
from fieldtui.screens.review import ReviewScreen
from fieldtui.screens.settings import SettingsScreen
from fieldtui.screens.signups import SignUpsScreen
from fieldtui.screens.switch_user import SwitchUserDialog
from fieldtui.screens.visits import VisitsScreen
from fieldtui.store.errors import StoreError
from fieldtui.store.opening import StoreOpening
from fieldtui.store.repository import Store
from fieldtui.widgets.nav_bar import NavBar

POLL_SECONDS = 1.0


_PREPARED_MODES = ("pendaftaran", "kunjungan")


TERMINAL_CHECK_SECONDS = 2.0
TERMINAL_GONE = 129  # as a shell reports a hangup (128 + SIGHUP)


def _terminal_fd() -> int | None:
    """The terminal the app reads its keys from, if it has one."""
    stream = sys.__stdin__
    try:
        fd = stream.fileno() if stream is not None else None
    except (OSError, ValueError):
        return None
    return fd if fd is not None and os.isatty(fd) else None


@dataclass
class StoreChanged(Message):
    """Another process's saves were applied (posted from the poller's thread)."""

    kinds: frozenset[RecordKind]


class StoreOpened(Message):
    """The store being opened in the background is open (or refused): posted by its thread."""


@dataclass(frozen=True)
class WarmStart:
    """What the last run left to draw before the store is read (`fieldtui.store.warm`)."""

    user: Officer | None = None
    figures: Any = None  # the dashboard's first figures, as `DashboardScreen` keeps them


# Main screens by mode name, with the F-key that opens each and its i18n label.
SCREENS: dict[str, tuple[str, str, Callable[[], Screen[Any]]]] = {
    "capaian": ("f2", "keys.dashboard", DashboardScreen),
    "kunjungan": ("f3", "keys.visits", VisitsScreen),
    "pendaftaran": ("f4", "keys.signups", SignUpsScreen),
    "kalkulator": ("f5", "keys.calculator", CalculatorScreen),
    "pengaturan": ("f6", "keys.settings", SettingsScreen),
    "tinjau": ("f7", "keys.review", ReviewScreen),
}


class FieldApp(App[None]):
    """The fieldtui application."""

    CSS_PATH = "app.tcss"
    TITLE = "fieldtui"
    MODES: ClassVar[dict[str, str | Callable[[], Screen[Any]]]] = {
        name: factory for name, (_, _, factory) in SCREENS.items()
    }
    DEFAULT_MODE = "capaian"
    BINDINGS = [
        Binding("f1", "help", "keys.help"),
        # Shown in the NavBar at the top of every main screen, not in the footer.
        *(
            Binding(key, f"app.switch_mode('{name}')", label, show=False)
            for name, (key, label, _) in SCREENS.items()
        ),
        Binding("ctrl+u", "switch_user", "keys.switch_user", show=False),  # help and palette
        Binding("ctrl+e", "export", "keys.export", show=False),  # help and palette
        Binding("ctrl+q", "quit", "keys.quit", priority=True),
        # Priority, so a Tab moves the focus before the keys that follow it are handed out:
        # Textual forwards each key to the focused widget first and acts on a screen's Tab
        # binding only as it bubbles back, so in a burst (a slow SSH link, a fast typist) the
        # text typed after a Tab landed in the field being left.
        Binding("tab", "focus_next", show=False, priority=True),
        Binding("shift+tab", "focus_previous", show=False, priority=True),
    ]

    def __init__(
        self,
        store: Store | None = None,
        *,
        opening: StoreOpening | None = None,
        warm: WarmStart | None = None,
        demo: bool = False,
        low_bandwidth: bool = False,
        poll_seconds: float = POLL_SECONDS,
        fixed_today: dt.date | None = None,
        prepare_lists: bool = True,
    ) -> None:
        super().__init__()
        if (store is None) == (opening is None):
            raise ValueError("give the app exactly one of a store and a StoreOpening")
        self._store = store
        self._opening = opening
        self.warm = warm or WarmStart()
        # Keys pressed while the store opens: the screen they were for and what they do; and
        # the main screen to show once it is open (the last F-key pressed).
        self._queued: list[tuple[Screen[Any], Callable[[], object]]] = []
        self._pending_mode: str | None = None
        self.prepare_lists = prepare_lists
        self.demo = demo
        self.low_bandwidth = low_bandwidth
        self.poll_seconds = poll_seconds
        self.fixed_today = fixed_today
        self.current_visit: Visit | None = None  # sign-ups attach to it by default
        self.nav_items = [(key.upper(), label, name) for name, (key, label, _) in SCREENS.items()]
        self.nav_status = ""
        self.store_changed: Signal[frozenset[RecordKind]] = Signal(self, "store_changed")
        self._warmed = False
        if low_bandwidth:
            self.animation_level = "none"
        if store is not None:
            store.on_change(self._on_store_change)

    @property
    def store(self) -> Store:
        """The open store (screens ask `store_ready` first while it may still be opening)."""
        store = self._store
        if store is None:
            raise RuntimeError("the store is still being opened: check store_ready first")
        return store

    @property
    def store_ready(self) -> bool:
        """True once the store is open (at once when the app was given an open store)."""
        return self._store is not None

    def today(self) -> dt.date:
        """Today in Bali (the one place screens ask, so tests can fix it)."""
        return self.fixed_today or clock.today()

    @property
    def user(self) -> Officer | None:
        """The signed-in user (None only before a new store's first user exists); while the
        store opens, the user the last run had signed in (it is checked once it is open)."""
        if self._store is None:
            return self.warm.user
        return self._store.actor

    def on_mount(self) -> None:
        self.title = f"fieldtui {__version__}"
        self.update_subtitle()
        apply_preferences(self)  # the saved theme and stale-visit threshold
        if not self.is_headless and _terminal_fd() is not None:
            self.set_interval(TERMINAL_CHECK_SECONDS, self.check_terminal)
        if self._store is not None:
            self._store_is_open()
        else:
            # The dashboard starts the opening once its first frame is up (so reading the store
            # does not slow drawing it); this is the fallback should that frame never come.
            self.set_timer(1.0, self.start_opening)

    def check_terminal(self, fd: int | None = None) -> None:
        """Quit when the terminal is gone (the SSH connection dropped, the tmux pane was
        killed). Started under a wrapper (make, a script), the app may not get the hangup
        signal, and Textual's input thread then spins on the dead terminal for ever."""
        fd = _terminal_fd() if fd is None else fd
        # A hung-up terminal answers no terminal request any more (isatty is then False).
        if fd is None or not os.isatty(fd):
            self.exit(return_code=TERMINAL_GONE)

    def _store_is_open(self) -> None:
        store = self.store
        for warning in store.warnings:
            self.notify(warning.message(), severity="warning", timeout=15)
        if store.path is not None and self.poll_seconds > 0:
            self.set_interval(self.poll_seconds, self._poll_store)
        if self.user is None and not store.read_only:
            self.push_screen(FirstRunScreen(), self._first_user_created)

    # -- opening the store in the background ---------------------------------------------

    def start_opening(self) -> None:
        """Start reading the store in its thread (once; nothing to do when it is open)."""
        opening = self._opening
        if self._store is None and opening is not None and not opening.started:
            opening.start(self._post_opened)

    def _post_opened(self) -> None:
        self.post_message(StoreOpened())  # (from the opening thread: thread-safe)

    def on_store_opened(self, _message: StoreOpened) -> None:
        opening = self._opening
        assert opening is not None
        if opening.store is None:
            # Refused or failed: the command line prints why once the terminal is restored.
            self.exit(return_code=1)
            return
        store = self._store = opening.store
        store.on_change(self._on_store_change)
        self._store_is_open()
        self.update_subtitle()
        self.store_changed.publish(frozenset(RecordKind))  # every screen reads the real data
        self.screen.refresh_bindings()
        queued, self._queued = self._queued, []
        mode, self._pending_mode = self._pending_mode, None
        if self.user is None:
            return  # a store without users: the first-run screen comes first, keys or not
        for screen, action in queued:
            if screen is self.screen:  # (not if a dialog or another screen came up since)
                action()
        if mode is not None:
            self.switch_mode(mode)

    def when_ready(self, screen: Screen[Any], action: Callable[[], object]) -> bool:
        """False when the store is open (go ahead). Else ``action`` (a key of ``screen``) is
        kept for when it is, unless an F-key is pending (the screen will be gone); says so
        and returns True."""
        if self._store is not None:
            return False
        if self._pending_mode is None:
            self._queued.append((screen, action))
            self.notify(t("app.loading_queued"), timeout=3)
        else:
            self.notify(t("app.loading_wait"), timeout=3)
        self.start_opening()
        return True

    def still_loading(self) -> bool:
        """For keys that open a dialog: False when the store is open; else say that the data
        is still loading (the key is not kept: a dialog popping up later would surprise)."""
        if self._store is not None:
            return False
        self.notify(t("app.loading_wait"), timeout=3)
        self.start_opening()
        return True

    def figures_shown(self) -> None:
        """The dashboard has drawn figures (or its loading state): now the background work."""
        if self._store is None:
            self.call_after_refresh(self.start_opening)
        else:
            self.warm_up()

    def update_subtitle(self) -> None:
        """'Wayan Sudarma · petugas' (+ demo / read-only), in the current language."""
        parts: list[str] = []
        if self.user is not None:
            parts.append(f"{self.user.name} · {t('role.' + self.user.role.value)}")
        if self._store is not None and self._store.read_only:
            parts.append(t("app.read_only"))
        if self.demo:
            parts.append(t("app.demo"))
        if self._store is None:
            parts.append(t("app.loading"))
        self.sub_title = " · ".join(parts) or t("app.subtitle")
        self.nav_status = self.sub_title
        for bar in self.screen.query(NavBar):
            bar.refresh()

    def _first_user_created(self, officer: Officer | None) -> None:
        if officer is None:
            self.exit()
            return
        self.update_subtitle()
        self.notify(t("app.welcome", name=officer.name))

    # -- keeping up with the store ---------------------------------------------------------

    def _on_store_change(self, kinds: frozenset[RecordKind]) -> None:
        # The store calls back in the thread that applied the change: ours for own saves, the
        # poller's worker thread for other processes' saves.
        if threading.get_ident() == self._thread_id:
            self.store_changed.publish(kinds)
        elif self.is_running:
            # Never wait for the UI here: the poller holds the store's lock while it applies
            # changes, and the UI thread may be waiting for that lock to read.
            self.post_message(StoreChanged(kinds))

    def on_store_changed(self, message: StoreChanged) -> None:
        self.store_changed.publish(message.kinds)

    def warm_up(self) -> None:
        """Build the store's search indexes in a worker (once the dashboard has its figures),
        so the first key typed in a search box finds them ready."""
        if not self._warmed:
            self._warmed = True
            self.run_worker(self.store.warm_up, thread=True, group="warm-up")
            if self.prepare_lists:
                self.call_after_refresh(self._prepare_lists)

    def _prepare_lists(self) -> None:
        """Build the two lists an officer opens next (Pendaftaran, Kunjungan) while the dashboard
        is looked at: their first F-key then costs a frame, not parsing and laying out a new
        screen (~0.3 s)."""
        if not self.is_running:
            # Quitting (Ctrl+Q at once): Textual is closing every mode's screens, and a mode
            # set up now would change the stacks under it ("dictionary changed size").
            return
        # Textual's own mode set-up (textual==8.2.8, pinned), without switching to the mode;
        # then the screens' styles are brought up to date, or the switch re-parses all CSS.
        prepared = []
        for mode in _PREPARED_MODES:
            if mode in self._modes and mode not in self._screen_stacks:
                self._init_mode(mode)
                prepared.append(self._screen_stacks[mode][0])
        for screen in prepared:
            self.stylesheet.update(screen)
            screen._css_update_count = self._css_update_count

    def _poll_store(self) -> None:
        self.run_worker(self._refresh_store, thread=True, exclusive=True, group="poll")

    def _refresh_store(self) -> None:
        try:
            self.store.refresh()
        except StoreError as exc:
            self.call_from_thread(self.notify, exc.message(), severity="error")

    # -- actions ---------------------------------------------------------------------------

    def action_help(self) -> None:
        """Show the keys of the current screen."""
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    async def action_switch_mode(self, mode: str) -> None:
        """Show a main screen (once the store is open: all but the dashboard read it)."""
        if self._store is None:
            # Only the last F-key counts (F2 back to the dashboard cancels a pending one).
            self._pending_mode = None if mode == self.current_mode else mode
            if self._pending_mode is not None:
                self.notify(t("app.loading_queued"), timeout=3)
            self.start_opening()
            return
        await super().action_switch_mode(mode)

    def action_switch_user(self) -> None:
        """Act as another user of this store (with that user's PIN)."""
        if self.still_loading():
            return
        if not isinstance(self.screen, SwitchUserDialog):
            self.push_screen(SwitchUserDialog(), self._user_switched)

    def action_export(self) -> None:
        """Export sign-ups, visits or progress to a file (what the current screen shows)."""
        # Imported here: the export's modules are not needed to start the app.
        from fieldtui.exchange.columns import ExportKind
        from fieldtui.screens.export_dialog import KIND_OF_MODE, ExportDialog

        if self.still_loading():
            return
        if not isinstance(self.screen, ExportDialog):
            self.push_screen(ExportDialog(KIND_OF_MODE.get(self.current_mode, ExportKind.SIGNUPS)))

    def _user_switched(self, officer: Officer | None) -> None:
        if officer is None:
            return
        self.current_visit = None  # a visit belongs to the officer who logged it
        self.update_subtitle()
        self.notify(t("switch_user.done", name=officer.name))
        self.store_changed.publish(frozenset(RecordKind))  # what each screen may show changes
        self.screen.refresh_bindings()  # and which keys it offers

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """The palette lists every action that has a key, translated, plus the theme switch."""
        seen: set[str] = set()
        for active in translate_bindings(screen.active_bindings).values():
            binding = active.binding
            if not binding.description or binding.action in seen or not active.enabled:
                continue
            seen.add(binding.action)
            key = self.get_key_display(binding)
            yield SystemCommand(
                binding.description,
                f"[{key}]",
                lambda action=binding.action, node=active.node: self._run(action, node),
            )
        yield SystemCommand(t("keys.theme"), t("keys.theme_help"), self.action_change_theme)

    def _run(self, action: str, node: object) -> None:
        self.call_later(self.run_action, action, node)


def make_app(
    store: Store | None = None,
    *,
    opening: StoreOpening | None = None,
    warm: WarmStart | None = None,
    demo: bool = False,
    low_bandwidth: bool = False,
    poll_seconds: float = POLL_SECONDS,
    fixed_today: dt.date | None = None,
    prepare_lists: bool = True,
) -> FieldApp:
    """The one factory that builds the app, for the CLI and for tests.

    Give it an open ``store``, or an ``opening`` to read one in the background (the command
    line) with what the last run left in ``warm``.
    ``prepare_lists``: build the Pendaftaran and Kunjungan screens while the dashboard is
    looked at (pilot tests that are not about it leave it out: ~0.4 s each).
    """
    return FieldApp(
        store,
        opening=opening,
        warm=warm,
        demo=demo,
        low_bandwidth=low_bandwidth,
        poll_seconds=poll_seconds,
        fixed_today=fixed_today,
        prepare_lists=prepare_lists,
    )
