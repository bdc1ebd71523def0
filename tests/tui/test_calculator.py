"""Kalkulator iuran (F5): a live breakdown as the officer types, in Indonesian and English."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Checkbox, Input, Select, Static

from fieldtui.app import SCREENS, FieldApp
from fieldtui.i18n import set_language
from fieldtui.screens.calculator import CalculatorScreen
from fieldtui.widgets.date_input import DateInput
from fieldtui.widgets.field import FormField
from fieldtui.widgets.income_input import IncomeInput


async def open_calculator(app: FieldApp, pilot: Pilot[None]) -> CalculatorScreen:
    app.push_screen(CalculatorScreen())
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, CalculatorScreen)
    return screen


def shown(screen: CalculatorScreen, widget_id: str) -> str:
    widget = screen.query_one(widget_id, Static)
    return str(widget.content) if widget.display else ""


async def test_income_gives_the_monthly_amount_and_jht_adds_to_it(app: FieldApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_calculator(app, pilot)
        assert "Ketik penghasilan" in shown(screen, "#calc-heading")
        await pilot.press(*"1000000")
        await pilot.pause()
        assert screen.query_one(IncomeInput).value == "1.000.000"
        assert shown(screen, "#calc-monthly") == "Iuran per bulan: Rp8.400"
        assert "Golongan 1" in shown(screen, "#calc-band")
        assert "Diskon 50% JKK+JKM s.d. 31 Des 2026 (PP 50/2025)" in shown(screen, "#calc-notes")
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert screen.query_one("#calc-jht", Checkbox).value
        assert shown(screen, "#calc-monthly") == "Iuran per bulan: Rp28.400"
        assert screen.result is not None and screen.result.monthly_rp == 28_400


async def test_income_as_officers_say_it(app: FieldApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_calculator(app, pilot)
        await pilot.press(*"1,5jt")
        await pilot.pause()
        assert screen.query_one(IncomeInput).value == "1,5jt"
        assert screen.query_one("#field-income", FormField).message == "= Rp1.500.000"
        assert screen.result is not None and screen.result.income_rp == 1_500_000
        await pilot.press("tab")  # leaving the field shows it grouped
        await pilot.pause()
        assert screen.query_one(IncomeInput).value == "1.500.000"


async def test_unreadable_income_says_why(app: FieldApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_calculator(app, pilot)
        await pilot.press(*"1,5xy")
        await pilot.pause()
        assert "tidak bisa dibaca" in screen.query_one("#field-income", FormField).message
        assert screen.result is None


async def test_employer_forces_jht(app: FieldApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_calculator(app, pilot)
        await pilot.press(*"1000000")
        screen.query_one("#calc-employer", Checkbox).value = True
        await pilot.pause()
        jht = screen.query_one("#calc-jht", Checkbox)
        assert jht.value and jht.disabled
        assert shown(screen, "#calc-monthly") == "Iuran per bulan: Rp28.400"
        screen.query_one("#calc-employer", Checkbox).value = False
        await pilot.pause()
        assert not jht.value and not jht.disabled
        assert shown(screen, "#calc-monthly") == "Iuran per bulan: Rp8.400"


async def test_months_date_and_sector(app: FieldApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_calculator(app, pilot)
        await pilot.press(*"1000000")
        screen.query_one("#calc-months", Select).value = 3
        await pilot.pause()
        assert shown(screen, "#calc-period") == "Iuran untuk 3 bulan: Rp25.200"
        assert "diskon berakhir 31 Des 2026" in shown(screen, "#calc-warning")
        # January 2027: the discount for other sectors is over, transport's still runs.
        screen.query_one("#calc-date", DateInput).date = dt.date(2027, 1, 5)
        await pilot.pause()
        assert shown(screen, "#calc-monthly") == "Iuran per bulan: Rp16.800"
        assert "Tidak ada diskon" in shown(screen, "#calc-notes")
        screen.query_one("#calc-sector", Select).value = "transport"
        await pilot.pause()
        assert shown(screen, "#calc-monthly") == "Iuran per bulan: Rp8.400"
        assert "sektor transportasi" in shown(screen, "#calc-heading")
        screen.query_one("#calc-date", DateInput).value = "31-02-2027"
        await pilot.pause()
        assert screen.query_one("#field-date", FormField).message.startswith("Bukan tanggal")
        assert screen.result is None


async def test_occupation_sets_the_sector(app: FieldApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_calculator(app, pilot)
        await pilot.press(*"1000000")
        screen.query_one("#calc-occupation", Input).focus()
        await pilot.press(*"ojek")
        await pilot.pause()
        assert screen.query_one("#calc-sector", Select).value == "transport"
        message = screen.query_one("#field-occupation", FormField).message
        assert message == "Ojek pangkalan: sektor transportasi"
        assert "s.d. 31 Mar 2027" in shown(screen, "#calc-notes")
        await pilot.press(*"xyzq")
        await pilot.pause()
        assert "tidak dikenal" in screen.query_one("#field-occupation", FormField).message


async def test_new_calculation_clears(app: FieldApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_calculator(app, pilot)
        await pilot.press(*"2000000", "ctrl+t", "ctrl+n")
        await pilot.pause()
        assert screen.query_one(IncomeInput).value == ""
        assert not screen.query_one("#calc-jht", Checkbox).value
        assert screen.result is None
        assert screen.focused is screen.query_one(IncomeInput)


async def test_english_labels(app: FieldApp) -> None:
    set_language("en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_calculator(app, pilot)
        await pilot.press(*"1000000", "ctrl+t")
        await pilot.pause()
        assert screen.query_one(IncomeInput).value == "1,000,000"
        assert shown(screen, "#calc-monthly") == "Per month: Rp28,400"
        assert screen.query_one("#field-income", FormField).label_text == "Income"
        assert str(screen.query_one("#calc-jht", Checkbox).label) == "Take JHT (old-age savings)"
        descriptions = {b.binding.description for b in screen.active_bindings.values()}
        assert "New calculation" in descriptions


@pytest.mark.skipif("kalkulator" not in SCREENS, reason="calculator not wired into the app yet")
async def test_f5_opens_the_calculator(app: FieldApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f5")
        await pilot.pause()
        assert isinstance(app.screen, CalculatorScreen)
        assert app.screen.focused is app.screen.query_one(IncomeInput)


def test_calculator_snapshot(snap_compare: Any, app: FieldApp) -> None:
    async def type_income(pilot: Pilot[None]) -> None:
        await pilot.press("f5")  # the NavBar shows Kalkulator as the current screen
        await pilot.pause()
        for field in pilot.app.screen.query(Input):
            field.cursor_blink = False  # a steady cursor, so the picture does not depend on time
        await pilot.press(*"1500000")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=type_income)
