"""The demo store: Cabang Bali Denpasar's BPU drive as it stood in August 2017.

The full build is made once for the module on a real file and then read back from disk; a
memory store gets the same build and must give the same summary.
"""

from __future__ import annotations

import datetime as dt
import random
import stat
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from fieldtui.domain import occupations
from fieldtui.domain.auth import verify_pin
from fieldtui.domain.banjars import KELIAN_DINAS, KEPALA_LINGKUNGAN
from fieldtui.domain.contributions import contribution_for
from fieldtui.domain.models import Officer, Period, Role, SignUp, Visit, VisitType
from fieldtui.domain.nik import parse_nik
from fieldtui.domain.phone import parse_phone
from fieldtui.exchange import demo
from fieldtui.exchange.demo import (
    BRANCH_CODE,
    DEMO_DAY,
    DEMO_OFFICER,
    DEMO_SUPERVISOR,
    DEMO_USERS,
    DemoRefused,
    DemoSummary,
    build_demo,
    create_demo_store,
    ensure_demo_store,
)
from fieldtui.exchange.demo_signups import SignUpMaker, Where, split
from fieldtui.store.check import check_store
from fieldtui.store.listing import RecordFilter
from fieldtui.store.repository import Store
from tests.conftest import copy_demo

SESETAN, UBUNG_KAJA, DANGIN_PURI_KANGIN = "51.71.01.1003", "51.71.04.2008", "51.71.04.2001"
YEAR = Period.year(2017)


@pytest.fixture(scope="module")
def built(
    tmp_path_factory: pytest.TempPathFactory, demo_master: tuple[Path, DemoSummary]
) -> Iterator[tuple[Store, DemoSummary]]:
    """The demo store as built for this run (tests/conftest.py), read back from disk from a
    copy of its own (read-only)."""
    master, summary = demo_master
    path = copy_demo(master, tmp_path_factory.mktemp("demo"))
    with Store.open(path, read_only=True) as store:
        yield store, summary


@pytest.fixture(scope="module")
def signups(built: tuple[Store, DemoSummary]) -> list[SignUp]:
    """Every sign-up of the demo store."""
    return built[0].list_signups(limit=100_000).items


@pytest.fixture(scope="module")
def visits(built: tuple[Store, DemoSummary]) -> list[Visit]:
    """Every visit of the demo store."""
    return built[0].list_visits(limit=100_000).items


def test_participants_against_the_2017_target(
    built: tuple[Store, DemoSummary], signups: list[SignUp]
) -> None:
    store, summary = built
    line = store.progress_of(BRANCH_CODE, period=YEAR)
    assert (line.participants, line.target) == (7_708, 22_964)
    assert (summary.signups, summary.target, summary.created) == (7_708, 22_964, True)
    assert len(signups) == 7_708
    assert all(dt.date(2016, 1, 1) <= s.registered_on <= dt.date(2017, 7, 31) for s in signups)
    by_july = store.progress_of(BRANCH_CODE, period=Period.parse("2016-01-01..2017-07-31"))
    assert by_july.participants == 7_708


def test_targets_at_several_levels(built: tuple[Store, DemoSummary]) -> None:
    store = built[0]
    kab = {line.region_code: line for line in store.progress(BRANCH_CODE, period=YEAR)}
    assert set(kab) == {"51.71", "51.03", "51.02", "51.01", "51.08"}
    assert all(line.target for line in kab.values())
    assert sum(line.participants for line in kab.values()) == 7_708
    assert kab["51.71"].participants > kab["51.01"].participants
    assert kab["51.03"].participants > kab["51.02"].participants
    for code in (SESETAN, UBUNG_KAJA, DANGIN_PURI_KANGIN):
        pilot = store.progress_of(code, period=YEAR)
        assert pilot.target is not None and pilot.pct_of_target is not None
        assert 0 < pilot.pct_of_target < 1


@pytest.mark.parametrize(
    ("code", "count", "head"),
    [
        (SESETAN, 2_000, KEPALA_LINGKUNGAN),
        (UBUNG_KAJA, 1_000, KELIAN_DINAS),
        (DANGIN_PURI_KANGIN, 1_000, KELIAN_DINAS),
    ],
)
def test_pilot_villages(
    built: tuple[Store, DemoSummary], signups: list[SignUp], code: str, count: int, head: str
) -> None:
    store = built[0]
    banjars = store.banjars(code)
    assert len(banjars) >= 5
    assert all(b.head_title == head and b.head_name for b in banjars)
    here = [s for s in signups if s.desa_code == code]
    assert len(here) == count
    assert all(s.registered_on.year == 2016 for s in here)
    assert {s.banjar_id for s in here} == {b.id for b in banjars}
    assert store.list_signups(RecordFilter(desa_code=code), limit=1).total == count


