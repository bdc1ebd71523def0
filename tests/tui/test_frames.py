"""Screens draw a change one frame interval after their last frame at the latest."""

from __future__ import annotations

import asyncio
import itertools
from typing import Any, cast

import pytest
from textual import _time

from fieldtui.app import FieldApp
from fieldtui.screens.frames import FrameTimer

FRAME = 1 / 60


class Clock:
    """A clock that moves only when told to, or when a timer sleeps."""

    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def get_time(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


class Target:
    """Anything a timer can hold a weak reference to."""


async def settle() -> None:
    for _ in range(10):
        await asyncio.sleep(0)


async def test_a_change_after_an_idle_moment_is_drawn_at_once_and_the_next_one_frame_later(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    clock = Clock()
    monkeypatch.setattr(_time, "get_time", clock.get_time)
    monkeypatch.setattr(_time, "sleep", clock.sleep)
    ticks: list[float] = []

    class Recording(FrameTimer):
        async def _tick(self, *, next_timer: float, count: int) -> None:
            ticks.append(clock.now)
            self.pause()  # as the screen's update does: nothing more to draw until resumed

    target = Target()
    timer = Recording(cast(Any, target), FRAME, name="screen_update", pause=True)
    timer._start()
    try:
        # Idle for a second, then something changes: a frame at once.
        clock.now += 1.0
        timer.resume()
        await settle()
        start = clock.now
        assert ticks == [start]

        # Another change 5 ms later (the page a search found): its frame comes one interval
        # after the last frame.
        clock.now = start + 0.005
        timer.resume()
        await settle()
        assert ticks == [start, pytest.approx(start + FRAME)]

        # Idle again for a long time: the next change is drawn at once, without a sleep.
        clock.now += 5.0
        again = clock.now
        slept = len(clock.slept)
        timer.resume()
        await settle()
        assert ticks[-1] == again
        assert len(clock.slept) == slept

        # Frames are never closer than one interval, however often changes come.
        for _ in range(10):
            clock.now += 0.001
            timer.resume()
            await settle()
        gaps = [later - earlier for earlier, later in itertools.pairwise(ticks)]
        assert min(gaps) >= FRAME - 1e-9
    finally:
        timer.stop()
        del target


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
