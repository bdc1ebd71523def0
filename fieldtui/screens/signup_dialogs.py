"""Small dialogs of the registration form: the reason for an edit, leaving with unsaved work."""

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

_BOX_CSS = """
{name} {{ align: center middle; }}
{name} > Vertical {{
    width: 64; max-width: 100%; height: auto; max-height: 100%;
    border: round $primary; padding: 0 1; background: $surface;
}}
{name} .dialog-title {{ text-style: bold; padding-bottom: 1; }}
"""


class SignUpReasonDialog(FieldModal[str | None]):
    """Why a saved sign-up is being changed (may be left empty); None cancels the save."""

    BINDINGS = [
        Binding("ctrl+s", "accept", "keys.save"),
        Binding("escape", "cancel", "keys.cancel"),
    ]
    DEFAULT_CSS = _BOX_CSS.format(name="SignUpReasonDialog")

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(t("signups.reason.title"), classes="dialog-title")
            yield FormField(
                t("signups.reason.label"),
                OrderedInput(id="reason-input", max_length=200),
                id="field-reason",
            )
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#reason-input", Input).focus()

    def on_input_submitted(self) -> None:
        self.action_accept()

    def action_accept(self) -> None:
        """Save with this reason."""
        self.dismiss(" ".join(self.query_one("#reason-input", Input).value.split()))

    def action_cancel(self) -> None:
        """Back to the form without saving."""
        self.dismiss(None)


class SignUpDiscardDialog(FieldModal[bool]):
    """Leave the form and lose what was typed? True leaves."""

    BINDINGS = [
        Binding("y", "discard", "keys.signup_discard"),
        Binding("n,escape", "stay", "keys.signup_stay"),
    ]
    DEFAULT_CSS = _BOX_CSS.format(name="SignUpDiscardDialog")

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(t("signups.discard.title"), classes="dialog-title")
            yield Static(t("signups.discard.body"))
        yield KeyFooter()

    def action_discard(self) -> None:
        """Leave; what was typed is not saved."""
        self.dismiss(True)

    def action_stay(self) -> None:
        """Back to the form."""
        self.dismiss(False)
