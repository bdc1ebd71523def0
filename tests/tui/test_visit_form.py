"""The visit form: log a visit (adding its banjar on the spot), refuse bad input, edit it later."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Checkbox, Input, Select

from fieldtui.app import FieldApp
from fieldtui.domain import clock
from fieldtui.domain.models import Banjar, Visit, VisitType
from fieldtui.i18n import set_language
from fieldtui.screens.banjar_dialog import BanjarDialog
from fieldtui.screens.edit_reason import EditReasonDialog
from fieldtui.screens.visit_form import VisitFormScreen
from fieldtui.screens.visit_values import VisitEntry, check_entry, parse_time
from fieldtui.screens.visits import VisitsScreen
from fieldtui.store.errors import DiskFull
from fieldtui.store.repository import Store
from fieldtui.widgets.field import FormField, Tone
from fieldtui.widgets.village_picker import VillagePicker
from tests.builders import SESETAN, make_visit


def top(app: FieldApp) -> Screen[Any]:
    """The screen on top (a function, so mypy does not keep an earlier isinstance narrowing)."""
    return app.screen


async def settle(pilot: Pilot[None]) -> None:
    """Let workers finish and their results reach the screen."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def open_new_form(pilot: Pilot[None]) -> VisitFormScreen:
    """Kunjungan (F3), then Ctrl+N: the way an officer gets there."""
    await pilot.press("f3")
    await settle(pilot)
    await pilot.press("ctrl+n")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, VisitFormScreen)
    return screen


async def open_form(pilot: Pilot[None], visit: Visit | None = None) -> VisitFormScreen:
    """The form pushed straight away (quicker, for tests about the form itself)."""
    form = VisitFormScreen(visit)
    await pilot.app.push_screen(form)
    await pilot.pause()
    return form


async def pick_sesetan(pilot: Pilot[None], form: VisitFormScreen) -> None:
    """Type "sesetan" in the desa field at once and take the first match with Enter."""
    form.query_one(VillagePicker).query_one(Input).value = "sesetan"
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()
    assert form.desa_code == SESETAN


def field(screen: Any, name: str) -> FormField:
    found: FormField = screen.query_one(f"#field-{name}", FormField)
    return found


def value(screen: Any, name: str) -> str:
    return str(screen.query_one(f"#visit-{name}", Input).value)


def test_parse_time() -> None:
    assert parse_time("19.05") == dt.time(19, 5)
    assert parse_time("7:30") == dt.time(7, 30)
    assert parse_time("24.00") is None
    assert parse_time("19") is None


def test_check_entry() -> None:
    entry = VisitEntry(
        date="24-11-2026",
        time="19:05",
        desa_code=SESETAN,
        banjar_id=None,
        visit_type=VisitType.BOOTH,
        event="  Karnaval  Sesetan ",
        attendees="",
    )
    fields, errors = check_entry(entry)
    assert errors == {}
    assert fields["started_at"] == dt.datetime(2026, 11, 24, 19, 5, tzinfo=clock.WITA)
    assert fields["event_name"] == "Karnaval Sesetan" and fields["attendees"] == 0
    bad = dataclasses.replace(entry, date="", desa_code=None, follow_up="1-11-2026")
    fields, errors = check_entry(bad)
    assert fields == {} and set(errors) == {"date", "desa"}
    early = dataclasses.replace(entry, follow_up="23-11-2026")
    assert set(check_entry(early)[1]) == {"follow-up"}


