"""Typed, immutable records of the job: officers, banjars, visits, sign-ups, targets, reviews.

Every record has a ULID ``id`` (globally unique, sortable by creation time) and aware
``created_at`` / ``updated_at`` timestamps in WITA. Records are frozen: change one with
`dataclasses.replace`. Soft-deleted records keep their data and carry ``deleted_at`` and
``deleted_reason``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from fieldtui.domain import clock
from fieldtui.domain.ids import new_id


class Role(StrEnum):
    """What a user of a store may do."""

    OFFICER = "officer"
    SUPERVISOR = "supervisor"
    VIEWER = "viewer"


class Sex(StrEnum):
    """Sex as on the KTP (and encoded in the NIK)."""

    MALE = "L"  # laki-laki
    FEMALE = "P"  # perempuan


class VisitType(StrEnum):
    """Kinds of outreach, in the order a village drive usually goes."""

    APARAT_DESA = "aparat_desa"  # sosialisasi to village officials (Lurah/Perbekel)
    BANJAR = "banjar"  # sosialisasi at the balai banjar with its head
    BOOTH = "booth"  # a booth at an event (carnival, market)
    DOOR_TO_DOOR = "door_to_door"
    FOLLOW_UP = "follow_up"


class BpuCategory(StrEnum):
    """BPU participant categories (Permenaker 5/2021)."""

    PEKERJA_MANDIRI = "pekerja_mandiri"  # self-employed worker
    PEMBERI_KERJA = "pemberi_kerja"  # a BPU who is an employer: JHT is compulsory
    LUAR_HUBUNGAN_KERJA = "luar_hubungan_kerja"  # working outside an employment relation


class ReviewState(StrEnum):
    """Review states as in ODK Central."""

    NEW = "new"
    EDITED = "edited"
    HAS_ISSUES = "has_issues"  # perlu perbaikan
    APPROVED = "approved"
    REJECTED = "rejected"


class RecordKind(StrEnum):
    """The kinds of record a review or an audit entry can be about."""

    OFFICER = "officer"
    BANJAR = "banjar"
    VISIT = "visit"
    SIGNUP = "signup"
    TARGET = "target"
    REVIEW = "review"
    STORE = "store"


class AuditAction(StrEnum):
    """What an audit entry records."""

    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    RESTORE = "restore"
    REVEAL = "reveal"  # a NIK or phone shown unmasked
    EXPORT = "export"
    REVIEW = "review"
    IMPORT = "import"
    MERGE = "merge"


class PaymentMethod(StrEnum):
    """How a contribution was paid."""

    CASH = "cash"  # tunai at the booth, with a receipt number
    TRANSFER = "transfer"
    AUTODEBIT = "autodebit"
    AGENT = "agent"  # through a Perisai agent


@dataclass(frozen=True, slots=True, kw_only=True)
class Officer:
    """A user of a store: an officer, a supervisor or a viewer."""

    username: str  # the OS login name this user is known by
    name: str
    role: Role = Role.OFFICER
    phone: str | None = None  # E.164
    pin_hash: str | None = None  # slow salted hash; never the PIN itself
    active: bool = True
    id: str = field(default_factory=new_id)
    created_at: dt.datetime = field(default_factory=clock.now)
    updated_at: dt.datetime = field(default_factory=clock.now)


@dataclass(frozen=True, slots=True, kw_only=True)
class Banjar:
    """A banjar: a user-defined neighbourhood under a desa/kelurahan."""

    desa_code: str  # e.g. "51.71.01.1003"
    name: str  # e.g. "Banjar Kaja"
    head_name: str = ""
    head_title: str = ""  # Kepala Lingkungan, Kelian Dinas, Kepala Dusun, Kelian Adat
    notes: str = ""
    created_by: str = ""  # officer id
    id: str = field(default_factory=new_id)
    created_at: dt.datetime = field(default_factory=clock.now)
    updated_at: dt.datetime = field(default_factory=clock.now)
    deleted_at: dt.datetime | None = None
    deleted_reason: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Visit:
    """One outreach visit: when, where, what kind, who came, what follows."""

    officer_id: str
    desa_code: str
    started_at: dt.datetime  # WITA
    visit_type: VisitType = VisitType.BANJAR
    banjar_id: str | None = None
    event_name: str = ""  # e.g. "Sesetan carnival, Lapangan Pegok"
    counterpart_name: str = ""
    counterpart_role: str = ""  # e.g. "Kepala Lingkungan"
    attendees: int = 0
    notes: str = ""
    follow_up_on: dt.date | None = None
    review_state: ReviewState = ReviewState.NEW
    id: str = field(default_factory=new_id)
    created_at: dt.datetime = field(default_factory=clock.now)
    updated_at: dt.datetime = field(default_factory=clock.now)
    deleted_at: dt.datetime | None = None
    deleted_reason: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Participant:
    """The person being registered, as on the KTP."""

    nik: str
    name: str
    birth_date: dt.date
    sex: Sex
    phone: str | None = None  # E.164, "+628..."
    occupation_code: str = ""  # see domain.occupations
    address: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Payment:
    """One payment covering ``months`` months from ``period_start`` (first of a month)."""

    months: int  # 1, 3, 6 or 12
    amount_rp: int
    period_start: dt.date
    paid_on: dt.date
    method: PaymentMethod = PaymentMethod.CASH
    receipt_no: str = ""

    @property
    def covered_until(self) -> dt.date:
        """The first day no longer covered by this payment."""
        return clock.add_months(self.period_start, self.months)


@dataclass(frozen=True, slots=True, kw_only=True)
class Consent:
    """The participant's consent to the processing of their personal data (UU 27/2022)."""

    given: bool
    at: dt.datetime | None = None
    recorded_by: str = ""  # officer id


