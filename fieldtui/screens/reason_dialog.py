"""ReasonDialog: ask why (deleting a record, flagging it for review); a reason is required."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Static

from fieldtui.i18n import t
from fieldtui.screens.base import FieldModal
from fieldtui.widgets.field import FormField, Tone
from fieldtui.widgets.key_footer import KeyFooter
from fieldtui.widgets.ordered_input import OrderedInput


class ReasonDialog(FieldModal[str | None]):
    """A title, a prompt and one line for the reason.

    Enter or Ctrl+S returns the reason (spaces tidied); an empty one is refused with a message.
    Esc returns None. Callers pass their own text: ``ReasonDialog(t("detail.delete.prompt"),
    title=t("detail.delete.title"))``; a supervisor flagging a record passes theirs.
    """

    BINDINGS = [
        Binding("ctrl+s", "accept", "keys.apply"),
        Binding("escape", "cancel", "keys.cancel"),
    ]
    DEFAULT_CSS = """
    ReasonDialog { align: center middle; }
    ReasonDialog > #reason-box {
        width: 72; max-width: 100%; height: auto; max-height: 100%;
        border: round $primary; padding: 0 1; background: $surface;
    }
    ReasonDialog #reason-title { text-style: bold; }
    ReasonDialog #reason-prompt { padding-top: 1; }
    """

    def __init__(
        self,
        prompt: str,
        *,
        title: str = "",
        label: str | None = None,
        value: str = "",
        max_length: int = 200,
    ) -> None:
        super().__init__()
        self.prompt = prompt
        self.title_text = title
        self.label = label
        self.value = value
        self.max_length = max_length

    def compose(self) -> ComposeResult:
        with Vertical(id="reason-box"):
            if self.title_text:
                yield Static(self.title_text, id="reason-title", markup=False)
            yield Static(self.prompt, id="reason-prompt", markup=False)
            yield FormField(
                self.label or t("reason_dialog.label"),
                OrderedInput(self.value, id="reason-input", max_length=self.max_length),
                required=True,
                id="field-reason",
            )
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#reason-input", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_accept()

    def action_accept(self) -> None:
        """Close with the reason, or say that one is needed."""
        reason = " ".join(self.query_one("#reason-input", Input).value.split())
        if not reason:
            self.query_one("#field-reason", FormField).show(t("reason_dialog.required"), Tone.ERROR)
            return
        self.dismiss(reason)

    def action_cancel(self) -> None:
        """Close without a reason (nothing is done)."""
        self.dismiss(None)
