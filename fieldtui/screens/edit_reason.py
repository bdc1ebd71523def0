"""EditReasonDialog: ask why a saved record is being changed (optional; goes into its history)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Static

from fieldtui.i18n import t
from fieldtui.screens.base import FieldModal
from fieldtui.widgets.field import FormField
from fieldtui.widgets.key_footer import KeyFooter
from fieldtui.widgets.ordered_input import OrderedInput


class EditReasonDialog(FieldModal[str | None]):
    """One line of text; Enter or Ctrl+S returns it (maybe empty), Esc returns None (no save)."""

    BINDINGS = [
        Binding("ctrl+s", "accept", "keys.save"),
        Binding("escape", "cancel", "keys.cancel"),
    ]
    DEFAULT_CSS = """
    EditReasonDialog { align: center middle; }
    EditReasonDialog > #reason-box {
        width: 64; max-width: 100%; height: auto; max-height: 100%;
        border: round $primary; padding: 0 1; background: $surface;
    }
    EditReasonDialog #reason-title { text-style: bold; color: $accent; }
    """

    def compose(self) -> ComposeResult:
        with Vertical(id="reason-box"):
            yield Static(t("visits.reason.title"), id="reason-title")
            yield FormField(
                t("visits.reason.label"),
                OrderedInput(placeholder=t("visits.reason.hint"), max_length=200, id="reason-text"),
                id="field-reason",
            )
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#reason-text", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_accept()

    def action_accept(self) -> None:
        """Save with this reason."""
        self.dismiss(" ".join(self.query_one("#reason-text", Input).value.split()))

    def action_cancel(self) -> None:
        """Go back to the form without saving."""
        self.dismiss(None)
