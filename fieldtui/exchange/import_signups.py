"""One spreadsheet row -> one `SignUp`, checked by the rules of the registration form.

What the form requires, a row requires: a valid NIK (birth date and sex are taken from it when
the row leaves them out), a name, an occupation, the desa, the income and the participant's
consent; a phone, if given, must be a valid mobile number. The contribution is worked out as the
form does (on the registration date, by the occupation's sector). A NIK already in the store makes
the row "already present"; the same NIK twice in the file is refused the second time.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from fieldtui.domain import clock, occupations
from fieldtui.domain.contributions import ContributionError, Sector, contribution_for
from fieldtui.domain.issues import Issue
from fieldtui.domain.models import (
    BpuCategory,
    Consent,
    Participant,
    Payment,
    PaymentMethod,
    SignUp,
)
from fieldtui.domain.nik import clean_nik, parse_nik
from fieldtui.domain.phone import parse_phone
from fieldtui.exchange import import_values as v
from fieldtui.exchange.import_base import Outcome, RowContext, Rows
from fieldtui.exchange.import_values import CellRefused
from fieldtui.exchange.readers import Cell
from fieldtui.store.import_rows import create_imported_signup

MONTHS = (1, 3, 6, 12)
# What the NIK says that is worth a second look, though the form saves it (as it does here).
_WARNINGS = {
    "nik.warning.birth_date_mismatch": "birth_date",
    "nik.warning.sex_mismatch": "sex",
    "nik.warning.too_young": "nik",
    "nik.warning.too_old": "nik",
}
# Which column a store issue belongs to (by the start of its i18n key).
_ISSUE_COLUMNS = (
    ("nik.", "nik"),
    ("phone.", "phone"),
    ("repository.issue.name_required", "name"),
    ("repository.issue.consent_required", "consent"),
    ("repository.issue.negative_income", "income_rp"),
    ("repository.issue.bad_payment", "last_payment_months"),
    ("repository.issue.unknown_desa", "desa"),
    ("repository.issue.unknown_banjar", "banjar"),
    ("repository.issue.banjar_elsewhere", "banjar"),
)


def column_of_issue(code: str) -> str:
    """The column a store issue is reported against ("" for the row as a whole)."""
    return next((key for prefix, key in _ISSUE_COLUMNS if code.startswith(prefix)), "")


class SignUpRows(Rows):
    """Sign-up rows of one file."""

    issue_column = staticmethod(column_of_issue)

    def __init__(self, context: RowContext) -> None:
        super().__init__(context)
        self._seen: dict[str, int] = {}  # NIK -> the row that had it first

    def handle(self, number: int, cells: list[Cell]) -> Outcome:
        """Import (or, in a dry run, check) one row."""
        problems: list[CellRefused] = []
        self.warnings = []
        nik = self._nik(cells, problems)
        if nik is not None:
            first = self._seen.get(nik)
            if first is not None:
                return [v.refuse("nik", "import.reason.nik_repeated", row=first)]
            self._seen[nik] = number
            if self.context.store.find_by_nik(nik) is not None:
                return "present"
        signup, banjar = self._signup(cells, nik, problems)
        if problems or signup is None:
            return problems
        return self.save(signup, banjar, number)

    def _nik(self, cells: list[Cell], problems: list[CellRefused]) -> str | None:
        try:
            typed = v.text("nik", self.cell(cells, "nik"))
        except CellRefused as exc:
            problems.append(exc)
            return None
        if "*" in typed:
            problems.append(v.refuse("nik", "import.reason.nik_masked"))
            return None
        if not typed:
            problems.append(v.refuse("nik", "nik.error.empty"))
            return None
        return clean_nik(typed) or None

    def _signup(
        self, cells: list[Cell], nik: str | None, problems: list[CellRefused]
    ) -> tuple[SignUp | None, str | None]:
        """The sign-up a row describes and the new banjar it needs (None when it needs none)."""
        get = self.getter(cells, problems)
        registered_on = get(v.date_value, "registered_on") or self.context.today
        if registered_on > self.context.today:
            problems.append(v.refuse("registered_on", "import.reason.future_date"))
        birth = get(v.date_value, "birth_date")
        sex = get(v.sex_value, "sex")
        checked = parse_nik(nik or "", today=registered_on, typed_birth_date=birth, typed_sex=sex)
        if nik is not None:
            problems += [CellRefused("nik", issue) for issue in checked.errors]
        self.warnings = [
            CellRefused(_WARNINGS[w.code], w) for w in checked.warnings if w.code in _WARNINGS
        ]
        name = " ".join((get(v.plain_text, "name") or "").split())
        if not name and "name" not in {p.key for p in problems}:
            problems.append(v.refuse("name", "repository.issue.name_required"))
        phone = self._phone(cells, problems)
        occupation = self.guard(problems, lambda: self.occupation(cells))
        desa = self.guard(problems, lambda: self.desa(cells))
        banjar_id, new_banjar = self.banjar(cells, desa, problems)
        category = get(v.category_value, "category") or BpuCategory.PEKERJA_MANDIRI
        income = get(v.money, "income_rp")
        if income is None and "income_rp" not in {p.key for p in problems}:
            problems.append(v.refuse("income_rp", "import.reason.income_required"))
        jht = bool(get(v.yes_no, "jht")) or category is BpuCategory.PEMBERI_KERJA
        funded = bool(get(v.yes_no, "government_funded"))
        consent = get(v.yes_no, "consent")
        if not consent and "consent" not in {p.key for p in problems}:
            problems.append(v.refuse("consent", "repository.issue.consent_required"))
        consent_at = get(v.datetime_value, "consent_at") or clock.now()
        texts = {key: get(v.plain_text, key) or "" for key in ("address", "agent", "notes")}
        if problems or income is None or occupation is None or desa is None:
            # The store checks the phone of a row it gets; a refused row gets it checked here,
            # so that every problem of the row is reported at once.
            phone_error = parse_phone(phone).error if phone else None
            if phone_error is not None:
                problems.append(CellRefused("phone", phone_error))
            return None, None
        born = birth or checked.birth_date
        sex = sex or checked.sex
        if born is None or sex is None:
            return None, None  # only with a NIK already refused above
        sector = occupations.sector_of(occupation)
        try:
            monthly = contribution_for(
                income,
                on=registered_on,
                sector=sector,
                jht=jht,
                category=category,
                government_funded=funded,
            ).monthly_rp
        except ContributionError as exc:
            problems.append(CellRefused("income_rp", Issue(exc.key, exc.fields)))
            return None, None
        payment = self._payment(cells, problems, income, registered_on, sector, jht, category)
        if problems:
            return None, None
        actor = self.context.actor_id
        signup = SignUp(
            officer_id=actor,
            desa_code=desa,
            participant=Participant(
                nik=nik or "",
                name=name,
                birth_date=born,
                sex=sex,
                phone=_as_stored(phone),
                occupation_code=occupation,
                address=texts["address"],
            ),
            income_rp=income,
            registered_on=registered_on,
            consent=Consent(given=True, at=consent_at, recorded_by=actor),
            category=category,
            banjar_id=banjar_id,
            jht=jht,
            government_funded=funded,
            monthly_contribution_rp=monthly,
            payments=() if payment is None else (payment,),
            agent=texts["agent"],
            notes=texts["notes"],
        )
        return signup, new_banjar

    def _phone(self, cells: list[Cell], problems: list[CellRefused]) -> str | None:
        """The phone as typed (None when empty); a masked one is refused."""
        try:
            typed = v.text("phone", self.cell(cells, "phone"))
        except CellRefused as exc:
            problems.append(exc)
            return None
        if "*" in typed:
            problems.append(v.refuse("phone", "import.reason.phone_masked"))
            return None
        return typed or None  # checked and written as +62… by the store, with the rest

    def _payment(
        self,
        cells: list[Cell],
        problems: list[CellRefused],
        income: int,
        registered_on: dt.date,
        sector: Sector,
        jht: bool,
        category: BpuCategory,
    ) -> Payment | None:
        """The row's (last) payment, if it records one."""
        get = self.getter(cells, problems)
        count = get(v.whole_number, "payments")
        months = get(v.whole_number, "last_payment_months")
        if not months or count == 0:
            return None
        if months not in MONTHS:
            problems.append(v.refuse("last_payment_months", "import.reason.bad_months"))
            return None
        paid_on = get(v.date_value, "last_paid_on") or registered_on
        amount = get(v.money, "last_payment_rp")
        if amount is None:
            amount = contribution_for(
                income, on=paid_on, sector=sector, jht=jht, category=category, months=months
            ).period_rp
        until = get(v.date_value, "paid_until")
        start = clock.add_months(until, -months) if until else clock.month_start(paid_on)
        method = get(v.method_value, "last_payment_method") or PaymentMethod.CASH
        receipt = get(v.plain_text, "last_receipt_no") or ""
        return Payment(
            months=months,
            amount_rp=amount,
            period_start=start,
            paid_on=paid_on,
            method=method,
            receipt_no=receipt,
        )

    def save(self, signup: SignUp, new_banjar: str | None, number: int) -> Outcome:
        """Check (dry run) or write the sign-up, adding its banjar first when it is new."""
        store = self.context.store
        if self.context.dry_run or new_banjar is not None:
            # A new banjar is written only for a row that will be saved: check the row first.
            issues = store.validate_signup(dataclasses.replace(signup, banjar_id=None))
            if issues:
                return self.issue_problems(issues)

        def run() -> None:
            record = signup
            if new_banjar is not None:
                banjar_id = self.create_banjar(record.desa_code, new_banjar, number)
                record = dataclasses.replace(record, banjar_id=banjar_id)
            if not self.context.dry_run:
                create_imported_signup(store, record, reason=self.reason(number))

        return self.write(run)


def _as_stored(phone: str | None) -> str | None:
    """The phone in E.164 as the store keeps it (a refused one as typed: the store says why)."""
    if not phone:
        return phone
    checked = parse_phone(phone)
    return checked.e164 if checked.ok else phone
