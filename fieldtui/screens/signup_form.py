"""SignUpFormScreen: register a BPU participant (or edit a registration), keyboard only.

Every field is checked as it is typed: the NIK tells sex and birth date as soon as its 16
digits are in (and whether that person is already registered), the contribution follows the
income, occupation, category and months live. Enter saves a valid form (on an incomplete one
it moves to the next field), Ctrl+S saves or shows what blocks saving. After a save the form
clears for the next person in the queue and keeps the place (desa, banjar, visit).
"""

from __future__ import annotations

import importlib
from typing import Any, TypeVar, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import Checkbox, Footer, Header, Input, Select, Static

from fieldtui.domain import occupations
from fieldtui.domain.models import (
    BpuCategory,
    Participant,
    PaymentMethod,
    RecordKind,
    Sex,
    SignUp,
)
from fieldtui.domain.nik import NIK_LENGTH, clean_nik
from fieldtui.domain.phone import format_phone, parse_phone
from fieldtui.domain.regions import branches, gazetteer
from fieldtui.i18n import fmt_date, fmt_money, t
from fieldtui.screens.base import FieldPage
from fieldtui.screens.signup_dialogs import SignUpDiscardDialog, SignUpReasonDialog
from fieldtui.screens.signup_values import (
    FIELDS,
    MONTHS,
    FormValues,
    build_signup,
    contribution,
    field_of_issue,
    problems,
    values_of,
)
from fieldtui.store.errors import DuplicateNik, StoreError
from fieldtui.widgets.date_input import DateInput
from fieldtui.widgets.field import FormField, Tone
from fieldtui.widgets.money_input import MoneyInput
from fieldtui.widgets.occupation_picker import OccupationPicker
from fieldtui.widgets.village_picker import VillagePicker

NO_BANJAR = ""
_W = TypeVar("_W", bound=Widget)


class FormCheckbox(Checkbox):
    """A checkbox of the form: Space ticks it, Enter saves (as on every other field)."""

    inherit_bindings = False
    BINDINGS = [
        Binding("space", "toggle_button", show=False),
        Binding("enter", "screen.submit", show=False),
    ]


