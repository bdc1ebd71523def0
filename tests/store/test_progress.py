"""Progress aggregates: kept current by saves (own and foreign) and equal to a recount."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from fieldtui.domain.models import Banjar, Officer, Payment, Period, SignUp, Visit
from fieldtui.domain.progress import ProgressBook, ProgressRow
from fieldtui.store.aggregates import ProgressLine
from fieldtui.store.listing import RecordFilter
from fieldtui.store.repository import Store
from tests.builders import acting_as
from tests.store.conftest import SESETAN, UBUNG_KAJA, make_signup, make_visit

BRANCH = "KC-BALI-DENPASAR"
DENPASAR = "51.71"
PEMOGAN = "51.71.01.2008"
DENPASAR_TIMUR = "51.71.02"


def _walk(rows: list[ProgressRow], children: dict[str, list[ProgressRow]]) -> list[ProgressRow]:
    out: list[ProgressRow] = []
    for row in rows:
        out.append(row)
        out += _walk(children.get(row.region_code, []), children)
    return out


def _tree_of_book(book: ProgressBook, as_of: dt.date) -> list[ProgressRow]:
    children: dict[str, list[ProgressRow]] = {}
    pending = [row.region_code for row in book.rows(None, as_of=as_of)]
    while pending:
        code = pending.pop()
        children[code] = book.rows(code, as_of=as_of)
        pending += [row.region_code for row in children[code]]
    return _walk(book.rows(None, as_of=as_of), children)


def _tree_of_store(store: Store, period: Period | None, as_of: dt.date) -> list[ProgressRow]:
    children: dict[str, list[ProgressRow]] = {}
    top = [line.period_row for line in store.progress(None, period=period, as_of=as_of)]
    pending = [row.region_code for row in top]
    while pending:
        code = pending.pop()
        children[code] = [
            line.period_row for line in store.progress(code, period=period, as_of=as_of)
        ]
        pending += [row.region_code for row in children[code]]
    return _walk(top, children)


def _recount(store: Store, period: Period | None, as_of: dt.date) -> list[ProgressRow]:
    """A book built from scratch from every record, fully decoded."""
    everything = RecordFilter(include_deleted=True)
    signups: list[SignUp] = store.list_signups(everything, limit=10_000).items
    visits: list[Visit] = store.list_visits(everything, limit=10_000).items
    book = ProgressBook.build(
        signups,
        visits,
        store.targets(),
        store.banjars(include_deleted=True),
        period=period,
    )
    return _tree_of_book(book, as_of)


def _fill(store: Store, officer: Officer) -> list[SignUp]:
    kaja = store.create_banjar(Banjar(desa_code=SESETAN, name="Banjar Kaja"))
    store.create_banjar(Banjar(desa_code=SESETAN, name="Banjar Kelod"))
    paid = Payment(
        months=3, amount_rp=50_400, period_start=dt.date(2016, 8, 1), paid_on=dt.date(2016, 7, 20)
    )
    made = []
    for i in range(8):
        made.append(
            store.create_signup(
                make_signup(
                    officer.id,
                    serial=i + 1,
                    name=f"Peserta {i}",
                    registered_on=dt.date(2016 + i % 2, 7, 1 + i),
                    desa_code=SESETAN if i < 5 else UBUNG_KAJA,
                    banjar_id=kaja.id if i < 2 else None,
                    payments=(paid,) if i % 3 == 0 else (),
                )
            )
        )
    store.create_visit(make_visit(officer.id, banjar_id=kaja.id))
    store.create_visit(make_visit(officer.id, day=3, desa_code=UBUNG_KAJA))
    with acting_as(store, "kadek"):  # a supervisor sets the targets
        store.set_target(DENPASAR, Period.year(2017), 10)
        store.set_target(SESETAN, Period.year(2017), 4)
    return made


def test_targets_count_participants_to_date(store: Store, officer: Officer) -> None:
    _fill(store, officer)
    line = store.progress_of(DENPASAR, period=Period.year(2017))
    assert line.participants == 8  # 4 registered in 2016 + 4 in 2017
    assert line.new_signups == 4
    assert line.target == 10 and line.pct_of_target == 0.8
    sesetan = store.progress_of(SESETAN, period=Period.year(2017))
    assert (sesetan.participants, sesetan.new_signups, sesetan.target) == (5, 2, 4)
    assert store.progress_of(DENPASAR).participants == 8  # all time
    (branch,) = store.progress(None, period=Period.year(2017))
    assert branch.region_code == BRANCH and branch.participants == 8


def test_incremental_equals_recount(store: Store, officer: Officer) -> None:
    as_of = dt.date(2017, 12, 31)
    periods = [None, Period.year(2017), Period(start=dt.date(1, 1, 1), end=dt.date(2017, 12, 31))]
    for period in periods:  # books exist before the saves below: they must follow them
        store.progress(None, period=period, as_of=as_of)
    made = _fill(store, officer)
    store.delete_signup(made[0].id, "double")
    moved = dataclasses.replace(store.get_signup(made[6].id), desa_code=SESETAN, payments=())
    store.update_signup(moved)
    store.delete_visit(store.list_visits().items[0].id, "test")
    store.delete_banjar(store.banjars(SESETAN)[1].id, "merged")
    for period in periods:
        assert _tree_of_store(store, period, as_of) == _recount(store, period, as_of)
    # a store opened afresh (books built from documents by facts) agrees too
    fresh = Store(store._backend)
    for period in periods:
        assert _tree_of_store(fresh, period, as_of) == _recount(store, period, as_of)


def test_other_process_saves_move_the_figures(db_path: Path) -> None:
    with Store.open(db_path) as mine, Store.open(db_path) as theirs:
        wayan = mine.create_officer(Officer(username="wayan", name="I Wayan"))
        theirs.refresh()
        assert theirs.progress_of(SESETAN).participants == 0
        mine.create_signup(make_signup(wayan.id))
        theirs.refresh()
        assert theirs.progress_of(SESETAN).participants == 1


def _lines_tree(store: Store, period: Period | None, as_of: dt.date) -> list[ProgressLine]:
    """Every line at every level, top down."""
    out: list[ProgressLine] = []
    pending: list[str | None] = [None]
    while pending:
        code = pending.pop(0)
        lines = store.progress(code, period=period, as_of=as_of)
        out += lines
        pending += [line.region_code for line in lines]
        if code is not None:
            out.append(store.progress_of(code, period=period, as_of=as_of))
    return out


def test_to_date_figures_from_the_all_time_book_equal_a_to_date_book(
    store: Store, officer: Officer
) -> None:
    _fill(store, officer)  # sign-ups in 2016-2017, visits in November 2026
    as_of = dt.date(2026, 11, 20)
    # targets that only a to-date book (exact period) or only an all-time book (as_of) would
    # see: they decide whether a region with nothing counted is listed, and a row's target
    store.use_actor("kadek")  # a supervisor sets them
    store.set_target("51.71.04", Period.month(2026, 11), 3)
    store.set_target(DENPASAR_TIMUR, Period.month(2026, 11), 2)  # nothing counted there
    store.set_target(PEMOGAN, Period(start=dt.date(1, 1, 1), end=dt.date(2026, 12, 31)), 7)
    store.set_target(PEMOGAN, Period(start=dt.date(1, 1, 1), end=dt.date(2026, 11, 30)), 5)
    aggregates = store._aggregates
    for period in (Period.year(2026), Period(start=dt.date(2017, 1, 1), end=dt.date(2026, 11, 30))):
        whole = Period(start=dt.date(1, 1, 1), end=period.end)
        aliased = _lines_tree(store, period, as_of)
        assert whole not in aggregates._books  # served by the all-time book
        aggregates.book(whole)  # now a real to-date book is held, and used
        assert _lines_tree(store, period, as_of) == aliased
        to_date = {line.region_code: line.to_date_row for line in aliased}
        assert to_date[PEMOGAN].target == (7 if period.end.month == 12 else 5)
        assert to_date["51.71.04"].target is None and DENPASAR_TIMUR not in to_date
    # the all-time book's own rows differ (so the comparisons above mean something)
    all_time = aggregates.book(None)
    assert all_time.row(PEMOGAN, as_of=as_of).target == 5  # the shortest containing as_of
    assert all_time.row("51.71.04", as_of=as_of).target == 3
    assert DENPASAR_TIMUR in [row.region_code for row in all_time.rows(DENPASAR, as_of=as_of)]


def test_a_record_after_the_period_turns_the_shortcut_off(store: Store, officer: Officer) -> None:
    _fill(store, officer)
    as_of = dt.date(2026, 12, 31)
    year = Period.year(2026)
    before = store.progress_of(SESETAN, period=year, as_of=as_of)
    assert before.participants == 5
    late = store.create_signup(
        make_signup(officer.id, serial=40, registered_on=dt.date(2027, 1, 4))
    )
    after = store.progress_of(SESETAN, period=year, as_of=as_of)
    assert (after.participants, after.new_signups) == (5, 0)
    assert store.progress_of(SESETAN).participants == 6
    store.delete_signup(late.id, "too early")  # the latest day stays: no shortcut, still right
    assert store.progress_of(SESETAN, period=year, as_of=as_of) == after


def test_books_built_after_saves_read_the_saved_facts(store: Store, officer: Officer) -> None:
    made = _fill(store, officer)
    as_of = dt.date(2017, 12, 31)
    store.progress(None, as_of=as_of)  # the facts are read here, once
    store.delete_signup(made[1].id, "double")
    moved = dataclasses.replace(store.get_signup(made[2].id), desa_code=UBUNG_KAJA)
    store.update_signup(moved)
    paid = Payment(
        months=12, amount_rp=201_600, period_start=dt.date(2017, 1, 1), paid_on=dt.date(2017, 1, 5)
    )
    store.update_signup(dataclasses.replace(store.get_signup(made[4].id), payments=(paid,)))
    store.create_signup(make_signup(officer.id, serial=30, registered_on=dt.date(2017, 3, 3)))
    store.create_visit(make_visit(officer.id, day=5, desa_code=UBUNG_KAJA))
    store.delete_visit(store.list_visits().items[-1].id, "test")
    fresh = Store(store._backend)  # reads the facts afresh from the documents
    for period in (Period.year(2017), Period.month(2017, 3), Period.year(2016), None):
        # books first built now, from the kept facts, equal books of freshly read facts
        assert _lines_tree(store, period, as_of) == _lines_tree(fresh, period, as_of)
    for period in (None, Period.year(2017)):
        assert _tree_of_store(store, period, as_of) == _recount(store, period, as_of)
    sesetan = store.progress_of(SESETAN, period=Period.year(2017), as_of=as_of)
    assert (sesetan.participants, sesetan.new_signups) == (4, 2)  # was (5, 2) before the saves


def test_progress_ready_says_when_a_read_builds_nothing() -> None:
    """`progress_ready` is True exactly when the books a read needs are held (the dashboard
    then reads in the UI thread), and stays True as records change."""
    from fieldtui.domain.models import Officer, Period
    from tests.builders import make_signup

    store = Store.memory()
    officer = store.create_officer(Officer(username="w", name="W"))
    store.create_signup(make_signup(officer.id, serial=1, registered_on=dt.date(2026, 3, 1)))
    year = Period.year(2026)
    assert not store.progress_ready(year) and not store.progress_ready(None)
    store.progress(None, period=year)
    assert store.progress_ready(year)  # the year's book, and the all-time one for "to date"
    store.create_signup(make_signup(officer.id, serial=2, registered_on=dt.date(2026, 4, 1)))
    assert store.progress_ready(year)
    # A sign-up dated after the year: "to date" needs a book of its own, not built yet.
    store.create_signup(make_signup(officer.id, serial=3, registered_on=dt.date(2027, 1, 5)))
    assert not store.progress_ready(year)
    assert store.progress_of("KC-BALI-DENPASAR", period=year).participants == 2
    assert store.progress_ready(year)
    assert not store.progress_ready(Period.year(2025))
