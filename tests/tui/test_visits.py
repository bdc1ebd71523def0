"""The Kunjungan list: newest first, types translated, the current visit, filters, live updates."""

from __future__ import annotations

import datetime as dt
from typing import Any

from textual.pilot import Pilot
from textual.screen import Screen

from fieldtui.app import FieldApp
from fieldtui.domain.models import Banjar, VisitType
from fieldtui.i18n import set_language
from fieldtui.screens.record_detail import RecordDetailScreen
from fieldtui.screens.visit_filter import VisitFilterDialog
from fieldtui.screens.visit_form import VisitFormScreen
from fieldtui.screens.visits import VisitsScreen
from fieldtui.store.repository import Store
from fieldtui.widgets.paged_table import PagedTable
from tests.builders import SESETAN, make_visit

UBUNG_KAJA = "51.71.04.2008"


def top(app: FieldApp) -> Screen[Any]:
    """The screen on top (a function, so mypy does not keep an earlier isinstance narrowing)."""
    return app.screen


async def settle(pilot: Pilot[None]) -> None:
    """Let workers finish and their results reach the screen."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def fill(store: Store) -> None:
    """A banjar talk in Sesetan (yesterday) and a booth in Ubung Kaja (today)."""
    officer = store.actor
    assert officer is not None
    kaja = store.create_banjar(
        Banjar(
            desa_code=SESETAN,
            name="Banjar Kaja",
            head_name="I Made Sukadana",
            head_title="Kepala Lingkungan",
        )
    )
    store.create_visit(
        make_visit(
            officer.id,
            day=23,
            banjar_id=kaja.id,
            counterpart_name="I Made Sukadana",
            counterpart_role="Kepala Lingkungan",
            attendees=35,
            follow_up_on=dt.date(2026, 12, 8),
        )
    )
    store.create_visit(
        make_visit(
            officer.id,
            day=24,
            desa_code=UBUNG_KAJA,
            visit_type=VisitType.BOOTH,
            event_name="Pasar malam Ubung",
        )
    )


async def open_list(pilot: Pilot[None]) -> VisitsScreen:
    await pilot.press("f3")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, VisitsScreen)
    return screen


def rows(screen: VisitsScreen) -> list[list[str]]:
    table = screen.query_one(PagedTable)
    return [[str(cell) for cell in table.get_row_at(index)] for index in range(table.row_count)]


async def test_list_shows_visits_newest_first_translated(app: FieldApp, store: Store) -> None:
    fill(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_list(pilot)
        first, second = rows(screen)
        assert first[1:5] == ["24 Nov 26 19.00", "Ubung Kaja", "—", "Booth acara"]
        # At 80 columns the follow-up and counterpart columns give way (nothing past the right
        # edge); the detail line under the table has them.
        assert second[1:] == ["23 Nov 26 19.00", "Sesetan", "Kaja", "Sos. banjar", "35", "Baru"]
        assert screen.query_one(PagedTable).position_text == "1–2 dari 2"
        detail = str(screen.query_one("#visits-detail").render())
        assert "Booth di acara" in detail and "Pasar malam Ubung" in detail
        await pilot.press("down")
        detail = str(screen.query_one("#visits-detail").render())
        assert "I Made Sukadana" in detail and "8 Des 2026" in detail


async def test_a_wide_terminal_shows_every_column(app: FieldApp, store: Store) -> None:
    fill(store)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await open_list(pilot)
        _, second = rows(screen)
        assert second[1:] == [
            "23 Nov 26 19.00",
            "Sesetan",
            "Kaja",
            "Sos. banjar",
            "35",
            "8 Des 26",
            "I Made Sukadana",
            "Baru",
        ]


async def test_c_toggles_the_current_visit(app: FieldApp, store: Store) -> None:
    fill(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_list(pilot)
        await pilot.press("down", "c")
        await settle(pilot)
        current = app.current_visit
        assert current is not None and current.desa_code == SESETAN
        assert [row[0] for row in rows(screen)] == ["", "★"]
        assert "Banjar Kaja" in str(screen.query_one("#visits-current").render())
        await pilot.press("c")
        await settle(pilot)
        assert app.current_visit is None
        assert [row[0] for row in rows(screen)] == ["", ""]


async def test_enter_opens_the_record_and_e_the_form(app: FieldApp, store: Store) -> None:
    fill(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_list(pilot)
        await pilot.press("down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, RecordDetailScreen)
        assert app.screen.record_id == store.list_visits().items[1].id
        await pilot.press("escape", "e")
        await pilot.pause()
        assert isinstance(app.screen, VisitFormScreen)
        assert app.screen.visit == store.list_visits().items[1]


async def test_filter_by_desa(app: FieldApp, store: Store) -> None:
    fill(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_list(pilot)
        await pilot.press("ctrl+f")
        await pilot.pause()
        assert isinstance(app.screen, VisitFilterDialog)
        await pilot.press(*"sesetan", "enter", "enter")
        await settle(pilot)
        assert top(app) is screen
        assert [row[2] for row in rows(screen)] == ["Sesetan"]
        assert "Kel. Sesetan" in str(screen.query_one("#visits-filter").render())
        await pilot.press("x")
        await settle(pilot)
        assert len(rows(screen)) == 2


async def test_a_save_elsewhere_shows_up(app: FieldApp, store: Store) -> None:
    fill(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_list(pilot)
        officer = store.actor
        assert officer is not None
        store.create_visit(make_visit(officer.id, day=25, attendees=4))
        await settle(pilot)
        assert len(rows(screen)) == 3 and rows(screen)[0][1] == "25 Nov 26 19.00"


async def test_a_hidden_list_reads_a_save_when_shown_again(app: FieldApp, store: Store) -> None:
    fill(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_list(pilot)
        await pilot.press("f2")
        await settle(pilot)
        officer = store.actor
        assert officer is not None
        store.create_visit(make_visit(officer.id, day=25, attendees=4))
        await settle(pilot)
        assert len(rows(screen)) == 2  # not read behind the dashboard
        assert await open_list(pilot) is screen
        assert len(rows(screen)) == 3 and rows(screen)[0][1] == "25 Nov 26 19.00"


async def test_list_in_english(app: FieldApp, store: Store) -> None:
    fill(store)
    set_language("en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_list(pilot)
        assert [row[4] for row in rows(screen)] == ["Event booth", "Banjar talk"]
        headers = [str(column.label) for column in screen.query_one(PagedTable).columns.values()]
        assert headers[1:3] == ["When", "Village"]
        labels = {binding.binding.description for binding in screen.active_bindings.values()}
        assert {"New", "Edit", "Make current", "Filter"} <= labels


def test_visits_snapshot(snap_compare: Any, store: Store, app: FieldApp) -> None:
    fill(store)

    async def show(pilot: Pilot[None]) -> None:
        await open_list(pilot)
        await pilot.press("down")
        await settle(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=show)
