"""SignUpFormScreen: register a BPU participant (or edit a registration), keyboard only.

Every field is checked as it is typed: the NIK tells sex and birth date as soon as its 16
digits are in (and whether that person is already registered), the contribution follows the
income, occupation, category and months live. Enter saves a valid form (on an incomplete one
it moves to the next field), Ctrl+S saves or shows what blocks saving. After a save the form
clears for the next person in the queue and keeps the place (desa, banjar, visit).
"""

from __future__ import annotations

from textual import on
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Checkbox, Input, Select, Static

from fieldtui.domain.models import (
    BpuCategory,
    PaymentMethod,
    RecordKind,
    SignUp,
)
from fieldtui.i18n import t
from fieldtui.screens.signup_checks import SignUpChecks
from fieldtui.screens.signup_dialogs import SignUpDiscardDialog, SignUpReasonDialog
from fieldtui.screens.signup_fields import show_message, update_text
from fieldtui.screens.signup_values import (
    FIELDS,
    build_signup,
    field_of_issue,
    problems,
    values_of,
)
from fieldtui.store.errors import DuplicateNik, StoreError
from fieldtui.widgets.date_input import DateInput
from fieldtui.widgets.field import Tone
from fieldtui.widgets.money_input import MoneyInput
from fieldtui.widgets.occupation_picker import OccupationPicker

_TEXT_FIELDS = frozenset(
    f"signup-{name}"
    for name in ("nik", "name", "birth", "phone", "income", "receipt", "agent", "notes")
)


class SignUpFormScreen(SignUpChecks):
    """A new registration (``signup`` None) or an edit of a saved one."""

    CSS_PATH = "signup_form.tcss"
    BINDINGS = [
        Binding("ctrl+s", "save", "keys.save"),
        Binding("ctrl+o", "open_existing", "keys.signup_open_existing"),
        Binding("escape", "leave", "keys.signup_leave"),
        # Enter in a text field is handled first (priority), like Tab: keys arriving in a burst
        # after it (a slow SSH link, a fast typist) then go to the next field, not this one.
        Binding("enter", "enter_in_field", show=False, priority=True),
    ]

    def on_mount(self) -> None:
        start = values_of(self.signup) if self.signup else self._defaults()
        self._load_banjars(start.desa, start.banjar_id)
        self.field_app.store_changed.subscribe(self, self._store_changed)
        self._baseline = self.values().typed()
        self._refresh_all()
        self._one("#signup-nik", Input).focus()
        if self.signup is not None:
            self._note_reveal(self.signup.id, phone=bool(self.signup.participant.phone))

    def _note_reveal(self, signup_id: str, *, phone: bool) -> None:
        # The edit form shows the whole NIK and phone: that is a reveal, and is audited like
        # the record screen's Ctrl+R (UU 27/2022).
        try:
            reason = t("signups.form.reveal_reason")
            self.store.record_reveal(signup_id, reason)
            if phone:
                self.store.record_reveal(signup_id, reason, field="participant.phone")
        except StoreError as exc:
            self.notify(exc.message(), severity="error")

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
                show_message(self.field(name), blocking[name], Tone.ERROR)
                first = first or name
        if "" in blocking:
            self.notify(blocking[""], severity="error")
        status = self._one("#signup-status", Static)
        status.add_class("-blocked")
        shown = [t(f"signups.form.{n}") for n in FIELDS if n in blocking]
        update_text(status, t("signups.form.status_missing", fields=", ".join(shown) or "—"))
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
                    show_message(self.field("nik"), exc.message(), Tone.ERROR)
            status = self._one("#signup-status", Static)
            status.add_class("-blocked")
            update_text(status, exc.message())
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
                show_message(self.field(name), "")
        self._baseline = self.values().typed()
        self._refresh_all()
        self._one("#signup-form", VerticalScroll).scroll_home(animate=False)
        self._one("#signup-nik", Input).focus()

    # -- other actions ---------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "open_existing":
            return self.duplicate is not None
        if action == "enter_in_field":
            # Only the form's own text fields: the pickers' search boxes and the lists take
            # Enter themselves (to choose).
            focused = self.focused
            return isinstance(focused, Input) and focused.id in _TEXT_FIELDS
        return True

    def action_enter_in_field(self) -> None:
        """Enter in a text field: save a valid form, or go to the next field.

        Enter is a priority key, handled as it arrives, while the keys typed just before it may
        still wait in the field's queue: a save waits for them (the field runs it after them),
        or "1500000" then Enter typed quickly saved 150.000."""
        focused = self.app.focused
        values, today = self.values(), self.field_app.today()
        if focused is None or focused is self or problems(values, today, duplicate=self.duplicate):
            self.action_submit()  # to the next field: the waiting keys still reach this one
            return
        focused.call_later(self.action_submit)

    def action_open_existing(self) -> None:
        """Open the registration that already has this NIK."""
        if self.duplicate is None:
            return
        # Imported late: the record screen imports this form for its own edit key.
        from fieldtui.screens.record_detail import RecordDetailScreen

        self.app.push_screen(RecordDetailScreen(RecordKind.SIGNUP, self.duplicate.id))

    def action_leave(self) -> None:
        """Close the form; asks first when something typed would be lost."""
        if not self.dirty:
            self.dismiss(None)
            return
        self.app.push_screen(SignUpDiscardDialog(), self._leave_answered)

    def _leave_answered(self, discard: bool | None) -> None:
        if discard:
            self.dismiss(None)
