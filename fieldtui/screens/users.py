"""UsersScreen (Pengguna, from Pengaturan): the store's users, and for a supervisor their care.

Everyone sees who the users are (name, login, role, active or not, whether they have a PIN).
A supervisor adds users (Ctrl+N), changes a name or role (Enter), sets or resets a PIN (p) and
deactivates or reactivates a user (Ctrl+D, with a reason). Nobody is deleted: a deactivated user
keeps their records and cannot sign in. Officers and viewers change only their own PIN. Every
change goes through the Store API, which enforces the same rules and audits it; the list
re-reads when users change in the store, ours or another process's.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from fieldtui.domain.models import Officer, RecordKind
from fieldtui.domain.permissions import Permission
from fieldtui.i18n import fmt_date, fmt_number, t
from fieldtui.screens.base import FieldPage
from fieldtui.screens.reason_dialog import ReasonDialog
from fieldtui.screens.user_dialog import PinDialog, UserDialog
from fieldtui.store.errors import StoreError
from fieldtui.widgets.key_footer import KeyFooter
from fieldtui.widgets.nav_bar import NavBar


class UserTable(DataTable[str | Text]):
    """One row per user; the name column takes the width the others leave."""

    BINDINGS = [Binding("enter", "select_cursor", "keys.user_edit", show=False)]  # in the help
    WIDTHS = {"username": 12, "role": 10, "status": 8, "pin": 3}
    NARROW = 70  # below this many columns the PIN column goes (the line below says it)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self.users: list[Officer] = []
        self._name_width = 0

    def on_mount(self) -> None:
        self.show([])

    def on_resize(self) -> None:
        if self._wanted_width() != self._name_width:
            self.show(self.users)

    def _room(self) -> int:
        return self.size.width or self.app.size.width - 2

    def _widths(self) -> dict[str, int]:
        if self._room() < self.NARROW:
            return {key: width for key, width in self.WIDTHS.items() if key != "pin"}
        return self.WIDTHS

    def _wanted_width(self) -> int:
        widths = self._widths()
        fixed = sum(widths.values()) + 2 * (len(widths) + 1)  # one cell of padding each side
        return max(10, min(40, self._room() - fixed - 1))

    @property
    def selected(self) -> Officer | None:
        """The user under the cursor."""
        if not self.users or not 0 <= self.cursor_row < len(self.users):
            return None
        return self.users[self.cursor_row]

    def show(self, users: list[Officer], *, cursor_on: str | None = None) -> None:
        """Show ``users``, the cursor on ``cursor_on`` (an id), else on the same user as before."""
        keep = cursor_on or (self.selected.id if self.selected is not None else None)
        self.users = users
        self._name_width = self._wanted_width()
        self.clear(columns=True)
        self.add_column(t("users.column.name"), key="name", width=self._name_width)
        widths = self._widths()
        for key, width in widths.items():
            self.add_column(t(f"users.column.{key}"), key=key, width=width)
        for user in users:
            style = "" if user.active else "dim"
            cells = {
                "name": user.name,
                "username": user.username,
                "role": t(f"role.{user.role.value}"),
                "status": t(f"users.status.{'active' if user.active else 'inactive'}"),
                "pin": t("users.pin.set" if user.pin_hash else "users.pin.none"),
            }
            shown = ["name", *widths]
            self.add_row(*(Text(cells[key], style=style) for key in shown), key=user.id)
        ids = [user.id for user in users]
        if users:
            self.move_cursor(row=ids.index(keep) if keep in ids else 0)


class UsersScreen(FieldPage[None]):
    """Pengguna: the list, and the keys a supervisor manages users with."""

    CSS_PATH = "users.tcss"
    BINDINGS = [
        Binding("ctrl+n", "new_user", "keys.user_new"),
        Binding("p", "set_pin", "keys.user_pin"),
        # One key, two actions: the footer offers the one that fits the user under the cursor.
        Binding("ctrl+d", "set_active(False)", "keys.user_deactivate"),
        Binding("ctrl+d", "set_active(True)", "keys.user_activate"),
        Binding("escape", "back", "keys.close"),
    ]

    def compose(self) -> ComposeResult:
        yield NavBar()
        yield Static(t("users.title"), id="users-title")
        yield Static("", id="users-role", markup=False)
        yield UserTable(id="users-table")
        yield Static("", id="users-detail", markup=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        super().on_mount()
        self.field_app.store_changed.subscribe(self, self._store_changed)
        self.query_one(UserTable).focus()
        self.load()

    def _store_changed(self, kinds: frozenset[RecordKind]) -> None:
        if RecordKind.OFFICER in kinds:
            self.load()

    # -- reading ---------------------------------------------------------------------------

    def load(self) -> None:
        """Read the users again (in a worker; the list updates when they arrive)."""
        self._read()

    @work(thread=True, exclusive=True, group="users")
    def _read(self) -> None:
        users = self.store.officers()
        self.app.call_from_thread(self._show, users)

    def _show(self, users: list[Officer]) -> None:
        table = self.query_one(UserTable)
        me = self.field_app.user
        first = not table.users  # the first time: the cursor starts on oneself
        table.show(users, cursor_on=me.id if first and me is not None else None)
        active = sum(1 for user in users if user.active)
        key = "users.role_line.manage" if self._manages else "users.role_line.look"
        line = t(key, active=fmt_number(active), inactive=fmt_number(len(users) - active))
        if self.store.read_only:
            line = t("users.role_line.read_only", active=fmt_number(active))
        self.query_one("#users-role", Static).update(line)
        self._show_detail()

    def _show_detail(self) -> None:
        user = self.selected
        detail = self.query_one("#users-detail", Static)
        if user is None:
            detail.update("")
            return
        parts = [
            t("users.detail.added", day=fmt_date(user.created_at.date())),
            t("users.detail.changed", day=fmt_date(user.updated_at.date())),
        ]
        if user.pin_hash is None:
            parts.append(t("users.detail.no_pin"))
        me = self.field_app.user
        if me is not None and me.id == user.id:
            parts.insert(0, t("users.detail.you"))
        detail.update(" · ".join(parts))

    def on_data_table_row_highlighted(self) -> None:
        self._show_detail()
        self.refresh_bindings()

    # -- who may do what -------------------------------------------------------------------

    @property
    def selected(self) -> Officer | None:
        """The user under the cursor."""
        return self.query_one(UserTable).selected

    @property
    def _manages(self) -> bool:
        return self.may(Permission.MANAGE_USERS)

    def _is_me(self, user: Officer | None) -> bool:
        me = self.field_app.user
        return user is not None and me is not None and user.id == me.id

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Offer only what the store would allow (it refuses the rest anyway).
        user = self.selected
        if action == "new_user":
            return self._manages
        if action == "set_active":
            return (
                self._manages
                and user is not None
                and not self._is_me(user)
                and user.active != parameters[0]
            )
        if action == "set_pin":
            writable = not self.store.read_only
            return writable and user is not None and (self._manages or self._is_me(user))
        return True

    # -- actions ---------------------------------------------------------------------------

    def action_new_user(self) -> None:
        """Add a user (supervisors)."""
        if self._manages:
            self.app.push_screen(UserDialog(), self._saved("users.done.added"))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        user = self.selected
        if user is None:
            return
        if self.store.read_only or not (self._manages or self._is_me(user)):
            why = (
                "store.error.read_only_mode"
                if self.store.read_only
                else "repository.denied.manage_users"
            )
            self.notify(t(why), severity="warning", timeout=4)
            return
        dialog = UserDialog(user, may_set_role=self._manages and not self._is_me(user))
        self.app.push_screen(dialog, self._saved("users.done.changed"))

    def action_set_pin(self) -> None:
        """Set the PIN of the user under the cursor (one's own, or anyone's for a supervisor)."""
        user = self.selected
        if user is None or not self.check_action("set_pin", ()):
            return
        ask_current = self._is_me(user) and user.pin_hash is not None
        self.app.push_screen(
            PinDialog(user, ask_current=ask_current), self._saved("users.done.pin")
        )

    def action_set_active(self, active: bool) -> None:
        """Deactivate the user under the cursor (or reactivate them), with a reason."""
        user = self.selected
        if user is None or not self.check_action("set_active", (active,)):
            return
        verb = "activate" if active else "deactivate"
        dialog = ReasonDialog(
            t(f"users.{verb}.prompt", name=user.name, login=user.username),
            title=t(f"users.{verb}.title"),
        )

        def decided(reason: str | None) -> None:
            if reason is None:
                return
            try:
                self.store.update_officer(replace(user, active=active), reason=reason)
            except StoreError as exc:
                self.notify(exc.message(), severity="error", timeout=6)
                return
            self.notify(t(f"users.done.{verb}d", name=user.name))
            self.load()

        self.app.push_screen(dialog, decided)

    def _saved(self, key: str) -> Callable[[Officer | None], None]:
        """What to do when a dialog closes: say what was saved (``key``) and re-read."""

        def done(officer: Officer | None) -> None:
            if officer is not None:
                self.notify(t(key, name=officer.name))
                if self._is_me(officer):
                    self.field_app.update_subtitle()
                self.load()

        return done

    def action_back(self) -> None:
        """Back to Pengaturan."""
        self.dismiss(None)
