"""SettingsScreen (Pengaturan): the officer's profile, language, theme, targets and users.

Language and theme apply the moment they are chosen and are kept in the per-user preferences
file (`fieldtui.settings`); the profile and the stale-visit threshold are saved with Ctrl+S.
Targets are set per region (branch, kab/kota, kecamatan, desa or banjar) and period in
`TargetDialog`; the list re-reads whenever targets change in the store, ours or another
process's. Ctrl+G opens the store's users (`UsersScreen`).
"""

from __future__ import annotations

from dataclasses import replace

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.theme import Theme
from textual.widgets import DataTable, Input, Select, Static

from fieldtui.domain.models import RecordKind, Target
from fieldtui.domain.permissions import Permission, can
from fieldtui.domain.phone import format_phone, parse_phone
from fieldtui.i18n import LANGUAGES, Lang, fmt_number, get_language, set_language, t
from fieldtui.screens.base import FieldScreen
from fieldtui.screens.preferences import apply_stale_weeks, rebuild_other_modes
from fieldtui.screens.target_dialog import TargetDialog, region_label
from fieldtui.screens.target_list import TargetRow, TargetTable
from fieldtui.screens.users import UsersScreen
from fieldtui.settings import (
    MAX_STALE_WEEKS,
    MIN_STALE_WEEKS,
    Settings,
    load_settings,
    save_settings,
)
from fieldtui.store.errors import StoreError
from fieldtui.widgets.field import FormField, Tone
from fieldtui.widgets.key_footer import KeyFooter
from fieldtui.widgets.nav_bar import NavBar
from fieldtui.widgets.ordered_input import OrderedInput

# Themes that stay readable in a 16-colour terminal; the ansi ones use the terminal's own.
THEMES = ("textual-dark", "textual-light", "ansi-dark", "ansi-light", "nord", "gruvbox")
LANGUAGE_NAMES: dict[Lang, str] = {"id": "Bahasa Indonesia", "en": "English"}
_WATCHED = frozenset({RecordKind.TARGET, RecordKind.BANJAR})


