"""Progress maths: roll-up to the person, incremental == from scratch, nonaktif, trends, targets."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fieldtui.domain import clock
from fieldtui.domain.ids import new_id
from fieldtui.domain.models import (
    Banjar,
    Consent,
    Participant,
    Payment,
    Period,
    Sex,
    SignUp,
    Target,
    Visit,
)
from fieldtui.domain.progress import (
    Level,
    ProgressBook,
    ProgressRow,
    RegionResolver,
    inactive_from,
    is_nonaktif,
    no_banjar_code,
)
from fieldtui.i18n import set_language

D = dt.date
SESETAN = "51.71.01.1003"
PEMOGAN = "51.71.01.2008"
UBUNG_KAJA = "51.71.04.2008"
KUTA = "51.03.01.1002"
BATUBULAN = "51.04.01.2001"  # Gianyar: outside the Denpasar branch
BRANCH = "KC-BALI-DENPASAR"
DESAS = (SESETAN, PEMOGAN, UBUNG_KAJA, KUTA, BATUBULAN)
AT = dt.datetime(2026, 1, 1, 9, tzinfo=clock.WITA)
NOV_2, NOV_3 = D(2026, 11, 2), D(2026, 11, 3)
PERSON = Participant(
    nik="5171014101900001", name="Ni Made Sari", birth_date=D(1990, 1, 1), sex=Sex.FEMALE
)


def signup(
    desa: str = SESETAN,
    registered: dt.date = NOV_2,
    *,
    banjar: str | None = None,
    paid_months: int = 0,
    paid_from: dt.date | None = None,
    id: str | None = None,
) -> SignUp:
    payments: tuple[Payment, ...] = ()
    if paid_months:
        start = paid_from or clock.month_start(registered)
        payments = (
            Payment(months=paid_months, amount_rp=16_800, period_start=start, paid_on=registered),
        )
    return SignUp(
        officer_id="officer",
        desa_code=desa,
        participant=PERSON,
        income_rp=1_000_000,
        registered_on=registered,
        consent=Consent(given=True),
        banjar_id=banjar,
        payments=payments,
        created_at=AT,
        updated_at=AT,
        id=id or new_id(),
    )


def visit(desa: str = SESETAN, day: dt.date = NOV_3, banjar: str | None = None) -> Visit:
    started = dt.datetime.combine(day, dt.time(19), tzinfo=clock.WITA)
    return Visit(
        officer_id="officer",
        desa_code=desa,
        started_at=started,
        banjar_id=banjar,
        created_at=AT,
        updated_at=AT,
    )


def test_nonaktif_boundaries() -> None:
    unpaid = signup(registered=D(2026, 1, 20))
    assert inactive_from(unpaid) == D(2026, 4, 1)
    assert not is_nonaktif(unpaid, D(2026, 3, 31))
    assert is_nonaktif(unpaid, D(2026, 4, 1))
    paid_january = signup(registered=D(2026, 1, 20), paid_months=1)  # paid_until 1 Feb
    assert inactive_from(paid_january) == D(2026, 5, 1)
    assert not is_nonaktif(paid_january, D(2026, 4, 30))
    assert is_nonaktif(paid_january, D(2026, 5, 1))
    ahead = signup(registered=D(2026, 1, 20), paid_months=12)
    assert inactive_from(ahead) == D(2027, 4, 1)


def test_roll_up_from_banjar_to_branch() -> None:
    kaja = Banjar(desa_code=SESETAN, name="Banjar Kaja")
    book = ProgressBook.build(
        [signup(banjar=kaja.id), signup(), signup(KUTA, paid_months=3), signup(BATUBULAN)],
        [visit(banjar=kaja.id), visit(day=D(2026, 11, 10))],
        banjars=[kaja, Banjar(desa_code=SESETAN, name="Banjar Abian Timbul")],
    )
    as_of = D(2026, 11, 24)
    top = {r.region_code: r for r in book.rows(None, as_of=as_of)}
    assert set(top) == {BRANCH, "51.04"}  # Gianyar is outside every branch
    assert (top[BRANCH].signups, top[BRANCH].paid, top[BRANCH].level) == (3, 1, Level.BRANCH)
    assert top[BRANCH].name == "Kantor Cabang Bali Denpasar"
    kab = book.rows(BRANCH, as_of=as_of)
    assert [(r.region_code, r.name, r.signups) for r in kab] == [
        ("51.03", "Kab. Badung", 1),
        ("51.71", "Kota Denpasar", 2),
    ]
    assert [r.region_code for r in book.rows("51.71", as_of=as_of)] == ["51.71.01"]
    sesetan = book.row(SESETAN, as_of=as_of)
    assert (sesetan.name, sesetan.level, sesetan.visits) == ("Kel. Sesetan", Level.DESA, 2)
    assert sesetan.last_visit == D(2026, 11, 10)
    banjars = book.rows(SESETAN, as_of=as_of)
    assert [(r.name, r.signups, r.visits, r.level) for r in banjars] == [
        ("Banjar Abian Timbul", 0, 0, Level.BANJAR),  # known, nothing yet: still listed
        ("Banjar Kaja", 1, 1, Level.BANJAR),
        ("(tanpa banjar)", 1, 1, Level.BANJAR),
    ]
    assert banjars[-1].region_code == no_banjar_code(SESETAN)


def test_targets_and_percentages() -> None:
    year, november = Period.year(2026), Period.month(2026, 11)
    targets = [
        Target(region_code=BRANCH, period=year, number=4),
        Target(region_code=SESETAN, period=november, number=10),
        Target(region_code=UBUNG_KAJA, period=year, number=1000),  # nothing signed up yet
    ]
    signups = [signup(paid_months=1), signup(), signup(registered=D(2026, 3, 3))]
    as_of = D(2026, 11, 24)
    all_time = ProgressBook.build(signups, targets=targets)
    branch = all_time.row(BRANCH, as_of=as_of)
    assert (branch.target, branch.signups, branch.pct_of_target) == (4, 3, 0.75)
    assert branch.paid_pct == 1 / 3
    assert all_time.row(SESETAN, as_of=as_of).target == 10  # the shortest period containing as_of
    assert all_time.row(SESETAN, as_of=D(2026, 12, 1)).target is None
    assert all_time.row("51.71", as_of=as_of).pct_of_target is None
    assert [r.region_code for r in all_time.rows("51.71", as_of=as_of)] == ["51.71.01", "51.71.04"]
    ubung = all_time.row(UBUNG_KAJA, as_of=as_of)
    assert (ubung.signups, ubung.pct_of_target, ubung.paid_pct) == (0, 0.0, None)

    in_november = ProgressBook.build(signups, targets=targets, period=november)
    assert in_november.row(BRANCH, as_of=as_of).signups == 2
    assert in_november.row(BRANCH, as_of=as_of).target is None  # the year target is not November's
    assert in_november.row(SESETAN, as_of=as_of).pct_of_target == 0.2


def test_soft_deleted_records_never_count() -> None:
    gone = dataclasses.replace(signup(), deleted_at=AT, deleted_reason="duplicate")
    gone_visit = dataclasses.replace(visit(), deleted_at=AT)
    gone_target = dataclasses.replace(
        Target(region_code=SESETAN, period=Period.year(2026), number=5), deleted_at=AT
    )
    book = ProgressBook.build([gone, signup()], [gone_visit], [gone_target])
    row = book.row(SESETAN, as_of=D(2026, 11, 24))
    assert (row.signups, row.visits, row.target) == (1, 0, None)
    live = signup()
    book.apply_signup(None, live)
    book.apply_signup(live, dataclasses.replace(live, deleted_at=AT))
    assert book.row(SESETAN, as_of=D(2026, 11, 24)).signups == 1


def test_weekly_trend_ends_in_the_week_of_as_of() -> None:
    days = [D(2026, 11, 23), D(2026, 11, 29), D(2026, 11, 22), D(2026, 11, 2), D(2026, 10, 1)]
    book = ProgressBook.build([signup(registered=d) for d in days])
    # as_of Wed 25 Nov: weeks starting 2, 9, 16, 23 Nov; 23 and 29 Nov share a week, 22 is a Sunday
    assert book.row(SESETAN, as_of=D(2026, 11, 25), weeks=4).weekly == (1, 0, 1, 2)
    assert book.row(SESETAN, as_of=D(2026, 11, 22), weeks=2).weekly == (0, 1)
    assert book.row(BRANCH, as_of=D(2026, 11, 30), weeks=1).weekly == (0,)


def test_nonaktif_counts_as_of() -> None:
    signups = [signup(registered=D(2026, 1, 20)), signup(registered=D(2026, 1, 20), paid_months=1)]
    book = ProgressBook.build(signups)
    assert [
        book.row(BRANCH, as_of=d).nonaktif for d in (D(2026, 3, 31), D(2026, 4, 1), D(2026, 5, 1))
    ] == [0, 1, 2]


def test_an_injected_resolver() -> None:
    parents = {"d1": "k1", "d2": "k1", "k1": None}
    resolver = RegionResolver(
        parent_of=parents.get,
        name_of=str.upper,
        level_of=lambda c: Level.DESA if c.startswith("d") else Level.KABKOTA,
    )
    book = ProgressBook.build([signup("d1"), signup("d2"), signup("d2")], resolver=resolver)
    assert [(r.region_code, r.name, r.signups) for r in book.rows(None, as_of=D(2026, 12, 1))] == [
        ("k1", "K1", 3)
    ]
    assert [r.signups for r in book.rows("k1", as_of=D(2026, 12, 1))] == [1, 2]


def test_summary_in_both_languages() -> None:
    row = ProgressRow(
        region_code=SESETAN, name="Kel. Sesetan", level=Level.DESA, target=2000, signups=1234,
        pct_of_target=0.617, paid=1000, paid_pct=0.81, nonaktif=12, visits=5,
        last_visit=D(2026, 11, 24), weekly=(1, 2),
    )  # fmt: skip
    assert row.summary() == (
        "Kel. Sesetan: 1.234 peserta, target 2.000 (62%), 1.000 sudah bayar (81%), "
        "12 nonaktif, 5 kunjungan, terakhir 24 Nov 2026"
    )
    set_language("en")
    assert row.summary().startswith("Kel. Sesetan: 1,234 sign-ups, target 2,000 (62%)")
    assert Level.KECAMATAN.label == "District"


# -- properties --------------------------------------------------------------------------------

BANJARS = ("01BANJAR0000000000000000A1", "01BANJAR0000000000000000B2")
days = st.dates(min_value=D(2026, 1, 1), max_value=D(2026, 12, 31))


@st.composite
def signups(draw: st.DrawFn, id: str) -> SignUp:
    desa = draw(st.sampled_from(DESAS))
    banjar = draw(st.sampled_from((None, *BANJARS))) if desa == SESETAN else None
    made = signup(
        desa, draw(days), banjar=banjar, paid_months=draw(st.sampled_from((0, 1, 3, 12))), id=id
    )
    if draw(st.integers(0, 5)) == 0:
        made = dataclasses.replace(made, deleted_at=AT)
    return made


@st.composite
def visits(draw: st.DrawFn) -> Visit:
    desa = draw(st.sampled_from(DESAS))
    banjar = draw(st.sampled_from((None, *BANJARS))) if desa == SESETAN else None
    return visit(desa, draw(days), banjar)


def _all_rows(book: ProgressBook, as_of: dt.date) -> dict[str, ProgressRow]:
    out: dict[str, ProgressRow] = {}
    stack: list[str | None] = [None]
    while stack:
        parent = stack.pop()
        for row in book.rows(parent, as_of=as_of):
            out[row.region_code] = row
            stack.append(row.region_code)
    return out


@settings(max_examples=60, deadline=None)
@given(
    people=st.lists(st.integers(0, 10**6), max_size=40, unique=True).flatmap(
        lambda ids: st.tuples(*[signups(f"S{i:025d}") for i in ids])
    ),
    trips=st.lists(visits(), max_size=15),
    as_of=days,
)
def test_every_row_is_the_sum_of_the_rows_below_it(
    people: tuple[SignUp, ...], trips: list[Visit], as_of: dt.date
) -> None:
    book = ProgressBook.build(people, trips)
    rows = _all_rows(book, as_of)
    for code, row in rows.items():
        below = book.rows(code, as_of=as_of)
        if not below:
            assert row.level is Level.BANJAR
            continue
        assert row.signups == sum(r.signups for r in below)
        assert row.paid == sum(r.paid for r in below)
        assert row.nonaktif == sum(r.nonaktif for r in below)
        assert row.visits == sum(r.visits for r in below)
        assert list(row.weekly) == [sum(w) for w in zip(*(r.weekly for r in below), strict=True)]
    live = [p for p in people if p.deleted_at is None]
    assert sum(r.signups for r in book.rows(None, as_of=as_of)) == len(live)
    assert sum(r.nonaktif for r in book.rows(None, as_of=as_of)) == sum(
        is_nonaktif(p, as_of) for p in live
    )
    branch = book.row(BRANCH, as_of=as_of)
    assert branch.signups == sum(p.desa_code != BATUBULAN for p in live)


@settings(max_examples=60, deadline=None)
@given(
    ops=st.lists(st.tuples(st.integers(0, 7), signups("x"), st.booleans()), max_size=40),
    trips=st.lists(st.tuples(visits(), st.booleans()), max_size=10),
    as_of=days,
    period=st.sampled_from((None, Period.month(2026, 11), Period.year(2026))),
)
def test_incremental_equals_from_scratch(
    ops: list[tuple[int, SignUp, bool]],
    trips: list[tuple[Visit, bool]],
    as_of: dt.date,
    period: Period | None,
) -> None:
    # ops: (which person, their new state, delete them outright?) applied in order
    book = ProgressBook(period=period)
    current: dict[str, SignUp] = {}
    for slot, state, delete in ops:
        person_id = f"P{slot:025d}"
        old = current.get(person_id)
        new = None if delete else dataclasses.replace(state, id=person_id)
        book.apply_signup(old, new)
        if new is None:
            current.pop(person_id, None)
        else:
            current[person_id] = new
    kept: list[Visit] = []
    for trip, keep in trips:
        book.add_visit(trip)
        if keep:
            kept.append(trip)
        else:
            book.remove_visit(trip)
    scratch = ProgressBook.build(current.values(), kept, period=period)
    assert _all_rows(book, as_of) == _all_rows(scratch, as_of)


# -- bulk building -----------------------------------------------------------------------------


def _random_records(seed: int, n: int) -> tuple[list[SignUp], list[Visit]]:
    """``n`` sign-ups and ``n // 4`` visits over 2025-2026, some deleted, banjars and payments."""
    rng = random.Random(seed)
    desas = (*DESAS, "51.71.01.1004")
    banjars = (None, None, *BANJARS)  # BANJARS[0] also in another desa: its own chain there

    def day() -> dt.date:
        return D(2025, 1, 1) + dt.timedelta(days=rng.randrange(730))

    people = []
    for i in range(n):
        desa = rng.choice(desas)
        registered = day()
        payments = tuple(
            Payment(
                months=rng.choice((1, 3, 12)),
                amount_rp=16_800,
                period_start=clock.add_months(clock.month_start(registered), rng.randrange(-1, 4)),
                paid_on=registered,
            )
            for _ in range(rng.choice((0, 0, 1, 1, 2)))
        )
        made = dataclasses.replace(
            signup(desa, registered, banjar=rng.choice(banjars), id=f"S{i:025d}"),
            payments=payments,
        )
        if rng.random() < 0.1:
            made = dataclasses.replace(made, deleted_at=AT, deleted_reason="double")
        people.append(made)
    trips = []
    for _ in range(n // 4):
        started = dt.datetime.combine(day(), dt.time(rng.randrange(24)), tzinfo=dt.UTC)
        trip = dataclasses.replace(
            visit(rng.choice(desas), banjar=rng.choice(banjars)), started_at=started
        )
        trips.append(dataclasses.replace(trip, deleted_at=AT) if rng.random() < 0.1 else trip)
    return people, trips


def _every_row(book: ProgressBook, as_of: dt.date) -> dict[str, ProgressRow]:
    """Every row at every level, with a year of weekly figures."""
    out: dict[str, ProgressRow] = {}
    stack: list[str | None] = [None]
    while stack:
        parent = stack.pop()
        for row in book.rows(parent, as_of=as_of, weeks=60):
            assert row.region_code not in out
            out[row.region_code] = row
            stack.append(row.region_code)
    return out


def _one_by_one(
    people: list[SignUp], trips: list[Visit], period: Period | None, banjars: list[Banjar]
) -> ProgressBook:
    book = ProgressBook(period=period)
    for banjar in banjars:
        book.apply_banjar(None, banjar)
    for person in people:
        book.add(person)
    for trip in trips:
        book.add_visit(trip)
    return book


def _in_bulk(
    people: list[SignUp], trips: list[Visit], period: Period | None, banjars: list[Banjar]
) -> ProgressBook:
    book = ProgressBook(period=period)
    for banjar in banjars:
        book.apply_banjar(None, banjar)
    book.add_many(iter(people))
    book.add_visits(iter(trips))
    return book


def _assert_same_books(bulk: ProgressBook, single: ProgressBook) -> None:
    assert bulk._signups == single._signups  # the marks: later removals take the same away
    assert bulk._visits == single._visits
    for as_of in (D(2025, 3, 5), D(2025, 12, 31), D(2026, 6, 15), D(2027, 2, 1)):
        assert _every_row(bulk, as_of) == _every_row(single, as_of)


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize(
    "period",
    [None, Period.year(2025), Period.month(2026, 2), Period(start=D(1, 1, 1), end=D(2025, 9, 30))],
)
def test_a_book_built_in_bulk_equals_one_built_record_by_record(
    seed: int, period: Period | None
) -> None:
    people, trips = _random_records(seed, 400)
    banjars = [Banjar(desa_code=SESETAN, name="Banjar Kaja", id=BANJARS[0])]
    bulk = _in_bulk(people, trips, period, banjars)
    single = _one_by_one(people, trips, period, banjars)
    _assert_same_books(bulk, single)
    assert bulk._tallies.keys() == single._tallies.keys()
    # later changes record by record stay exact on a book built in bulk
    rng = random.Random(seed)
    for person in rng.sample(people, 120):
        moved = dataclasses.replace(person, registered_on=person.registered_on.replace(day=1))
        changed = None if rng.random() < 0.5 else moved
        for book in (bulk, single):
            book.apply_signup(person, changed)
    for trip in rng.sample(trips, 30):
        for book in (bulk, single):
            book.remove_visit(trip)
    _assert_same_books(bulk, single)


def test_bulk_adds_repeats_and_recounts_as_add_does() -> None:
    people, trips = _random_records(7, 200)
    twice = [*people[:150], *people[100:], dataclasses.replace(people[3], deleted_at=AT)]
    bulk = _in_bulk(twice, [*trips, *trips[:10]], None, [])
    _assert_same_books(bulk, _one_by_one(twice, [*trips, *trips[:10]], None, []))
    # adding in bulk to a book that counts some of them already
    bulk.add_many(people[50:])
    bulk.add_visits(trips[5:])
    single = _one_by_one([*twice, *people[50:]], [*trips, *trips[:10], *trips[5:]], None, [])
    _assert_same_books(bulk, single)
    # and a second batch of new ones to a book already counting others
    fresh = _in_bulk(people[:100], trips[:20], None, [])
    fresh.add_many(people[100:])
    fresh.add_visits(trips[20:])
    _assert_same_books(fresh, _one_by_one(people, trips, None, []))