class SignUpFormScreen(FieldPage[SignUp | None]):
    """A new registration (``signup`` None) or an edit of a saved one."""

    CSS_PATH = "signup_form.tcss"
    BINDINGS = [
        Binding("ctrl+s", "save", "keys.save"),
        Binding("ctrl+o", "open_existing", "keys.signup_open_existing"),
        Binding("escape", "leave", "keys.signup_leave"),
    ]

    def __init__(self, signup: SignUp | None = None) -> None:
        super().__init__()
        self.signup = signup
        self.duplicate: SignUp | None = None  # a live sign-up with the NIK typed
        self._auto_birth: str | None = None  # what the NIK filled in, so it may refill it
        self._auto_sex: Sex | None = None
        self._baseline: tuple[object, ...] = ()
        self._widgets: dict[str, Widget] = {}

    # -- layout ----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        start = values_of(self.signup) if self.signup else self._defaults()
        yield Header()
        with VerticalScroll(id="signup-form"):
            yield Static(self._context_line(), id="signup-context")
            yield self._field("nik", Input(start.nik, restrict=r"[0-9 .\-]*", max_length=24))
            yield self._field("name", Input(start.name, max_length=120))
            yield self._field("birth", DateInput(start.birth_date))
            yield self._field(
                "sex",
                Select(
                    self._sex_options(),
                    value=start.sex or Select.NULL,
                    prompt=t("signups.form.choose"),
                ),
            )
            yield self._field("phone", Input(start.phone, restrict=r"[0-9+\-\s.()/]*"))
            yield self._field("occupation", OccupationPicker(start.occupation))
            yield self._field(
                "category",
                Select(self._category_options(), value=start.category, allow_blank=False),
            )
            area = branches()[0].region_codes
            yield self._field("desa", VillagePicker(start.desa, within=area))
            yield self._field(
                "banjar", Select([(t("signups.form.no_banjar"), NO_BANJAR)], allow_blank=False)
            )
            yield self._field(
                "programmes",
                Vertical(
                    Static(t("signups.form.jkk_jkm"), classes="signup-note"),
                    FormCheckbox(t("signups.form.jht"), start.jht, id="signup-jht"),
                    classes="signup-stack",
                ),
                has_input=False,
            )
            yield self._field("income", MoneyInput(start.income))
            yield Static("", id="signup-contribution")
            yield self._field(
                "months", Select(self._months_options(), value=start.months, allow_blank=False)
            )
            yield self._field("paid", FormCheckbox(t("signups.form.paid_now"), start.paid_now))
            yield self._field(
                "method",
                Select(self._method_options(), value=start.method, allow_blank=False),
            )
            yield self._field("receipt", Input(start.receipt, max_length=40))
            yield self._field("agent", Input(start.agent, max_length=120))
            yield self._field("notes", Input(start.notes, max_length=500))
            yield self._field(
                "consent",
                Vertical(
                    FormCheckbox(t("signups.form.consent_box"), start.consent, id="signup-consent"),
                    Static(t("signups.form.consent_help"), classes="signup-note"),
                    classes="signup-stack",
                ),
                has_input=False,
            )
        yield Static("", id="signup-status")
        yield Footer()

    def _field(self, name: str, body: Widget, *, has_input: bool = True) -> FormField:
        if has_input:
            body.id = f"signup-{name}"
        required = name in {
            "nik",
            "name",
            "birth",
            "sex",
            "occupation",
            "desa",
            "income",
            "consent",
        }
        return FormField(t(f"signups.form.{name}"), body, required=required, id=f"field-{name}")

    def _defaults(self) -> FormValues:
        visit = self.field_app.current_visit
        if visit is None:
            return FormValues()
        return FormValues(desa=visit.desa_code, banjar_id=visit.banjar_id)

    def _context_line(self) -> str:
        if self.signup is not None:
            return t("signups.form.title_edit", name=self.signup.participant.name)
        visit = self.field_app.current_visit
        if visit is None:
            return t("signups.form.title_new")
        place = gazetteer().describe(visit.desa_code)
        return t("signups.form.title_visit", place=place, date=fmt_date(visit.started_at.date()))

    @staticmethod
    def _sex_options() -> list[tuple[str, Sex]]:
        return [(t("nik.sex.female"), Sex.FEMALE), (t("nik.sex.male"), Sex.MALE)]

    @staticmethod
    def _category_options() -> list[tuple[str, BpuCategory]]:
        return [(t(f"signups.category.{c.value}"), c) for c in BpuCategory]

    @staticmethod
    def _months_options() -> list[tuple[str, int]]:
        return [(t("signups.form.months_option", months=m), m) for m in MONTHS]

    @staticmethod
    def _method_options() -> list[tuple[str, PaymentMethod]]:
        return [(t(f"signups.method.{m.value}"), m) for m in PaymentMethod]

    def on_mount(self) -> None:
        start = values_of(self.signup) if self.signup else self._defaults()
        self._load_banjars(start.desa, start.banjar_id)
        self.field_app.store_changed.subscribe(self, self._store_changed)
        self._baseline = self.values().typed()
        self._refresh_all()
        self._one("#signup-nik", Input).focus()

    # -- reading the form ------------------------------------------------------------------

    def values(self) -> FormValues:
        """What the form holds now."""
        birth = self._one("#signup-birth", DateInput)
        return FormValues(
            nik=self._one("#signup-nik", Input).value,
            name=self._one("#signup-name", Input).value,
            birth_text=birth.value,
            birth_date=birth.date,
            sex=_chosen(self._one("#signup-sex", Select), Sex),
            phone=self._one("#signup-phone", Input).value,
            occupation=self._one("#signup-occupation", OccupationPicker).code,
            category=_chosen(self._one("#signup-category", Select), BpuCategory)
            or BpuCategory.PEKERJA_MANDIRI,
            desa=self._one("#signup-desa", VillagePicker).code,
            banjar_id=_chosen(self._one("#signup-banjar", Select), str) or None,
            jht=self._one("#signup-jht", Checkbox).value,
            income=self._one("#signup-income", MoneyInput).amount,
            months=_chosen(self._one("#signup-months", Select), int) or 1,
            paid_now=self._one("#signup-paid", Checkbox).value,
            method=_chosen(self._one("#signup-method", Select), PaymentMethod)
            or PaymentMethod.CASH,
            receipt=self._one("#signup-receipt", Input).value,
            agent=self._one("#signup-agent", Input).value,
            notes=self._one("#signup-notes", Input).value,
            consent=self._one("#signup-consent", Checkbox).value,
        )

    def _one(self, selector: str, kind: type[_W]) -> _W:
        """``query_one``, remembered: the form reads its widgets on every keystroke."""
        found = self._widgets.get(selector)
        if found is None:
            found = self._widgets[selector] = self.query_one(selector, kind)
        return cast(_W, found)

    def field(self, name: str) -> FormField:
        """The FormField of one of `FIELDS`."""
        return self._one(f"#field-{name}", FormField)

    @property
    def dirty(self) -> bool:
        """True when something was typed since the form opened or was last saved."""
        return self.values().typed() != self._baseline

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
            _show(self.field("consent"), "")
        self._show_contribution()
        self._show_status()

    @on(OccupationPicker.Selected)
    def _occupation_picked(self, event: OccupationPicker.Selected) -> None:
        if event.code is None:
            _show(self.field("occupation"), "")
        else:
            sector = occupations.sector_of(event.code)
            _show(self.field("occupation"), t(f"contributions.sector.{sector}"), Tone.INFO)
        self._show_contribution()
        self._show_status()

    @on(VillagePicker.Selected)
    def _desa_picked(self, event: VillagePicker.Selected) -> None:
        _show(self.field("desa"), "")
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
        field = self.field("nik")
        values = self.values()
        digits = clean_nik(values.nik)
        self.duplicate = None
        if not digits:
            _show(field, "")
            return
        if len(digits) < NIK_LENGTH and digits.isdigit():
            _show(field, "")  # no message per keystroke: each would re-lay the whole form out
            return
        result = values.check_nik(self.field_app.today())
        if result.errors:
            _show(field, result.errors[0].message(), Tone.ERROR)
            return
        existing = self.store.find_by_nik(digits)
        if existing is not None and (self.signup is None or existing.id != self.signup.id):
            self.duplicate = existing
            _show(field, self._registered_text(existing), Tone.ERROR)
            self.refresh_bindings()
            return
        self.refresh_bindings()
        if prefill:
            self._prefill(result.birth_date, result.sex)
            values = self.values()
            result = values.check_nik(self.field_app.today())
        lines = [result.summary(), *(w.message() for w in result.warnings)]
        _show(
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
            _show(field, "")
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
            _show(field, "")
            return
        other = found[0]
        _show(
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
                _show(field, result.error.message(), Tone.ERROR)
            elif field.tone is not Tone.ERROR:
                _show(field, "")
        elif result.e164 is not None:
            _show(field, format_phone(result.e164), Tone.OK)
        else:
            _show(field, "")

    def _apply_category(self) -> None:
        """A pemberi kerja must take JHT: tick it and lock it."""
        employer = self.values().category is BpuCategory.PEMBERI_KERJA
        jht = self._one("#signup-jht", Checkbox)
        if employer:
            jht.value = True
        jht.disabled = employer
        _show(
            self.field("programmes"), t("contributions.jht_forced") if employer else "", Tone.INFO
        )

    def _apply_paid(self) -> None:
        paid = self._one("#signup-paid", Checkbox).value
        self._one("#signup-method", Select).disabled = not paid
        self._one("#signup-receipt", Input).disabled = not paid
        if self.signup is not None and self.signup.paid_until is not None:
            _show(
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
            _update(view, t("signups.form.income_prompt"))
            _show(months, "")
            return
        _update(view, "\n".join(figures.describe()))
        key = "signups.form.amount_paid" if values.paid_now else "signups.form.amount_due"
        _show(months, t(key, amount=fmt_money(figures.period_rp), months=values.months), Tone.INFO)

    def _show_status(self) -> None:
        blocking = problems(self.values(), self.field_app.today(), duplicate=self.duplicate)
        status = self._one("#signup-status", Static)
        status.set_class(bool(blocking), "-blocked")
        if blocking and not self.dirty and self.signup is None:
            _update(status, t("signups.form.status_start"))
        elif blocking:
            names = ", ".join(t(f"signups.form.{name}") for name in FIELDS if name in blocking)
            _update(status, t("signups.form.status_missing", fields=names))
        else:
            _update(status, t("signups.form.status_ready"))

    def _load_banjars(self, desa: str | None, keep: str | None) -> None:
        select = self._one("#signup-banjar", Select)
        options: list[tuple[str, str]] = [(t("signups.form.no_banjar"), NO_BANJAR)]
        if desa is not None:
            options += [(b.name, b.id) for b in self.store.banjars(desa)]
        select.set_options(options)
        ids = {value for _, value in options}
        select.value = keep if keep in ids else NO_BANJAR

    # -- saving ----------------------------------------------------------------------------

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_submit()

    def action_submit(self) -> None:
        """Enter: save a valid form; on an incomplete one, go to the next field."""
        if problems(self.values(), self.field_app.today(), duplicate=self.duplicate):
            self.focus_next()
        else:
            self.action_save()

    def action_save(self) -> None:
        """Save the registration, or show next to each field what blocks saving."""
        values = self.values()
        today = self.field_app.today()
        self._check_nik(prefill=False)
        blocking = problems(values, today, duplicate=self.duplicate)
        if blocking:
            self._show_problems(blocking)
            return
        actor = self.store.actor
        signup = build_signup(
            values,
            base=self.signup,
            officer_id=actor.id if actor else "",
            today=today,
            visit_id=self._visit_id(),
        )
        issues: dict[str, str] = {}
        for issue in self.store.validate_signup(signup):
            issues.setdefault(field_of_issue(issue.code) or "", issue.message())
        if issues:
            self._show_problems(issues)
            return
        if self.signup is None:
            self._store(signup, reason=None)
        else:
            self.app.push_screen(
                SignUpReasonDialog(),
                lambda reason: None if reason is None else self._store(signup, reason=reason),
            )

    def _visit_id(self) -> str | None:
        visit = self.field_app.current_visit
        return visit.id if visit is not None else None

    def _show_problems(self, blocking: dict[str, str]) -> None:
        first: str | None = None
        for name in FIELDS:
            if name in blocking:
                _show(self.field(name), blocking[name], Tone.ERROR)
                first = first or name
        if "" in blocking:
            self.notify(blocking[""], severity="error")
        status = self._one("#signup-status", Static)
        status.add_class("-blocked")
        shown = [t(f"signups.form.{n}") for n in FIELDS if n in blocking]
        _update(status, t("signups.form.status_missing", fields=", ".join(shown) or "—"))
        if first is not None:
            self._focus_field(first)

    def _focus_field(self, name: str) -> None:
        for widget in self.field(name).query("Input, Select, Checkbox"):
            if widget.focusable:
                widget.focus()
                return

    def _store(self, signup: SignUp, *, reason: str | None) -> None:
        try:
            if reason is None:
                saved = self.store.create_signup(signup)
            else:
                saved = self.store.update_signup(signup, reason=reason)
        except StoreError as exc:
            if isinstance(exc, DuplicateNik):
                self._check_nik(prefill=False)
                if self.duplicate is None:
                    _show(self.field("nik"), exc.message(), Tone.ERROR)
            status = self._one("#signup-status", Static)
            status.add_class("-blocked")
            _update(status, exc.message())
            self.notify(exc.message(), severity="error", timeout=10)
            return
        self.notify(t("signups.form.saved", name=saved.participant.name))
        if self.signup is not None:
            self.dismiss(saved)
        else:
            self._clear_for_next()

    def _clear_for_next(self) -> None:
        """Empty the person's fields for the next one in the queue; keep the place and visit."""
        for name in ("nik", "name", "phone", "receipt", "agent", "notes"):
            self._one(f"#signup-{name}", Input).value = ""
        self._one("#signup-birth", DateInput).value = ""
        self._one("#signup-income", MoneyInput).value = ""
        self._one("#signup-sex", Select).clear()
        self._one("#signup-occupation", OccupationPicker).code = None
        self._one("#signup-category", Select).value = BpuCategory.PEKERJA_MANDIRI
        self._one("#signup-months", Select).value = 1
        self._one("#signup-method", Select).value = PaymentMethod.CASH
        for name in ("jht", "paid", "consent"):
            self._one(f"#signup-{name}", Checkbox).value = False
        self._auto_birth, self._auto_sex, self.duplicate = None, None, None
        for name in FIELDS:
            if name not in {"desa", "banjar"}:
                _show(self.field(name), "")
        self._baseline = self.values().typed()
        self._refresh_all()
        self._one("#signup-form", VerticalScroll).scroll_home(animate=False)
        self._one("#signup-nik", Input).focus()

    # -- other actions ---------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "open_existing":
            return self.duplicate is not None
        return True

    def action_open_existing(self) -> None:
        """Open the registration that already has this NIK."""
        if self.duplicate is None:
            return
        # Imported late: the record screen imports this form for its own edit key.
        module = importlib.import_module("fieldtui.screens.record_detail")
        self.app.push_screen(module.RecordDetailScreen(RecordKind.SIGNUP, self.duplicate.id))

    def action_leave(self) -> None:
        """Close the form; asks first when something typed would be lost."""
        if not self.dirty:
            self.dismiss(None)
            return
        self.app.push_screen(SignUpDiscardDialog(), self._leave_answered)

    def _leave_answered(self, discard: bool | None) -> None:
        if discard:
            self.dismiss(None)


def _chosen(select: Select[Any], kind: type[Any]) -> Any:
    """The value of a Select if it is of ``kind`` (None when blank)."""
    value = select.value
    return value if isinstance(value, kind) else None


def _show(field: FormField, message: str, tone: Tone = Tone.INFO) -> None:
    """Show a field's message unless it already shows it (an update re-lays the form out)."""
    if field.message != message or (message and field.tone is not tone):
        field.show(message, tone)


def _update(static: Static, text: str) -> None:
    """Update a text unless it already shows it."""
    if str(static.content) != text:
        static.update(text)
