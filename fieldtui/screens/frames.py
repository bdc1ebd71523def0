"""Prompt frames: a screen draws its changes one frame interval after its last frame, not later.

A Textual screen draws what changed when its update timer ticks (at most 60 times a second).
The timer keeps a grid of ticks, and after a pause (nothing to draw) it skips to the grid
point after the next one: the first change after an idle moment is drawn at once, but the
next one waits 17 to 33 ms for its frame. In the sign-up list that is every search: the typed
letter is drawn at once, and the page it found waited up to two frames for its own. A
`FrameTimer` keeps only the minimum spacing: a tick comes as soon as the screen has something
to draw and at least one interval has passed since the last tick. Frames are never more
frequent than before (over SSH too); they only stop being late.

This replaces `Screen._update_timer`, a private property: Textual is pinned to one version
(pyproject.toml), and tests/tui/test_frames.py checks both the timing and that screens use it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual import _time
from textual.screen import UPDATE_PERIOD
from textual.timer import EventTargetGone, Timer

if TYPE_CHECKING:
    from textual.screen import Screen


class FrameTimer(Timer):
    """A repeating timer whose ticks are at least ``interval`` apart and otherwise prompt."""

    async def _run(self) -> None:
        interval = self._interval
        last = _time.get_time() - interval
        count = 0
        while self._repeat is None or count <= self._repeat:
            await self._active.wait()
            wait = last + interval - _time.get_time()
            if wait > 0:
                await _time.sleep(wait)
                await self._active.wait()  # paused again meanwhile: wait for the next resume
            last = _time.get_time()
            count += 1
            try:
                await self._tick(next_timer=last, count=count)
            except EventTargetGone:
                break


class PromptFrames:
    """Mixin for screens: their update timer is a `FrameTimer`."""

    _frame_timer: FrameTimer | None = None

    @property
    def _update_timer(self) -> Timer:
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
