"""The app drawn before its store is open: the kept figures, keys that wait, then the store."""

from __future__ import annotations

import argparse
import threading
from pathlib import Path
from typing import Any

import pytest
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import DataTable, Static

from fieldtui.app import FieldApp, WarmStart, make_app
from fieldtui.cli import open_app
from fieldtui.domain import clock
from fieldtui.domain.models import Officer, Role
from fieldtui.screens.dashboard import DashboardScreen, Figures, read_figures, start_selection
from fieldtui.store.opening import StartRefused, StoreOpening
from fieldtui.store.repository import Store
from fieldtui.store.warm import read_warm
from tests.builders import make_signup
from tests.tui.conftest import TODAY
from tests.tui.test_dashboard import _fill, _rows


def _warm_figures(store: Store) -> Any:
    code, selection = start_selection(TODAY)
    return read_figures(store, code, selection.period, TODAY).to_json()


def _held(store: Store) -> tuple[StoreOpening, threading.Event]:
    """An opening that gives ``store`` once the event is set."""
    release = threading.Event()

    def open_it() -> Store:
        assert release.wait(10)
        return store

    return StoreOpening(open_it), release


def _app(opening: StoreOpening, warm: WarmStart | None = None) -> FieldApp:
    return make_app(
        opening=opening, warm=warm, poll_seconds=0, fixed_today=TODAY, prepare_lists=False
    )


def _held_app(
    store: Store, warm: WarmStart | None = None
) -> tuple[FieldApp, StoreOpening, threading.Event]:
    """An app opening ``store`` once the event is set."""
    opening, release = _held(store)
    return _app(opening, warm), opening, release


def _filled_app(
    store: Store, *, warm: bool = True
) -> tuple[FieldApp, StoreOpening, threading.Event]:
    """The dashboard's test data in ``store``, an app opening it once released, with the
    figures of a last run kept (``warm``) or none."""
    _fill(store)
    kept = WarmStart(user=store.actor, figures=_warm_figures(store)) if warm else None
    return _held_app(store, kept)


async def _until_open(app: FieldApp, pilot: Pilot[Any]) -> None:
    for _ in range(200):
        if app.store_ready:
            break
        await pilot.pause(0.02)
    assert app.store_ready
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_last_runs_figures_first_and_keys_wait_for_the_store(store: Store) -> None:
    app, opening, release = _filled_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert not app.store_ready and opening.started
        before = _rows(app)
        assert before["KC-BALI-DENPASAR"][2] == "9"  # the branch's participants, drawn already
        assert "Wayan Sudarma" in app.sub_title and "memuat data" in app.sub_title
        await pilot.press("down")  # moving in the table needs no store
        await pilot.press("f4")
        await pilot.pause()
        assert app.current_mode == "capaian"
        assert any("masih dimuat" in str(n.message) for n in app._notifications)
        release.set()
        await _until_open(app, pilot)
        assert app.current_mode == "pendaftaran"  # the F4 pressed while loading
        assert "memuat" not in app.sub_title
        await pilot.press("f2")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert _rows(app) == before  # the real figures are the kept ones


async def test_without_kept_figures_it_says_it_is_loading(store: Store) -> None:
    app, _opening, release = _filled_app(store, warm=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, DashboardScreen)
        assert screen.query_one(DataTable).row_count == 0
        assert "Memuat data" in str(screen.query_one("#dashboard-summary", Static).content)
        await pilot.press("enter")  # no row to open yet: nothing happens, now or later
        release.set()
        await _until_open(app, pilot)
        assert _rows(app)["KC-BALI-DENPASAR"][2] == "9"
        assert screen.code == "KC-BALI-DENPASAR" and screen.trail == []


async def test_a_row_opened_on_kept_figures_opens_on_the_real_ones(store: Store) -> None:
    app, _opening, release = _filled_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, DashboardScreen)
        chosen = screen.current_code
        assert chosen is not None and chosen != "KC-BALI-DENPASAR"
        await pilot.press("enter")
        await pilot.pause()
        assert screen.code == "KC-BALI-DENPASAR"
        release.set()
        await _until_open(app, pilot)
        assert screen.code == chosen and screen.trail == ["KC-BALI-DENPASAR"]


async def test_kept_figures_for_another_view_are_not_shown(store: Store) -> None:
    _fill(store)
    other = Figures.from_json(_warm_figures(store))
    assert other is not None
    stale = Figures(other.code + "x", other.total, other.lines, other.day).to_json()
    opening, release = _held(store)
    app = _app(opening, WarmStart(user=store.actor, figures=stale))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.screen.query_one(DataTable).row_count == 0
        release.set()
        await _until_open(app, pilot)


async def test_a_refusal_closes_the_app(store: Store) -> None:
    def refuse() -> Store:
        raise StartRefused("no entry")

    opening = StoreOpening(refuse)
    app = _app(opening)
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(100):
            if not app.is_running:
                break
            await pilot.pause(0.02)
    assert app.return_code == 1
    assert opening.refusal == "no entry" and opening.store is None


async def test_quit_while_opening_still_closes_the_store(store: Store) -> None:
    app, opening, release = _held_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+q")
    release.set()
    closed: list[bool] = []
    store.close = lambda: closed.append(True)  # type: ignore[method-assign]
    opening.close()
    assert closed == [True] and opening.store is None