def test_sesetan_has_fourteen_banjars(built: tuple[Store, DemoSummary]) -> None:
    names = [b.name for b in built[0].banjars(SESETAN)]
    assert len(names) == 14
    assert {"Banjar Kaja", "Banjar Tengah", "Banjar Pegok", "Banjar Lantang Bejuh"} <= set(names)


def test_the_rest_is_spread_over_the_branch(signups: list[SignUp]) -> None:
    pilots = {SESETAN, UBUNG_KAJA, DANGIN_PURI_KANGIN}
    others = [s for s in signups if s.desa_code not in pilots]
    assert len(others) == 3_708
    assert len({s.desa_code for s in others}) > 40
    assert {s.desa_code[:5] for s in others} == {"51.71", "51.03", "51.02", "51.01", "51.08"}
    assert {s.registered_on.year for s in others} == {2016, 2017}
    denpasar_badung = sum(s.desa_code[:5] in ("51.71", "51.03") for s in others)
    assert denpasar_badung > len(others) / 2


def test_people_are_valid(signups: list[SignUp]) -> None:
    niks = [s.participant.nik for s in signups]
    assert len(set(niks)) == len(niks)
    for s in signups:
        person = s.participant
        for today in (s.registered_on, DEMO_DAY, dt.date.today()):
            checked = parse_nik(person.nik, today=today)
            assert checked.errors == ()
            assert (checked.birth_date, checked.sex) == (person.birth_date, person.sex)
        assert person.phone is None or parse_phone(person.phone).e164 == person.phone
        assert occupations.get(person.occupation_code) is not None
        assert s.consent.given
    assert sum(s.participant.phone is not None for s in signups) > 0.7 * len(signups)
    in_bali = sum(s.participant.nik.startswith("51") for s in signups)
    assert 0.8 * len(signups) < in_bali < len(signups)  # some migrants' KTPs are from elsewhere


def test_contributions_and_payments(signups: list[SignUp]) -> None:
    for s in signups:
        sector = occupations.sector_of(s.participant.occupation_code)
        expected = contribution_for(
            s.income_rp, on=s.registered_on, sector=sector, jht=s.jht, category=s.category
        )
        assert s.monthly_contribution_rp == expected.monthly_rp >= 16_800
        for payment in s.payments:
            assert payment.months in (1, 3, 6, 12)
            assert payment.amount_rp == s.monthly_contribution_rp * payment.months
            assert s.registered_on <= payment.paid_on <= DEMO_DAY
    paid = sum(s.is_paid for s in signups)
    assert 0.8 * len(signups) < paid < len(signups)
    assert any(s.jht for s in signups) and not all(s.jht for s in signups)


def test_some_are_nonaktif_in_august_2017(built: tuple[Store, DemoSummary]) -> None:
    row = built[0].progress_of(BRANCH_CODE, period=YEAR, as_of=DEMO_DAY).to_date_row
    assert row.signups == 7_708
    assert 0.1 * row.signups < row.nonaktif < 0.4 * row.signups
    assert row.paid < row.signups


def test_visits_follow_the_drive(
    built: tuple[Store, DemoSummary], visits: list[Visit], signups: list[SignUp]
) -> None:
    assert built[1].visits == len(visits)
    assert {v.visit_type for v in visits} == set(VisitType)
    for code in (SESETAN, UBUNG_KAJA, DANGIN_PURI_KANGIN):
        here = [v for v in visits if v.desa_code == code]
        first = min(here, key=lambda v: v.started_at)
        assert first.visit_type is VisitType.APARAT_DESA
        assert first.started_at.year == 2016
        sessions = [v for v in here if v.visit_type is VisitType.BANJAR]
        assert {v.banjar_id for v in sessions} == {b.id for b in built[0].banjars(code)}
        assert all(v.counterpart_name and v.counterpart_role for v in sessions)
    known = {v.id for v in visits}
    linked = [s.visit_id for s in signups if s.visit_id is not None]
    assert len(linked) > len(signups) / 2 and set(linked) <= known


def test_carnival_booth(visits: list[Visit]) -> None:
    booths = sorted(
        (v for v in visits if v.visit_type is VisitType.BOOTH), key=lambda v: v.started_at
    )
    assert [v.started_at.date() for v in booths] == [dt.date(2017, 8, day) for day in range(13, 18)]
    assert all(v.desa_code == SESETAN and "Lapangan Pegok" in v.event_name for v in booths)


def test_users_and_pins(built: tuple[Store, DemoSummary]) -> None:
    store, summary = built
    assert summary.users == DEMO_USERS
    assert DEMO_SUPERVISOR.role is Role.SUPERVISOR
    assert {o.role for o in store.officers()} == {Role.OFFICER, Role.SUPERVISOR}
    for user in DEMO_USERS:
        officer = store.officer_by_username(user.username)
        assert officer is not None and officer.role is user.role
        assert officer.pin_hash and user.pin not in officer.pin_hash
        assert verify_pin(user.pin, officer.pin_hash)
        assert not verify_pin("0000", officer.pin_hash)