async def test_log_a_visit_with_a_banjar_added_on_the_spot(app: FieldApp, store: Store) -> None:
    officer = store.actor
    assert officer is not None
    later = store.create_visit(make_visit(officer.id, day=30, desa_code="51.71.04.2008"))
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_new_form(pilot)
        await pilot.press(*"sesetan", "enter")
        await pilot.pause()
        assert form.desa_code == SESETAN
        await pilot.press("ctrl+b")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, BanjarDialog)
        await pilot.press(*"br kaja")
        assert "Banjar Kaja" in field(dialog, "banjar-name").message
        await pilot.press("tab", *"I Made Sukadana", "enter")
        await settle(pilot)
        assert top(app) is form
        assert value(form, "counterpart") == "I Made Sukadana"
        assert value(form, "role") == "Kepala Lingkungan"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, VisitsScreen)
        saved = store.list_visits().items[1]  # after the one planned for 30 Nov
        assert app.screen.selected_id == saved.id  # the cursor is on the visit just logged
        assert "Kaja" in str(app.screen.query_one("#visits-current").render())

    (banjar,) = store.banjars(SESETAN)
    assert banjar.name == "Banjar Kaja" and banjar.head_title == "Kepala Lingkungan"
    (visit,) = [visit for visit in store.list_visits().items if visit.id != later.id]
    assert visit.banjar_id == banjar.id and visit.desa_code == SESETAN
    assert visit.visit_type is VisitType.BANJAR
    assert visit.started_at.date() == dt.date(2026, 11, 24)
    assert visit.counterpart_role == "Kepala Lingkungan"
    assert app.current_visit is not None and app.current_visit.id == visit.id
    assert store.progress_of(SESETAN).to_date_row.visits == 1


async def test_add_banjar_from_the_list_of_banjars(app: FieldApp, store: Store) -> None:
    store.create_banjar(Banjar(desa_code=SESETAN, name="Banjar Kelod"))
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(pilot)
        await pick_sesetan(pilot, form)
        select = form.query_one("#visit-banjar", Select)
        assert app.focused is select  # picking the desa moves on to its banjars
        await pilot.press("enter", "end", "enter")  # the last entry: add a banjar
        await pilot.pause()
        assert isinstance(app.screen, BanjarDialog)
        await pilot.press("escape")  # changed my mind: back to "no banjar"
        await pilot.pause()
        assert top(app) is form and select.value == "-"
        await pilot.press("enter", "down", "enter")
        await pilot.pause()
        assert select.value == store.banjars(SESETAN)[0].id


async def test_a_banjar_added_elsewhere_joins_the_list(app: FieldApp, store: Store) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(pilot)
        await pick_sesetan(pilot, form)
        store.create_banjar(Banjar(desa_code=SESETAN, name="Banjar Kelod"))  # another window
        await settle(pilot)
        select = form.query_one("#visit-banjar", Select)
        assert [str(prompt) for prompt, _ in select._options][1] == "Banjar Kelod"


async def test_bad_date_and_time_are_refused_and_kept(app: FieldApp, store: Store) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(pilot)
        await pick_sesetan(pilot, form)
        form.query_one("#visit-date", Input).value = "31-02-2026"
        form.query_one("#visit-time", Input).value = "25.70"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert top(app) is form
        assert field(form, "date").tone is Tone.ERROR
        assert "Bukan tanggal yang benar" in field(form, "date").message
        assert "Bukan jam yang benar" in field(form, "time").message
        assert value(form, "date") == "31-02-2026" and value(form, "time") == "25.70"
    assert store.list_visits().total == 0


