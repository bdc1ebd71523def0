"""RecordDetailScreen: one sign-up or one visit, every field, and its history of changes.

NIKs and phone numbers stay masked until the officer presses Ctrl+R, which writes a reveal
entry to the audit trail first (UU 27/2022: every look at personal data is accounted for).
Ctrl+E opens the record's form, Ctrl+D soft-deletes it with a reason. The screen re-reads the
record whenever the store changes, so an edit or a review from another process shows at once.
"""

from __future__ import annotations

import datetime as dt
import importlib
import io
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Header, Static

from fieldtui.domain.models import RecordKind, SignUp, Visit
from fieldtui.domain.permissions import Permission, can
from fieldtui.i18n import fmt_date, fmt_datetime, t
from fieldtui.screens.base import FieldPage
from fieldtui.screens.reason_dialog import ReasonDialog
from fieldtui.screens.record_history import HistoryLine, history_group, history_lines
from fieldtui.screens.record_view import (
    Names,
    Row,
    fields_table,
    signup_rows,
    visit_rows,
    visit_title,
)
from fieldtui.store.errors import StoreError
from fieldtui.store.repository import Store
from fieldtui.widgets.key_footer import KeyFooter

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
        # Reads run in workers; each takes a number as it starts reading, so the screen shows
        # the latest read only. Whether to unmask is decided then too, under the same lock: a
        # reload triggered by the reveal's own audit write must not mask the NIK again.
        self._lock = threading.Lock()
        self._seq = 0  # reads started
        self._shown = 0  # the read shown last
        self._unmask = False  # the officer revealed NIK and phone (and it was audited)
        self._saving = False  # a reveal or delete is under way: a second key press waits

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="detail"):
            yield Static("", id="detail-title", markup=False)
            yield Static("", id="detail-deleted", markup=False)
            yield Static("", id="detail-privacy", markup=False)
            yield Static("", id="detail-conflicts")
            yield Static("", id="detail-fields")
            yield Static(t("detail.history"), id="detail-history-title")
            yield Static("", id="detail-history")
        yield KeyFooter()

    def on_mount(self) -> None:
        self._today = self.field_app.today()
        self.field_app.store_changed.subscribe(self, self._store_changed)
        self.load()
        self.query_one("#detail", VerticalScroll).focus()

    def _store_changed(self, kinds: frozenset[RecordKind]) -> None:
        self.load()

    # -- reading ---------------------------------------------------------------------------

    def load(self) -> None:
        """Read the record and its history again (in a worker) and show them."""
        self._work(None)

    @work(thread=True, group="record-detail")
    def _work(self, change: Callable[[], str] | None, *, unmask: bool = False) -> None:
        # Store calls happen here, never on the UI thread: the poller may hold the store while
        # it waits for the UI to take other processes' changes.
        app = self.app
        message = ""
        if change is not None:
            try:
                message = change()
            except StoreError as exc:
                app.call_from_thread(self._failed, exc.message())
                return
        with self._lock:
            self._unmask = self._unmask or unmask
            self._seq += 1
            seq, revealed = self._seq, self._unmask
        view = read_view(self.store, self.kind, self.record_id, revealed, self._today)
        app.call_from_thread(self._show, seq, view, message)

    def _show(self, seq: int, view: View, message: str) -> None:
        if seq < self._shown:
            return  # a newer read has been shown already
        self._shown = seq
        self.record, self.revealed = view.record, view.revealed
        self.rows, self.history_lines = view.rows, view.lines
        self._put("#detail-title", view.title)
        self._put("#detail-deleted", view.banner)
        self._put("#detail-privacy", view.privacy)
        self.query_one("#detail-privacy").set_class(view.revealed, "-revealed")
        found = view.record is not None
        self._put("#detail-conflicts", conflicts_text(view.conflicts) if found else "")
        self._put("#detail-fields", fields_table(view.rows) if found else "")
        self._put("#detail-history", history_group(view.lines) if found else "")
        self.query_one("#detail-history-title").display = found
        self.refresh_bindings()
        if message:
            self._saving = False
            self.notify(message, timeout=4)

    def _failed(self, message: str) -> None:
        self._saving = False
        self.notify(message, severity="error")

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
        user = self.field_app.user
        if action in ("edit", "delete"):
            # Only what the store would allow: the record's own officer, on a writable store.
            writable = not self.store.read_only
            own = (
                user is not None
                and can(user.role, Permission.WRITE_OWN_RECORDS)
                and record is not None
                and getattr(record, "officer_id", None) == user.id
            )
            return writable and own and record is not None and record.deleted_at is None
        if action == "reveal":
            return (
                isinstance(record, SignUp)
                and user is not None
                and can(user.role, Permission.REVEAL_NIK)
            )
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
        if not reason or self._saving:
            return
        self._saving = True
        store, kind, record_id = self.store, self.kind, self.record_id

        def delete() -> str:
            if kind is RecordKind.SIGNUP:
                store.delete_signup(record_id, reason)
            else:
                store.delete_visit(record_id, reason)
            return t("detail.deleted_ok")

        self._work(delete)

    def action_reveal(self) -> None:
        """Show the NIK and phone unmasked (noted in the audit trail), or mask them again."""
        record = self.record
        if not isinstance(record, SignUp) or self._saving:
            return
        if self.revealed:
            with self._lock:
                self._unmask = False
            self.load()
            return
        self._saving = True
        store, record_id, phone = self.store, self.record_id, record.participant.phone

        def reveal() -> str:
            store.record_reveal(record_id, field="participant.nik")
            if phone:
                store.record_reveal(record_id, field="participant.phone")
            return t("detail.reveal_done")

        self._work(reveal, unmask=True)


