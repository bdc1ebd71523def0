"""FirstRunScreen: a new store asks who is starting it, and creates that first user."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Select, Static

from fieldtui.domain.auth import os_login_name
from fieldtui.domain.models import Officer, Role
from fieldtui.i18n import t
from fieldtui.screens.base import FieldModal
from fieldtui.store.errors import StoreError
from fieldtui.widgets.field import FormField, Tone
from fieldtui.widgets.key_footer import KeyFooter
from fieldtui.widgets.ordered_input import OrderedInput


class FirstRunScreen(FieldModal[Officer | None]):
    """Name and role of the first user; the login name comes from the OS."""

    BINDINGS = [
        Binding("ctrl+s", "save", "keys.save"),
        Binding("escape", "cancel", "keys.cancel"),
    ]
    DEFAULT_CSS = """
    FirstRunScreen { align: center middle; }
    FirstRunScreen > #first-run {
        width: 72; max-width: 100%; height: auto; max-height: 100%;
        border: round $primary; padding: 0 1; background: $surface;
    }
    FirstRunScreen #first-run-title { text-style: bold; padding-bottom: 1; }
    """

    def __init__(self, login: str | None = None) -> None:
        super().__init__()
        self.login = login or os_login_name()

    def compose(self) -> ComposeResult:
        with Vertical(id="first-run"):
            yield Static(t("first_run.title"), id="first-run-title")
            yield Static(t("first_run.intro", login=self.login), id="first-run-intro")
            yield FormField(
                t("first_run.name"),
                OrderedInput(id="first-run-name", max_length=80),
                required=True,
                id="field-name",
            )
            roles = [(t(f"role.{role.value}"), role) for role in Role]
            yield FormField(
                t("first_run.role"),
                Select(roles, value=Role.OFFICER, allow_blank=False, id="first-run-role"),
                id="field-role",
            )
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#first-run-name", Input).focus()

    def on_input_submitted(self) -> None:
        self.action_save()

    def action_save(self) -> None:
        """Create the user (the first one becomes the signed-in user)."""
        name = " ".join(self.query_one("#first-run-name", Input).value.split())
        field = self.query_one("#field-name", FormField)
        if not name:
            field.show(t("first_run.name_required"), Tone.ERROR)
            return
        role = self.query_one("#first-run-role", Select).value
        officer = Officer(
            username=self.login, name=name, role=role if isinstance(role, Role) else Role.OFFICER
        )
        try:
            saved = self.store.create_officer(officer)
        except StoreError as exc:
            field.show(exc.message(), Tone.ERROR)
            return
        self.dismiss(saved)

    def action_cancel(self) -> None:
        """Leave without creating anyone (the app closes: nothing can be saved without a user)."""
        self.dismiss(None)
