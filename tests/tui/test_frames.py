"""Screens draw a change one frame interval after their last frame at the latest, and can hold
a frame back for the rest of a change (the sign-up search: the letter and its page together)."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, cast

import pytest
from textual import _time

from fieldtui.app import FieldApp
from fieldtui.screens.frames import FrameTimer
from fieldtui.screens.signups import SignUpsScreen
from fieldtui.store.repository import Store
from fieldtui.widgets.paged_table import PagedTable
from tests.tui.test_signups import fill_store, open_list, rows

FRAME = 1 / 60


class Clock:
    """A clock that moves only when the test moves it; sleepers wake when their time comes."""

    def __init__(self) -> None:
        self.now = 100.0
        self.sleepers: list[tuple[float, asyncio.Future[None]]] = []
        self.slept = 0

    def get_time(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept += 1
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.sleepers.append((self.now + seconds, future))
        await future

    async def advance(self, seconds: float) -> None:
        """Move the clock on, waking each sleeper at its own time."""
        end = self.now + seconds
        while True:
            await settle()
            due = [(when, f) for when, f in self.sleepers if when <= end and not f.done()]
            if not due:
                break
            self.now = max(self.now, min(when for when, _ in due))
            for when, future in due:
                if when <= self.now:
                    future.set_result(None)
        self.now = end
        await settle()


async def settle() -> None:
    for _ in range(20):
        await asyncio.sleep(0)


class Target:
    """Anything a timer can hold a weak reference to."""


@contextmanager
def frame_timer(clock: Clock, ticks: list[float]) -> Iterator[FrameTimer]:
    class Recording(FrameTimer):
        async def _tick(self, *, next_timer: float, count: int) -> None:
            ticks.append(clock.now)
            self.pause()  # as the screen's update does: nothing more to draw until resumed

    target = Target()
    timer = Recording(cast(Any, target), FRAME, name="screen_update", pause=True)
    timer._start()
    try:
        yield timer
    finally:
        timer.stop()


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(_time, "get_time", clock.get_time)
    monkeypatch.setattr(_time, "sleep", clock.sleep)
    return clock


async def test_a_change_after_an_idle_moment_is_drawn_at_once_and_the_next_one_frame_later(
    clock: Clock,
) -> None:
    ticks: list[float] = []
    with frame_timer(clock, ticks) as timer:
        # Idle for a second, then something changes: a frame at once.
        await clock.advance(1.0)
        start = clock.now
        timer.resume()
        await settle()
        assert ticks == [start]

        # Another change 5 ms later (a search's page): its frame comes one interval after the
        # last one, not later.
        await clock.advance(0.005)
        timer.resume()
        await clock.advance(0.005)
        assert ticks == [start]
        await clock.advance(FRAME)
        assert ticks == [start, pytest.approx(start + FRAME)]

        # Idle again for a long time: the next change is drawn at once, without a sleep.
        await clock.advance(5.0)
        again, slept = clock.now, clock.slept
        timer.resume()
        await settle()
        assert ticks[-1] == again
        assert clock.slept == slept

        # Frames are never closer than one interval, however often changes come.
        for _ in range(40):
            timer.resume()
            await clock.advance(0.002)
        gaps = [later - earlier for earlier, later in itertools.pairwise(ticks)]
        assert len(gaps) > 5
        assert min(gaps) >= FRAME - 1e-9


async def test_a_held_frame_waits_for_its_release_or_its_time(clock: Clock) -> None:
    ticks: list[float] = []
    with frame_timer(clock, ticks) as timer:
        await clock.advance(1.0)
        # A letter is typed: hold the frame, the page is being read.
        timer.hold(FRAME)
        timer.resume()
        await clock.advance(0.004)
        assert ticks == []
        # The page is shown: one frame for both, at once.
        timer.release()
        await settle()
        assert ticks == [clock.now]

        # Held again long after, and never released (the read was slow): drawn when the
        # hold runs out, so the letter shows within a frame anyway.
        await clock.advance(1.0)
        held_at = clock.now
        timer.hold(FRAME)
        timer.resume()
        await clock.advance(FRAME / 2)
        assert len(ticks) == 1
        await clock.advance(FRAME)
        assert ticks[-1] == pytest.approx(held_at + FRAME)

        # A release never makes frames closer than one interval.
        timer.hold(FRAME)
        timer.resume()
        timer.release()
        await settle()
        assert len(ticks) == 2
        await clock.advance(FRAME)
        assert ticks[-1] == pytest.approx(held_at + 2 * FRAME)


async def test_changes_that_keep_coming_are_still_drawn_every_two_frames(clock: Clock) -> None:
    """A key held down (or reads slower than the keys): each key holds, none releases."""
    ticks: list[float] = []
    with frame_timer(clock, ticks) as timer:
        await clock.advance(1.0)
        for _ in range(30):
            timer.hold(FRAME)
            timer.resume()
            await clock.advance(0.010)
        assert len(ticks) >= 8
        gaps = [later - earlier for earlier, later in itertools.pairwise(ticks)]
        assert max(gaps) <= 2 * FRAME + 1e-9


async def test_a_wait_too_short_to_sleep_is_not_spun_on(clock: Clock) -> None:
    ticks: list[float] = []
    with frame_timer(clock, ticks) as timer:
        await clock.advance(1.0)
        timer.resume()
        await settle()
        await clock.advance(FRAME - 0.0003)
        slept = clock.slept
        timer.resume()
        await settle()
        assert len(ticks) == 2 and clock.slept == slept  # drawn at once, as Textual would


async def test_the_app_screens_use_prompt_frames(app: FieldApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        seen = {}
        for key in ("f4", "ctrl+n", "f1"):  # a main screen, a page over it, a dialog
            await pilot.press(key)
            await pilot.pause()
            screen = app.screen
            seen[type(screen).__name__] = timer = screen._update_timer
            assert isinstance(timer, FrameTimer)
            assert timer in screen._timers  # stopped with the screen
        assert len(seen) == 3, seen


async def test_a_typed_letter_holds_the_frame_until_its_page_is_shown(
    app: FieldApp, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    fill_store(store, 4)
    held_while_reading: list[bool] = []
    show = SignUpsScreen._show

    def watched_show(self: SignUpsScreen, loaded: Any) -> None:
        held_while_reading.append(self._update_timer._held_until > 0)
        show(self, loaded)

    # The frame drawn on release must hold the page: the table has told the screen it changed.
    frames: list[bool] = []
    page_waiting = [False]
    tick = SignUpsScreen._on_timer_update

    def recorded_show(self: SignUpsScreen, loaded: Any) -> None:
        watched_show(self, loaded)
        page_waiting[0] = loaded.text == self.search_text

    def recorded_tick(self: SignUpsScreen) -> None:
        if page_waiting[0]:
            table = self.query_one(PagedTable)
            frames.append(table in self._dirty_widgets or self._layout_required)
            page_waiting[0] = False
        tick(self)

    monkeypatch.setattr(SignUpsScreen, "_show", recorded_show)
    monkeypatch.setattr(SignUpsScreen, "_on_timer_update", recorded_tick)
    # Held until released (not a frame's time): only a release can draw the letters.
    hold = FrameTimer.hold
    monkeypatch.setattr(FrameTimer, "hold", lambda self, seconds: hold(self, 5.0))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_list(app, pilot)
        held_while_reading.clear()
        frames.clear()
        for key in ("ctrl+f", *"sekar"):
            await pilot.press(key)
            await app.workers.wait_for_complete()
            await pilot.pause()
        assert held_while_reading and all(held_while_reading)
        assert screen._update_timer._held_until == 0  # released: nothing is kept back
        assert [r[1] for r in rows(screen)] == ["Ni Luh Sekar"]
        assert len(frames) >= 4 and all(frames), frames
