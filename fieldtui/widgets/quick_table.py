"""QuickTable: a DataTable that draws its one-line text cells without Rich's layout machinery.

A DataTable draws every cell through Rich (`Styled(Padding(cell))` rendered into lines): about
0.2 ms a cell, so a new page of the sign-up list (17 rows of 6 cells) or a refreshed dashboard
cost 20–30 ms to draw, more than everything the app does for the key that asked for it. Every
cell our tables hold is one line of `Text` with at most one style, cropped or padded to the
column: those lines are built here directly, the same segments Rich would make (a property test
draws random cells both ways and compares, tests/tui/test_quick_table.py). Anything else
(header cells, several styles in one cell, wrapping rows, centred text) is drawn by the
DataTable as before.

This overrides `DataTable._render_cell`, a private method: Textual is pinned to one version
(pyproject.toml) and the comparison test fails if its drawing changes.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from functools import cached_property, lru_cache
from typing import Any

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.widgets import DataTable
from textual.widgets.data_table import RowKey

SegmentLines = list[list[Segment]]
_ENDS = {"", "\n"}

# Characters whose width Rich measures one by one: letters, digits, punctuation, symbols and
# spaces, but not Hangul jamo (which join into syllables), regional indicators (flags) or
# emoji skin tones (Rich 15 measures those as grapheme clusters, with their neighbours).
_SIMPLE = {"Lu", "Ll", "Lt", "Lm", "Lo", "Nd", "Nl", "No", "Pc", "Pd", "Ps", "Pe", "Pi", "Pf", "Po"}
_SIMPLE |= {"Sm", "Sc", "Sk", "So", "Zs"}
_JOINING = (
    *((0x1100, 0x11FF), (0xA960, 0xA97F), (0xD7B0, 0xD7FF)),  # Hangul jamo
    *((0x1F1E6, 0x1F1FF), (0x1F3FB, 0x1F3FF)),  # regional indicators, skin tones
)


@lru_cache(maxsize=4096)
def _simple(char: str) -> bool:
    """True for a character drawn as Rich would draw it alone (see `_SIMPLE`)."""
    code = ord(char)
    return unicodedata.category(char) in _SIMPLE and not any(
        low <= code <= high for low, high in _JOINING
    )


_JUSTIFY = {"default", "left", "right"}
_OVERFLOW = {"fold", "crop", "ellipsis"}


class QuickTable(DataTable[Any]):
    """A DataTable whose plain one-line text cells are drawn without Rich's layout."""

    def _render_cell(
        self,
        row_index: int,
        column_index: int,
        base_style: Style,
        width: int,
        cursor: bool = False,
        hover: bool = False,
    ) -> SegmentLines:
        lines = self._quick_cell(row_index, column_index, base_style, width, cursor, hover)
        if lines is None:
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        return lines

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        # The DataTable measures every cell of every new row (through Rich, ~0.1 ms a cell)
        # for the widths of auto-width columns, and does so on idle, where it can hold up the
        # frame that shows the rows. With every column of a set width, only rows with a label
        # or an automatic height need it.
        if not any(column.auto_width for column in self.columns.values()):
            rows = self.rows
            new_rows = [
                key
                for key in new_rows
                if (row := rows.get(key)) is not None and (row.auto_height or row.label is not None)
            ]
        super()._update_dimensions(new_rows)

    def _quick_cell(
        self,
        row_index: int,
        column_index: int,
        base_style: Style,
        width: int,
        cursor: bool,
        hover: bool,
    ) -> SegmentLines | None:
        """The cell's one line as Rich would draw it, or None when Rich must draw it."""
        pad = self.cell_padding
        inner = width - 2 * pad
        header = row_index == -1
        if column_index < 0 or inner < 1 or row_index < -1:
            return None
        if header:
            if self.header_height != 1:
                return None
        else:
            row = self.rows.get(self._row_locations.get_key(row_index))  # type: ignore[arg-type]
            if row is None or row.height != 1:
                return None
        cells = self._get_row_renderables(row_index).cells
        if column_index >= len(cells):
            return None
        cell = cells[column_index]
        if type(cell) is not Text or cell.spans or cell.no_wrap is False or cell.end not in _ENDS:
            return None
        text = cell.plain
        if not (text.isascii() and text.isprintable()) and not all(map(_simple, text)):
            return None  # tabs, new lines, control, joining or combining characters
        justify = cell.justify or self._defaults[0]
        overflow = cell.overflow or self._defaults[1]
        if justify not in _JUSTIFY or overflow not in _OVERFLOW:
            return None

        # Text.wrap with no_wrap: justify, then truncate to the inner width.
        if justify == "right":
            text = text.rstrip()
        length = cell_len(text)
        if length > inner:
            text = (
                set_cell_size(text, inner - 1) + "…"
                if overflow == "ellipsis"
                else set_cell_size(text, inner)
            )
            length = cell_len(text)
        after = ""  # padding from Rich's line padding (outside the text's own style)
        if length < inner:
            if justify == "left":
                text += " " * (inner - length)
            elif justify == "right":
                text = " " * (inner - length) + text
            else:
                after = " " * (inner - length)

        fixed = not header and (row_index < self.fixed_rows or column_index < self.fixed_columns)
        component, post = self._get_styles_to_render_cell(
            header,
            False,
            fixed,
            hover,
            cursor,
            self.show_cursor,
            self._show_hover_cursor,
            self.cursor_foreground_priority == "css",
            self.cursor_background_priority == "css",
        )
        styles = self._styles(base_style, component, post, row_index, column_index, cell.style)
        line = [Segment(" " * pad, styles[0])] if pad else []
        if text:
            line.append(Segment(text, styles[1]))
        if after or pad:
            line.append(Segment(after + " " * pad, styles[0]))
        return [line]

    @cached_property
    def _defaults(self) -> tuple[str, str]:
        """Justify and overflow for cells that set none (the app's console options)."""
        options = self.app.console_options
        return options.justify or "default", options.overflow or "fold"

    @cached_property
    def _style_cache(self) -> dict[tuple[object, ...], tuple[Style, Style]]:
        return {}

    def _styles(
        self,
        base: Style,
        component: Style,
        post: Style,
        row_index: int,
        column_index: int,
        own: str | Style,
    ) -> tuple[Style, Style]:
        """(padding style, text style) of a cell: Rich's (base + cell meta + component) styles,
        the cell's own style, then the post style. The same few hundred combinations come back
        page after page, so they are kept."""
        key = (base, component, post, row_index, column_index, own)
        cache = self._style_cache
        styles = cache.get(key)
        if styles is None:
            pre = base + Style.from_meta({"row": row_index, "column": column_index}) + component
            outer = pre + post if post else pre
            text = outer
            if own:
                text = pre + self.app.console.get_style(own, default=Style.null())
                if post:
                    text += post
            if len(cache) > 4096:
                cache.clear()
            styles = cache[key] = (outer, text)
        return styles
