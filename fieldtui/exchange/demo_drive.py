"""The Cabang Bali Denpasar BPU drive of 2016–2017 as demo records: targets, banjars, visits.

The shape follows the drive as DOMAIN.md tells it: the three "desa sadar" pilot villages were worked
in 2016 — aparat desa first, then each banjar with its head, then door to door — and signed up
2,000 / 1,000 / 1,000 BPU workers; the rest of the branch's 7,708 participants by July 2017 came
from other villages, mostly in Denpasar and Badung; in August 2017 the branch kept a booth at
the Sesetan carnival on Lapangan Pegok. Against that, a 2017 branch target of 22,964.

Banjar names are plausible Balinese names, not a verified list; every person is synthetic.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from fieldtui.domain import clock
from fieldtui.domain.banjars import default_head_title
from fieldtui.domain.models import Banjar, Period, Visit, VisitType
from fieldtui.domain.regions import Kind, branch, gazetteer, villages_in_branch
from fieldtui.exchange.demo_signups import SignUpMaker, Where, split
from fieldtui.exchange.people import BIRTH_ORDER_MALE, PERSONAL_MALE
from fieldtui.store.repository import Store

BRANCH_CODE = "KC-BALI-DENPASAR"
YEAR = 2017
BRANCH_TARGET = 22_964
PARTICIPANTS_BY_JULY = 7_708
LAST_SIGNUP_DAY = dt.date(2017, 7, 31)
SESETAN, UBUNG_KAJA, DANGIN_PURI_KANGIN = "51.71.01.1003", "51.71.04.2008", "51.71.04.2001"
CARNIVAL = "Karnaval Sesetan 2017, Lapangan Pegok"
CARNIVAL_DAYS = tuple(dt.date(2017, 8, day) for day in range(13, 18))

# 2017 targets below the branch: kab/kota (adding up to the branch's) and the pilot villages.
KAB_TARGETS = {"51.71": 9_000, "51.03": 6_000, "51.02": 3_200, "51.08": 3_164, "51.01": 1_600}
PILOT_TARGETS = {SESETAN: 2_500, UBUNG_KAJA: 1_250, DANGIN_PURI_KANGIN: 1_250}

BANJARS = {
    SESETAN: (
        "Banjar Kaja", "Banjar Tengah", "Banjar Pegok", "Banjar Lantang Bejuh", "Banjar Gaduh",
        "Banjar Dukuh Sari", "Banjar Puri Gaji", "Banjar Suwung Batan Kendal", "Banjar Kelod",
        "Banjar Karya Dharma", "Banjar Sari Karya", "Banjar Taman Sari", "Banjar Dukuh Pesirahan",
        "Banjar Rangkan",
    ),
    UBUNG_KAJA: (
        "Banjar Dukuh", "Banjar Cepaka", "Banjar Lilit", "Banjar Bhuana Kaja",
        "Banjar Mekar Sari", "Banjar Tegal",
    ),
    DANGIN_PURI_KANGIN: (
        "Banjar Kedaton", "Banjar Tampak Gangsul", "Banjar Saraswati", "Banjar Kayumas Kaja",
        "Banjar Bun",
    ),
}  # fmt: skip
PILOT_START = {  # the aparat desa session that opened each pilot
    SESETAN: dt.date(2016, 2, 16),
    DANGIN_PURI_KANGIN: dt.date(2016, 3, 22),
    UBUNG_KAJA: dt.date(2016, 4, 19),
}
# The 3,708 sign-ups outside the pilots: share per kab/kota, villages worked in each.
OTHER_SHARE = {"51.71": 0.34, "51.03": 0.30, "51.02": 0.14, "51.08": 0.14, "51.01": 0.08}
OTHER_VILLAGES = {"51.71": 14, "51.03": 20, "51.02": 10, "51.08": 10, "51.01": 6}
_WEST_SOUTH = ("51.71.01", "51.71.03", "51.03")  # worked by the first officer


@dataclass(frozen=True, slots=True)
class Officers:
    """The ids of the demo users who log the drive."""

    first: str  # Denpasar Selatan/Barat and Badung
    second: str  # Denpasar Utara/Timur, Tabanan, Jembrana, Buleleng
    supervisor: str  # sets the targets

    def for_area(self, code: str) -> str:
        """The officer working the area of ``code``."""
        return self.first if code.startswith(_WEST_SOUTH) else self.second


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=clock.WITA)


def _days(rng: random.Random, low: int, high: int) -> dt.timedelta:
    return dt.timedelta(days=rng.randint(low, high))


class Drive:
    """Writes the drive into a store (inside the caller's batch)."""

    def __init__(self, store: Store, rng: random.Random, officers: Officers) -> None:
        self.store, self.rng, self.officers = store, rng, officers
        self.people = SignUpMaker(rng)

    def run(self) -> None:
        """Targets, the three pilots, the rest of the branch, then the carnival booth."""
        self.targets()
        found = branch(BRANCH_CODE)
        pilots = found.pilot_villages if found is not None else ()
        for pilot in pilots:
            self.pilot(pilot.code, pilot.signups)
        self.other_villages(PARTICIPANTS_BY_JULY - sum(p.signups for p in pilots))
        self.carnival()

    def targets(self) -> None:
        """The 2017 targets: branch, kab/kota and the pilot villages."""
        year = Period.year(YEAR)
        self.act_as(self.officers.supervisor)  # only supervisors set targets
        self.store.set_target(BRANCH_CODE, year, BRANCH_TARGET)
        for code, number in (KAB_TARGETS | PILOT_TARGETS).items():
            self.store.set_target(code, year, number)

    def act_as(self, officer_id: str) -> None:
        """Write as this user from now on (officers may only record their own work)."""
        actor = self.store.actor
        if actor is None or actor.id != officer_id:
            self.store.use_actor(self.store.get_officer(officer_id).username)

    def head_name(self) -> str:
        """A Balinese man's name for a banjar head or village official."""
        order = self.rng.choice(BIRTH_ORDER_MALE)
        return f"I {self.rng.choice(order)} {self.rng.choice(PERSONAL_MALE)}"

    def visit(
        self,
        desa_code: str,
        when: dt.datetime,
        kind: VisitType,
        *,
        officer_id: str | None = None,
        banjar_id: str | None = None,
        event_name: str = "",
        counterpart_name: str = "",
        counterpart_role: str = "",
        attendees: int = 0,
        notes: str = "",
        follow_up_on: dt.date | None = None,
    ) -> Visit:
        """Log one visit (by the officer of the area unless another is named)."""
        officer_id = officer_id or self.officers.for_area(desa_code)
        self.act_as(officer_id)
        return self.store.create_visit(
            Visit(
                officer_id=officer_id,
                desa_code=desa_code,
                started_at=when,
                visit_type=kind,
                banjar_id=banjar_id,
                event_name=event_name,
                counterpart_name=counterpart_name,
                counterpart_role=counterpart_role,
                attendees=attendees,
                notes=notes,
                follow_up_on=follow_up_on,
            )
        )

    def register(self, count: int, where: Where) -> None:
        """Sign up ``count`` people at ``where``."""
        for _ in range(count):
            signup = self.people.signup(where)
            self.act_as(signup.officer_id)
            self.store.create_signup(signup)

    # -- the pilot villages -------------------------------------------------------------------

    def pilot(self, code: str, total: int) -> None:
        """A 2016 desa sadar drive: aparat desa, every banjar, door to door, later follow-ups."""
        rng, village = self.rng, gazetteer().require(code)
        officer = self.officers.for_area(code)
        self.act_as(officer)  # the banjars are the area officer's
        title = default_head_title(code)
        banjars = [
            self.store.create_banjar(
                Banjar(desa_code=code, name=name, head_name=self.head_name(), head_title=title)
            )
            for name in BANJARS[code]
        ]
        chief = "Lurah" if village.kind is Kind.KELURAHAN else "Perbekel"
        start = PILOT_START[code]
        self.visit(
            code,
            _at(start, 9),
            VisitType.APARAT_DESA,
            counterpart_name=self.head_name(),
            counterpart_role=chief,
            attendees=rng.randint(18, 30),
            notes="Sosialisasi program BPU kepada aparat desa; rencana desa sadar BPJS TK.",
        )
        enrol_day = start + _days(rng, 12, 16)
        officials = self.visit(
            code,
            _at(enrol_day, 10),
            VisitType.APARAT_DESA,
            counterpart_role=chief,
            attendees=rng.randint(20, 35),
            notes="Pendaftaran aparat desa dan kepala banjar.",
        )
        n_officials = rng.randint(18, 26)
        for _ in range(n_officials):
            self.register(1, self._in(rng.choice(banjars), enrol_day, officer, officials))
        counts = split(total - n_officials, [rng.uniform(0.6, 1.4) for _ in banjars])
        day = enrol_day + _days(rng, 5, 9)
        for banjar, count in zip(banjars, counts, strict=True):
            self.banjar_drive(banjar, count, day, officer)
            day += _days(rng, 6, 12)
        for banjar in banjars:  # 2017: who has stopped paying?
            when = dt.date(2017, rng.randint(2, 7), rng.randint(1, 28))
            self.visit(
                code,
                _at(when, 19),
                VisitType.FOLLOW_UP,
                banjar_id=banjar.id,
                counterpart_name=banjar.head_name,
                counterpart_role=title,
                attendees=rng.randint(8, 30),
                follow_up_on=when + dt.timedelta(days=30),
                notes="Tindak lanjut peserta nonaktif; pembayaran iuran di balai banjar.",
            )

    def banjar_drive(self, banjar: Banjar, count: int, day: dt.date, officer: str) -> None:
        """A session at the balai banjar with its head, two rounds door to door, a follow-up."""
        rng, code = self.rng, banjar.desa_code
        session = self.visit(
            code,
            _at(day, 19),
            VisitType.BANJAR,
            banjar_id=banjar.id,
            counterpart_name=banjar.head_name,
            counterpart_role=banjar.head_title,
            attendees=rng.randint(60, 180),
            notes="Sosialisasi di balai banjar: JKK, JKM, JHT; pendaftaran di tempat.",
        )
        at_session = round(count * rng.uniform(0.45, 0.65))
        self.register(at_session, self._in(banjar, day, officer, session))
        rounds = split(count - at_session, [1.2, 1.0, 0.6])
        for i, share in enumerate(rounds):
            when = min(day + _days(rng, 5 + 7 * i, 10 + 7 * i), dt.date(2016, 12, 30))
            kind = VisitType.DOOR_TO_DOOR if i < 2 else VisitType.FOLLOW_UP
            visit = self.visit(
                code,
                _at(when, 16),
                kind,
                banjar_id=banjar.id,
                attendees=share,
                notes="Dari rumah ke rumah bersama kepala banjar."
                if i < 2
                else "Mendatangi warga yang belum sempat mendaftar.",
            )
            self.register(share, self._in(banjar, when, officer, visit))

    def _in(self, banjar: Banjar, day: dt.date, officer: str, visit: Visit) -> Where:
        village = gazetteer().require(banjar.desa_code).name
        return Where(
            desa_code=banjar.desa_code,
            registered_on=day,
            officer_id=officer,
            banjar_id=banjar.id,
            visit_id=visit.id,
            address=f"{banjar.name}, {village}",
        )

    # -- the rest of the branch ---------------------------------------------------------------

    def other_villages(self, total: int) -> None:
        """``total`` sign-ups over villages outside the pilots, January 2016 to July 2017."""
        rng = self.rng
        kabs = list(OTHER_SHARE)
        for kab, kab_total in zip(kabs, split(total, [OTHER_SHARE[k] for k in kabs]), strict=True):
            pool = [
                v.code
                for v in villages_in_branch(BRANCH_CODE)
                if v.code.startswith(kab + ".") and v.code not in PILOT_START
            ]
            chosen = sorted(rng.sample(pool, OTHER_VILLAGES[kab]))
            weights = [rng.uniform(0.3, 1.7) for _ in chosen]
            for code, count in zip(chosen, split(kab_total, weights), strict=True):
                self.village_drive(code, count)

    def village_drive(self, code: str, count: int) -> None:
        """Aparat desa, a few visits after it, and sign-ups at them or walking in later."""
        rng, officer = self.rng, self.officers.for_area(code)
        village = gazetteer().require(code)
        first = dt.date(2016, 1, 4) + _days(rng, 0, 500)  # up to mid-May 2017
        chief = "Lurah" if village.kind is Kind.KELURAHAN else "Perbekel"
        visits = [
            self.visit(
                code,
                _at(first, 9),
                VisitType.APARAT_DESA,
                counterpart_name=self.head_name(),
                counterpart_role=chief,
                attendees=rng.randint(10, 30),
                notes="Sosialisasi program BPU kepada aparat desa.",
            )
        ]
        day = first
        for _ in range(rng.randint(1, 3)):
            day += _days(rng, 10, 60)
            if day > LAST_SIGNUP_DAY:
                break
            kind = rng.choice((VisitType.BANJAR, VisitType.DOOR_TO_DOOR, VisitType.FOLLOW_UP))
            visits.append(self.visit(code, _at(day, 19), kind, attendees=rng.randint(15, 90)))
        at_visits = round(count * 0.6)
        for visit, share in zip(visits, split(at_visits, [1.0] * len(visits)), strict=True):
            where = Where(
                desa_code=code,
                registered_on=visit.started_at.date(),
                officer_id=visit.officer_id,
                visit_id=visit.id,
                address=village.name,
            )
            self.register(share, where)
        span = (LAST_SIGNUP_DAY - first).days
        for _ in range(count - at_visits):  # walked in at the branch office or a kiosk
            walk_in = first + _days(rng, 0, span)
            self.register(1, Where(code, walk_in, officer, address=village.name))

    # -- August 2017 --------------------------------------------------------------------------

    def carnival(self) -> None:
        """One booth a day at the Sesetan carnival, Lapangan Pegok, 13–17 August 2017."""
        for i, day in enumerate(CARNIVAL_DAYS):
            officer = self.officers.first if i % 2 == 0 else self.officers.second
            self.visit(
                SESETAN,
                _at(day, 16),
                VisitType.BOOTH,
                officer_id=officer,
                event_name=CARNIVAL,
                counterpart_role="Panitia karnaval",
                attendees=self.rng.randint(120, 320),
                notes="Booth BPJS Ketenagakerjaan: informasi, pendaftaran dan pembayaran iuran.",
            )
