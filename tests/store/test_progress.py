"""Progress aggregates: kept current by saves (own and foreign) and equal to a recount."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from fieldtui.domain.models import Banjar, Officer, Payment, Period, SignUp, Visit
from fieldtui.domain.progress import ProgressBook, ProgressRow
from fieldtui.store.listing import RecordFilter
from fieldtui.store.repository import Store
from tests.store.conftest import SESETAN, UBUNG_KAJA, make_signup, make_visit

BRANCH = "KC-BALI-DENPASAR"
DENPASAR = "51.71"


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
