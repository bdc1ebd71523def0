"""Regenerate the README's screenshots from the demo store (run by hand).

    .venv/bin/python docs/screenshot.py

Builds the demo in memory, opens the app as the demo officer on 17 Aug 2017 at 80x24 and saves
the dashboard (drilled into Kota Denpasar), the registration form and the calculator as SVG.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fieldtui.app import make_app
from fieldtui.exchange.demo import build_demo
from fieldtui.exchange.demo_signups import DEMO_DAY
from fieldtui.store.repository import Store

HERE = Path(__file__).resolve().parent


async def main() -> None:
    store = Store.memory()
    build_demo(store)
    app = make_app(store, demo=True, poll_seconds=0, fixed_today=DEMO_DAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("down", "down", "down", "down", "enter")  # Kota Denpasar
        await app.workers.wait_for_complete()
        await pilot.pause()
        app.save_screenshot("dashboard.svg", str(HERE))
        await pilot.press("f5")
        await pilot.pause()
        await pilot.press(*"1500000")
        await pilot.pause(0.3)
        app.save_screenshot("calculator.svg", str(HERE))
        await pilot.press("f4")
        await app.workers.wait_for_complete()
        await pilot.pause(0.3)
        app.save_screenshot("signups.svg", str(HERE))


if __name__ == "__main__":
    asyncio.run(main())
