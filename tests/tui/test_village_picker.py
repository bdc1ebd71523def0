"""VillagePicker: typing part of a name offers villages; Enter or the list picks one."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Input

from fieldtui.widgets.village_picker import VillagePicker


class PickerApp(App[None]):
    def __init__(self, code: str | None = None) -> None:
        super().__init__()
        self.code = code
        self.picked: list[str | None] = []

    def compose(self) -> ComposeResult:
        yield VillagePicker(self.code, within=("51.71",), id="picker")
        yield Input(id="after")

    def on_mount(self) -> None:
        self.query_one(VillagePicker).focus()

    def on_village_picker_selected(self, event: VillagePicker.Selected) -> None:
        self.picked.append(event.code)


async def test_typing_then_enter_picks_the_best_match() -> None:
    app = PickerApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"sesetan")
        picker = app.query_one(VillagePicker)
        assert picker.matches("sesetan")[0][0] == "51.71.01.1003"
        await pilot.press("enter")
        assert picker.code == "51.71.01.1003"
        assert app.picked == ["51.71.01.1003"]
        assert picker.text.startswith("Kel. Sesetan")


async def test_down_moves_into_the_list() -> None:
    app = PickerApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"ubung", "down", "down", "enter")
        picker = app.query_one(VillagePicker)
        assert picker.code is not None and picker.code.startswith("51.71.04.")
        assert "Ubung" in picker.text


async def test_typing_again_clears_the_choice() -> None:
    app = PickerApp("51.71.04.2001")
    async with app.run_test(size=(80, 24)) as pilot:
        picker = app.query_one(VillagePicker)
        assert picker.code == "51.71.04.2001" and "Dangin Puri Kangin" in picker.text
        await pilot.press("backspace")
        assert picker.code is None and app.picked == [None]


async def test_within_keeps_other_regencies_out() -> None:
    app = PickerApp()
    async with app.run_test(size=(80, 24)):
        codes = [code for code, _ in app.query_one(VillagePicker).matches("kuta")]
        assert all(code.startswith("51.71.") for code in codes)
