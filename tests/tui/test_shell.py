"""The app opens on the dashboard, shows help and the palette, and quits from the keyboard."""

from __future__ import annotations

from fieldtui.app import FieldApp, make_app
from fieldtui.i18n import set_language
from fieldtui.screens.dashboard import DashboardScreen
from fieldtui.screens.first_run import FirstRunScreen
from fieldtui.screens.help import HelpScreen, key_table
from fieldtui.store.repository import Store
from tests.builders import acting_as


async def test_app_opens_on_dashboard_and_quits(app: FieldApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, DashboardScreen)
        assert "Wayan Sudarma" in app.sub_title
        await pilot.press("ctrl+q")
    assert app.return_code == 0


async def test_demo_is_marked(store: Store) -> None:
    app = make_app(store, demo=True, poll_seconds=0)
    async with app.run_test(size=(80, 24)):
        assert "DEMO" in app.sub_title


async def test_first_run_creates_the_first_user() -> None:
    store = Store.memory()
    app = make_app(store, poll_seconds=0)
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, FirstRunScreen)
        await pilot.press("enter")  # no name: refused, with a message
        assert isinstance(app.screen, FirstRunScreen)
        assert "wajib" in app.screen.query_one("#field-name").message  # type: ignore[attr-defined]
        await pilot.press(*"Made Ayu", "enter")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
    assert store.actor is not None and store.actor.name == "Made Ayu"
    assert [o.name for o in store.officers()] == ["Made Ayu"]


async def test_first_run_cancel_leaves_without_a_user() -> None:
    store = Store.memory()
    app = make_app(store, poll_seconds=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("escape")
        await pilot.pause()
    assert store.officers() == []


async def test_help_lists_keys_translated(app: FieldApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        actions = list(key_table(app.screen.under).columns[1].cells)
        assert "Keluar" in actions and "Bantuan" in actions and "Capaian" in actions
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_footer_follows_language(app: FieldApp) -> None:
    set_language("en")
    async with app.run_test(size=(80, 24)):
        descriptions = {b.binding.description for b in app.screen.active_bindings.values()}
        assert "Quit" in descriptions and "Help" in descriptions and "Progress" in descriptions


async def test_palette_lists_actions(app: FieldApp) -> None:
    async with app.run_test(size=(80, 24)):
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Keluar" in titles and "Bantuan" in titles and "Tema" in titles


async def test_switch_user_with_pin(store: Store, app: FieldApp) -> None:
    from fieldtui.domain.auth import hash_pin
    from fieldtui.domain.models import Officer, Role
    from fieldtui.screens.switch_user import SwitchUserDialog

    with acting_as(store, "sri"):  # only a supervisor adds users
        store.create_officer(
            Officer(
                username="nyoman", name="Nyoman", role=Role.SUPERVISOR, pin_hash=hash_pin("5821")
            )
        )
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+u")
        assert isinstance(app.screen, SwitchUserDialog)
        await pilot.press(*"1234", "enter")
        assert isinstance(app.screen, SwitchUserDialog)  # wrong PIN: still here
        assert "PIN salah" in app.screen.query_one("#field-pin").message  # type: ignore[attr-defined]
        await pilot.press(*"5821", "enter")
        await pilot.pause()
        assert not isinstance(app.screen, SwitchUserDialog)
        assert store.actor is not None and store.actor.username == "nyoman"
        assert "Nyoman · pengawas" in app.sub_title


async def test_textuals_own_footer_keys_are_translated(app: FieldApp) -> None:
    """The palette key Textual adds itself, and the list dismissal of an open Select, speak the
    app's language like every other key."""
    from textual.widgets import Footer, Select
    from textual.widgets._footer import FooterKey

    def footer_labels() -> list[str]:
        footer = app.screen.query_one(Footer)
        return [key.description for key in footer.query(FooterKey)]

    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f3")
        await pilot.pause()
        assert "Perintah" in footer_labels() and "palette" not in footer_labels()
        await pilot.press("ctrl+n")  # the visit form has Select widgets
        await pilot.pause()
        select = app.screen.query(Select).first()
        select.focus()
        await pilot.press("enter")  # open its list
        await pilot.pause()
        labels = footer_labels()
        assert "Tutup daftar" in labels and "Dismiss menu" not in labels


async def test_quitting_before_the_lists_are_prepared(store: Store) -> None:
    """The lists prepared in the background are not set up while the app is closing: Textual
    walks every mode's screens then, and a new mode broke its walk (RuntimeError at exit)."""
    app = make_app(store, poll_seconds=0)  # prepare_lists on, as `fieldtui` runs
    stacks_seen: list[set[str]] = []
    async with app.run_test(size=(80, 24)):
        close_all = app._close_all

        async def closing() -> None:
            app._prepare_lists()  # as when its call comes in during the shutdown
            stacks_seen.append(set(app._screen_stacks))
            await close_all()

        app._close_all = closing  # type: ignore[method-assign]
        before = set(app._screen_stacks)
    assert stacks_seen == [before]


async def test_the_app_quits_when_its_terminal_is_gone(app: FieldApp) -> None:
    """A dropped SSH connection or a killed tmux pane: the app quits (129, as for a hangup)
    instead of spinning on the dead terminal (under make or a wrapper it gets no SIGHUP)."""
    import os

    from fieldtui.app import TERMINAL_GONE

    master, terminal = os.openpty()
    read_end, write_end = os.pipe()
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            app.check_terminal(fd=terminal)  # a live terminal: nothing happens
            await pilot.pause()
            assert app.is_running
            app.check_terminal(fd=read_end)  # no terminal any more
            await pilot.pause()
        assert app.return_code == TERMINAL_GONE
    finally:
        for fd in (master, terminal, read_end, write_end):
            os.close(fd)
