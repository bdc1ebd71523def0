"""VisitsScreen (Kunjungan): the outreach visits, newest first, and the current visit (★).

The list is a `PagedTable` fed one page at a time from `Store.list_visits` in a worker, so a
branch store with years of visits opens at once. Ctrl+N logs a visit, Enter opens one, `e`
edits it, `c` makes it the current visit (sign-ups then attach to it), Ctrl+F filters.
"""

from __future__ import annotations

import dataclasses

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Static

from fieldtui.domain.models import RecordKind, Visit
from fieldtui.domain.permissions import Permission
from fieldtui.i18n import fmt_date, fmt_datetime, fmt_number, t
from fieldtui.screens.base import FieldScreen
from fieldtui.screens.visit_filter import VisitFilterDialog, describe_filter
from fieldtui.screens.visit_form import VisitFormScreen
from fieldtui.screens.visit_rows import columns, place, visit_cells, visit_label
from fieldtui.store.errors import StoreError
from fieldtui.store.listing import Page, RecordFilter
from fieldtui.widgets.key_footer import KeyFooter
from fieldtui.widgets.nav_bar import NavBar
from fieldtui.widgets.paged_table import PagedTable

PAGE_SIZE = 50
_WATCHED = frozenset({RecordKind.VISIT, RecordKind.BANJAR})


@dataclasses.dataclass(frozen=True)
class Loaded:
    """One page read from the store, with the names of the banjars it mentions."""

    page: Page[Visit]
    banjar_names: dict[str, str]
    keep: str | None
    at_end: bool


