"""FieldApp: the Textual application, its global bindings and screen routing."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from fieldtui import __version__
from fieldtui.i18n import t
from fieldtui.screens.base import FieldScreen, translate_bindings
from fieldtui.screens.help import HelpScreen


class ShellScreen(FieldScreen):
    """The start screen: which store is open."""

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="shell"):
            if self.app.demo:  # type: ignore[attr-defined]
                yield Static(t("app.demo_banner"), id="demo-banner")
            yield Static(t("app.title"), id="title")
            yield Static(t("app.store", path=str(self.app.db_path)), id="store-path")  # type: ignore[attr-defined]
        yield Footer()


class FieldApp(App[None]):
    """The fieldtui application."""

    CSS_PATH = "app.tcss"
    TITLE = "fieldtui"
    BINDINGS = [
        Binding("f1", "help", "keys.help"),
        Binding("ctrl+q", "quit", "keys.quit", priority=True),
    ]

    def __init__(self, *, db_path: Path, demo: bool = False) -> None:
        super().__init__()
        self.db_path = db_path
        self.demo = demo

    def get_default_screen(self) -> Screen[None]:
        return ShellScreen()

    def on_mount(self) -> None:
        self.title = f"fieldtui {__version__}"
        self.sub_title = t("app.subtitle")

    def action_help(self) -> None:
        """Show the keys of the current screen."""
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

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


def make_app(*, db_path: Path, demo: bool = False) -> FieldApp:
    """The one factory that builds the app, for the CLI and for tests."""
    return FieldApp(db_path=db_path, demo=demo)
