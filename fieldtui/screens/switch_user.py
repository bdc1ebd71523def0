"""SwitchUserDialog: act as another user of this store, proven by that user's PIN.

A shared branch machine (or the demo) lets an officer hand over to a supervisor without
leaving the app. The PIN is checked against the stored scrypt hash; a user without a PIN
cannot be switched to (they sign in with their own OS login instead).
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Select, Static

from fieldtui.domain.auth import verify_pin
from fieldtui.domain.models import Officer
from fieldtui.i18n import t
from fieldtui.screens.base import FieldModal
from fieldtui.widgets.field import FormField, Tone
from fieldtui.widgets.key_footer import KeyFooter
from fieldtui.widgets.ordered_input import OrderedInput


class SwitchUserDialog(FieldModal[Officer | None]):
    """Pick a user, type their PIN; returns the user now acting, or None."""

    BINDINGS = [
        Binding("ctrl+s", "switch", "keys.switch_user"),
        Binding("escape", "cancel", "keys.cancel"),
    ]
    DEFAULT_CSS = """
    SwitchUserDialog { align: center middle; }
    SwitchUserDialog > #switch-box {
        width: 64; max-width: 100%; height: auto; max-height: 100%;
        border: round $primary; padding: 0 1; background: $surface;
    }
    SwitchUserDialog #switch-title { text-style: bold; padding-bottom: 1; }
    """

    def compose(self) -> ComposeResult:
        me = self.store.actor
        users = [
            (f"{o.name} ({o.username}, {t('role.' + o.role.value)})", o.username)
            for o in self.store.officers(include_inactive=False)
            if me is None or o.id != me.id
        ]
        with Vertical(id="switch-box"):
            yield Static(t("switch_user.title"), id="switch-title")
            yield FormField(
                t("switch_user.user"),
                Select(users, allow_blank=not users, id="switch-user", prompt="–"),
                id="field-user",
            )
            yield FormField(
                t("switch_user.pin"),
                OrderedInput(password=True, restrict=r"[0-9]*", max_length=12, id="switch-pin"),
                id="field-pin",
            )
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#switch-pin", Input).focus()

    def on_input_submitted(self) -> None:
        self.action_switch()

    def action_switch(self) -> None:
        """Check the PIN and act as the chosen user."""
        username = self.query_one("#switch-user", Select).value
        field = self.query_one("#field-pin", FormField)
        if not isinstance(username, str):
            self.query_one("#field-user", FormField).show(t("switch_user.pick"), Tone.ERROR)
            return
        officer = self.store.officer_by_username(username)
        pin = self.query_one("#switch-pin", Input).value
        if officer is None or officer.pin_hash is None:
            field.show(t("auth.no_pin", username=username), Tone.ERROR)
            return
        if not verify_pin(pin, officer.pin_hash):
            field.show(t("auth.pin_wrong"), Tone.ERROR)
            self.query_one("#switch-pin", Input).value = ""
            return
        self.dismiss(self.store.use_actor(username))

    def action_cancel(self) -> None:
        """Stay who you are."""
        self.dismiss(None)