@dataclass(frozen=True, slots=True, kw_only=True)
class SignUp:
    """A BPU registration: participant, programmes, declared income, payments, consent."""

    officer_id: str
    desa_code: str
    participant: Participant
    income_rp: int  # declared monthly income
    registered_on: dt.date
    consent: Consent
    category: BpuCategory = BpuCategory.PEKERJA_MANDIRI
    banjar_id: str | None = None
    visit_id: str | None = None
    jht: bool = False  # JKK and JKM are always included
    government_funded: bool = False  # paid from APBN/APBD: no PP 50/2025 discount
    monthly_contribution_rp: int = 0  # as computed on registered_on
    payments: tuple[Payment, ...] = ()
    agent: str = ""  # Perisai agent or association (wadah), optional
    notes: str = ""
    review_state: ReviewState = ReviewState.NEW
    id: str = field(default_factory=new_id)
    created_at: dt.datetime = field(default_factory=clock.now)
    updated_at: dt.datetime = field(default_factory=clock.now)
    deleted_at: dt.datetime | None = None
    deleted_reason: str = ""

    @property
    def paid_until(self) -> dt.date | None:
        """The first day not covered by any payment, or None if nothing was ever paid."""
        if not self.payments:
            return None
        return max(p.covered_until for p in self.payments)

    @property
    def is_paid(self) -> bool:
        """True when at least one payment was recorded."""
        return bool(self.payments)


@dataclass(frozen=True, slots=True, kw_only=True)
class Period:
    """An inclusive date range: a year, a month, or any custom span."""

    start: dt.date
    end: dt.date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("period ends before it starts")

    def contains(self, day: dt.date) -> bool:
        """True when ``day`` falls in the period."""
        return self.start <= day <= self.end

    @classmethod
    def year(cls, year: int) -> Period:
        """1 Jan to 31 Dec of ``year``."""
        return cls(start=dt.date(year, 1, 1), end=dt.date(year, 12, 31))

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        """The whole calendar month."""
        start = dt.date(year, month, 1)
        return cls(start=start, end=clock.add_months(start, 1) - dt.timedelta(days=1))

    @classmethod
    def parse(cls, text: str) -> Period:
        """'2017', '2026-11' or '2026-01-01..2026-03-31'; ValueError otherwise."""
        text = text.strip()
        if ".." in text:
            a, b = text.split("..", 1)
            return cls(start=dt.date.fromisoformat(a), end=dt.date.fromisoformat(b))
        parts = text.split("-")
        if len(parts) == 1 and len(parts[0]) == 4 and parts[0].isdigit():
            return cls.year(int(parts[0]))
        if len(parts) == 2 and all(p.isdigit() for p in parts) and len(parts[0]) == 4:
            return cls.month(int(parts[0]), int(parts[1]))
        raise ValueError(text)

    @property
    def key(self) -> str:
        """A compact, parseable label: '2017', '2026-11' or 'start..end'."""
        if self.start == dt.date(self.start.year, 1, 1) and self.end == dt.date(
            self.start.year, 12, 31
        ):
            return str(self.start.year)
        if self.start.day == 1 and self == Period.month(self.start.year, self.start.month):
            return f"{self.start.year:04d}-{self.start.month:02d}"
        return f"{self.start.isoformat()}..{self.end.isoformat()}"


@dataclass(frozen=True, slots=True, kw_only=True)
class Target:
    """A sign-up target for a region (branch, kab/kota, kecamatan, desa or banjar) and period.

    ``region_code`` is a Kemendagri code ("51.71.01.1003"), a branch code ("KC-BALI-DENPASAR")
    or a banjar id (a ULID).
    """

    region_code: str
    period: Period
    number: int
    set_by: str = ""  # officer id
    id: str = field(default_factory=new_id)
    created_at: dt.datetime = field(default_factory=clock.now)
    updated_at: dt.datetime = field(default_factory=clock.now)
    deleted_at: dt.datetime | None = None
    deleted_reason: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Review:
    """A supervisor's decision on a visit or sign-up."""

    record_kind: RecordKind
    record_id: str
    reviewer_id: str
    state: ReviewState
    comment: str = ""  # required for HAS_ISSUES and REJECTED
    id: str = field(default_factory=new_id)
    created_at: dt.datetime = field(default_factory=clock.now)


@dataclass(frozen=True, slots=True, kw_only=True)
class FieldChange:
    """One field's value before and after a change (dotted path for nested fields)."""

    field: str
    before: object
    after: object


@dataclass(frozen=True, slots=True, kw_only=True)
class AuditEntry:
    """One append-only line of the audit trail: who did what to which record, when and why."""

    actor_id: str
    action: AuditAction
    record_kind: RecordKind
    record_id: str
    changes: tuple[FieldChange, ...] = ()
    reason: str = ""
    id: str = field(default_factory=new_id)
    at: dt.datetime = field(default_factory=clock.now)
