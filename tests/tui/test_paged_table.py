"""PagedTable pages through a long list while holding one page of rows."""

from __future__ import annotations

from textual.app import App, ComposeResult

from fieldtui.widgets.paged_table import Column, PagedTable

TOTAL = 100_000


class PagingApp(App[None]):
    """Answers page requests from a virtual list of TOTAL rows, as a screen would."""

    def compose(self) -> ComposeResult:
        yield PagedTable([Column("n", "table.empty", 10)], page_size=20, id="t")

    def on_mount(self) -> None:
        self.show(0)

    def show(self, offset: int, at_end: bool = False) -> None:
        rows = [(f"r{i}", [str(i)]) for i in range(offset, min(offset + 20, TOTAL))]
        self.query_one(PagedTable).show_page(rows, offset=offset, total=TOTAL, cursor_at_end=at_end)

    def on_paged_table_page_requested(self, message: PagedTable.PageRequested) -> None:
        self.show(message.offset, message.cursor_at_end)


async def test_pages_forward_and_back() -> None:
    app = PagingApp()
    async with app.run_test(size=(60, 20)) as pilot:
        table = app.query_one(PagedTable)
        table.focus()
        assert table.row_count == 20
        assert table.position_text == "1–20 dari 100.000"
        for _ in range(20):
            await pilot.press("down")
        await pilot.pause()
        assert table.page_offset == 20
        assert table.current_key == "r20"
        assert table.row_count == 20  # never more than one page held
        await pilot.press("up")
        await pilot.pause()
        assert table.page_offset == 0
        assert table.current_key == "r19"
        await pilot.press("pagedown", "pagedown")
        await pilot.pause()
        assert table.page_offset == 40


async def test_stops_at_the_edges() -> None:
    app = PagingApp()
    async with app.run_test(size=(60, 20)) as pilot:
        table = app.query_one(PagedTable)
        table.focus()
        await pilot.press("up", "pageup")
        await pilot.pause()
        assert table.page_offset == 0
        assert table.current_key == "r0"


async def test_cells_are_shown_as_typed_not_as_markup() -> None:
    """A name may hold square brackets: the table must not read them as Rich markup."""
    app = PagingApp()
    async with app.run_test(size=(60, 20)) as pilot:
        table = app.query_one(PagedTable)
        table.show_page([("x", ["Ni [b]Luh[/b] [Made"])], offset=0, total=1)
        await pilot.pause()
        (cell,) = table.get_row("x")
        assert str(cell) == "Ni [b]Luh[/b] [Made"
        shown = "".join(segment.text for segment in table.render_line(1))  # (0: the header)
        assert "Ni [b]Luh[" in shown  # (the column is 10 wide)
