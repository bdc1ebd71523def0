"""PagedTable: a table that holds one page of a long list at a time.

A Textual DataTable measures every cell it holds, so 10k rows take over a second to show. This
table holds one page (a few dozen rows); moving past its edges posts `PagedTable.PageRequested`
and the screen answers with `show_page`. The widget never fetches data itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text
from textual.binding import Binding
from textual.message import Message

from fieldtui.i18n import fmt_number, t
from fieldtui.widgets.quick_table import QuickTable


@dataclass(frozen=True, slots=True)
class Column:
    """A column: its key, the i18n key of its header, and a width (None = auto)."""

    key: str
    label_key: str
    width: int | None = None


Cell = str | Text


class PagedTable(QuickTable):
    """One page of a long list, with paging by keys; rows are keyed by record id."""

    BINDINGS = [
        Binding("pagedown", "next_page", "keys.next_page", show=False),
        Binding("pageup", "previous_page", "keys.previous_page", show=False),
    ]

    DEFAULT_CSS = """
    PagedTable { height: 1fr; }
    """

    @dataclass
    class PageRequested(Message):
        """The user moved past the page: the screen should call `show_page` for ``offset``."""

        table: PagedTable
        offset: int
        limit: int
        cursor_at_end: bool  # put the cursor on the last row of the new page

        @property
        def control(self) -> PagedTable:
            return self.table

    def __init__(self, columns: Sequence[Column], *, page_size: int = 50, id: str | None = None):
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self.columns_spec = tuple(columns)
        self.page_size = page_size
        self.page_offset = 0
        self.total_rows = 0

    def on_mount(self) -> None:
        for column in self.columns_spec:
            self.add_column(t(column.label_key), key=column.key, width=column.width)

    def relabel(self) -> None:
        """Re-read column headers in the current language."""
        for column in self.columns_spec:
            key = next(k for k in self.columns if k.value == column.key)
            self.columns[key].label = Text(t(column.label_key))
        self.refresh()

    def show_page(
        self,
        rows: Sequence[tuple[str, Sequence[Cell]]],
        *,
        offset: int,
        total: int,
        cursor_at_end: bool = False,
        keep_row: str | None = None,
    ) -> None:
        """Replace the rows with one page: (row key, cells) pairs starting at ``offset``."""
        self.page_offset, self.total_rows = offset, total
        self.clear()
        for key, cells in rows:
            # Plain text as Text: a DataTable reads a str cell as markup (slower, and a name
            # with "[...]" in it would be mangled).
            self.add_row(*(Text(c) if type(c) is str else c for c in cells), key=key)
        if not rows:
            return
        target = len(rows) - 1 if cursor_at_end else 0
        if keep_row is not None:
            for index, (key, _) in enumerate(rows):
                if key == keep_row:
                    target = index
        self.move_cursor(row=target)

    @property
    def position_text(self) -> str:
        """'1–50 dari 7.708' (or 'no rows') for a status line."""
        if self.total_rows == 0:
            return t("table.empty")
        first = self.page_offset + 1
        last = min(self.page_offset + self.row_count, self.total_rows)
        return t(
            "table.position",
            first=fmt_number(first),
            last=fmt_number(last),
            total=fmt_number(self.total_rows),
        )

    @property
    def current_key(self) -> str | None:
        """The record id under the cursor, if any."""
        if self.row_count == 0:
            return None
        row_key, _ = self.coordinate_to_cell_key(self.cursor_coordinate)
        return row_key.value

    def _request(self, offset: int, *, cursor_at_end: bool = False) -> None:
        offset = max(0, min(offset, max(0, self.total_rows - 1)))
        if offset != self.page_offset:
            self.post_message(self.PageRequested(self, offset, self.page_size, cursor_at_end))

    def action_cursor_down(self) -> None:
        if (
            self.cursor_row >= self.row_count - 1
            and self.page_offset + self.row_count < self.total_rows
        ):
            self._request(self.page_offset + self.page_size)
        else:
            super().action_cursor_down()

    def action_cursor_up(self) -> None:
        if self.cursor_row == 0 and self.page_offset > 0:
            self._request(self.page_offset - self.page_size, cursor_at_end=True)
        else:
            super().action_cursor_up()

    def action_next_page(self) -> None:
        """Show the next page."""
        if self.page_offset + self.page_size < self.total_rows:
            self._request(self.page_offset + self.page_size)

    def action_previous_page(self) -> None:
        """Show the previous page."""
        if self.page_offset > 0:
            self._request(self.page_offset - self.page_size)
