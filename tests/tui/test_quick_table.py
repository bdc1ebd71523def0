"""QuickTable draws its one-line text cells exactly as the DataTable would through Rich."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.app import App, ComposeResult
from textual.widgets import DataTable

from fieldtui.widgets.quick_table import QuickTable

STYLES = [None, "", "bold", "italic red", "no-such-style", Style(color="yellow", bgcolor="blue")]
# Wide, combining, joining, zero-width and control characters; spaces (kept, stripped when
# right-justified); the ones Rich measures as clusters must be left to Rich.
ODD = ["\u0301", "\u200b", "\u200d", "\u00ad", "\ufeff", "\u3000", "\u1160", "\ud7b0", "\x1b"]
LETTERS = st.sampled_from(
    [*"aZ09 .-–…éÑ", "一", "ア", "🙂", "ᬅ", "🇮🇩", "👩\u200d👩", "👍🏽", "\x7f", "\u0e31", *ODD]
)


class TableApp(App[None]):
    def compose(self) -> ComposeResult:
        yield QuickTable(id="t", cursor_type="row", zebra_stripes=True)


def normal(line: list[Segment]) -> list[Segment]:
    """A line's segments with empty ones dropped and neighbours of one style joined."""
    return list(Segment.simplify(segment for segment in line if segment.text))


def cells() -> st.SearchStrategy[Text]:
    return st.builds(
        lambda plain, style, justify, overflow, no_wrap, end: Text(
            plain, style=style or "", justify=justify, overflow=overflow, no_wrap=no_wrap, end=end
        ),
        st.lists(LETTERS, max_size=16).map("".join),
        st.sampled_from(STYLES),
        st.sampled_from([None, "default", "left", "right"]),
        st.sampled_from([None, "fold", "crop", "ellipsis"]),
        st.sampled_from([None, True]),
        st.sampled_from(["\n", "", "…"]),
    )


async def test_cells_are_drawn_as_the_data_table_draws_them() -> None:
    app = TableApp()
    async with app.run_test(size=(100, 30)):
        table = app.query_one(QuickTable)
        table.focus()
        drawn = {"quick": 0}

        @settings(
            max_examples=400,
            deadline=None,
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        )
        @given(
            rows=st.lists(st.tuples(cells(), cells()), min_size=1, max_size=3),
            header=st.tuples(cells(), cells()),
            widths=st.tuples(st.integers(1, 14), st.none() | st.integers(1, 14)),
            padding=st.integers(0, 2),
            fixed=st.integers(0, 1),
        )
        def check(
            rows: list[tuple[Text, Text]],
            header: tuple[Text, Text],
            widths: tuple[int, int | None],
            padding: int,
            fixed: int,
        ) -> None:
            table.clear(columns=True)
            table.cell_padding = padding
            table.fixed_columns = fixed
            table.add_column(header[0], width=widths[0])
            table.add_column(header[1], width=widths[1])
            for row in rows:
                table.add_row(*row)
            table.move_cursor(row=0)
            for row_index in range(-1, len(rows)):  # -1: the header
                for column_index, column in enumerate(table.ordered_columns):
                    width = column.get_render_width(table)
                    for cursor, hover in ((False, False), (True, False), (False, True)):
                        style = table.rich_style
                        quick = table._quick_cell(
                            row_index, column_index, style, width, cursor, hover
                        )
                        rich = DataTable._render_cell(
                            table, row_index, column_index, style, width, cursor, hover
                        )
                        if quick is None:
                            continue
                        drawn["quick"] += 1
                        assert len(quick) == len(rich) == 1
                        assert normal(quick[0]) == normal(rich[0]), (rows, width)

        check()
        assert drawn["quick"] > 1000  # the quick path was taken, not always handed back


async def test_other_cells_are_left_to_the_data_table() -> None:
    app = TableApp()
    async with app.run_test(size=(60, 12)):
        table = app.query_one(QuickTable)
        table.add_column("a", width=10)
        assert table._quick_cell(-1, 0, table.rich_style, 12, False, False) is not None
        table.add_row(Text.assemble(("two", "bold"), " styles"))
        table.add_row(Text("centred", justify="center"))
        table.add_row(Text("a\nb"))
        table.add_row(Text("wraps", no_wrap=False))
        table.add_row(Text("tall"), height=2)
        style = table.rich_style
        for row_index in range(5):
            assert table._quick_cell(row_index, 0, style, 12, False, False) is None
        table.header_height = 2
        assert table._quick_cell(-1, 0, style, 12, False, False) is None  # a two-line header