class SettingsScreen(FieldScreen):
    """Pengaturan: profile, preferences and targets, in one scrolling form."""

    CSS_PATH = "settings.tcss"
    BINDINGS = [
        Binding("ctrl+s", "save", "keys.save"),
        Binding("ctrl+t", "new_target", "keys.new_target"),
        Binding("ctrl+l", "switch_language", "keys.language"),
        Binding("ctrl+g", "users", "keys.users", show=False),  # said in its section; F1 lists it
    ]

    def __init__(self) -> None:
        super().__init__()
        self.settings = load_settings()
        self.rows: list[TargetRow] = []
        self._draft: dict[str, str] = {}  # typed values kept across a relabelling
        self._user_id: str | None = None  # whose profile the form shows

    # -- building --------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        user = self.field_app.user
        name = self._draft.get("name", user.name if user else "")
        phone = self._draft.get("phone", format_phone(user.phone) if user and user.phone else "")
        weeks = self._draft.get("weeks", str(self.settings.stale_weeks))
        yield NavBar()
        with VerticalScroll(id="settings", can_focus=False):
            yield Static(t("settings.profile.title"), classes="settings-section -first")
            yield Static(self._account_line(), id="settings-account")
            yield FormField(
                t("settings.profile.name"),
                OrderedInput(name, id="settings-name", max_length=80),
                required=True,
                id="field-name",
            )
            yield FormField(
                t("settings.profile.phone"),
                OrderedInput(
                    phone, placeholder="08xx-xxxx-xxxx", id="settings-phone", max_length=24
                ),
                id="field-phone",
            )
            yield Static(t("settings.display.title"), classes="settings-section")
            yield FormField(
                t("settings.display.language"),
                Select(
                    [(LANGUAGE_NAMES[lang], lang) for lang in LANGUAGES],
                    value=get_language(),
                    allow_blank=False,
                    id="settings-language",
                ),
                id="field-language",
            )
            yield FormField(
                t("settings.display.theme"),
                Select(
                    [(theme, theme) for theme in self._themes()],
                    value=self.app.theme,
                    allow_blank=False,
                    id="settings-theme",
                ),
                id="field-theme",
            )
            yield FormField(
                t("settings.display.stale_weeks"),
                OrderedInput(weeks, id="settings-weeks", max_length=2, restrict=r"[0-9]*"),
                id="field-weeks",
            )
            yield Static(t("settings.target.title"), classes="settings-section")
            yield Static(t("settings.target.hint"), id="settings-target-hint")
            yield Static(t("settings.target.none"), id="settings-no-targets")
            yield TargetTable(id="settings-targets")
            yield Static(t("settings.users.title"), classes="settings-section")
            yield Static("", id="settings-users")
        yield KeyFooter()

    def _themes(self) -> list[str]:
        available = [theme for theme in THEMES if theme in self.app.available_themes]
        if self.app.theme not in available:
            available.append(self.app.theme)
        return available

    def _account_line(self) -> str:
        user = self.field_app.user
        if user is None:
            return t("settings.profile.no_user")
        return t("settings.profile.account", login=user.username, role=t(f"role.{user.role}"))

    def on_mount(self) -> None:
        self.query_one("#field-weeks", FormField).show(
            t("settings.display.stale_hint", low=MIN_STALE_WEEKS, high=MAX_STALE_WEEKS)
        )
        self._user_id = self.field_app.user.id if self.field_app.user else None
        self.field_app.store_changed.subscribe(self, self._store_changed)
        self.app.theme_changed_signal.subscribe(self, self._theme_changed)
        self.query_one("#settings-name", Input).focus()
        self.load_targets()
        self._count_users()

    def _store_changed(self, kinds: frozenset[RecordKind]) -> None:
        if kinds & _WATCHED:
            self.load_targets()
        if RecordKind.OFFICER in kinds:
            self._count_users()
            self.query_one("#settings-account", Static).update(self._account_line())
            user = self.field_app.user
            if user is not None and user.id != self._user_id:
                self._show_profile()  # another user signed in (Ctrl+U)

    def _show_profile(self) -> None:
        user = self.field_app.user
        self._user_id = user.id if user else None
        self.query_one("#settings-name", Input).value = user.name if user else ""
        phone = format_phone(user.phone) if user and user.phone else ""
        self.query_one("#settings-phone", Input).value = phone
        for field_id in ("field-name", "field-phone"):
            self.query_one(f"#{field_id}", FormField).show("")

    # -- targets ---------------------------------------------------------------------------

    def load_targets(self) -> None:
        """Read the targets again (in a worker; the list updates when they arrive)."""
        self._read_targets()

    @work(thread=True, exclusive=True, group="settings-targets")
    def _read_targets(self) -> None:
        store = self.store
        rows = [
            TargetRow(target, region_label(store, target.region_code)) for target in store.targets()
        ]
        self.app.call_from_thread(self._show_targets, rows)

    def _show_targets(self, rows: list[TargetRow]) -> None:
        self.rows = rows
        self.query_one(TargetTable).show(rows)
        self.query_one("#settings-no-targets", Static).display = not rows

    def action_new_target(self) -> None:
        """Set a target for a region and period (or change one that exists)."""
        if self._may_set_targets():
            self.app.push_screen(TargetDialog(self.field_app.today()), self._target_saved)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        target = next((r.target for r in self.rows if r.target.id == event.row_key.value), None)
        if target is not None and self._may_set_targets():
            self.app.push_screen(TargetDialog(self.field_app.today(), target), self._target_saved)

    def _may_set_targets(self) -> bool:
        """True for a supervisor; anyone else is told plainly (the store refuses them too)."""
        user = self.field_app.user
        if user is not None and can(user.role, Permission.SET_TARGETS):
            return True
        self.notify(t("repository.denied.set_targets"), severity="warning")
        return False

    def _target_saved(self, target: Target | None) -> None:
        if target is not None:
            self.load_targets()

    # -- users ---------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="settings-users")
    def _count_users(self) -> None:
        active = len(self.store.officers(include_inactive=False))
        line = t("settings.users.line", active=fmt_number(active))
        self.app.call_from_thread(self.query_one("#settings-users", Static).update, line)

    def action_users(self) -> None:
        """The store's users: everyone sees them; supervisors manage them."""
        self.app.push_screen(UsersScreen())

    # -- profile and threshold -------------------------------------------------------------

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.action_save()

    def action_save(self) -> None:
        """Save the profile (name, phone) and the stale-visit threshold, when they are valid."""
        name_field = self.query_one("#field-name", FormField)
        phone_field = self.query_one("#field-phone", FormField)
        weeks_field = self.query_one("#field-weeks", FormField)
        name = " ".join(self.query_one("#settings-name", Input).value.split())
        phone = parse_phone(self.query_one("#settings-phone", Input).value)
        weeks_text = self.query_one("#settings-weeks", Input).value.strip()
        weeks = int(weeks_text) if weeks_text.isdigit() else 0
        ok = True
        name_field.show("" if name else t("settings.profile.name_required"), Tone.ERROR)
        ok = ok and bool(name)
        phone_field.show(phone.error.message() if phone.error else "", Tone.ERROR)
        ok = ok and phone.ok
        weeks_ok = MIN_STALE_WEEKS <= weeks <= MAX_STALE_WEEKS
        weeks_field.show(
            t("settings.display.stale_hint", low=MIN_STALE_WEEKS, high=MAX_STALE_WEEKS),
            Tone.INFO if weeks_ok else Tone.ERROR,
        )
        if not (ok and weeks_ok):
            return
        if not self._save_profile(name, phone.e164):
            return
        if weeks != self.settings.stale_weeks:
            if not self._save_settings(replace(self.settings, stale_weeks=weeks)):
                return
            apply_stale_weeks(self.app, weeks)
        self.notify(t("settings.saved"))

    def _save_profile(self, name: str, phone: str | None) -> bool:
        user = self.field_app.user
        if user is None:
            self.notify(t("settings.profile.no_user"), severity="error")
            return False
        if (user.name, user.phone) != (name, phone):
            try:
                self.store.update_officer(replace(user, name=name, phone=phone))
            except StoreError as exc:
                self.query_one("#field-name", FormField).show(exc.message(), Tone.ERROR)
                self.notify(exc.message(), severity="error")
                return False
            self.field_app.update_subtitle()
        self.query_one("#settings-name", Input).value = name
        self.query_one("#settings-phone", Input).value = format_phone(phone) if phone else ""
        return True

    def _save_settings(self, settings: Settings) -> bool:
        try:
            save_settings(settings)
        except OSError as exc:
            self.notify(
                t("settings.prefs_not_saved", error=exc.strerror or str(exc)), severity="error"
            )
            return False
        self.settings = settings
        return True

    # -- language and theme ----------------------------------------------------------------

    async def on_select_changed(self, event: Select.Changed) -> None:
        value = event.value
        if event.select.id == "settings-language" and value in LANGUAGES:
            await self._switch_to(value)
        elif event.select.id == "settings-theme" and isinstance(value, str):
            if value != self.app.theme:
                self.app.theme = value
            if value != self.settings.theme:
                self._save_settings(replace(self.settings, theme=value))

    def _theme_changed(self, theme: Theme) -> None:
        # Picked elsewhere (the palette): show it here without treating it as a new choice.
        select = self.query_one("#settings-theme", Select)
        if select.value == theme.name:
            return
        with select.prevent(Select.Changed):
            select.set_options((name, name) for name in self._themes())
            select.value = theme.name

    async def action_switch_language(self) -> None:
        """Bahasa Indonesia ↔ English, at once."""
        await self._switch_to("en" if get_language() == "id" else "id")

    async def _switch_to(self, lang: Lang) -> None:
        if lang == get_language():
            return
        set_language(lang)
        self._save_settings(replace(self.settings, language=lang))
        self.field_app.update_subtitle()
        await rebuild_other_modes(self.app, self.settings)
        await self._relabel()

    async def _relabel(self) -> None:
        # Keep what was typed but not saved; the new widgets start from it.
        self._draft = {
            "name": self.query_one("#settings-name", Input).value,
            "phone": self.query_one("#settings-phone", Input).value,
            "weeks": self.query_one("#settings-weeks", Input).value,
        }
        await self.recompose()
        self._draft = {}
        self.query_one("#field-weeks", FormField).show(
            t("settings.display.stale_hint", low=MIN_STALE_WEEKS, high=MAX_STALE_WEEKS)
        )
        self.query_one("#settings-language", Select).focus()
        self.refresh_bindings()
        self.load_targets()
        self._count_users()
