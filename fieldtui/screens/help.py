"""HelpScreen: every key that works where the user is, and how the app is laid out."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from fieldtui.i18n import t
from fieldtui.screens.base import FieldModal, translate_bindings
from fieldtui.widgets.key_footer import KeyFooter


def key_table(screen: Screen[object]) -> Table:
    """The active keys of ``screen`` (and the app) as a two-column table."""
    table = Table(show_header=True, header_style="bold", expand=True, box=None)
    table.add_column(t("help.key"), no_wrap=True)
    table.add_column(t("help.action"))
    seen: set[str] = set()
    for active in translate_bindings(screen.active_bindings).values():
        binding = active.binding
        if not binding.description or binding.action in seen:
            continue
        seen.add(binding.action)
        table.add_row(screen.app.get_key_display(binding), binding.description)
    return table


class HelpScreen(FieldModal[None]):
    """The keys of the screen underneath, and general tips. Esc, F1 or q closes it."""

    CSS_PATH = "help.tcss"
    BINDINGS = [
        Binding("escape,f1,q", "close", "keys.close"),
    ]

    def __init__(self, under: Screen[object]) -> None:
        super().__init__()
        self.under = under

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body"):
            yield Static(t("help.title"), id="help-title")
            yield Static(key_table(self.under), id="help-keys")
            yield Static(t("help.tips"), id="help-tips")
        yield KeyFooter()

    def action_close(self) -> None:
        """Close the help."""
        self.dismiss(None)
