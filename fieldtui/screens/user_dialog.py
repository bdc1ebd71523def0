"""UserDialog (add a user, or change a user's name and role) and PinDialog (set a PIN).

Both save through the Store API, which checks the role rules and audits the change; a refusal
is shown in the dialog and nothing is saved. A PIN is kept only as its scrypt hash.
"""

from __future__ import annotations

from dataclasses import replace

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Input, Select, Static

from fieldtui.domain.auth import MAX_PIN_LENGTH, hash_pin, verify_pin
from fieldtui.domain.models import Officer, Role
from fieldtui.domain.users import MAX_USERNAME_LENGTH, new_pin_problem, username_problem
from fieldtui.i18n import t
from fieldtui.screens.base import FieldModal
from fieldtui.store.errors import StoreError
from fieldtui.widgets.field import FormField, Tone
from fieldtui.widgets.key_footer import KeyFooter
from fieldtui.widgets.ordered_input import OrderedInput

_BOX_CSS = """
{cls} {{ align: center middle; }}
{cls} > .user-box {{
    width: 72; max-width: 100%; height: auto; max-height: 100%;
    border: round $primary; padding: 0 1; background: $surface;
}}
{cls} .user-title {{ text-style: bold; padding-bottom: 1; }}
"""


def _pin_input(input_id: str) -> Input:
    return OrderedInput(password=True, restrict=r"[0-9]*", max_length=MAX_PIN_LENGTH, id=input_id)


