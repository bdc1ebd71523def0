"""RecordDetailScreen: one sign-up or one visit, every field, and its history of changes.

NIKs and phone numbers stay masked until the officer presses Ctrl+R, which writes a reveal
entry to the audit trail first (UU 27/2022: every look at personal data is accounted for).
Ctrl+E opens the record's form, Ctrl+D soft-deletes it with a reason. The screen re-reads the
record whenever the store changes, so an edit or a review from another process shows at once.
"""

from __future__ import annotations

import importlib
import io
from typing import Any

from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Footer, Header, Static

from fieldtui.domain.models import AuditEntry, RecordKind, SignUp, Visit
from fieldtui.i18n import fmt_date, fmt_datetime, t
from fieldtui.screens.base import FieldPage
from fieldtui.screens.reason_dialog import ReasonDialog
from fieldtui.screens.record_history import HistoryLine, history_lines
from fieldtui.screens.record_view import (
    Names,
    Row,
    signup_rows,
    visit_rows,
    visit_title,
)
from fieldtui.store.errors import StoreError

_FORMS = {  # record kind -> (module, class, keyword) of the form that edits it
    RecordKind.SIGNUP: ("fieldtui.screens.signup_form", "SignUpFormScreen", "signup"),
    RecordKind.VISIT: ("fieldtui.screens.visit_form", "VisitFormScreen", "visit"),
}