class VisitsScreen(FieldScreen):
    """Kunjungan: every visit, newest first."""

    CSS_PATH = "visits.tcss"
    BINDINGS = [
        Binding("ctrl+n", "new_visit", "keys.visit_new"),
        Binding("enter", "open", "keys.visit_open", priority=True),
        Binding("e", "edit", "keys.visit_edit"),
        Binding("c", "toggle_current", "keys.visit_current"),
        Binding("ctrl+f", "filter", "keys.visit_filter"),
        Binding("x", "clear_filter", "keys.visit_clear_filter"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.where = RecordFilter()
        self.loaded: Loaded | None = None
        self._reads = 0  # reads asked for; only the latest one is shown
        self._want: str | None = None  # a visit to put the cursor on once it is shown

    def compose(self) -> ComposeResult:
        yield NavBar()
        with Vertical(id="visits"):
            with Horizontal(id="visits-bar"):
                yield Static("", id="visits-current", markup=False)
                yield Static("", id="visits-position")
            yield Static("", id="visits-filter", markup=False)
            yield PagedTable(columns(self.app.size.width), page_size=PAGE_SIZE, id="visits-table")
            yield Static("", id="visits-detail", markup=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.field_app.store_changed.subscribe(self, self._store_changed)
        self.query_one(PagedTable).focus()
        self.load()

    def on_screen_resume(self) -> None:
        # Back from the form or another mode: the current visit may have changed.
        if self.changed_while_hidden() or self.loaded is not None:
            self.load(keep=self.selected_id)

    def _store_changed(self, kinds: frozenset[RecordKind]) -> None:
        if kinds & _WATCHED and not self.hidden_now(kinds):
            self.load(keep=self.selected_id)

    # -- reading ---------------------------------------------------------------------------

    def load(
        self, *, offset: int | None = None, keep: str | None = None, at_end: bool = False
    ) -> None:
        """Read a page again (in a worker; the table updates when it arrives)."""
        table = self.query_one(PagedTable)
        start = table.page_offset if offset is None else offset
        if self._want is not None:
            start = 0  # a visit just saved: the newest are on the first page
        self._reads += 1
        self._read(self._reads, self.where, start, keep, at_end, self.field_app.current_visit)

    @work(thread=True, exclusive=True, group="visits")
    def _read(
        self,
        read: int,
        where: RecordFilter,
        offset: int,
        keep: str | None,
        at_end: bool,
        current: Visit | None,
    ) -> None:
        # Every read of the store happens here, off the UI thread.
        store = self.store
        page = store.list_visits(where, offset=offset, limit=PAGE_SIZE)
        if not page.items and offset > 0:  # the list shrank under us: show its last page
            offset = max(0, (page.total - 1) // PAGE_SIZE * PAGE_SIZE)
            page = store.list_visits(where, offset=offset, limit=PAGE_SIZE)
        names: dict[str, str] = {}
        for visit in [*page.items, *([current] if current else [])]:
            if visit.banjar_id and visit.banjar_id not in names:
                try:
                    names[visit.banjar_id] = store.get_banjar(visit.banjar_id).name
                except StoreError:
                    names[visit.banjar_id] = ""
        self.app.call_from_thread(self._show, read, Loaded(page, names, keep, at_end))

    def _show(self, read: int, loaded: Loaded) -> None:
        if read != self._reads:
            return  # a newer read is on its way
        self.loaded = loaded
        current = self.field_app.current_visit
        current_id = current.id if current is not None else None
        table = self.query_one(PagedTable)
        keys = tuple(column.key for column in table.columns_spec)
        rows = [
            (
                visit.id,
                visit_cells(
                    visit,
                    loaded.banjar_names.get(visit.banjar_id or "", ""),
                    current=visit.id == current_id,
                    keys=keys,
                ),
            )
            for visit in loaded.page.items
        ]
        table.show_page(
            rows,
            offset=loaded.page.offset,
            total=loaded.page.total,
            cursor_at_end=loaded.at_end,
            keep_row=self._want or loaded.keep,
        )
        self._want = None
        self._show_bar()
        self._show_detail()

    def _show_bar(self) -> None:
        current = self.field_app.current_visit
        text = (
            t("visits.list.current", visit=visit_label(current, self._banjar_name(current)))
            if current is not None
            else t("visits.list.no_current")
        )
        self.query_one("#visits-current", Static).update(text)
        self.query_one("#visits-position", Static).update(self.query_one(PagedTable).position_text)
        filters = describe_filter(self.where)
        line = self.query_one("#visits-filter", Static)
        line.update(t("visits.list.filtered", filters=filters) if filters else "")
        line.set_class(not filters, "-empty")
        self.refresh_bindings()

    def _banjar_name(self, visit: Visit) -> str:
        if not visit.banjar_id or self.loaded is None:
            return ""
        return self.loaded.banjar_names.get(visit.banjar_id, "")

    def _show_detail(self) -> None:
        detail = self.query_one("#visits-detail", Static)
        visit = self.selected_visit
        if visit is None:
            detail.update(t("visits.list.no_rows") if self.where == RecordFilter() else "")
            return
        banjar = self._banjar_name(visit) or t("visits.list.no_banjar")
        counterpart = ", ".join(p for p in (visit.counterpart_name, visit.counterpart_role) if p)
        none = t("visits.none")
        lines = [
            f"{fmt_datetime(visit.started_at)} · {banjar} · {place(visit.desa_code)}",
            t(
                "visits.list.detail",
                type=t(f"visits.type.{visit.visit_type.value}"),
                counterpart=counterpart or none,
                attendees=fmt_number(visit.attendees),
            ),
            t(
                "visits.list.detail_more",
                follow_up=fmt_date(visit.follow_up_on) if visit.follow_up_on else none,
                review=t(f"visits.review.{visit.review_state.value}"),
            ),
        ]
        if visit.event_name:
            lines[-1] += " · " + t("visits.list.detail_event", event=visit.event_name)
        detail.update("\n".join(lines))

    @on(PagedTable.PageRequested)
    def _page_requested(self, message: PagedTable.PageRequested) -> None:
        self.load(offset=message.offset, at_end=message.cursor_at_end)

    def on_data_table_row_highlighted(self) -> None:
        self._show_detail()

    @on(DataTable.RowSelected)
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    # -- the selected row ------------------------------------------------------------------

    @property
    def selected_id(self) -> str | None:
        """The id of the visit under the cursor."""
        return self.query_one(PagedTable).current_key

    @property
    def selected_visit(self) -> Visit | None:
        """The visit under the cursor, as last read."""
        key, loaded = self.selected_id, self.loaded
        if key is None or loaded is None:
            return None
        return next((visit for visit in loaded.page.items if visit.id == key), None)

    # -- actions ---------------------------------------------------------------------------

    def action_new_visit(self) -> None:
        """Log a new visit."""
        self.app.push_screen(VisitFormScreen(), self._form_closed)

    def _form_closed(self, visit: Visit | None) -> None:
        if visit is not None:
            self._want = visit.id
            self.load(offset=0)

    def action_open(self) -> None:
        """Open the selected visit's record: details, review and history."""
        from fieldtui.screens.record_detail import RecordDetailScreen  # it imports the forms

        key = self.selected_id
        if key is not None:
            self.app.push_screen(RecordDetailScreen(RecordKind.VISIT, key))

    def action_edit(self) -> None:
        """Edit the selected visit (e.g. attendees and the follow-up date after the talk)."""
        visit = self._fresh(self.selected_id)
        if visit is not None:
            self.app.push_screen(VisitFormScreen(visit), self._form_closed)

    def _fresh(self, key: str | None) -> Visit | None:
        if key is None:
            return None
        try:
            return self.store.get_visit(key)
        except StoreError:
            self.notify(t("visits.list.record_missing"), severity="warning")
            return None

    def action_toggle_current(self) -> None:
        """Make the selected visit the current one; on the current one, clear it."""
        app = self.field_app
        key = self.selected_id
        if key is None:
            return
        if app.current_visit is not None and app.current_visit.id == key:
            app.current_visit = None
            self.notify(t("visits.list.cleared_current"), timeout=3)
        else:
            visit = self._fresh(key)
            if visit is None:
                return
            app.current_visit = visit
            label = visit_label(visit, self._banjar_name(visit))
            self.notify(t("visits.list.now_current", visit=label), timeout=4)
        self.load(keep=key)

    def action_filter(self) -> None:
        """Choose which visits to show."""
        self.app.push_screen(VisitFilterDialog(self.where), self._filter_chosen)

    def _filter_chosen(self, where: RecordFilter | None) -> None:
        if where is not None and where != self.where:
            self.where = where
            self.load(offset=0)

    def action_clear_filter(self) -> None:
        """Show every visit again."""
        if self.where != RecordFilter():
            self.where = RecordFilter()
            self.load(offset=0, keep=self.selected_id)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "clear_filter":
            return self.where != RecordFilter()
        if action in ("new_visit", "edit"):
            # Officers log visits; a read-only store, a supervisor or a viewer only looks.
            return self.may(Permission.WRITE_OWN_RECORDS)
        return True
