"""Capaian: totals that agree with the store, drill-down, periods, stale villages, live updates."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from textual.widgets import DataTable, Static

from fieldtui.app import FieldApp
from fieldtui.domain.models import Banjar, Payment, Period
from fieldtui.i18n import set_language
from fieldtui.screens.dashboard import DashboardScreen
from fieldtui.store.repository import Store
from tests.builders import SESETAN, acting_as, make_signup, make_visit

UBUNG_KAJA = "51.71.04.2008"
KUTA = "51.03.01.1001"  # a kelurahan in Badung
WITA = dt.timezone(dt.timedelta(hours=8))


def _fill(store: Store) -> None:
    officer = store.actor
    assert officer is not None
    kaja = store.create_banjar(Banjar(desa_code=SESETAN, name="Banjar Kaja"))
    paid = Payment(
        months=3, amount_rp=25_200, period_start=dt.date(2026, 11, 1), paid_on=dt.date(2026, 11, 3)
    )
    for serial in range(1, 6):
        store.create_signup(
            make_signup(officer.id, serial=serial, banjar_id=kaja.id, payments=(paid,))
        )
    for serial in range(6, 9):
        store.create_signup(make_signup(officer.id, serial=serial, desa_code=UBUNG_KAJA))
    store.create_signup(
        make_signup(officer.id, serial=9, desa_code=KUTA, registered_on=dt.date(2025, 5, 2))
    )
    store.create_visit(make_visit(officer.id, day=20, banjar_id=kaja.id))
    old = make_visit(officer.id, desa_code=UBUNG_KAJA)
    store.create_visit(replace(old, started_at=dt.datetime(2026, 9, 1, 19, 0, tzinfo=WITA)))
    with acting_as(store, "sri"):  # the supervisor sets the targets
        store.set_target("KC-BALI-DENPASAR", Period.year(2026), 22_964)
        store.set_target(SESETAN, Period.year(2026), 10)


def _rows(app: FieldApp) -> dict[str, list[str]]:
    table = app.screen.query_one(DataTable)
    out: dict[str, list[str]] = {}
    for key in table.rows:
        out[str(key.value)] = [str(cell) for cell in table.get_row(key)]
    return out


async def _settle(app: FieldApp) -> None:
    await app.workers.wait_for_complete()
    await app.workers.wait_for_complete()


async def test_branch_totals_agree_with_the_store(store: Store, app: FieldApp) -> None:
    _fill(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(app)
        await pilot.pause()
        rows = _rows(app)
        total = rows["KC-BALI-DENPASAR"]
        assert total[0] == "Σ Kantor Cabang Bali Denpasar"
        assert total[1] == "22.964" and total[2] == "9"  # all live sign-ups, to the person
        assert rows["51.71"][2] == "8" and rows["51.03"][2] == "1"
        assert sum(int(row[2]) for key, row in rows.items() if key != "KC-BALI-DENPASAR") == 9
        period = app.screen.query_one("#dashboard-period", Static)
        assert "Tahun 2026" in str(period.render())


async def test_drill_down_to_banjars_and_back(store: Store, app: FieldApp) -> None:
    _fill(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(app)
        screen = app.screen
        assert isinstance(screen, DashboardScreen)
        for code in ("51.71", "51.71.01", SESETAN):
            table = screen.query_one(DataTable)
            table.move_cursor(row=list(_rows(app)).index(code))
            await pilot.press("enter")
            await _settle(app)
            await pilot.pause()
            assert screen.code == code
        rows = _rows(app)
        names = [row[0] for row in rows.values()]
        assert names[0] == "Σ Kel. Sesetan" and "Banjar Kaja" in names
        assert rows[SESETAN][1] == "10" and rows[SESETAN][2] == "5"
        assert "50%" in rows[SESETAN][3]  # 5 of a target of 10
        assert rows[SESETAN][4] == "100%"  # all five paid
        crumbs = str(screen.query_one("#dashboard-crumbs", Static).render())
        assert "Kota Denpasar" in crumbs and "Sesetan" in crumbs
        await pilot.press("backspace")
        await _settle(app)
        assert screen.code == "51.71.01"


async def test_period_cycles_and_counts_follow(store: Store, app: FieldApp) -> None:
    _fill(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(app)
        screen = app.screen
        assert isinstance(screen, DashboardScreen)
        await pilot.press("p")  # this month
        await _settle(app)
        await pilot.pause()
        assert "November 2026" in str(screen.query_one("#dashboard-period", Static).render())
        assert _rows(app)["KC-BALI-DENPASAR"][1] == "–"  # the target is for the year
        await pilot.press("p")  # all time
        await _settle(app)
        await pilot.pause()
        assert "Semua waktu" in str(screen.query_one("#dashboard-period", Static).render())
        assert _rows(app)["KC-BALI-DENPASAR"][2] == "9"


async def test_village_without_a_recent_visit_stands_out(store: Store, app: FieldApp) -> None:
    _fill(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(app)
        screen = app.screen
        assert isinstance(screen, DashboardScreen)
        screen.trail, screen.code = ["KC-BALI-DENPASAR", "51.71"], "51.71.04"
        await _settle(app)
        await pilot.pause()
        name = _rows(app)[UBUNG_KAJA][0]
        assert name.startswith("⚠ ") and "Ubung Kaja" in name  # last visit 1 Sep: 12 weeks
        screen.trail, screen.code = ["KC-BALI-DENPASAR", "51.71"], "51.71.01"
        await _settle(app)
        await pilot.pause()
        assert not _rows(app)[SESETAN][0].startswith("⚠")  # visited 4 days ago


async def test_a_save_moves_the_dashboard(store: Store, app: FieldApp) -> None:
    _fill(store)
    officer = store.actor
    assert officer is not None
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(app)
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, DashboardScreen)

        def no_worker(*args: object) -> None:
            raise AssertionError("the figures were ready: no worker should read them")

        # The store holds the figures ready (kept current save by save): the dashboard reads
        # them in the UI thread at once instead of starting a worker.
        screen._read = no_worker  # type: ignore[method-assign,assignment]
        store.create_signup(make_signup(officer.id, serial=20))
        await pilot.pause()
        assert _rows(app)["KC-BALI-DENPASAR"][2] == "10"


async def test_selected_row_detail_and_english(store: Store, app: FieldApp) -> None:
    _fill(store)
    set_language("en")
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(app)
        await pilot.pause()
        summary = str(app.screen.query_one("#dashboard-summary", Static).render())
        assert "Kota Denpasar" in summary and "members" in summary
        table = app.screen.query_one(DataTable)
        assert str(table.ordered_columns[2].label) == "Members"


async def test_an_officer_sees_flags_on_own_records(store: Store, app: FieldApp) -> None:
    from fieldtui.domain.models import RecordKind, ReviewState

    officer = store.actor
    assert officer is not None
    signup = store.create_signup(make_signup(officer.id, serial=7))
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(app)
        banner = app.screen.query_one("#dashboard-flags", Static)
        assert not banner.display  # nothing flagged yet
        store.use_actor("sri")  # the supervisor (in real life: another process)
        store.review(RecordKind.SIGNUP, signup.id, ReviewState.HAS_ISSUES, "tanggal lahir?")
        store.use_actor("wayan")
        app.store_changed.publish(frozenset({RecordKind.REVIEW}))
        await _settle(app)
        await pilot.pause()
        assert banner.display and "1 pendaftaran" in str(banner.render())
        assert "F7" in str(banner.render())
        store.use_actor("sri")  # the officer fixed it; the supervisor approves
        store.review(RecordKind.SIGNUP, signup.id, ReviewState.APPROVED, "")
        store.use_actor("wayan")
        app.store_changed.publish(frozenset({RecordKind.REVIEW}))
        await _settle(app)
        await pilot.pause()
        assert not banner.display
