"""FormField keeps each input's own width: the filters' date boxes, the 'paid now' box."""

from __future__ import annotations

from fieldtui.app import FieldApp
from fieldtui.screens.signup_fields import FormCheckbox
from fieldtui.screens.visit_filter import VisitFilterDialog
from fieldtui.widgets.date_input import DateInput
from tests.tui.test_signup_form import open_form
from tests.tui.test_visits import open_list


async def test_filter_dialog_date_inputs_keep_their_width(app: FieldApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await open_list(pilot)
        await pilot.press("ctrl+f")
        await pilot.pause()
        assert isinstance(app.screen, VisitFilterDialog)
        widths = [d.size.width for d in app.screen.query(DateInput)]
        assert widths and max(widths) <= 16, widths  # "VisitFilterDialog DateInput { width: 16 }"


async def test_a_click_right_of_the_paid_box_does_not_tick_it(app: FieldApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(app, pilot)
        paid = form.query_one("#signup-paid", FormCheckbox)
        paid.scroll_visible(animate=False)
        await pilot.pause()
        before, region = paid.value, paid.region
        await pilot.click(offset=(region.x + 50, region.y + 1))  # the empty part of the row
        await pilot.pause()
        assert paid.value == before
