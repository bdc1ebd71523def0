"""FormField: a label, one input widget, and a message line for errors, warnings and hints."""

from __future__ import annotations

from enum import StrEnum

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Label, Static


class Tone(StrEnum):
    """How a field's message reads: blocking, cautionary, or informative."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"
    OK = "ok"


class FormField(Vertical):
    """A labelled row of a form with a message line under the input."""

    DEFAULT_CSS = """
    FormField { height: auto; margin: 0 0 0 0; }
    FormField > Horizontal { height: auto; }
    FormField .field-label { width: 16; padding: 1 1 0 0; color: $text-muted; }
    FormField .field-label.required { color: $text; }
    FormField .field-body { width: 1fr; height: auto; }
    FormField .field-message { height: auto; padding: 0 0 0 17; color: $text-muted; }
    FormField .field-message.-error { color: $error; }
    FormField .field-message.-warning { color: $warning; }
    FormField .field-message.-ok { color: $success; }
    FormField .field-message.-empty { display: none; }
    """

    def __init__(
        self, label: str, body: Widget, *, required: bool = False, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self.label_text = label
        self.body = body
        self.required = required

    def compose(self) -> ComposeResult:
        with Horizontal():
            label = Label(
                self.label_text + (" *" if self.required else ""),
                classes="field-label" + (" required" if self.required else ""),
            )
            yield label
            with Vertical(classes="field-body"):
                yield self.body
        yield Static("", classes="field-message -empty", markup=False)

    def set_label(self, text: str) -> None:
        """Change the label (e.g. after a language switch)."""
        self.label_text = text
        self.query_one(".field-label", Label).update(text + (" *" if self.required else ""))

    def show(self, message: str, tone: Tone = Tone.INFO) -> None:
        """Show ``message`` under the input in the given tone; an empty message hides the line."""
        line = self.query_one(".field-message", Static)
        line.update(message)
        for other in Tone:
            line.remove_class(f"-{other.value}")
        line.set_class(not message, "-empty")
        if message:
            line.add_class(f"-{tone.value}")

    @property
    def message(self) -> str:
        """The message shown now ('' when none)."""
        return str(self.query_one(".field-message", Static).content)

    @property
    def tone(self) -> Tone | None:
        """The tone of the message shown now."""
        line = self.query_one(".field-message", Static)
        return next((tone for tone in Tone if line.has_class(f"-{tone.value}")), None)
