"""Money and date inputs behave as an officer types."""

from __future__ import annotations

import datetime as dt

import pytest
from textual.app import App, ComposeResult

from fieldtui.i18n import set_language
from fieldtui.widgets.date_input import DateInput, parse_date
from fieldtui.widgets.money_input import MoneyInput


class InputsApp(App[None]):
    def compose(self) -> ComposeResult:
        yield MoneyInput(id="money")
        yield DateInput(id="date")


async def test_money_groups_as_typed() -> None:
    app = InputsApp()
    async with app.run_test() as pilot:
        money = app.query_one(MoneyInput)
        money.focus()
        await pilot.press(*"1500000")
        assert money.value == "1.500.000"
        assert money.amount == 1_500_000
        await pilot.press("backspace")
        assert money.amount == 150_000
        await pilot.press("x")  # restricted
        assert money.amount == 150_000


async def test_money_english_grouping() -> None:
    set_language("en")
    app = InputsApp()
    async with app.run_test() as pilot:
        money = app.query_one(MoneyInput)
        money.focus()
        await pilot.press(*"2000000")
        assert money.value == "2,000,000"


async def test_date_typed() -> None:
    app = InputsApp()
    async with app.run_test() as pilot:
        date = app.query_one(DateInput)
        date.focus()
        await pilot.press(*"07-08-1990")
        assert date.date == dt.date(1990, 8, 7)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("7-8-1990", dt.date(1990, 8, 7)),
        ("07/08/1990", dt.date(1990, 8, 7)),
        ("1990-08-07", dt.date(1990, 8, 7)),
        ("31-02-1990", None),
        ("1990", None),
        ("", None),
    ],
)
def test_parse_date(text: str, expected: dt.date | None) -> None:
    assert parse_date(text) == expected
