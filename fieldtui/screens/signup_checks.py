"""Live checks of the registration form: each field explained as it is typed.

The NIK tells sex and birth date as soon as its 16 digits are in (and whether that person is
already registered), a likely duplicate by name + birth date + desa is a warning, the mobile
number is normalised, and the contribution follows income, occupation, category and months.
"""

from __future__ import annotations

from typing import Any

from textual import on
from textual.widgets import Checkbox, Input, Select, Static

from fieldtui.domain import occupations
from fieldtui.domain.models import (
    BpuCategory,
    Participant,
    RecordKind,
    Sex,
    SignUp,
)
from fieldtui.domain.nik import NIK_LENGTH, clean_nik
from fieldtui.domain.phone import format_phone, parse_phone
from fieldtui.domain.regions import gazetteer
from fieldtui.i18n import fmt_date, fmt_money, t
from fieldtui.screens.signup_fields import NO_BANJAR, SignUpFields, show_message, update_text
from fieldtui.screens.signup_values import (
    FIELDS,
    contribution,
    problems,
)
from fieldtui.widgets.date_input import DateInput
from fieldtui.widgets.field import Tone
from fieldtui.widgets.occupation_picker import OccupationPicker
from fieldtui.widgets.village_picker import VillagePicker


class SignUpChecks(SignUpFields):
    """The form, checked as the officer types."""

    # -- live checks -----------------------------------------------------------------------

    @on(Input.Changed)
    def _input_changed(self, event: Input.Changed) -> None:
        name = (event.input.id or "").removeprefix("signup-")
        if name == "nik":
            self._check_nik()
        elif name == "birth":
            self._check_nik()
            self._check_person()
        elif name == "name":
            self._check_person()
        elif name == "phone":
            self._check_phone(final=False)
        elif name == "income":
            self._show_contribution()
        self._show_status()

    @on(Input.Blurred, "#signup-phone")
    def _phone_left(self) -> None:
        self._check_phone(final=True)

    @on(Select.Changed)
    def _select_changed(self, event: Select.Changed) -> None:
        name = (event.select.id or "").removeprefix("signup-")
        if name == "sex":
            self._check_nik()
        elif name == "category":
            self._apply_category()
        self._show_contribution()
        self._show_status()

    @on(Checkbox.Changed)
    def _checkbox_changed(self, event: Checkbox.Changed) -> None:
        if event.checkbox.id == "signup-paid":
            self._apply_paid()
        if event.checkbox.id == "signup-consent" and event.value:
            show_message(self.field("consent"), "")
        self._show_contribution()
        self._show_status()

    @on(OccupationPicker.Selected)
    def _occupation_picked(self, event: OccupationPicker.Selected) -> None:
        if event.code is None:
            show_message(self.field("occupation"), "")
        else:
            sector = occupations.sector_of(event.code)
            show_message(self.field("occupation"), t(f"contributions.sector.{sector}"), Tone.INFO)
        self._show_contribution()
        self._show_status()

    @on(VillagePicker.Selected)
    def _desa_picked(self, event: VillagePicker.Selected) -> None:
        show_message(self.field("desa"), "")
        self._load_banjars(event.code, None)
        self._check_person()
        self._show_status()

    def _store_changed(self, kinds: frozenset[RecordKind]) -> None:
        if RecordKind.SIGNUP in kinds:
            self._check_nik()
            self._check_person()
            self._show_status()
        if RecordKind.BANJAR in kinds:
            values = self.values()
            self._load_banjars(values.desa, values.banjar_id)

    def _refresh_all(self) -> None:
        self._check_nik(prefill=False)
        self._check_person()
        self._apply_category()
        self._apply_paid()
        self._show_contribution()
        self._show_status()

    def _check_nik(self, *, prefill: bool = True) -> None:
        """Show what the NIK says, or what is wrong with it, and whether it is taken."""
        before = self.duplicate
        try:
            self._read_nik(prefill=prefill)
        finally:
            if self.duplicate is not before:  # Ctrl+O (open that record) comes or goes
                self.refresh_bindings()

    def _read_nik(self, *, prefill: bool) -> None:
        field = self.field("nik")
        values = self.values()
        digits = clean_nik(values.nik)
        self.duplicate = None
        if not digits:
            show_message(field, "")
            return
        if len(digits) < NIK_LENGTH and digits.isdigit():
            # Nothing per keystroke: each new message would re-lay the whole form out.
            show_message(field, "")
            return
        result = values.check_nik(self.field_app.today())
        if result.errors:
            show_message(field, result.errors[0].message(), Tone.ERROR)
            return
        existing = self.store.find_by_nik(digits)
        if existing is not None and (self.signup is None or existing.id != self.signup.id):
            self.duplicate = existing
            show_message(field, self._registered_text(existing), Tone.ERROR)
            return
        if prefill:
            self._prefill(result.birth_date, result.sex)
            values = self.values()
            result = values.check_nik(self.field_app.today())
        lines = [result.summary(), *(w.message() for w in result.warnings)]
        show_message(
            field,
            "\n".join(line for line in lines if line),
            Tone.WARNING if result.warnings else Tone.OK,
        )

    def _registered_text(self, existing: SignUp) -> str:
        return t(
            "signups.form.nik_registered",
            name=existing.participant.name,
            desa=gazetteer().describe(existing.desa_code),
            date=fmt_date(existing.registered_on),
        )

    def _prefill(self, born: Any, sex: Sex | None) -> None:
        """Birth date and sex from the NIK, unless the officer typed something else."""
        birth = self._one("#signup-birth", DateInput)
        if born is not None and (not birth.value.strip() or birth.value == self._auto_birth):
            birth.date = born
            self._auto_birth = birth.value
        select = self._one("#signup-sex", Select)
        if sex is not None and (select.is_blank() or select.value == self._auto_sex):
            select.value = sex
            self._auto_sex = sex

    def _check_person(self) -> None:
        """Warn (never block) when someone with this name and birth date is in this desa."""
        values = self.values()
        field = self.field("name")
        if not values.name.strip() or values.birth_date is None or values.desa is None:
            show_message(field, "")
            return
        person = Participant(
            nik=clean_nik(values.nik),
            name=values.name,
            birth_date=values.birth_date,
            sex=values.sex or Sex.FEMALE,
        )
        exclude = self.signup.id if self.signup else None
        found = [
            s
            for s in self.store.likely_duplicates(person, values.desa, exclude_id=exclude)
            if self.duplicate is None or s.id != self.duplicate.id
        ]
        if not found:
            show_message(field, "")
            return
        other = found[0]
        show_message(
            field,
            t(
                "signups.form.likely_duplicate",
                name=other.participant.name,
                born=fmt_date(other.participant.birth_date),
                desa=gazetteer().describe(other.desa_code),
                nik=other.participant.nik[:4] + "…" + other.participant.nik[-4:],
            ),
            Tone.WARNING,
        )

    def _check_phone(self, *, final: bool) -> None:
        text = self._one("#signup-phone", Input).value
        result = parse_phone(text)
        field = self.field("phone")
        if result.error is not None:
            if final:
                show_message(field, result.error.message(), Tone.ERROR)
            elif field.tone is not Tone.ERROR:
                show_message(field, "")
        elif result.e164 is not None:
            show_message(field, format_phone(result.e164), Tone.OK)
        else:
            show_message(field, "")

    def _apply_category(self) -> None:
        """A pemberi kerja must take JHT: tick it and lock it."""
        employer = self.values().category is BpuCategory.PEMBERI_KERJA
        jht = self._one("#signup-jht", Checkbox)
        if employer:
            jht.value = True
        jht.disabled = employer
        show_message(
            self.field("programmes"), t("contributions.jht_forced") if employer else "", Tone.INFO
        )

    def _apply_paid(self) -> None:
        paid = self._one("#signup-paid", Checkbox).value
        self._one("#signup-method", Select).disabled = not paid
        self._one("#signup-receipt", Input).disabled = not paid
        if self.signup is not None and self.signup.paid_until is not None:
            show_message(
                self.field("paid"),
                t("signups.form.already_paid", date=fmt_date(self.signup.paid_until)),
                Tone.INFO,
            )

    def _show_contribution(self) -> None:
        """Band, base, programme lines, discount, monthly and period totals, live."""
        values = self.values()
        on = self.signup.registered_on if self.signup else self.field_app.today()
        figures = contribution(values, on)
        view = self._one("#signup-contribution", Static)
        months = self.field("months")
        if figures is None:
            update_text(view, t("signups.form.income_prompt"))
            show_message(months, "")
            return
        update_text(view, "\n".join(figures.describe()))
        key = "signups.form.amount_paid" if values.paid_now else "signups.form.amount_due"
        show_message(
            months, t(key, amount=fmt_money(figures.period_rp), months=values.months), Tone.INFO
        )

    def _show_status(self) -> None:
        blocking = problems(self.values(), self.field_app.today(), duplicate=self.duplicate)
        status = self._one("#signup-status", Static)
        status.set_class(bool(blocking), "-blocked")
        if blocking and not self.dirty and self.signup is None:
            update_text(status, t("signups.form.status_start"))
        elif blocking:
            names = ", ".join(t(f"signups.form.{name}") for name in FIELDS if name in blocking)
            update_text(status, t("signups.form.status_missing", fields=names))
        else:
            update_text(status, t("signups.form.status_ready"))

    def _load_banjars(self, desa: str | None, keep: str | None) -> None:
        select = self._one("#signup-banjar", Select)
        options: list[tuple[str, str]] = [(t("signups.form.no_banjar"), NO_BANJAR)]
        if desa is not None:
            options += [(b.name, b.id) for b in self.store.banjars(desa)]
        select.set_options(options)
        ids = {value for _, value in options}
        select.value = keep if keep in ids else NO_BANJAR
