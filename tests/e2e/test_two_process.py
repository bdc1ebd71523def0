"""Issue 5's two-process test: an officer and a supervisor on one store, in two real processes.

The officer is a real subprocess running the app headless: it saves a sign-up through the
Store API (as the form does) and then watches its own dashboard. The supervisor is this test's
process, running the app headless with the poller on: the sign-up must reach the Tinjau queue
(F7) within two seconds; the supervisor flags it with a reason, and the officer's dashboard must
show the flag within two seconds, its store holding HAS_ISSUES and the reason.
"""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path

import pytest
from textual.app import App
from textual.pilot import Pilot

from fieldtui.app import make_app
from fieldtui.domain.models import Officer, ReviewState, Role
from fieldtui.screens.reason_dialog import ReasonDialog
from fieldtui.screens.review import ReviewScreen, ReviewTable
from fieldtui.store.repository import Store

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
POLL = 0.2  # seconds, both apps
LIMIT = 2.0  # seconds from one process's save to the other's screen
REASON = "tanggal lahir tidak cocok dengan NIK"

# The officer's process: its own headless app over the store, signed in as wayan.
OFFICER_APP = """
import asyncio, sys, time
from fieldtui.app import make_app
from fieldtui.store.repository import Store
from textual.widgets import Static
from tests.builders import make_signup

async def main(path):
    with Store.open(path, actor_username="wayan") as store:
        app = make_app(store, poll_seconds=float(sys.argv[2]))
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause(0.3)
            banner = app.screen.query_one("#dashboard-flags", Static)
            print("BANNER-BEFORE", str(banner.content) or "-", flush=True)
            saved = store.create_signup(make_signup(store.actor.id, serial=7))
            print("SAVED", saved.id, flush=True)
            deadline = time.monotonic() + 20
            while not str(banner.content) and time.monotonic() < deadline:
                await asyncio.sleep(0.05)
            print("BANNER", str(banner.content) or "-", flush=True)
            state = store.get_signup(saved.id).review_state.value
            print("STATE", state, store.reviews(saved.id)[-1].comment, flush=True)

asyncio.run(main(sys.argv[1]))
"""


async def _line(proc: asyncio.subprocess.Process, word: str) -> tuple[str, float]:
    """The rest of the officer process's next line starting with ``word``, and when it came."""
    assert proc.stdout is not None
    raw = await asyncio.wait_for(proc.stdout.readline(), timeout=30)
    line = raw.decode().rstrip("\n")
    assert line.startswith(word + " "), f"expected {word!r}, got {line!r}"
    return line[len(word) + 1 :], time.monotonic()


def _queue_keys(app: App[None]) -> list[str]:
    screen = app.screen
    assert isinstance(screen, ReviewScreen)
    return [] if screen.queue is None else [item.key for item in screen.queue.items]


async def _wait_for_row(pilot: Pilot[None], key: str, since: float) -> float:
    """Seconds from ``since`` until ``key`` is a row of the supervisor's queue (or a failure)."""
    while key not in _queue_keys(pilot.app):
        assert time.monotonic() - since < 10, "the sign-up never reached the review queue"
        await asyncio.sleep(0.05)
    return time.monotonic() - since


async def test_officer_saves_supervisor_flags_officer_sees_the_flag(db_path: Path) -> None:
    with Store.open(db_path) as setup:
        setup.create_officer(Officer(username="sri", name="Sri Wahyuni", role=Role.SUPERVISOR))
        setup.create_officer(Officer(username="wayan", name="Wayan Sudarma"))
    with Store.open(db_path, actor_username="sri") as store:
        app = make_app(store, poll_seconds=POLL)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("f7")
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
            assert _queue_keys(app) == []
            officer = await asyncio.create_subprocess_exec(
                sys.executable,
                "-c",
                OFFICER_APP,
                str(db_path),
                str(POLL),
                cwd=ROOT,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE,
            )
            try:
                before, _ = await _line(officer, "BANNER-BEFORE")
                assert before == "-"  # nothing flagged yet
                signup_id, saved_at = await _line(officer, "SAVED")
                waited = await _wait_for_row(pilot, f"signup:{signup_id}", saved_at)
                assert waited < LIMIT, f"the queue showed the sign-up after {waited:.2f} s"

                await pilot.pause()
                table = app.screen.query_one(ReviewTable)
                assert table.current_key == f"signup:{signup_id}"
                await pilot.press("f")
                await pilot.pause()
                assert isinstance(app.screen, ReasonDialog)
                await pilot.press(*REASON, "enter")
                flagged_at = time.monotonic()
                await pilot.pause()
                assert store.get_signup(signup_id).review_state is ReviewState.HAS_ISSUES

                banner, seen_at = await _line(officer, "BANNER")
                assert banner == "⚑ 1 pendaftaran perlu perbaikan atau ditolak — F7 Tinjau"
                assert seen_at - flagged_at < LIMIT, f"flag seen after {seen_at - flagged_at:.2f} s"
                print(
                    f"queue showed it after {waited:.2f} s, the officer saw the flag after "
                    f"{seen_at - flagged_at:.2f} s"
                )
                state, _ = await _line(officer, "STATE")
                assert state == f"{ReviewState.HAS_ISSUES.value} {REASON}"
                assert await asyncio.wait_for(officer.wait(), timeout=10) == 0
            finally:
                if officer.returncode is None:
                    officer.kill()
                    await officer.wait()
                    assert officer.stderr is not None
                    print((await officer.stderr.read()).decode())
