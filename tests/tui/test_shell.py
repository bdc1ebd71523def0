"""The app opens, shows help and the command palette, and quits from the keyboard."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static

from fieldtui.app import make_app
from fieldtui.i18n import set_language
from fieldtui.screens.help import HelpScreen, key_table


async def test_app_opens_and_quits(db_path: Path) -> None:
    app = make_app(db_path=db_path, demo=True)
    async with app.run_test(size=(80, 24)) as pilot:
        banner = app.screen.query_one("#demo-banner", Static)
        assert "DEMO" in str(banner.render())
        await pilot.press("ctrl+q")
    assert app.return_code == 0


async def test_help_lists_keys_translated(db_path: Path) -> None:
    app = make_app(db_path=db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        actions = list(key_table(app.screen.under).columns[1].cells)
        assert "Keluar" in actions and "Bantuan" in actions
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_footer_follows_language(db_path: Path) -> None:
    set_language("en")
    app = make_app(db_path=db_path)
    async with app.run_test(size=(80, 24)):
        descriptions = {b.binding.description for b in app.screen.active_bindings.values()}
        assert "Quit" in descriptions and "Help" in descriptions


async def test_palette_lists_actions(db_path: Path) -> None:
    app = make_app(db_path=db_path)
    async with app.run_test(size=(80, 24)):
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Keluar" in titles and "Bantuan" in titles and "Tema" in titles