class UserDialog(FieldModal[Officer | None]):
    """Name, login, role and an optional PIN for a new user; name and role for one that exists.

    The role cannot be changed for oneself (the store refuses it too). Enter moves to the next
    field and saves from the last; Ctrl+S saves; Esc cancels.
    """

    BINDINGS = [
        Binding("ctrl+s", "save", "keys.save"),
        Binding("escape", "cancel", "keys.cancel"),
    ]
    DEFAULT_CSS = _BOX_CSS.format(cls="UserDialog")

    def __init__(self, current: Officer | None = None, *, may_set_role: bool = True) -> None:
        super().__init__()
        self.current = current
        self.may_set_role = may_set_role

    def compose(self) -> ComposeResult:
        user = self.current
        title = (
            t("users.dialog.new") if user is None else t("users.dialog.edit", login=user.username)
        )
        with VerticalScroll(classes="user-box"):
            yield Static(title, classes="user-title", markup=False)
            yield FormField(
                t("users.field.name"),
                OrderedInput(user.name if user else "", id="user-name", max_length=80),
                required=True,
                id="field-name",
            )
            if user is None:
                yield FormField(
                    t("users.field.username"),
                    OrderedInput(
                        placeholder=t("users.hint.username"),
                        id="user-username",
                        max_length=MAX_USERNAME_LENGTH,
                        restrict=r"\S*",
                    ),
                    required=True,
                    id="field-username",
                )
            roles = [(t(f"role.{role.value}"), role) for role in Role]
            role = Select(
                roles,
                value=user.role if user else Role.OFFICER,
                allow_blank=False,
                id="user-role",
                disabled=not self.may_set_role,
            )
            yield FormField(t("users.field.role"), role, id="field-role")
            if user is None:
                yield FormField(t("users.field.pin"), _pin_input("user-pin"), id="field-pin")
                yield FormField(
                    t("users.field.pin_again"), _pin_input("user-pin-again"), id="field-pin-again"
                )
        yield KeyFooter()

    def on_mount(self) -> None:
        if self.current is None:
            self.query_one("#field-pin", FormField).show(t("users.hint.pin_optional"))
        elif not self.may_set_role:
            self.query_one("#field-role", FormField).show(t("users.hint.own_role"))
        self.query_one("#user-name", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        inputs = list(self.query(Input))
        following = inputs[inputs.index(event.input) + 1 :]
        if following:
            following[0].focus()
        else:
            self.action_save()

    def action_save(self) -> None:
        """Check the fields and save; a refusal is shown under the field it concerns."""
        name = " ".join(self.query_one("#user-name", Input).value.split())
        if not name:
            self._error("field-name", t("users.name_required"))
            return
        chosen = self.query_one("#user-role", Select).value
        role = chosen if isinstance(chosen, Role) else Role.OFFICER
        if self.current is not None:
            self._save(replace(self.current, name=name, role=role), "field-name")
            return
        username = self.query_one("#user-username", Input).value
        taken = {o.username for o in self.store.officers()}
        problem = username_problem(username, taken)
        if problem is not None:
            self._error("field-username", t(problem, username=username))
            return
        pin = self.query_one("#user-pin", Input).value
        problem = new_pin_problem(pin, self.query_one("#user-pin-again", Input).value)
        if problem is not None:
            self._error("field-pin", t(problem))
            return
        pin_hash = hash_pin(pin) if pin else None
        self._save(
            Officer(username=username, name=name, role=role, pin_hash=pin_hash), "field-name"
        )

    def _save(self, officer: Officer, field_id: str) -> None:
        try:
            if self.current is None:
                saved = self.store.create_officer(officer)
            else:
                saved = self.store.update_officer(officer)
        except StoreError as exc:
            self._error(field_id, exc.message())
            return
        self.dismiss(saved)

    def _error(self, field_id: str, message: str) -> None:
        field = self.query_one(f"#{field_id}", FormField)
        field.show(message, Tone.ERROR)
        field.body.focus()

    def action_cancel(self) -> None:
        """Close without saving."""
        self.dismiss(None)


class PinDialog(FieldModal[Officer | None]):
    """A new PIN typed twice; one's own PIN, once set, needs the current one first."""

    BINDINGS = [
        Binding("ctrl+s", "save", "keys.save"),
        Binding("escape", "cancel", "keys.cancel"),
    ]
    DEFAULT_CSS = _BOX_CSS.format(cls="PinDialog")

    def __init__(self, user: Officer, *, ask_current: bool) -> None:
        super().__init__()
        self.user = user
        self.ask_current = ask_current

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="user-box"):
            title = t("users.dialog.pin", name=self.user.name, login=self.user.username)
            yield Static(title, classes="user-title", markup=False)
            if self.ask_current:
                yield FormField(
                    t("users.field.current_pin"), _pin_input("pin-current"), id="field-current"
                )
            yield FormField(
                t("users.field.new_pin"), _pin_input("pin-new"), required=True, id="field-new"
            )
            yield FormField(
                t("users.field.pin_again"), _pin_input("pin-again"), required=True, id="field-again"
            )
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#field-new", FormField).show(t("users.hint.pin"))
        self.query(Input).first().focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        inputs = list(self.query(Input))
        following = inputs[inputs.index(event.input) + 1 :]
        if following:
            following[0].focus()
        else:
            self.action_save()

    def action_save(self) -> None:
        """Check the current PIN (own), then the new one twice, and save its hash."""
        if self.ask_current:
            current = self.query_one("#pin-current", Input)
            if not verify_pin(current.value, self.user.pin_hash):
                current.value = ""
                self._error("field-current", t("auth.pin_wrong"))
                return
            self.query_one("#field-current", FormField).show("")
        pin = self.query_one("#pin-new", Input).value
        problem = new_pin_problem(pin, self.query_one("#pin-again", Input).value, required=True)
        if problem is not None:
            self._error("field-new", t(problem))
            return
        changed = replace(self.user, pin_hash=hash_pin(pin))
        try:
            saved = self.store.update_officer(changed, reason=t("users.reason.pin"))
        except StoreError as exc:
            self._error("field-new", exc.message())
            return
        self.dismiss(saved)

    def _error(self, field_id: str, message: str) -> None:
        field = self.query_one(f"#{field_id}", FormField)
        field.show(message, Tone.ERROR)
        field.body.focus()

    def action_cancel(self) -> None:
        """Close without changing the PIN."""
        self.dismiss(None)
