"""The app opens and quits from the keyboard."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static

from fieldtui.app import make_app


async def test_app_opens_and_quits(db_path: Path) -> None:
    app = make_app(db_path=db_path, demo=True)
    async with app.run_test(size=(80, 24)) as pilot:
        banner = app.query_one("#demo-banner", Static)
        assert "DEMO" in str(banner.render())
        await pilot.press("ctrl+q")
    assert app.return_code == 0
