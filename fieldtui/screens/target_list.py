"""The targets list of the settings screen: one row per target, region names as people say them."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.binding import Binding
from textual.widgets import DataTable

from fieldtui.domain.models import Target
from fieldtui.i18n import fmt_number, t


@dataclass(frozen=True)
class TargetRow:
    """A target as the list shows it (labels read in the worker)."""

    target: Target
    region: str


class TargetTable(DataTable[str | Text]):
    """The targets, one row each; Enter opens the selected one to change it.

    The region column takes the width the other two leave, so the numbers stay in view on a
    narrow terminal (long region names are cut rather than the table scrolling sideways).
    """

    BINDINGS = [Binding("enter", "select_cursor", "keys.edit_target")]
    FIXED = 10 + 8 + 3 * 2  # period and number columns, one cell of padding each side

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self.rows_shown: list[TargetRow] = []
        self._region_width = 0

    def on_mount(self) -> None:
        self.show([])

    def on_resize(self) -> None:
        if self._wanted_width() != self._region_width:
            self.show(self.rows_shown)

    def _wanted_width(self) -> int:
        room = self.size.width or self.app.size.width - 4
        return max(16, min(50, room - self.FIXED - 2))

    def show(self, rows: list[TargetRow]) -> None:
        """Show ``rows``, keeping the cursor on the same line number where it can."""
        keep = self.cursor_row
        self.rows_shown = rows
        self._region_width = self._wanted_width()
        self.clear(columns=True)
        self.add_column(t("settings.target.col_region"), key="region", width=self._region_width)
        self.add_column(t("settings.target.col_period"), key="period", width=10)
        self.add_column(t("settings.target.col_number"), key="number", width=8)
        for row in rows:
            self.add_row(
                row.region,
                row.target.period.key,
                Text(fmt_number(row.target.number), justify="right"),
                key=row.target.id,
            )
        if rows:
            self.move_cursor(row=min(keep, len(rows) - 1))
