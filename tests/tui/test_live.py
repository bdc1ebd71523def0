"""Another process's saves reach the open app within about a second, without a deadlock."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from textual.widgets import DataTable

from fieldtui.app import make_app
from fieldtui.domain.models import Officer
from fieldtui.store.repository import Store
from tests.builders import make_signup


async def test_a_save_in_another_process_shows_on_the_dashboard(db_path: Path) -> None:
    with Store.open(db_path) as mine:
        officer = mine.create_officer(Officer(username="wayan", name="Wayan"))
        mine.create_signup(make_signup(officer.id, serial=1))
        app = make_app(mine, poll_seconds=0.2)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause(0.3)
            table = app.screen.query_one(DataTable)
            assert str(table.get_row("KC-BALI-DENPASAR")[2]) == "1"
            with Store.open(db_path, actor_username="wayan") as other:  # a second handle
                for serial in range(2, 5):
                    other.create_signup(make_signup(officer.id, serial=serial))
            start = time.monotonic()
            while time.monotonic() - start < 5:
                # The UI keeps reading the store while the poller applies the saves.
                mine.progress("KC-BALI-DENPASAR")
                await asyncio.sleep(0.05)
                if str(table.get_row("KC-BALI-DENPASAR")[2]) == "4":
                    break
            assert str(table.get_row("KC-BALI-DENPASAR")[2]) == "4"
            assert time.monotonic() - start < 2.0  # about a second: poll + read + draw
