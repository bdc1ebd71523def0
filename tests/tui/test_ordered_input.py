"""Keys that arrive together (a burst over SSH, a busy machine) take effect in order."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from textual import events
from textual.app import App, ComposeResult
from textual.widgets import Input

import fieldtui
from fieldtui.app import FieldApp
from fieldtui.screens.signup_form import SignUpFormScreen
from fieldtui.widgets.ordered_input import OrderedInput
from tests.tui.test_signup_form import NIK, fill, open_form, tick_consent

TYPED = ["w", "a", "y", "backspace", "backspace", "backspace", "5", "1", "7", "1"]
CHARACTERS = {
    "backspace": None,
    "left": None,
    "home": None,
    "end": None,
    "tab": "\t",
    "enter": "\r",
}


def burst(app: App[Any], keys: list[str]) -> None:
    """Post the keys at once, as the terminal driver does when they arrive in one read."""
    for key in keys:
        app.post_message(events.Key(key, CHARACTERS.get(key, key)))


class OneBox(App[None]):
    def __init__(self, box: Input) -> None:
        super().__init__()
        self.box = box

    def compose(self) -> ComposeResult:
        yield self.box


async def typed_in(box: Input, keys: list[str]) -> str:
    """The value of ``box`` after ``keys`` arrive in one burst."""
    app = OneBox(box)
    async with app.run_test() as pilot:
        box.focus()
        await pilot.pause()
        burst(app, keys)
        await pilot.pause()
        return box.value


@pytest.mark.parametrize(
    ("keys", "expected"),
    [
        (TYPED, "5171"),
        (["5", "1", "7", "1", "left", "left", "backspace", "x", "home", "y", "end", "z"], "y5x71z"),
    ],
)
async def test_bound_keys_and_characters_in_a_burst_are_applied_in_order(
    keys: list[str], expected: str
) -> None:
    assert await typed_in(OrderedInput(), keys) == expected


async def test_textual_input_alone_reorders_them() -> None:
    """The bug this guards against (Textual issue #6605): the same burst in Textual's Input."""
    assert await typed_in(Input(), TYPED) != "5171"


async def test_a_nik_corrected_in_a_burst_is_the_nik_typed(app: FieldApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f4", "ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, SignUpFormScreen)
        nik = app.screen.query_one("#signup-nik", Input)
        nik.focus()
        await pilot.pause()
        # A 9 too many, taken back; then Tab (the app's own, in order) and the name.
        burst(app, [*"517101470899", "backspace", *"00012", "tab", *"Ni Luh"])
        await pilot.pause()
        assert nik.value.replace(" ", "").replace(".", "") == "5171014708900012"
        assert app.screen.query_one("#signup-name", Input).value == "Ni Luh"


def test_every_text_box_of_the_app_is_an_ordered_one() -> None:
    """No Textual Input is made directly (their bound keys would be applied out of order)."""
    package = Path(fieldtui.__file__).parent
    made = re.compile(r"(?<![\w.])Input\(|\(Input\):")
    found = [
        f"{path.relative_to(package)}:{number}"
        for path in package.rglob("*.py")
        if path.name != "ordered_input.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if made.search(line)
    ]
    assert found == []


async def test_a_save_by_enter_waits_for_the_keys_typed_before_it(app: FieldApp) -> None:
    """Enter is handled as it arrives; the digit typed just before it must be in what is
    saved (it was 150.000 instead of 1.500.000)."""
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(app, pilot)
        await fill(form, pilot)
        await tick_consent(form, pilot)
        income = form.query_one("#signup-income", Input)
        income.value = "150000"
        income.focus()
        await pilot.press("end")  # (focusing selects the text: a key would replace it)
        burst(app, ["0", "enter"])
        for _ in range(10):
            await pilot.pause()
            await app.workers.wait_for_complete()
        saved = app.store.find_by_nik(NIK)
        assert saved is not None and saved.income_rp == 1_500_000


async def test_a_bound_key_shows_the_cursor_at_once() -> None:
    """As in Textual's Input, a key restarts the cursor's blink (shown, not half hidden)."""
    app = OneBox(OrderedInput())
    async with app.run_test() as pilot:
        app.box.value = "abc"
        app.box.focus()
        await pilot.pause()
        for key in ("left", "backspace", "home"):
            app.box._cursor_visible = False
            await pilot.press(key)
            assert app.box._cursor_visible, key