def test_marked_as_demo(built: tuple[Store, DemoSummary]) -> None:
    store = built[0]
    assert store.is_demo and not store.is_empty
    info = store.demo_info
    assert info is not None and info["seed"] == 2017 and info["branch"] == BRANCH_CODE


def test_the_same_build_in_memory(built: tuple[Store, DemoSummary]) -> None:
    store = Store.memory()
    summary = build_demo(store)
    assert summary == replace(built[1], path=None, seconds=summary.seconds)
    assert store.progress_of(BRANCH_CODE, period=YEAR).participants == 7_708
    assert store.is_demo and store.actor is not None
    assert store.actor.username == DEMO_OFFICER.username


def test_a_second_run_keeps_the_store(built: tuple[Store, DemoSummary]) -> None:
    store, first = built
    assert store.path is not None
    again = create_demo_store(store.path)
    assert not again.created
    assert (again.signups, again.visits, again.banjars) == (
        first.signups,
        first.visits,
        first.banjars,
    )
    assert ensure_demo_store(store.path) == store.path


def test_files_are_private(built: tuple[Store, DemoSummary]) -> None:
    path = built[0].path
    assert path is not None
    for file in (path, path.with_name(path.name + ".journal")):
        assert stat.S_IMODE(file.stat().st_mode) == 0o600


# -- creating, refusing, forcing (with a small stand-in for the full build) -----------------------


def _quick_build(store: Store, *, seed: int = 2017) -> DemoSummary:
    with store.batch():
        if store.is_demo:
            return demo.demo_summary(store)
        boss = DEMO_SUPERVISOR  # the first user; only a supervisor adds the others
        store.create_officer(Officer(username=boss.username, name=boss.name, role=boss.role))
        store.create_officer(Officer(username=DEMO_OFFICER.username, name=DEMO_OFFICER.name))
        store.mark_demo(seed=seed)
    store.use_actor(DEMO_OFFICER.username)
    return demo.demo_summary(store, created=True)


@pytest.fixture
def quick(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make `create_demo_store` use the stand-in build."""
    monkeypatch.setattr(demo, "build_demo", _quick_build)


@pytest.mark.usefixtures("quick")
def test_refuses_a_store_with_real_data(db_path: Path) -> None:
    with Store.open(db_path) as real:
        real.create_officer(Officer(username="wayan", name="I Wayan Sudarma"))
    for force in (False, True):
        with pytest.raises(DemoRefused) as exc:
            create_demo_store(db_path, force=force)
        assert str(db_path) in exc.value.message()
    with pytest.raises(DemoRefused):
        ensure_demo_store(db_path)
    with Store.open(db_path, read_only=True) as real:
        assert not real.is_demo and real.officer_by_username("wayan") is not None


@pytest.mark.usefixtures("quick")
def test_force_builds_a_demo_store_afresh(db_path: Path) -> None:
    assert create_demo_store(db_path).created
    with Store.open(db_path) as store:
        store.use_actor(DEMO_SUPERVISOR.username)
        store.create_officer(Officer(username="extra", name="Someone Added"))
    assert not create_demo_store(db_path).created
    again = create_demo_store(db_path, force=True)
    assert again.created
    with Store.open(db_path, read_only=True) as store:
        assert store.is_demo and store.officer_by_username("extra") is None


@pytest.mark.usefixtures("quick")
def test_an_empty_store_is_filled(db_path: Path) -> None:
    Store.open(db_path).close()  # e.g. a first build that was interrupted: nothing saved
    assert create_demo_store(db_path).created
    assert ensure_demo_store(db_path) == db_path


def test_build_refuses_a_store_with_data() -> None:
    store = Store.memory()
    store.create_officer(Officer(username="wayan", name="I Wayan Sudarma"))
    with pytest.raises(DemoRefused):
        build_demo(store)
    assert not store.is_demo and len(store.officers()) == 1


# -- the parts, small ----------------------------------------------------------------------------


def test_same_seed_same_people() -> None:
    at = dt.datetime(2017, 8, 17, 12, 0, tzinfo=dt.UTC)

    def people(seed: int) -> list[SignUp]:
        maker = SignUpMaker(random.Random(seed))
        where = Where(SESETAN, dt.date(2016, 6, 1), "officer")
        made = [maker.signup(where) for _ in range(50)]
        return [replace(s, id="x", created_at=at, updated_at=at) for s in made]

    assert people(2017) == people(2017)
    assert people(2017) != people(1)


def test_split_adds_up() -> None:
    assert split(3_708, [0.34, 0.30, 0.14, 0.14, 0.08]) == [1261, 1112, 519, 519, 297]
    assert sum(split(100, [1.0, 1.0, 1.0])) == 100
    assert split(0, [1.0, 2.0]) == [0, 0]


def test_passes_fieldtui_check(built: tuple[Store, DemoSummary]) -> None:
    path = built[0].path
    assert path is not None
    report = check_store(path)
    assert report.ok and report.findings == []