@dataclass(frozen=True)
class View:
    """One read of a record, formatted: what the screen shows."""

    record: SignUp | Visit | None
    title: str
    banner: str  # "DIHAPUS …" for a deleted record, the error for a missing one
    privacy: str
    rows: list[Row]
    lines: list[HistoryLine]
    revealed: bool
    # Other versions a merge kept aside (edited on two laptops): per version, the fields whose
    # value differs from what is shown, as (label, shown value, that version's value).
    conflicts: list[list[tuple[str, str, str]]] = field(default_factory=list)


def store_names(store: Store) -> Names:
    """Names for the ids a record points at, read from the store (each id read once)."""
    cache: dict[tuple[str, str], str] = {}

    def cached(kind: str, read: Callable[[str], str]) -> Callable[[str], str]:
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


def read_view(
    store: Store, kind: RecordKind, record_id: str, revealed: bool, today: dt.date
) -> View:
    """Read one record and its history from the store and put them in words."""
    try:
        record: SignUp | Visit = (
            store.get_signup(record_id) if kind is RecordKind.SIGNUP else store.get_visit(record_id)
        )
        entries = store.history(record_id)
    except StoreError as exc:
        title = t("detail.not_found", id=record_id)
        return View(None, title, exc.message(), "", [], [], revealed=False)
    names = store_names(store)

    def rows_of(shown: SignUp | Visit) -> list[Row]:
        if isinstance(shown, SignUp):
            return signup_rows(shown, names, revealed=revealed, today=today)
        return visit_rows(shown, names)

    if isinstance(record, SignUp):
        title = t("detail.title_signup", name=record.participant.name)
        privacy = t("detail.revealed") if revealed else t("detail.masked")
    else:
        title, privacy, revealed = visit_title(record), "", False
    rows = rows_of(record)
    conflicts: list[list[tuple[str, str, str]]] = []
    for version in store.open_conflicts(record_id):
        if isinstance(version.record, type(record)):
            # The review state is the merge's own flag, not one of the laptops' edits.
            same = {t("detail.field.review"): ""}
            other = dict(rows_of(replace(version.record, review_state=record.review_state)))
            differ = [
                (label, value, other[label])
                for label, value in rows
                if other.get(label, value) != value and label not in same
            ]
            if differ:
                conflicts.append(differ)
    banner = ""
    if record.deleted_at is not None:
        title = t("detail.title_deleted", title=title)
        when = fmt_datetime(record.deleted_at)
        banner = t("detail.deleted", when=when, reason=record.deleted_reason)
    lines = history_lines(entries, names, revealed=revealed)
    return View(record, title, banner, privacy, rows, lines, revealed, conflicts)


def conflicts_text(conflicts: list[list[tuple[str, str, str]]]) -> RenderableType:
    """'Edited on two laptops' and, per other version, its differing values ('' when none)."""
    if not conflicts:
        return ""
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column(ratio=1, overflow="fold")
    table.add_column(ratio=1, overflow="fold")
    table.add_row(Text(""), Text(t("detail.conflict_here")), Text(t("detail.conflict_other")))
    for number, differ in enumerate(conflicts, start=1):
        if len(conflicts) > 1:
            table.add_row(Text(t("detail.conflict_version", number=number)), Text(""), Text(""))
        for label, shown, other in differ:
            table.add_row(Text(label), Text(shown), Text(other))
    return Group(Text(t("detail.conflict_title"), style="bold"), table)
