"""How Capaian looks at 80x24, in Indonesian, over a small fixed store."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from fieldtui.app import FieldApp
from fieldtui.store.repository import Store
from tests.tui.test_dashboard import _fill


async def _settle(pilot: Pilot[None]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_dashboard_snapshot(snap_compare: Any, store: Store, app: FieldApp) -> None:
    _fill(store)
    assert snap_compare(app, terminal_size=(80, 24), run_before=_settle)


def test_dashboard_desa_level_snapshot(snap_compare: Any, store: Store, app: FieldApp) -> None:
    _fill(store)

    async def down_to_ubung_kaja(pilot: Pilot[None]) -> None:
        await _settle(pilot)
        for _ in range(2):  # Kota Denpasar, then Denpasar Utara (the second kecamatan)
            await pilot.press("enter")
            await _settle(pilot)
        await pilot.press("up", "enter")  # Denpasar Selatan
        await _settle(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=down_to_ubung_kaja)
