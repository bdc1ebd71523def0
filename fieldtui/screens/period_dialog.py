"""PeriodDialog: ask for a custom period (from – to, both days included)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from fieldtui.domain import clock
from fieldtui.domain.models import Period
from fieldtui.i18n import t
from fieldtui.screens.base import FieldModal
from fieldtui.widgets.date_input import DateInput
from fieldtui.widgets.field import FormField, Tone
from fieldtui.widgets.key_footer import KeyFooter


class PeriodDialog(FieldModal[Period | None]):
    """Two dates; Enter or Ctrl+S accepts a valid period, Esc cancels."""

    BINDINGS = [
        Binding("ctrl+s", "accept", "keys.apply"),
        Binding("escape", "cancel", "keys.cancel"),
    ]
    DEFAULT_CSS = """
    PeriodDialog { align: center middle; }
    PeriodDialog > #period-box {
        width: 60; max-width: 100%; height: auto; max-height: 100%;
        border: round $primary; padding: 0 1; background: $surface;
    }
    PeriodDialog #period-title { text-style: bold; padding-bottom: 1; }
    """

    def __init__(self, current: Period | None = None) -> None:
        super().__init__()
        today = clock.today()
        self.current = current or Period.month(today.year, today.month)

    def compose(self) -> ComposeResult:
        with Vertical(id="period-box"):
            yield Static(t("dashboard.period.dialog_title"), id="period-title")
            yield FormField(
                t("dashboard.period.from"),
                DateInput(self.current.start, id="period-from"),
                id="field-from",
            )
            yield FormField(
                t("dashboard.period.to"),
                DateInput(self.current.end, id="period-to"),
                id="field-to",
            )
        yield KeyFooter()

    def on_input_submitted(self) -> None:
        self.action_accept()

    def action_accept(self) -> None:
        """Close with the period, or say which date is wrong."""
        start = self.query_one("#period-from", DateInput).date
        end = self.query_one("#period-to", DateInput).date
        if start is None:
            self.query_one("#field-from", FormField).show(t("form.bad_date"), Tone.ERROR)
            return
        if end is None or end < start:
            self.query_one("#field-to", FormField).show(t("dashboard.period.bad_end"), Tone.ERROR)
            return
        self.dismiss(Period(start=start, end=end))

    def action_cancel(self) -> None:
        """Close without changing the period."""
        self.dismiss(None)