# -- through the command line --------------------------------------------------------------


def _run_cli(monkeypatch: pytest.MonkeyPatch, path: Path, seen: list[dict[str, Any]]) -> int:
    """`fieldtui` on ``path`` (headless), quitting once the store is open."""

    def headless(self: FieldApp, **_: Any) -> None:
        async def auto(pilot: Pilot[Any]) -> None:
            warm = self.warm.figures
            await _until_open(self, pilot)
            seen.append({"warm": warm, "rows": _rows(self), "user": self.user})
            self.exit()

        App.run(self, headless=True, size=(80, 24), auto_pilot=auto)

    monkeypatch.setattr(FieldApp, "run", headless)
    monkeypatch.setattr(open_app, "os_login_name", lambda: "wayan")
    args = argparse.Namespace(low_bandwidth=False, user=None, demo=False, read_only=False)
    return open_app.run(args, path)


def _file_store(path: Path) -> None:
    with Store.open(path) as store:
        store.create_officer(Officer(username="sri", name="Sri", role=Role.SUPERVISOR))
        store.use_actor("sri")
        store.create_officer(Officer(username="wayan", name="Wayan Sudarma"))
        store.use_actor("wayan")
        assert store.actor is not None
        store.create_signup(make_signup(store.actor.id, registered_on=clock.today()))


def test_the_command_line_keeps_figures_for_the_next_start(
    monkeypatch: pytest.MonkeyPatch, db_path: Path
) -> None:
    _file_store(db_path)
    seen: list[dict[str, Any]] = []
    assert _run_cli(monkeypatch, db_path, seen) == 0
    assert seen[0]["warm"] is None  # nothing kept yet
    assert read_warm(db_path, open_app.warm_key("wayan", clock.today())) is not None
    assert _run_cli(monkeypatch, db_path, seen) == 0
    kept = Figures.from_json(seen[1]["warm"])
    assert kept is not None and kept.total.participants == 1
    assert seen[1]["rows"] == seen[0]["rows"]
    # A save by anyone makes what was kept stale: the next start reads the store first.
    with Store.open(db_path, actor_username="wayan") as store:
        assert store.actor is not None
        store.create_signup(make_signup(store.actor.id, serial=2, registered_on=clock.today()))
    assert _run_cli(monkeypatch, db_path, seen) == 0
    assert seen[2]["warm"] is None
    assert seen[2]["rows"]["KC-BALI-DENPASAR"][2] == "2"


def test_the_command_line_prints_a_refusal(
    monkeypatch: pytest.MonkeyPatch, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _file_store(db_path)
    monkeypatch.setattr(open_app, "os_login_name", lambda: "stranger")

    def headless(self: FieldApp, **_: Any) -> None:
        App.run(self, headless=True, size=(80, 24))

    monkeypatch.setattr(FieldApp, "run", headless)
    args = argparse.Namespace(low_bandwidth=False, user=None, demo=False, read_only=False)
    assert open_app.run(args, db_path) == 1
    assert "stranger" in capsys.readouterr().err


async def test_a_store_without_users_asks_who_starts_it_keys_or_not() -> None:
    from fieldtui.screens.first_run import FirstRunScreen

    app, _opening, release = _held_app(Store.memory())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("f4")
        release.set()
        await _until_open(app, pilot)
        assert isinstance(app.screen, FirstRunScreen)
        assert app.current_mode == "capaian"


def _stack(app: FieldApp) -> list[str]:
    return [type(screen).__name__ for screen in app.screen_stack]


@pytest.mark.parametrize(
    ("keys", "mode", "stack"),
    [
        # Only the last F-key counts; F2 (the dashboard itself) cancels a pending one.
        (["f4", "f3"], "kunjungan", ["VisitsScreen"]),
        (["f4", "f2"], "capaian", ["DashboardScreen"]),
        # Keys that open a dialog are not kept: nothing pops up later.
        (["ctrl+o", "ctrl+o", "ctrl+e", "ctrl+u"], "capaian", ["DashboardScreen"]),
        (["ctrl+e", "escape"], "capaian", ["DashboardScreen"]),
        # A dashboard key after an F-key is not kept: its screen will be gone.
        (["f4", "ctrl+o", "p"], "pendaftaran", ["SignUpsScreen"]),
    ],
)
async def test_keys_pressed_while_opening(
    store: Store, keys: list[str], mode: str, stack: list[str]
) -> None:
    app, _opening, release = _filled_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for key in keys:
            await pilot.press(key)
        release.set()
        await _until_open(app, pilot)
        await pilot.pause()
        assert (app.current_mode, _stack(app)) == (mode, stack)
        dashboard = app.get_screen_stack("capaian")[0]
        assert isinstance(dashboard, DashboardScreen)
        assert dashboard.selection.choice.name == "YEAR"  # "p" was not carried out


async def test_a_kept_dashboard_key_runs_once_on_its_screen(store: Store) -> None:
    app, _opening, release = _filled_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("p")  # this year -> this month
        await pilot.press("f1")  # help over the dashboard: the kept key waits for nothing
        await pilot.press("escape")
        release.set()
        await _until_open(app, pilot)
        screen = app.screen
        assert isinstance(screen, DashboardScreen)
        assert screen.selection.choice.name == "MONTH"
