"""Pengaturan (F6): profile, language, theme, stale-visit threshold and targets, by keyboard."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Select

from fieldtui.app import FieldApp
from fieldtui.domain.models import AuditAction, Banjar, Officer, Period, RecordKind
from fieldtui.i18n import get_language
from fieldtui.screens.dashboard import DashboardScreen
from fieldtui.screens.preferences import apply_preferences
from fieldtui.screens.settings import SettingsScreen
from fieldtui.screens.target_dialog import TargetDialog, find_places, parse_count
from fieldtui.screens.target_list import TargetTable
from fieldtui.settings import Settings, load_settings
from fieldtui.store.errors import StoreError
from fieldtui.store.repository import Store
from fieldtui.widgets.field import FormField, Tone
from tests.builders import acting_as

SESETAN = "51.71.01.1003"


@pytest.fixture(autouse=True)
def _config_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Preferences go to a temporary folder, never the real per-user config."""
    home = tmp_path / "config"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home))
    return home


async def _settle(pilot: Pilot[None]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def _open(pilot: Pilot[None]) -> SettingsScreen:
    await pilot.press("f6")
    await _settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, SettingsScreen)
    return screen


def _field(screen: Any, field_id: str) -> FormField:
    field: FormField = screen.query_one(f"#{field_id}", FormField)
    return field


def _table_rows(screen: SettingsScreen) -> list[list[str]]:
    table = screen.query_one(TargetTable)
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


async def test_edit_profile_name_and_phone_saved_with_audit(app: FieldApp, store: Store) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(pilot)
        name = screen.query_one("#settings-name", Input)
        assert name.value == "Wayan Sudarma" and app.focused is name
        account = str(screen.query_one("#settings-account").render())
        assert "wayan" in account and "petugas" in account
        await pilot.press("ctrl+a", "ctrl+k", *"Wayan Sudarma Putra", "tab")
        await pilot.press(*"0812 3456 789", "ctrl+s")
        await pilot.pause()
        user = store.actor
        assert user is not None
        assert (user.name, user.phone) == ("Wayan Sudarma Putra", "+628123456789")
        assert screen.query_one("#settings-phone", Input).value == "0812-3456-789"
        assert "Wayan Sudarma Putra" in app.sub_title
        history = store.history(user.id)
        assert history[-1].action is AuditAction.UPDATE
        assert {c.field for c in history[-1].changes} >= {"name", "phone"}
        # Another user signs in (Ctrl+U): the form shows their profile.
        with acting_as(store, "sri"):  # only a supervisor adds users
            store.create_officer(Officer(username="made", name="Made Ayu"))
        store.use_actor("made")
        app.store_changed.publish(frozenset(RecordKind))
        await pilot.pause()
        assert name.value == "Made Ayu"
        assert screen.query_one("#settings-phone", Input).value == ""


async def test_invalid_phone_refused_translated_nothing_saved(app: FieldApp, store: Store) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(pilot)
        await pilot.press("ctrl+a", "ctrl+k", "ctrl+s")  # no name: refused
        assert _field(screen, "field-name").tone is Tone.ERROR
        await pilot.press(*"Made Ayu", "tab", *"0812", "enter")
        await pilot.pause()
        assert _field(screen, "field-name").message == ""
        phone = _field(screen, "field-phone")
        assert phone.tone is Tone.ERROR and "pendek" in phone.message
        assert screen.query_one("#settings-name", Input).value == "Made Ayu"  # kept as typed
        assert store.actor is not None and store.actor.name == "Wayan Sudarma"
        assert store.actor.phone is None


