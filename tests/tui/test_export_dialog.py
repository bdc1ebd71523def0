"""The export dialog (Ctrl+E): defaults by screen, the worker, masking, refusals."""

from __future__ import annotations

import csv
import re
import stat
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Select

from fieldtui.app import FieldApp
from fieldtui.domain.models import AuditAction, Officer, Role
from fieldtui.exchange.columns import ExportKind
from fieldtui.screens.export_dialog import ExportDialog
from fieldtui.store.repository import Store
from fieldtui.widgets.tick_box import TickBox
from tests.builders import make_signup


@pytest.fixture(autouse=True)
def _home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("HOME", str(home))
    return home


@pytest.fixture
def signups(store: Store) -> Store:
    """Three sign-ups by wayan (the acting officer)."""
    assert store.actor is not None
    for serial in (1, 2, 3):
        store.create_signup(make_signup(store.actor.id, serial=serial, name=f"Ni Luh {serial}"))
    return store


async def settle(pilot: Pilot[None]) -> None:
    """Wait for the dialog's export (and the screens' reads), not the store poller."""
    for _ in range(3):
        mine = [w for w in pilot.app.workers if w.group != "poll"]
        if mine:
            await pilot.app.workers.wait_for_complete(mine)
        await pilot.pause()


async def open_dialog(app: FieldApp, pilot: Pilot[None]) -> ExportDialog:
    await pilot.press("ctrl+e")
    await settle(pilot)
    dialog = app.screen
    assert isinstance(dialog, ExportDialog)
    return dialog


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


async def test_defaults_follow_the_screen(app: FieldApp, _home: Path) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        dialog = await open_dialog(app, pilot)  # from Capaian: progress, this year
        assert dialog.chosen_kind is ExportKind.PROGRESS
        path = dialog.query_one("#export-path", Input).value
        assert path == str(_home / "fieldtui-ekspor" / "capaian-2026-11-24.csv")
        assert dialog.query_one("#export-period", Input).value == "2026"
        assert not dialog.query("#export-unmask")  # an officer may not unmask
        dialog.query_one("#export-format", Select).value = "xlsx"
        await pilot.pause()
        assert dialog.query_one("#export-path", Input).value.endswith("capaian-2026-11-24.xlsx")
        await pilot.press("escape")
        await pilot.press("f3")
        await settle(pilot)
        app.action_export()
        await settle(pilot)
        assert isinstance(app.screen, ExportDialog)
        assert app.screen.chosen_kind is ExportKind.VISITS


async def test_exports_masked_in_a_worker(app: FieldApp, signups: Store, _home: Path) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f4")
        await settle(pilot)
        app.action_export()
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ExportDialog) and dialog.chosen_kind is ExportKind.SIGNUPS
        await pilot.press("ctrl+s")
        await settle(pilot)
        path = _home / "fieldtui-ekspor" / "pendaftaran-2026-11-24.csv"
        assert dialog.status == f"3 baris ditulis ke {path} (NIK dan nomor HP disamarkan)"
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
        assert all(re.fullmatch(r"\d{4}\*{8}\d{4}", row["NIK"]) for row in rows(path))
        (entry,) = signups.audit_log(action=AuditAction.EXPORT)
        assert signups.actor is not None and entry.actor_id == signups.actor.id
        await pilot.press("ctrl+s")  # again: the file is there now
        await settle(pilot)
        assert "Berkas sudah ada" in dialog.status
        dialog.query_one("#export-force", TickBox).value = True
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert dialog.status.startswith("3 baris ditulis")
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ExportDialog)


async def test_supervisor_may_unmask(app: FieldApp, signups: Store, tmp_path: Path) -> None:
    signups.use_actor("sri")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f4")
        await settle(pilot)
        app.action_export()
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        path = tmp_path / "semua.csv"
        dialog.query_one("#export-path", Input).value = str(path)
        dialog.query_one("#export-unmask", TickBox).value = True
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert dialog.status == (
            f"3 baris ditulis ke {path} — NIK DITAMPILKAN (tercatat di jejak audit)"
        )
        assert all(re.fullmatch(r"\d{16}", row["NIK"]) for row in rows(path))
        (entry,) = signups.audit_log(action=AuditAction.EXPORT)
        assert {c.field: c.after for c in entry.changes}["unmasked"] is True


async def test_bad_period_and_viewer(app: FieldApp, store: Store, tmp_path: Path) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        dialog = await open_dialog(app, pilot)
        dialog.query_one("#export-period", Input).value = "2026-13"
        dialog.query_one("#export-path", Input).value = str(tmp_path / "x.csv")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not (tmp_path / "x.csv").exists() and dialog.status == ""
        dialog.query_one("#export-period", Input).value = "2026"
        store.use_actor("sri")
        store.create_officer(Officer(username="putu", name="Putu", role=Role.VIEWER))
        store.use_actor("putu")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "ekspor" in dialog.status.lower() and not (tmp_path / "x.csv").exists()


async def test_in_help_and_palette(app: FieldApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Ekspor" in titles
        await pilot.press("f1")
        await pilot.pause()
        from fieldtui.screens.help import HelpScreen, key_table

        assert isinstance(app.screen, HelpScreen)
        assert "Ekspor" in list(key_table(app.screen.under).columns[1].cells)