async def test_a_visit_dated_another_day_is_not_made_current(app: FieldApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(pilot)
        current = form.query_one("#visit-current", Checkbox)
        assert current.value is True
        form.query_one("#visit-date", Input).value = "23-11-2026"
        await pilot.pause()
        assert current.value is False
        await pilot.press("ctrl+t")
        form.query_one("#visit-date", Input).value = "22-11-2026"
        await pilot.pause()
        assert current.value is True  # the officer's own choice stays


async def test_missing_desa_and_early_follow_up_are_refused(app: FieldApp, store: Store) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(pilot)
        form.query_one("#visit-follow-up", Input).value = "01-11-2026"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Pilih desa/kelurahan" in field(form, "desa").message
        assert "tidak boleh sebelum" in field(form, "follow-up").message
    assert store.list_visits().total == 0


async def test_duplicate_banjar_is_refused_with_the_reason(app: FieldApp, store: Store) -> None:
    store.create_banjar(Banjar(desa_code=SESETAN, name="Banjar Kaja"))
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(pilot)
        await pick_sesetan(pilot, form)
        await pilot.press("ctrl+b")
        await pilot.pause()
        await pilot.press(*"BR. KAJA", "enter")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, BanjarDialog)
        name = field(dialog, "banjar-name")
        assert name.tone is Tone.ERROR
        assert name.message == "Banjar Kaja sudah tercatat di desa/kelurahan ini."
    assert len(store.banjars(SESETAN)) == 1


async def test_save_error_is_shown_and_the_form_kept(
    app: FieldApp, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    def disk_full(visit: Visit) -> Visit:
        raise DiskFull()

    monkeypatch.setattr(store, "create_visit", disk_full)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(pilot)
        await pick_sesetan(pilot, form)
        form.query_one("#visit-counterpart", Input).value = "I Made Sukadana"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert top(app) is form
        status = str(form.query_one("#visit-status").render())
        assert DiskFull().message() in status
        assert value(form, "counterpart") == "I Made Sukadana"
        assert form.desa_code == SESETAN
    assert app.current_visit is None


async def test_evening_edit_attendees_and_follow_up(app: FieldApp, store: Store) -> None:
    officer = store.actor
    assert officer is not None
    visit = store.create_visit(make_visit(officer.id, counterpart_name="I Made Sukadana"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f3")
        await settle(pilot)
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, VisitFormScreen) and form.visit == visit
        assert app.focused is form.query_one("#visit-attendees")  # the evening edit starts here
        assert form.query_one("#visit-current", Checkbox).value is False  # not the current one
        await pilot.press(*"35", "tab", *"01-12-2026", "enter")
        await pilot.pause()
        assert isinstance(app.screen, EditReasonDialog)
        await pilot.press(*"recount", "enter")
        await settle(pilot)
        assert isinstance(app.screen, VisitsScreen)

    saved = store.get_visit(visit.id)
    assert saved.attendees == 35 and saved.follow_up_on == dt.date(2026, 12, 1)
    last = store.history(visit.id)[-1]
    assert last.reason == "recount"
    changes = {change.field: (change.before, change.after) for change in last.changes}
    assert changes["attendees"] == (0, 35)
    assert changes["follow_up_on"] == (None, "2026-12-01")


async def test_edit_cancelled_at_the_reason_saves_nothing(app: FieldApp, store: Store) -> None:
    officer = store.actor
    assert officer is not None
    visit = store.create_visit(make_visit(officer.id))
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(VisitFormScreen(visit))
        await pilot.pause()
        await pilot.press(*"12", "ctrl+s")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, VisitFormScreen)
        assert value(app.screen, "attendees") == "12"
    assert store.get_visit(visit.id).attendees == 0
    assert len(store.history(visit.id)) == 1


async def test_form_in_english(app: FieldApp) -> None:
    set_language("en")
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(pilot)
        assert field(form, "attendees").label_text == "Attendees"
        assert str(form.query_one("#visit-title").render()) == "New visit"
        type_select = form.query_one("#visit-type", Select)
        assert type_select.value is VisitType.BANJAR
        labels = {binding.binding.description for binding in form.active_bindings.values()}
        assert {"Save", "New banjar", "Cancel", "Current"} <= labels


def test_visit_form_snapshot(snap_compare: Any, app: FieldApp) -> None:
    async def new_visit(pilot: Pilot[None]) -> None:
        form = await open_form(pilot)
        form.query_one("#visit-time", Input).value = "19.05"
        await pick_sesetan(pilot, form)

    assert snap_compare(app, terminal_size=(80, 24), run_before=new_visit)
