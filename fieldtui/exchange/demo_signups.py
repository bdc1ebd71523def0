"""Synthetic BPU sign-ups for the demo store: NIK, phone, work, declared income, payments.

Everything is drawn from one seeded `random.Random`, so the same seed gives the same people.
NIKs are valid in shape and unique (serials count up per area and birth date); phones are valid
Indonesian mobile numbers; contributions come from `contribution_for` on the registration day.
Payment histories end on `DEMO_DAY`: most participants are paid up, some stopped paying
(nonaktif after three months) and some never paid.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass

from fieldtui.domain import clock, occupations
from fieldtui.domain.contributions import contribution_for
from fieldtui.domain.models import (
    BpuCategory,
    Consent,
    Participant,
    Payment,
    PaymentMethod,
    Sex,
    SignUp,
)
from fieldtui.domain.nik import make_nik
from fieldtui.domain.regions import Level, gazetteer
from fieldtui.exchange.people import MIGRANT_FEMALE, MIGRANT_MALE, person

DEMO_DAY = dt.date(2017, 8, 17)  # the store shows the drive as it stood on this day

# Where migrants' KTPs were issued: Banyuwangi, Surabaya, Jember, Mataram, Kupang.
_MIGRANT_AREAS = ("35.10.05", "35.78.01", "35.09.02", "52.71.01", "53.71.02")
_MOBILE_PREFIXES = (
    "811", "812", "813", "821", "822", "823", "852", "853", "814", "815", "816", "855",
    "856", "857", "858", "817", "818", "819", "859", "877", "878", "895", "896", "897",
    "898", "899", "881", "882", "887", "888",
)  # fmt: skip
_INCOMES = (  # declared monthly income (rupiah) and how often it is declared
    (1_000_000, 22), (1_200_000, 10), (1_500_000, 18), (1_800_000, 8), (2_000_000, 14),
    (2_500_000, 10), (3_000_000, 9), (3_500_000, 4), (4_000_000, 3), (5_000_000, 2),
)  # fmt: skip
_GROUP_WEIGHTS = {  # how common each kind of work is among Bali's BPU sign-ups (a guess)
    "perdagangan": 4.0, "pertanian": 2.0, "perikanan": 1.0, "transportasi": 2.0,
    "jasa": 2.0, "kerajinan": 1.5, "seni": 1.0, "profesional": 0.5, "umkm": 1.5,
    "rohaniwan": 0.4, "lainnya": 0.4,
}  # fmt: skip
_PERIODS, _PERIOD_WEIGHTS = (1, 3, 6, 12), (35, 35, 18, 12)
_METHODS = (PaymentMethod.CASH, PaymentMethod.TRANSFER, PaymentMethod.AUTODEBIT)
_METHOD_WEIGHTS = (70, 20, 10)
ACTIVE, LAPSED, UNPAID = "active", "lapsed", "unpaid"
_STATUS_WEIGHTS = ((ACTIVE, 72), (LAPSED, 20), (UNPAID, 8))


@dataclass(frozen=True, slots=True)
class Where:
    """Where and how a sign-up happens."""

    desa_code: str
    registered_on: dt.date
    officer_id: str
    banjar_id: str | None = None
    visit_id: str | None = None
    address: str = ""


class SignUpMaker:
    """Makes synthetic sign-ups, each with a NIK no other sign-up of this maker has."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self._serials: dict[str, int] = {}  # first 12 NIK digits -> next free serial
        self._receipts = 0
        self._jobs = occupations.all()
        self._job_weights = [_GROUP_WEIGHTS.get(o.group, 0.5) for o in self._jobs]
        self._kecamatan = tuple(
            r.code for r in gazetteer().descendants("51", Level.KECAMATAN) if r.code != "51"
        )
        self._migrants = frozenset(MIGRANT_MALE + MIGRANT_FEMALE)

    def nik(self, area: str, born: dt.date, sex: Sex) -> str:
        """A valid NIK never handed out before by this maker."""
        prefix = make_nik(area, born, sex)[:12]
        serial = self._serials.get(prefix) or self.rng.randint(1, 40)
        self._serials[prefix] = serial + self.rng.randint(1, 3)
        return make_nik(area, born, sex, serial)

    def phone(self) -> str:
        """A valid Indonesian mobile number in E.164."""
        digits = "".join(str(self.rng.randint(0, 9)) for _ in range(self.rng.choice((7, 8))))
        return f"+62{self.rng.choice(_MOBILE_PREFIXES)}{digits}"

    def _area(self, name: str, desa_code: str) -> str:
        if name in self._migrants:
            return self.rng.choice(_MIGRANT_AREAS)
        if self.rng.random() < 0.12:  # born or first registered elsewhere in Bali
            return self.rng.choice(self._kecamatan)
        return desa_code.rsplit(".", 1)[0]

    def signup(self, where: Where) -> SignUp:
        """One participant registered at ``where``, with payments up to `DEMO_DAY`."""
        rng, day = self.rng, where.registered_on
        who = person(rng, on=day)
        job = rng.choices(self._jobs, weights=self._job_weights)[0]
        income = rng.choices([i for i, _ in _INCOMES], weights=[w for _, w in _INCOMES])[0]
        employer = job.group == "umkm" and rng.random() < 0.5
        category = BpuCategory.PEMBERI_KERJA if employer else BpuCategory.PEKERJA_MANDIRI
        jht = employer or rng.random() < 0.15
        monthly = contribution_for(
            income, on=day, sector=job.sector, jht=jht, category=category
        ).monthly_rp
        at = dt.datetime.combine(day, dt.time(19, rng.randint(0, 59)), tzinfo=clock.WITA)
        return SignUp(
            officer_id=where.officer_id,
            desa_code=where.desa_code,
            participant=Participant(
                nik=self.nik(self._area(who.name, where.desa_code), who.birth_date, who.sex),
                name=who.name,
                birth_date=who.birth_date,
                sex=who.sex,
                phone=self.phone() if rng.random() < 0.85 else None,
                occupation_code=job.code,
                address=where.address,
            ),
            income_rp=income,
            registered_on=day,
            consent=Consent(given=True, at=at, recorded_by=where.officer_id),
            category=category,
            banjar_id=where.banjar_id,
            visit_id=where.visit_id,
            jht=jht,
            monthly_contribution_rp=monthly,
            payments=self.payments(day, monthly),
        )

    def payments(self, registered_on: dt.date, monthly_rp: int) -> tuple[Payment, ...]:
        """A payment history from registration to `DEMO_DAY`: paid up, lapsed or none."""
        rng = self.rng
        status = rng.choices([s for s, _ in _STATUS_WEIGHTS], [w for _, w in _STATUS_WEIGHTS])[0]
        if status == UNPAID:
            return ()
        last_pay = DEMO_DAY
        if status == LAPSED:
            # Stopped paying some months back: at least one payment, none after April 2017.
            latest = dt.date(2017, 4, 30)
            if registered_on < latest:
                span = (latest - registered_on).days
                last_pay = registered_on + dt.timedelta(days=rng.randint(0, span))
        months = rng.choices(_PERIODS, _PERIOD_WEIGHTS)[0]
        method = rng.choices(_METHODS, _METHOD_WEIGHTS)[0]
        start, paid_on = clock.month_start(registered_on), registered_on
        out: list[Payment] = []
        while paid_on <= last_pay and start <= DEMO_DAY:
            out.append(
                Payment(
                    months=months,
                    amount_rp=monthly_rp * months,
                    period_start=start,
                    paid_on=paid_on,
                    method=method,
                    receipt_no=self._receipt(paid_on) if method is PaymentMethod.CASH else "",
                )
            )
            start = clock.add_months(start, months)
            paid_on = start + dt.timedelta(days=rng.randint(0, 14))  # due by the 15th
        return tuple(out)

    def _receipt(self, paid_on: dt.date) -> str:
        self._receipts += 1
        return f"KW-{paid_on:%y%m}-{self._receipts:06d}"


def split(total: int, weights: Sequence[float]) -> list[int]:
    """``total`` shared out in proportion to ``weights`` (largest remainders; sums exactly)."""
    whole = sum(weights)
    exact = [total * w / whole for w in weights]
    shares = [int(x) for x in exact]
    by_remainder = sorted(range(len(exact)), key=lambda i: (shares[i] - exact[i], i))
    for i in by_remainder[: total - sum(shares)]:
        shares[i] += 1
    return shares
