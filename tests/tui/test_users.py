"""Pengguna (F6, then Ctrl+G): the store's users; a supervisor adds, edits, resets PINs and
(de)activates them, everyone else looks and changes only their own PIN — all by keyboard."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Input, Select

from fieldtui.app import FieldApp, make_app
from fieldtui.domain.auth import hash_pin, verify_pin
from fieldtui.domain.models import AuditAction, Officer, Role
from fieldtui.screens.help import HelpScreen
from fieldtui.screens.reason_dialog import ReasonDialog
from fieldtui.screens.user_dialog import PinDialog, UserDialog
from fieldtui.screens.users import UsersScreen, UserTable
from fieldtui.store.repository import Store
from fieldtui.widgets.field import FormField, Tone
from tests.tui.conftest import TODAY


@pytest.fixture(autouse=True)
def _config_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Preferences go to a temporary folder, never the real per-user config."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))


async def _settle(pilot: Pilot[None]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def _open(pilot: Pilot[None]) -> UsersScreen:
    await pilot.press("f6")
    await _settle(pilot)
    await pilot.press("ctrl+g")
    await _settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, UsersScreen)
    return screen


def _rows(screen: UsersScreen) -> list[list[str]]:
    table = screen.query_one(UserTable)
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


def _on(screen: UsersScreen, username: str) -> None:
    table = screen.query_one(UserTable)
    table.move_cursor(row=[u.username for u in table.users].index(username))


def _text(screen: Screen[Any], selector: str) -> str:
    return str(screen.query_one(selector).render())


def _top(app: FieldApp) -> Screen[Any]:
    return app.screen


def _keys(app: FieldApp) -> set[str]:
    return {b.binding.description for b in app.screen.active_bindings.values() if b.enabled}


async def test_a_supervisor_sees_every_user(app: FieldApp, store: Store) -> None:
    store.use_actor("sri")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f6")
        await _settle(pilot)
        assert "2 pengguna aktif" in _text(app.screen, "#settings-users")
        screen = await _open(pilot)
        assert _rows(screen) == [
            ["Sri Wahyuni", "sri", "pengawas", "aktif", "–"],
            ["Wayan Sudarma", "wayan", "petugas", "aktif", "–"],
        ]
        assert screen.selected is not None and screen.selected.username == "sri"  # oneself
        assert "2 aktif, 0 nonaktif" in _text(screen, "#users-role")
        assert _text(screen, "#users-detail").startswith("Anda · ditambahkan")
        assert {"Tambah", "PIN", "Tutup"} <= _keys(app)
        assert "Nonaktifkan" not in _keys(app)  # not oneself
        _on(screen, "wayan")
        await pilot.pause()
        assert "Nonaktifkan" in _keys(app)
        await pilot.press("f1")  # the keys of this screen, Enter's included
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape", "escape")
        assert app.screen.__class__.__name__ == "SettingsScreen"


async def test_a_supervisor_adds_a_user_with_a_pin(app: FieldApp, store: Store) -> None:
    sri = store.use_actor("sri")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(pilot)
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, UserDialog)
        await pilot.press(*"Ni Made Ayu", "enter", *"made", "enter")  # Enter skips the role
        await pilot.press(*"2580", "enter", *"2580", "enter")
        await _settle(pilot)
        assert _top(app) is screen  # the dialog closed
        made = store.officer_by_username("made")
        assert made is not None and made.name == "Ni Made Ayu" and made.role is Role.OFFICER
        assert verify_pin("2580", made.pin_hash)
        entry = store.history(made.id)[0]
        assert entry.action is AuditAction.CREATE and entry.actor_id == sri.id
        assert ["Ni Made Ayu", "made", "petugas", "aktif", "ada"] in _rows(screen)


async def test_a_supervisor_adds_a_viewer_without_a_pin(app: FieldApp, store: Store) -> None:
    store.use_actor("sri")
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot)
        await pilot.press("ctrl+n")
        await pilot.pause()
        dialog = app.screen
        await pilot.press(*"Ketut Pemantau", "tab", *"ketut", "tab")
        dialog.query_one("#user-role", Select).value = Role.VIEWER
        await pilot.press("ctrl+s")
        await _settle(pilot)
        ketut = store.officer_by_username("ketut")
        assert ketut is not None and ketut.role is Role.VIEWER and ketut.pin_hash is None


@pytest.mark.parametrize(
    ("login", "pins", "field", "message"),
    [
        ("Made", ("", ""), "field-username", "huruf kecil"),
        ("wayan", ("", ""), "field-username", "sudah dipakai"),
        ("made", ("2580", "2581"), "field-pin", "Kedua PIN tidak sama."),
        ("made", ("1234", "1234"), "field-pin", "terlalu mudah"),
    ],
)
async def test_a_bad_login_or_pin_is_shown_and_nothing_saved(
    app: FieldApp, store: Store, login: str, pins: tuple[str, str], field: str, message: str
) -> None:
    store.use_actor("sri")
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot)
        await pilot.press("ctrl+n")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, UserDialog)
        await pilot.press(*"Made", "tab", *login)
        dialog.query_one("#user-pin", Input).value = pins[0]
        dialog.query_one("#user-pin-again", Input).value = pins[1]
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is dialog
        shown = dialog.query_one(f"#{field}", FormField)
        assert message in shown.message and shown.tone is Tone.ERROR
        assert len(store.officers()) == 2


async def test_a_supervisor_changes_a_name_and_role(app: FieldApp, store: Store) -> None:
    store.use_actor("sri")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(pilot)
        _on(screen, "wayan")
        await pilot.press("enter")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, UserDialog)
        assert not dialog.query_one("#user-role", Select).disabled
        await pilot.press("ctrl+a", "ctrl+k", *"I Wayan Sudarma")
        dialog.query_one("#user-role", Select).value = Role.SUPERVISOR
        await pilot.press("ctrl+s")
        await _settle(pilot)
        wayan = store.officer_by_username("wayan")
        assert wayan is not None and (wayan.name, wayan.role) == (
            "I Wayan Sudarma",
            Role.SUPERVISOR,
        )
        assert ["I Wayan Sudarma", "wayan", "pengawas", "aktif", "–"] in _rows(screen)


async def test_nobody_changes_their_own_role_here(app: FieldApp, store: Store) -> None:
    store.use_actor("sri")
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot)
        await pilot.press("enter")  # the cursor starts on oneself
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, UserDialog)
        assert dialog.query_one("#user-role", Select).disabled
        assert "supervisor lain" in dialog.query_one("#field-role", FormField).message


async def test_deactivate_with_a_reason_then_reactivate(app: FieldApp, store: Store) -> None:
    store.use_actor("sri")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(pilot)
        _on(screen, "wayan")
        await pilot.press("ctrl+d")
        await pilot.pause()
        assert isinstance(app.screen, ReasonDialog)
        await pilot.press(*"pindah ke cabang Tabanan", "enter")
        await _settle(pilot)
        wayan = store.officer_by_username("wayan")
        assert wayan is not None and not wayan.active
        assert store.history(wayan.id)[-1].reason == "pindah ke cabang Tabanan"
        assert ["Wayan Sudarma", "wayan", "petugas", "nonaktif", "–"] in _rows(screen)
        assert "1 aktif, 1 nonaktif" in _text(screen, "#users-role")
        assert "Aktifkan" in _keys(app) and "Nonaktifkan" not in _keys(app)
        await pilot.press("ctrl+d", *"kembali bertugas", "enter")
        await _settle(pilot)
        wayan = store.officer_by_username("wayan")
        assert wayan is not None and wayan.active


async def test_a_supervisor_cannot_deactivate_themself(app: FieldApp, store: Store) -> None:
    store.use_actor("sri")
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot)
        await pilot.press("ctrl+d")
        await pilot.pause()
        assert isinstance(app.screen, UsersScreen)
        sri = store.officer_by_username("sri")
        assert sri is not None and sri.active


async def test_a_supervisor_resets_a_pin_without_knowing_it(app: FieldApp, store: Store) -> None:
    store.use_actor("sri")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(pilot)
        _on(screen, "wayan")
        await pilot.press("p")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, PinDialog) and not dialog.query("#pin-current")
        await pilot.press(*"4826", "enter", *"4826", "enter")
        await _settle(pilot)
        wayan = store.officer_by_username("wayan")
        assert wayan is not None and verify_pin("4826", wayan.pin_hash)
        assert store.history(wayan.id)[-1].reason == "PIN diganti"


async def test_an_officer_looks_and_changes_only_their_own_pin(app: FieldApp, store: Store) -> None:
    async with app.run_test(size=(80, 24)) as pilot:  # signed in as officer wayan
        screen = await _open(pilot)
        assert "hanya supervisor" in _text(screen, "#users-role")
        assert screen.selected is not None and screen.selected.username == "wayan"
        assert "PIN" in _keys(app) and "Tambah" not in _keys(app)
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert app.screen is screen
        _on(screen, "sri")
        await pilot.pause()
        assert "PIN" not in _keys(app)
        await pilot.press("p", "enter")
        await pilot.pause()
        assert app.screen is screen
        assert [n.severity for n in app._notifications] == ["warning"]
        _on(screen, "wayan")
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, PinDialog)
        await pilot.press(*"3719", "enter", *"3719", "enter")
        await _settle(pilot)
        wayan = store.officer_by_username("wayan")
        assert wayan is not None and verify_pin("3719", wayan.pin_hash)
        # Once set, their own PIN needs the current one first.
        await pilot.press("p")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, PinDialog) and dialog.query("#pin-current")
        await pilot.press(*"0000", "enter", *"8642", "enter", *"8642", "enter")
        await pilot.pause()
        assert dialog.query_one("#field-current", FormField).message == "PIN salah."
        assert app.screen is dialog
        await pilot.press("escape")
        assert verify_pin("3719", store.get_officer(wayan.id).pin_hash)


async def test_a_change_in_another_process_shows(app: FieldApp, store: Store) -> None:
    store.use_actor("sri")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(pilot)
        wayan = store.officer_by_username("wayan")
        assert wayan is not None
        # As the poller would: a save published on the app's store_changed signal.
        store.update_officer(dataclasses.replace(wayan, name="Wayan Baru"))
        await _settle(pilot)
        assert ["Wayan Baru", "wayan", "petugas", "aktif", "–"] in _rows(screen)


def test_users_snapshot(snap_compare: Any) -> None:
    when = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    store = Store.memory()
    people = [
        ("sri", "Sri Wahyuni", Role.SUPERVISOR, "5171", True),
        ("wayan", "I Wayan Sudarma", Role.OFFICER, None, True),
        ("kadek.ayu", "Ni Kadek Ayu Lestari Dewi Anggreni", Role.OFFICER, "2580", True),
        ("ketut", "I Ketut Suardana", Role.VIEWER, None, False),
    ]
    for username, name, role, pin, active in people:
        store.create_officer(
            Officer(
                username=username,
                name=name,
                role=role,
                pin_hash=hash_pin(pin) if pin else None,
                active=active,
                created_at=when,
                updated_at=when,
            )
        )
    store.use_actor("sri")
    app = make_app(store, poll_seconds=0, fixed_today=TODAY)

    async def open_users(pilot: Pilot[None]) -> None:
        await _open(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=open_users)


async def test_a_read_only_store_offers_no_changes(db_path: Path) -> None:
    with Store.open(db_path) as setup:
        setup.create_officer(Officer(username="sri", name="Sri Wahyuni", role=Role.SUPERVISOR))
        setup.create_officer(Officer(username="wayan", name="Wayan Sudarma"))
    with Store.open(db_path, read_only=True) as store:
        store.use_actor("sri")
        app = make_app(store, poll_seconds=0, fixed_today=TODAY)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await _open(pilot)
            assert "hanya-baca" in _text(screen, "#users-role")
            assert not {"Tambah", "PIN", "Nonaktifkan"} & _keys(app)
            await pilot.press("ctrl+n", "p", "enter")
            await pilot.pause()
            assert _top(app) is screen
            [note] = app._notifications
            assert note.severity == "warning" and "hanya-baca" in note.message
