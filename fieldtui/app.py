"""FieldApp: the Textual application, its global bindings and screen routing."""

from __future__ import annotations

from pathlib import Path

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Footer, Header, Static

from fieldtui import __version__
from fieldtui.i18n import t


class FieldApp(App[None]):
    """The fieldtui application."""

    CSS_PATH = "app.tcss"
    TITLE = "fieldtui"
    BINDINGS = [Binding("ctrl+q", "quit", t("app.quit"), priority=True)]

    def __init__(self, *, db_path: Path, demo: bool = False) -> None:
        super().__init__()
        self.db_path = db_path
        self.demo = demo

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="shell"):
            if self.demo:
                yield Static(t("app.demo_banner"), id="demo-banner")
            yield Static(t("app.title"), id="title")
            yield Static(t("app.store", path=str(self.db_path)), id="store-path")
        yield Footer()

    def on_mount(self) -> None:
        self.title = f"fieldtui {__version__}"
        self.sub_title = t("app.subtitle")


def make_app(*, db_path: Path, demo: bool = False) -> FieldApp:
    """The one factory that builds the app, for the CLI and for tests."""
    return FieldApp(db_path=db_path, demo=demo)
