"""The Pendaftaran list: masked NIKs, newest first, search by name or NIK, paging, live updates."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input, Static

from fieldtui.app import FieldApp
from fieldtui.domain.models import Payment
from fieldtui.i18n import set_language
from fieldtui.screens.record_detail import RecordDetailScreen
from fieldtui.screens.signup_form import SignUpFormScreen
from fieldtui.screens.signups import SignUpsScreen
from fieldtui.store.repository import Store
from fieldtui.widgets.paged_table import PagedTable
from tests.builders import make_signup

NAMES = ("Ni Made Ayu", "I Wayan Sukarta", "Ni Luh Sekar", "I Ketut Darma")


def fill_store(store: Store, count: int) -> None:
    """``count`` sign-ups on successive days of November 2026, the first ones paid."""
    assert store.actor is not None
    for i in range(count):
        signup = make_signup(
            store.actor.id,
            serial=i + 1,
            name=NAMES[i % len(NAMES)] + ("" if i < len(NAMES) else f" {i}"),
            registered_on=dt.date(2026, 11, 1) + dt.timedelta(days=i % 24),
        )
        person = dataclasses.replace(signup.participant, occupation_code="pedagang_pasar")
        payments = (
            (
                Payment(
                    months=3,
                    amount_rp=34_200,
                    period_start=dt.date(2026, 11, 1),
                    paid_on=dt.date(2026, 11, 2),
                ),
            )
            if i == 0
            else ()
        )
        store.create_signup(dataclasses.replace(signup, participant=person, payments=payments))


async def open_list(app: FieldApp, pilot: Pilot[None]) -> SignUpsScreen:
    await pilot.press("f4")
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()
    assert isinstance(app.screen, SignUpsScreen)
    return app.screen


def rows(screen: SignUpsScreen) -> list[list[str]]:
    table = screen.query_one(PagedTable)
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


async def test_list_masks_niks_newest_first(app: FieldApp, store: Store) -> None:
    fill_store(store, 4)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_list(app, pilot)
        shown = rows(screen)
        assert [r[1] for r in shown] == [
            "I Ketut Darma",
            "Ni Luh Sekar",
            "I Wayan Sukarta",
            "Ni Made Ayu",
        ]
        first = shown[-1]
        assert first[0] == "01-11-26"
        assert first[2] == "5171********0001"
        assert first[3] == "Sesetan" and first[4] == "Pedagang pasar"
        assert first[5] == "sudah" and shown[0][5] == "belum"
        assert first[6] == "baru"
        for row in shown:
            assert not any(ch.isdigit() for ch in row[2][4:12])
        position = str(screen.query_one("#signups-position", Static).content)
        assert position == "1–4 dari 4"
        detail = str(screen.query_one("#signups-detail", Static).content)
        assert "I Ketut Darma" in detail and "Kel. Sesetan" in detail


async def test_search_by_name_and_nik(app: FieldApp, store: Store) -> None:
    fill_store(store, 4)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_list(app, pilot)
        await pilot.press("ctrl+f", *"sekar")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert [r[1] for r in rows(screen)] == ["Ni Luh Sekar"]
        search = screen.query_one("#signups-search", Input)
        search.value = "5171014708900001"
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert [r[1] for r in rows(screen)] == ["Ni Made Ayu"]
        search.value = "tidak ada"
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert rows(screen) == []
        assert "tidak ada" in str(screen.query_one("#signups-position", Static).content)


async def test_pages_on_demand(app: FieldApp, store: Store) -> None:
    fill_store(store, 60)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_list(app, pilot)
        table = screen.query_one(PagedTable)
        assert table.row_count == 30  # a window of 30 rows at 80x24 (signups.page_size_for)
        assert str(screen.query_one("#signups-position", Static).content) == "1–30 dari 60"
        await pilot.press("pagedown")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert table.row_count == 30 and table.page_offset == 30
        assert str(screen.query_one("#signups-position", Static).content) == "31–60 dari 60"


async def test_new_signup_key_and_live_reload(app: FieldApp, store: Store) -> None:
    fill_store(store, 2)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_list(app, pilot)
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, SignUpFormScreen)
        fill_store_more(store)
        await pilot.press("escape")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, SignUpsScreen)
        assert len(rows(screen)) == 3


def fill_store_more(store: Store) -> None:
    assert store.actor is not None
    store.create_signup(make_signup(store.actor.id, serial=99, name="Ni Komang Ayu"))


async def test_enter_opens_the_record(app: FieldApp, store: Store) -> None:
    fill_store(store, 2)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_list(app, pilot)
        newest = screen.query_one(PagedTable).current_key
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, RecordDetailScreen)
        assert app.screen.record_id == newest


async def test_english_labels(app: FieldApp, store: Store) -> None:
    set_language("en")
    fill_store(store, 1)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_list(app, pilot)
        table = screen.query_one(PagedTable)
        headers = [str(column.label) for column in table.columns.values()]
        assert headers == ["Date", "Name", "NIK", "Village", "Work", "Paid", "Review"]
        assert rows(screen)[0][5] == "yes"
        descriptions = {b.binding.description for b in screen.active_bindings.values()}
        assert {"New sign-up", "Open", "Search"} <= descriptions


async def _open_list(pilot: Pilot[None]) -> None:
    await pilot.press("f4")
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_snapshot_list(snap_compare: Any, app: FieldApp, store: Store) -> None:
    fill_store(store, 30)
    assert snap_compare(app, terminal_size=(80, 24), run_before=_open_list)


async def test_language_switch_relabels_on_return(app: FieldApp, store: Store) -> None:
    fill_store(store, 1)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_list(app, pilot)
        await pilot.press("ctrl+n")
        await pilot.pause()
        set_language("en")
        await pilot.press("escape")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        table = screen.query_one(PagedTable)
        assert str(next(iter(table.columns.values())).label) == "Date"
        assert rows(screen)[0][5] == "yes"


async def test_the_lists_are_ready_before_their_key_is_pressed(store: Store) -> None:
    """Once the dashboard shows, Pendaftaran and Kunjungan are built in the background: F4 then
    shows its rows at once, with nothing left to read or lay out."""
    from fieldtui.app import make_app
    from tests.tui.conftest import TODAY

    fill_store(store, 3)
    app = make_app(store, poll_seconds=0, fixed_today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await app.workers.wait_for_complete()
        prepared = app._screen_stacks  # Textual's screens per mode
        assert "pendaftaran" in prepared and "kunjungan" in prepared
        screen = prepared["pendaftaran"][0]
        assert isinstance(screen, SignUpsScreen)
        assert screen.query_one(PagedTable).row_count == 3  # read while the dashboard showed
        await pilot.press("f4")
        assert app.screen is screen and screen.query_one(PagedTable).row_count == 3


async def test_a_hidden_list_reads_a_save_when_shown_again(
    app: FieldApp, store: Store, monkeypatch: Any
) -> None:
    """Behind the dashboard the list does not read at every save (it would slow the screen
    looked at); shown again, it reads what changed — also when it was empty."""
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_list(app, pilot)
        assert rows(screen) == []
        await pilot.press("f2")
        await pilot.pause()
        reads: list[str] = []
        load = screen.load

        def counted(*args: Any, **kwargs: Any) -> None:
            reads.append("read")
            load(*args, **kwargs)

        monkeypatch.setattr(screen, "load", counted)
        fill_store(store, 2)  # saved (in real life: the form, or another process)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert reads == []  # nothing read behind the dashboard
        assert await open_list(app, pilot) is screen
        assert [r[1] for r in rows(screen)] == ["I Wayan Sukarta", "Ni Made Ayu"]
        assert reads
