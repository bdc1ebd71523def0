"""The registration form's fields: layout, reading the widgets into `FormValues`, shared helpers.

`SignUpFields` lays the form out in Tab order and reads it; `SignUpChecks` (signup_checks.py)
checks it live; `SignUpFormScreen` (signup_form.py) saves it.
"""

from __future__ import annotations

from typing import Any, TypeVar, cast

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import Checkbox, Header, Input, Select, Static

from fieldtui.domain.models import (
    BpuCategory,
    PaymentMethod,
    Sex,
    SignUp,
)
from fieldtui.domain.regions import branches, gazetteer
from fieldtui.i18n import fmt_date, t
from fieldtui.screens.base import FieldPage
from fieldtui.screens.signup_values import (
    MONTHS,
    FormValues,
    values_of,
)
from fieldtui.widgets.date_input import DateInput
from fieldtui.widgets.field import FormField, Tone
from fieldtui.widgets.key_footer import KeyFooter
from fieldtui.widgets.money_input import MoneyInput
from fieldtui.widgets.occupation_picker import OccupationPicker
from fieldtui.widgets.ordered_input import OrderedInput
from fieldtui.widgets.tick_box import TickBox
from fieldtui.widgets.village_picker import VillagePicker

NO_BANJAR = ""
_W = TypeVar("_W", bound=Widget)


class FormCheckbox(TickBox):
    """A checkbox of the form (✓ or blank, no colour needed): Space ticks it, Enter saves."""

    inherit_bindings = False
    BINDINGS = [
        Binding("space", "toggle_button", show=False),
        Binding("enter", "screen.submit", show=False),
    ]


class FormSelect(Select[Any]):
    """A choice of the form: Space or ↓ opens the list, Enter saves or moves on like elsewhere."""

    inherit_bindings = False
    BINDINGS = [
        Binding("space,down,up", "show_overlay", show=False),
        Binding("enter", "screen.submit", show=False),
    ]


class SignUpFields(FieldPage[SignUp | None]):
    """The form's widgets and what they hold (subclassed by the checks and the screen)."""

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
            yield self._field("nik", OrderedInput(start.nik, restrict=r"[0-9 .\-]*", max_length=24))
            yield self._field("name", OrderedInput(start.name, max_length=120))
            yield self._field("birth", DateInput(start.birth_date))
            yield self._field(
                "sex",
                FormSelect(
                    self._sex_options(),
                    value=start.sex or Select.NULL,
                    prompt=t("signups.form.choose"),
                ),
            )
            yield self._field("phone", OrderedInput(start.phone, restrict=r"[0-9+\-\s.()/]*"))
            yield self._field("occupation", OccupationPicker(start.occupation))
            yield self._field(
                "category",
                FormSelect(self._category_options(), value=start.category, allow_blank=False),
            )
            area = branches()[0].region_codes
            yield self._field("desa", VillagePicker(start.desa, within=area))
            yield self._field(
                "banjar", FormSelect([(t("signups.form.no_banjar"), NO_BANJAR)], allow_blank=False)
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
                "months", FormSelect(self._months_options(), value=start.months, allow_blank=False)
            )
            yield self._field("paid", FormCheckbox(t("signups.form.paid_now"), start.paid_now))
            yield self._field(
                "method",
                FormSelect(self._method_options(), value=start.method, allow_blank=False),
            )
            yield self._field("receipt", OrderedInput(start.receipt, max_length=40))
            yield self._field("agent", OrderedInput(start.agent, max_length=120))
            yield self._field("notes", OrderedInput(start.notes, max_length=500))
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
        yield KeyFooter()

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

    # -- reading the form ------------------------------------------------------------------

    def values(self) -> FormValues:
        """What the form holds now."""
        birth = self._one("#signup-birth", DateInput)
        return FormValues(
            nik=self._one("#signup-nik", Input).value,
            name=self._one("#signup-name", Input).value,
            birth_text=birth.value,
            birth_date=birth.date,
            sex=chosen(self._one("#signup-sex", Select), Sex),
            phone=self._one("#signup-phone", Input).value,
            occupation=self._one("#signup-occupation", OccupationPicker).code,
            category=chosen(self._one("#signup-category", Select), BpuCategory)
            or BpuCategory.PEKERJA_MANDIRI,
            desa=self._one("#signup-desa", VillagePicker).code,
            banjar_id=chosen(self._one("#signup-banjar", Select), str) or None,
            jht=self._one("#signup-jht", Checkbox).value,
            income=self._one("#signup-income", MoneyInput).amount,
            months=chosen(self._one("#signup-months", Select), int) or 1,
            paid_now=self._one("#signup-paid", Checkbox).value,
            method=chosen(self._one("#signup-method", Select), PaymentMethod) or PaymentMethod.CASH,
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


def chosen(select: Select[Any], kind: type[Any]) -> Any:
    """The value of a Select if it is of ``kind`` (None when blank)."""
    value = select.value
    return value if isinstance(value, kind) else None


def show_message(field: FormField, message: str, tone: Tone = Tone.INFO) -> None:
    """Show a field's message unless it already shows it (an update re-lays the form out)."""
    if field.message != message or (message and field.tone is not tone):
        field.show(message, tone)


def update_text(static: Static, text: str) -> None:
    """Update a text unless it already shows it."""
    if str(static.content) != text:
        static.update(text)