class RecordDetailScreen(FieldPage[None]):
    """One record in full, with its history; Esc goes back."""

    CSS_PATH = "record_detail.tcss"
    BINDINGS = [
        Binding("ctrl+e", "edit", "keys.detail_edit"),
        Binding("ctrl+d", "delete", "keys.detail_delete"),
        Binding("ctrl+r", "reveal", "keys.detail_reveal"),
        Binding("escape", "back", "keys.close"),
    ]

    def __init__(self, kind: RecordKind, record_id: str) -> None:
        if kind not in _FORMS:
            raise ValueError(f"no detail screen for {kind}")
        super().__init__()
        self.kind = kind
        self.record_id = record_id
        self.record: SignUp | Visit | None = None
        self.revealed = False
        self.rows: list[Row] = []
        self.history_lines: list[HistoryLine] = []

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="detail"):
            yield Static("", id="detail-title", markup=False)
            yield Static("", id="detail-deleted", markup=False)
            yield Static("", id="detail-privacy", markup=False)
            yield Static("", id="detail-fields")
            yield Static(t("detail.history"), id="detail-history-title")
            yield Static("", id="detail-history")
        yield Footer()

    def on_mount(self) -> None:
        self.field_app.store_changed.subscribe(self, self._store_changed)
        self.load()
        self.query_one("#detail", VerticalScroll).focus()

    def _store_changed(self, kinds: frozenset[RecordKind]) -> None:
        self.load()

    # -- reading ---------------------------------------------------------------------------

    def load(self) -> None:
        """Read the record and its history again and show them (one record: a quick read)."""
        store = self.store
        try:
            record: SignUp | Visit = (
                store.get_signup(self.record_id)
                if self.kind is RecordKind.SIGNUP
                else store.get_visit(self.record_id)
            )
            entries = store.history(self.record_id)
        except StoreError as exc:
            self.record = None
            self._show_missing(exc.message())
            return
        self.record = record
        self._show(record, entries)

    def _names(self) -> Names:
        store = self.store
        cache: dict[tuple[str, str], str] = {}

        def cached(kind: str, read: Any) -> Any:
            def name(record_id: str) -> str:
                key = (kind, record_id)
                if key not in cache:
                    try:
                        cache[key] = read(record_id)
                    except StoreError:
                        cache[key] = t("detail.unknown", id=record_id)
                return cache[key]

            return name

        def visit(record_id: str) -> str:
            v = store.get_visit(record_id)
            kind = t(f"detail.visit_type.{v.visit_type.value}")
            return t("detail.visit_ref", type=kind, date=fmt_date(v.started_at.date()))

        return Names(
            officer=cached("officer", lambda i: store.get_officer(i).name),
            banjar=cached("banjar", lambda i: store.get_banjar(i).name),
            visit=cached("visit", visit),
        )

    def _show(self, record: SignUp | Visit, entries: list[AuditEntry]) -> None:
        names = self._names()
        if isinstance(record, SignUp):
            title = t("detail.title_signup", name=record.participant.name)
            self.rows = signup_rows(
                record, names, revealed=self.revealed, today=self.field_app.today()
            )
            privacy = t("detail.revealed") if self.revealed else t("detail.masked")
        else:
            title = visit_title(record)
            self.rows = visit_rows(record, names)
            privacy = ""
        deleted = ""
        if record.deleted_at is not None:
            title = t("detail.title_deleted", title=title)
            deleted = t(
                "detail.deleted", when=fmt_datetime(record.deleted_at), reason=record.deleted_reason
            )
        self.history_lines = history_lines(entries, names, revealed=self.revealed)
        self._put("#detail-title", title)
        self._put("#detail-deleted", deleted)
        self._put("#detail-privacy", privacy)
        self.query_one("#detail-privacy").set_class(self.revealed, "-revealed")
        self._put("#detail-fields", fields_table(self.rows))
        self._put("#detail-history", history_group(self.history_lines))
        self.query_one("#detail-history-title").display = True
        self.refresh_bindings()

    def _show_missing(self, message: str) -> None:
        self.rows, self.history_lines = [], []
        self._put("#detail-title", t("detail.not_found", id=self.record_id))
        self._put("#detail-deleted", message)
        for widget_id in ("#detail-privacy", "#detail-fields", "#detail-history"):
            self._put(widget_id, "")
        self.query_one("#detail-history-title").display = False
        self.refresh_bindings()

    def _put(self, widget_id: str, content: RenderableType) -> None:
        widget = self.query_one(widget_id, Static)
        widget.update(content)
        widget.display = bool(content)

    def shown_text(self, width: int = 78) -> str:
        """What the screen shows now as plain text (title, fields, history), for tests."""
        console = Console(width=width, record=True, no_color=True, file=io.StringIO())
        for widget in self.query("#detail > Static").results(Static):
            content = widget.content
            if widget.display and isinstance(content, str | Text | Table | Group):
                console.print(content)
        return console.export_text()

    # -- actions ---------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        record = self.record
        if action in ("edit", "delete"):
            return record is not None and record.deleted_at is None
        if action == "reveal":
            return isinstance(record, SignUp)
        return True

    def action_back(self) -> None:
        """Back to where the record was opened from."""
        self.dismiss(None)

    def action_edit(self) -> None:
        """Open the record's form; what it saves shows here on return."""
        record = self.record
        if record is None or record.deleted_at is not None:
            return
        module_name, class_name, keyword = _FORMS[self.kind]
        try:
            form_class = getattr(importlib.import_module(module_name), class_name)
        except (ImportError, AttributeError):
            self.notify(t("detail.edit_unavailable"), severity="warning")
            return
        self.app.push_screen(form_class(**{keyword: record}), self._edited)

    def _edited(self, result: object) -> None:
        self.load()

    def action_delete(self) -> None:
        """Ask why, then soft-delete the record (it stays, marked deleted, with its history)."""
        if self.record is None or self.record.deleted_at is not None:
            return
        dialog = ReasonDialog(t("detail.delete.prompt"), title=t("detail.delete.title"))
        self.app.push_screen(dialog, self._delete_with)

    def _delete_with(self, reason: str | None) -> None:
        if not reason:
            return
        try:
            if self.kind is RecordKind.SIGNUP:
                self.store.delete_signup(self.record_id, reason)
            else:
                self.store.delete_visit(self.record_id, reason)
        except StoreError as exc:
            self.notify(exc.message(), severity="error")
            return
        self.notify(t("detail.deleted_ok"))
        self.load()

    def action_reveal(self) -> None:
        """Show the NIK and phone unmasked (noted in the audit trail), or mask them again."""
        record = self.record
        if not isinstance(record, SignUp):
            return
        if self.revealed:
            self.revealed = False
            self.load()
            return
        try:
            self.store.record_reveal(self.record_id, field="participant.nik")
            if record.participant.phone:
                self.store.record_reveal(self.record_id, field="participant.phone")
        except StoreError as exc:
            self.notify(exc.message(), severity="error")
            return
        self.revealed = True
        self.notify(t("detail.reveal_done"), timeout=4)
        self.load()


def fields_table(rows: list[Row]) -> Table:
    """Label and value in two columns; long values wrap under themselves."""
    width = max((len(label) for label, _ in rows), default=10)
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True, min_width=width)
    table.add_column(ratio=1, overflow="fold")
    for label, value in rows:
        table.add_row(Text(label), Text(value))
    return table


def history_group(lines: list[HistoryLine]) -> RenderableType:
    """Newest first: a bold head per entry, then its reason and the changed fields."""
    if not lines:
        return Text(t("detail.history_empty"), style="italic")
    parts: list[RenderableType] = []
    for line in lines:
        parts.append(Text(line.head, style="bold"))
        if line.reason:
            parts.append(Text("  " + line.reason, style="italic"))
        parts.extend(Text("  • " + change) for change in line.changes)
        parts.append(Text(""))
    return Group(*parts[:-1])
