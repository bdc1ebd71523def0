"""KeyFooter: rebuilt when the keys it shows change, not at every focus move."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Input, Static
from textual.widgets._footer import FooterKey

from fieldtui.widgets.key_footer import KeyFooter


class Saver(Static, can_focus=True):
    """A focusable widget with a key of its own in the footer."""

    BINDINGS = [Binding("ctrl+k", "noop", "Simpan baris")]

    def action_noop(self) -> None:
        """Nothing."""


class FooterApp(App[None]):
    BINDINGS = [Binding("ctrl+q", "quit", "Keluar")]

    def compose(self) -> ComposeResult:
        yield Input(id="a")
        yield Input(id="b")
        yield Saver("saver", id="saver")
        yield KeyFooter()


def _labels(app: App[None]) -> list[str]:
    return [str(key.description) for key in app.screen.query(FooterKey)]


async def test_same_keys_no_rebuild_new_keys_shown() -> None:
    app = FooterApp()
    async with app.run_test(size=(80, 10)) as pilot:
        await pilot.pause()
        footer = app.screen.query_one(KeyFooter)
        rebuilds = 0
        recompose = footer.recompose

        async def counted() -> None:
            nonlocal rebuilds
            rebuilds += 1
            await recompose()

        footer.recompose = counted  # type: ignore[method-assign]
        assert "Keluar" in _labels(app) and "Simpan baris" not in _labels(app)
        await pilot.press("tab")  # a -> b: the same keys
        await pilot.pause()
        await pilot.press(*"abc")
        await pilot.pause()
        assert app.focused is app.screen.query_one("#b", Input)
        assert rebuilds == 0
        await pilot.press("tab")  # -> the widget with its own key
        await pilot.pause()
        await pilot.pause()
        assert rebuilds >= 1
        assert "Simpan baris" in _labels(app)
        await pilot.press("tab")  # back to a: its key goes again
        await pilot.pause()
        await pilot.pause()
        assert "Simpan baris" not in _labels(app)