async def test_store_error_shown_and_form_kept(
    app: FieldApp, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise StoreError("store.error.locked")

    monkeypatch.setattr(store, "update_officer", refuse)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(pilot)
        await pilot.press("ctrl+a", "ctrl+k", *"Made Ayu", "ctrl+s")
        await pilot.pause()
        name = _field(screen, "field-name")
        assert (
            name.tone is Tone.ERROR and name.message == StoreError("store.error.locked").message()
        )
        assert screen.query_one("#settings-name", Input).value == "Made Ayu"


async def test_language_switch_relabels_footer_and_other_screens(app: FieldApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(pilot)
        screen = await _open(pilot)
        await pilot.press("ctrl+a", "ctrl+k", *"Made Ayu")  # typed, not saved: survives the switch
        await pilot.press("ctrl+l")
        await _settle(pilot)
        assert get_language() == "en"
        screen = app.screen  # type: ignore[assignment]
        assert isinstance(screen, SettingsScreen)
        descriptions = {b.binding.description for b in screen.active_bindings.values()}
        assert {"Save", "Language", "Settings", "Quit", "Help"} <= descriptions
        assert _field(screen, "field-name").label_text == "Full name"
        assert screen.query_one("#settings-name", Input).value == "Made Ayu"
        assert "officer" in app.sub_title
        assert load_settings().language == "en"
        await pilot.press("f2")
        await _settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        table = app.screen.query_one("#dashboard-table")
        assert "Region" in [str(c.label) for c in table.columns.values()]  # type: ignore[attr-defined]
        assert table.row_count > 0  # type: ignore[attr-defined]


async def test_language_and_theme_chosen_from_the_lists(app: FieldApp, store: Store) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(pilot)
        await pilot.press("tab", "tab", "enter", "down", "enter")  # Bahasa: English
        await _settle(pilot)
        assert get_language() == "en" and load_settings().language == "en"
        screen = app.screen  # type: ignore[assignment]
        assert app.focused is screen.query_one("#settings-language", Select)
        await pilot.press("tab", "enter", *["down"] * 4, "enter")  # Theme: nord
        await pilot.pause()
        assert app.theme == "nord"
        assert screen.query_one("#settings-theme", Select).value == "nord"
        app.theme = "ansi-dark"  # chosen elsewhere (the palette): the list follows
        await pilot.pause()
        assert screen.query_one("#settings-theme", Select).value == "ansi-dark"
        assert app.theme == "ansi-dark"
        app.theme = "nord"
        await pilot.pause()
    assert load_settings() == Settings(language="en", theme="nord")
    again = FieldApp(store, poll_seconds=0)
    async with again.run_test(size=(80, 24)) as again_pilot:
        assert apply_preferences(again).theme == "nord"
        assert again.theme == "nord"
        again.theme = "gruvbox"  # e.g. from the palette's theme switch: remembered too
        await again_pilot.pause()
        assert load_settings().theme == "gruvbox"


async def test_stale_weeks_saved_and_given_to_the_dashboard(app: FieldApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(pilot)
        screen = await _open(pilot)
        screen.query_one("#settings-weeks", Input).focus()
        await pilot.press("ctrl+a", "ctrl+k", *"99", "enter")
        await pilot.pause()
        assert _field(screen, "field-weeks").tone is Tone.ERROR
        assert load_settings().stale_weeks == 4
        await pilot.press("ctrl+a", "ctrl+k", *"6", "enter")
        await _settle(pilot)
        assert load_settings().stale_weeks == 6
        dashboard = app.get_screen_stack("capaian")[0]
        assert isinstance(dashboard, DashboardScreen) and dashboard.stale_weeks == 6
        await pilot.press("ctrl+l", "f2")  # the dashboard is rebuilt in English: still 6
        await _settle(pilot)
        rebuilt = app.screen
        assert isinstance(rebuilt, DashboardScreen) and rebuilt is not dashboard
        assert rebuilt.stale_weeks == 6


async def test_set_target_for_sesetan(app: FieldApp, store: Store) -> None:
    store.use_actor("sri")  # a supervisor sets targets
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(pilot)
        assert _table_rows(screen) == []
        await pilot.press("ctrl+t")
        assert isinstance(app.screen, TargetDialog)
        await pilot.press(*"Seset", "enter")  # the best match: Kel. Sesetan
        await pilot.press("enter")  # period: this year, 2026
        await pilot.press(*"2.000", "enter")
        await _settle(pilot)
        current: object = app.screen
        assert current is screen
        target = store.get_target(SESETAN, Period.year(2026))
        assert target is not None and target.number == 2000
        assert _table_rows(screen) == [
            ["Kel. Sesetan, Denpasar Selatan, Kota Denpasar", "2026", "2.000"]
        ]
        # Enter on the row changes it; setting it again changes the same target.
        screen.query_one(TargetTable).focus()
        await pilot.press("enter")
        assert isinstance(app.screen, TargetDialog)
        await pilot.press("ctrl+a", "ctrl+k", *"2500", "ctrl+s")
        await _settle(pilot)
        assert [(t.region_code, t.number) for t in store.targets()] == [(SESETAN, 2500)]
        assert _table_rows(screen)[0][2] == "2.500"


async def test_target_dialog_refuses_bad_input(app: FieldApp, store: Store) -> None:
    store.use_actor("sri")
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot)
        await pilot.press("ctrl+t", "ctrl+s")
        dialog = app.screen
        assert isinstance(dialog, TargetDialog)
        assert _field(dialog, "field-region").tone is Tone.ERROR
        await pilot.press(*"Badung", "enter", "ctrl+a", "ctrl+k", *"2026-13", "ctrl+s")
        assert _field(dialog, "field-period").tone is Tone.ERROR
        await pilot.press("ctrl+a", "ctrl+k", *"2026-11", "enter", "ctrl+s")
        assert _field(dialog, "field-number").tone is Tone.ERROR
        assert store.targets() == []
        await pilot.press("escape")
        assert isinstance(app.screen, SettingsScreen)


async def test_target_for_branch_and_banjar(app: FieldApp, store: Store) -> None:
    banjar = store.create_banjar(Banjar(desa_code=SESETAN, name="Banjar Kaja"))
    places = find_places(store, "Sesetan")
    assert [p.code for p in places[:2]] == [SESETAN, banjar.id]
    assert find_places(store, "cabang")[0].label == "Kantor Cabang Bali Denpasar"
    store.use_actor("sri")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(pilot)
        await pilot.press("ctrl+t", *"Seset", "down", "enter", "ctrl+a", "ctrl+k", *"2026-11")
        await pilot.press("tab", *"40", "ctrl+s")
        await _settle(pilot)
        await pilot.press("ctrl+t", *"cabang", "enter", "enter", *"22964", "enter")
        await _settle(pilot)
        assert store.get_target(banjar.id, Period.month(2026, 11)) is not None
        rows = _table_rows(screen)
        assert ["Banjar Kaja, Kel. Sesetan", "2026-11", "40"] in rows
        assert ["Kantor Cabang Bali Denpasar", "2026", "22.964"] in rows


async def test_an_officer_is_told_only_supervisors_set_targets(app: FieldApp, store: Store) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(pilot)
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert app.screen is screen  # no dialog to fill in for nothing
        said = [str(n.message) for n in app._notifications]
        assert any("Hanya supervisor yang dapat menetapkan target" in m for m in said)
        # The dialog itself (opened some other way) shows the store's refusal, nothing saved.
        app.push_screen(TargetDialog(dt.date(2026, 11, 24)))
        await pilot.pause()
        await pilot.press(*"Seset", "enter", "enter", *"10", "enter")
        await _settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, TargetDialog)
        number = _field(dialog, "field-number")
        assert number.tone is Tone.ERROR and "Hanya supervisor" in number.message
        assert store.targets() == []


def test_parse_count() -> None:
    assert parse_count("2.000") == 2000
    assert parse_count(" 1,500 ") == 1500
    assert parse_count("0") == 0
    assert parse_count("") is None
    assert parse_count("-5") is None


def test_settings_snapshot(snap_compare: Any, store: Store, app: FieldApp) -> None:
    with acting_as(store, "sri"):  # the supervisor set them; officer wayan looks
        store.set_target(SESETAN, Period.year(2026), 2000)
        store.set_target("KC-BALI-DENPASAR", Period.year(2026), 22964)

    async def open_settings(pilot: Pilot[None]) -> None:
        screen = await _open(pilot)
        for field in screen.query(Input):
            field.cursor_blink = False  # a steady cursor, so the picture does not depend on time
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=open_settings)


def test_settings_targets_snapshot(snap_compare: Any, store: Store, app: FieldApp) -> None:
    with acting_as(store, "sri"):
        store.set_target(SESETAN, Period.year(2026), 2000)
        store.set_target("51.71.04.2008", Period.month(2026, 11), 90)

    async def to_the_targets(pilot: Pilot[None]) -> None:
        screen = await _open(pilot)
        screen.query_one(TargetTable).focus()
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=to_the_targets)
