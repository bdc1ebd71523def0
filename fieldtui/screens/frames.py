"""Prompt frames: a screen draws its changes one frame interval after its last frame, not later.

A Textual screen draws what changed when its update timer ticks (at most 60 times a second).
The timer keeps a grid of ticks, and after a pause (nothing to draw) it skips to the grid
point after the next one: the first change after an idle moment is drawn at once, but the
next one waits 17 to 33 ms for its frame. In the sign-up list that is every search: the typed
letter is drawn at once, and the page it found waited up to two frames for its own. A
`FrameTimer` keeps only the minimum spacing: a tick comes as soon as the screen has something
to draw and at least one interval has passed since the last tick. Frames are never more
frequent than before (over SSH too); they only stop being late.

A screen can also hold its next frame back for a moment (`PromptFrames.hold_frame`) when the
rest of a change is about to come: the sign-up search holds it when a letter is typed and
releases it when the page is shown, so both are drawn in one frame, sooner than the page
alone would have been. A hold ends by itself after a frame's time.

This replaces `Screen._update_timer`, a private property: Textual is pinned to one version
(pyproject.toml), and tests/tui/test_frames.py checks both the timing and that screens use it.
"""

from __future__ import annotations

import asyncio
from functools import cached_property
from typing import TYPE_CHECKING, cast

from textual import _time
from textual.screen import UPDATE_PERIOD
from textual.timer import EventTargetGone, Timer

if TYPE_CHECKING:
    from textual.screen import Screen


# Textual's sleep does not sleep at all for less than this (asyncio oversleeps by about as
# much): a shorter wait is ticked at once, as Textual's own timer does.
_TOO_SHORT_TO_SLEEP = 0.0005


class FrameTimer(Timer):
    """A repeating timer whose ticks are at least ``interval`` apart and otherwise prompt.

    `hold` keeps the next tick back for a moment (until `release` or the time is up): a screen
    that expects the rest of a change very soon (the page for a typed letter) draws both in
    one frame instead of spending a frame on the first part and waiting a frame for the rest.
    """

    _held_until = 0.0

    @cached_property
    def _woken(self) -> asyncio.Event:
        return asyncio.Event()

    def hold(self, seconds: float) -> None:
        """Draw nothing for up to ``seconds`` (or until `release`). A hold already running is
        not made longer: changes that keep coming (a key held down, reads slower than the
        keys) are still drawn at least every ``seconds`` and a frame."""
        now = _time.get_time()
        if self._held_until <= now:
            self._held_until = now + seconds

    def release(self) -> None:
        """End a `hold`: draw what is waiting as soon as frames may be drawn.

        The timer wakes two turns of the event loop later: the widgets just changed tell the
        screen so through their own message queues first, and the frame includes them."""
        if self._held_until:
            self._held_until = 0.0
            loop = asyncio.get_running_loop()
            loop.call_soon(loop.call_soon, self._woken.set)

    async def _run(self) -> None:
        interval = self._interval
        last = _time.get_time() - interval
        count = 0
        while self._repeat is None or count <= self._repeat:
            await self._active.wait()  # resumed: something to draw
            now = _time.get_time()
            if self._held_until <= now:
                self._held_until = 0.0
            wait = max(last + interval, self._held_until) - now
            if wait > _TOO_SHORT_TO_SLEEP:
                await self._sleep(wait)
                continue  # look again: paused, held or released meanwhile
            last = now
            count += 1
            try:
                await self._tick(next_timer=last, count=count)
            except EventTargetGone:
                break

    async def _sleep(self, seconds: float) -> None:
        """Sleep for ``seconds``, or less if a hold is released meanwhile."""
        if not self._held_until:
            await _time.sleep(seconds)
            return
        self._woken.clear()
        sleeping = asyncio.ensure_future(_time.sleep(seconds))
        woken = asyncio.ensure_future(self._woken.wait())
        try:
            await asyncio.wait((sleeping, woken), return_when=asyncio.FIRST_COMPLETED)
        finally:
            sleeping.cancel()
            woken.cancel()


class PromptFrames:
    """Mixin for screens: their update timer is a `FrameTimer`."""

    _frame_timer: FrameTimer | None = None

    @property
    def _update_timer(self) -> FrameTimer:
        timer = self._frame_timer
        if timer is None:
            screen = cast("Screen[object]", self)
            timer = FrameTimer(
                screen,
                UPDATE_PERIOD,
                name="screen_update",
                callback=screen._on_timer_update,
                pause=True,
            )
            timer._start()
            screen._timers.add(timer)
            self._frame_timer = timer
        return timer

    def hold_frame(self, seconds: float = UPDATE_PERIOD) -> None:
        """Draw nothing on this screen for up to ``seconds``, or until `release_frame`."""
        self._update_timer.hold(seconds)

    def release_frame(self) -> None:
        """Draw what waits as soon as a frame may be drawn (see `hold_frame`)."""
        self._update_timer.release()
