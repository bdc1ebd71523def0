"""What the registration form holds, what blocks saving it, and the `SignUp` it becomes.

Kept apart from the screen so the rules read in one place: the screen gathers `FormValues`
from its widgets, asks `problems` what blocks saving (shown next to each field), `contribution`
for the live figures, and `build_signup` for the record handed to the store.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from fieldtui.domain import clock, occupations
from fieldtui.domain.contributions import Contribution, contribution_for
from fieldtui.domain.models import (
    BpuCategory,
    Consent,
    Participant,
    Payment,
    PaymentMethod,
    Sex,
    SignUp,
)
from fieldtui.domain.nik import NikResult, parse_nik
from fieldtui.domain.phone import parse_phone
from fieldtui.i18n import t

# The form's fields, in Tab order; each is shown by a FormField with id "field-<name>".
FIELDS = (
    "nik",
    "name",
    "birth",
    "sex",
    "phone",
    "occupation",
    "category",
    "desa",
    "banjar",
    "programmes",
    "income",
    "months",
    "paid",
    "method",
    "receipt",
    "agent",
    "notes",
    "consent",
)
MONTHS = (1, 3, 6, 12)

# Which field an issue from the store belongs next to (by the start of its i18n key).
_ISSUE_FIELDS = (
    ("nik.", "nik"),
    ("phone.", "phone"),
    ("repository.issue.name_required", "name"),
    ("repository.issue.consent_required", "consent"),
    ("repository.issue.negative_income", "income"),
    ("repository.issue.bad_payment", "months"),
    ("repository.issue.unknown_desa", "desa"),
    ("repository.issue.unknown_banjar", "banjar"),
    ("repository.issue.banjar_elsewhere", "banjar"),
)


def field_of_issue(code: str) -> str | None:
    """The form field an issue is shown next to (None: shown for the whole form)."""
    return next((name for prefix, name in _ISSUE_FIELDS if code.startswith(prefix)), None)


@dataclass(frozen=True, slots=True)
class FormValues:
    """Everything typed or picked in the registration form, as plain values."""

    nik: str = ""
    name: str = ""
    birth_text: str = ""
    birth_date: dt.date | None = None
    sex: Sex | None = None
    phone: str = ""
    occupation: str | None = None
    category: BpuCategory = BpuCategory.PEKERJA_MANDIRI
    desa: str | None = None
    banjar_id: str | None = None
    jht: bool = False
    income: int | None = None
    months: int = 1
    paid_now: bool = False
    method: PaymentMethod = PaymentMethod.CASH
    receipt: str = ""
    agent: str = ""
    notes: str = ""
    consent: bool = False

    def typed(self) -> tuple[object, ...]:
        """What the officer typed for this person (not the place defaults): to spot unsaved work."""
        return (
            self.nik.strip(),
            self.name.strip(),
            self.birth_text.strip(),
            self.phone.strip(),
            self.occupation,
            self.income,
            self.receipt.strip(),
            self.agent.strip(),
            self.notes.strip(),
            self.consent,
        )

    def check_nik(self, today: dt.date) -> NikResult:
        """The NIK checked, cross-checked with the birth date and sex as typed."""
        return parse_nik(
            self.nik, today=today, typed_birth_date=self.birth_date, typed_sex=self.sex
        )


def contribution(values: FormValues, on: dt.date) -> Contribution | None:
    """The live contribution for the income typed (None until an income is typed)."""
    if values.income is None:
        return None
    return contribution_for(
        values.income,
        on=on,
        sector=occupations.sector_of(values.occupation or ""),
        jht=values.jht,
        category=values.category,
        months=values.months,
    )


def problems(values: FormValues, today: dt.date, *, duplicate: SignUp | None) -> dict[str, str]:
    """What blocks saving, by field (empty when the form can be saved), translated."""
    out: dict[str, str] = {}
    nik = values.check_nik(today)
    if nik.errors:
        out["nik"] = nik.errors[0].message()
    elif duplicate is not None:
        out["nik"] = t("signups.form.nik_taken")
    if not values.name.strip():
        out["name"] = t("repository.issue.name_required")
    if values.birth_date is None:
        out["birth"] = (
            t("form.bad_date") if values.birth_text.strip() else t("signups.form.birth_required")
        )
    if values.sex is None:
        out["sex"] = t("signups.form.sex_required")
    phone_error = parse_phone(values.phone).error
    if phone_error is not None:
        out["phone"] = phone_error.message()
    if values.occupation is None:
        out["occupation"] = t("signups.form.occupation_required")
    if values.desa is None:
        out["desa"] = t("signups.form.desa_required")
    if values.income is None:
        out["income"] = t("signups.form.income_required")
    if not values.consent:
        out["consent"] = t("repository.issue.consent_required")
    return out


def build_signup(
    values: FormValues,
    *,
    base: SignUp | None,
    officer_id: str,
    today: dt.date,
    visit_id: str | None,
) -> SignUp:
    """The sign-up to save: a new one, or ``base`` with the form's values (id and history kept).

    Call only when `problems` is empty: the NIK's birth date and sex fill what is missing.
    """
    nik = values.check_nik(today)
    birth = values.birth_date or nik.birth_date or today
    sex = values.sex or nik.sex or Sex.FEMALE
    phone = parse_phone(values.phone).e164
    participant = Participant(
        nik=nik.digits,
        name=" ".join(values.name.split()),
        birth_date=birth,
        sex=sex,
        phone=phone,
        occupation_code=values.occupation or "",
        address=base.participant.address if base is not None else "",
    )
    registered_on = base.registered_on if base is not None else today
    figures = contribution(dataclasses.replace(values, months=1), registered_on)
    monthly = figures.monthly_rp if figures is not None else 0
    payments = base.payments if base is not None else ()
    if values.paid_now:
        due = contribution(values, today)
        payments = (
            *payments,
            Payment(
                months=values.months,
                amount_rp=due.period_rp if due is not None else 0,
                period_start=clock.month_start(today),
                paid_on=today,
                method=values.method,
                receipt_no=values.receipt.strip(),
            ),
        )
    if base is not None and base.consent.given and values.consent:
        consent = base.consent
    else:
        consent = Consent(given=values.consent, at=clock.now(), recorded_by=officer_id)
    draft = base or SignUp(
        officer_id=officer_id,
        desa_code="",
        participant=participant,
        income_rp=0,
        registered_on=registered_on,
        consent=consent,
        visit_id=visit_id,
    )
    return dataclasses.replace(
        draft,
        desa_code=values.desa or "",
        participant=participant,
        income_rp=values.income or 0,
        consent=consent,
        category=values.category,
        banjar_id=values.banjar_id,
        jht=values.jht or values.category is BpuCategory.PEMBERI_KERJA,
        monthly_contribution_rp=monthly,
        payments=payments,
        agent=values.agent.strip(),
        notes=values.notes.strip(),
    )


def values_of(signup: SignUp) -> FormValues:
    """The form's values for editing a saved sign-up (no new payment)."""
    person = signup.participant
    return FormValues(
        nik=person.nik,
        name=person.name,
        birth_text=person.birth_date.strftime("%d-%m-%Y"),
        birth_date=person.birth_date,
        sex=person.sex,
        phone=person.phone or "",
        occupation=person.occupation_code or None,
        category=signup.category,
        desa=signup.desa_code,
        banjar_id=signup.banjar_id,
        jht=signup.jht,
        income=signup.income_rp,
        agent=signup.agent,
        notes=signup.notes,
        consent=signup.consent.given,
    )
