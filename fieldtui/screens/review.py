"""ReviewScreen (Tinjau): the supervisor's queue of sign-ups and visits awaiting review.

A supervisor moves with j/k, approves with `a`, flags with `f` (a reason is asked and kept in
the record's history), rejects with `r`, marks rows with Space and approves the marked ones
with `A`. After each decision the row leaves the queue and the cursor is on the next one, so
six approvals are six key presses. Above the queue: per officer, how many records are in each
state. An officer (who cannot review) sees their own flagged and rejected records here, with
the supervisor's comment; viewers see the queue read-only. The queue follows the store, so a
decision taken in another process shows within a poll.
"""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Static
from textual.worker import get_current_worker

from fieldtui.domain.models import Officer, RecordKind, ReviewState, Role
from fieldtui.domain.permissions import Permission, can
from fieldtui.domain.regions import gazetteer
from fieldtui.i18n import fmt_date, fmt_number, t
from fieldtui.screens.base import FieldScreen
from fieldtui.screens.reason_dialog import ReasonDialog
from fieldtui.screens.review_filter import ApproveMarkedDialog, ReviewFilterDialog, describe_filter
from fieldtui.screens.review_rows import (
    FLAGGED,
    QueueFilter,
    QueueItem,
    QueuePage,
    Starts,
    columns,
    counts_line,
    item_cells,
    read_counts,
    read_queue,
    split_key,
)
from fieldtui.store.errors import StoreError
from fieldtui.store.listing import RecordFilter
from fieldtui.widgets.key_footer import KeyFooter
from fieldtui.widgets.nav_bar import NavBar
from fieldtui.widgets.paged_table import PagedTable

PAGE_SIZE = 50
_WATCHED = frozenset({RecordKind.SIGNUP, RecordKind.VISIT, RecordKind.OFFICER, RecordKind.REVIEW})


class ReviewTable(PagedTable):
    """The queue's table: j/k move like the arrows; Enter opens the record."""

    BINDINGS = [
        Binding("enter", "select_cursor", "keys.review_open", show=False),
        Binding("j", "cursor_down", "keys.review_down", show=False),
        Binding("k", "cursor_up", "keys.review_up", show=False),
    ]


class ReviewScreen(FieldScreen):
    """Tinjau: records awaiting review, across officers, newest first."""

    CSS_PATH = "review.tcss"
    BINDINGS = [
        Binding("a", "approve", "keys.review_approve"),
        Binding("f", "flag", "keys.review_flag"),
        Binding("r", "reject", "keys.review_reject"),
        Binding("space", "mark", "keys.review_mark", key_display="␣"),
        Binding("A", "approve_marked", "keys.review_approve_marked"),
        Binding("t", "toggle_kind", "keys.review_kind", show=False),
        Binding("ctrl+f", "filter", "keys.review_filter"),
        Binding("x", "clear_filter", "keys.review_clear_filter", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.spec = QueueFilter()
        self.queue: QueuePage | None = None
        self.officer_names: dict[str, str] = {}
        self.officers: list[Officer] = []
        self.marked: set[str] = set()
        self._reads = 0  # reads asked for; only the latest one is shown
        self._want: str | None = None  # the row to put the cursor on once the queue is shown
        self._starts: Starts = {}  # where the merged queue's pages start (see read_queue)

    # -- who may act -----------------------------------------------------------------------

    @property
    def can_review(self) -> bool:
        """True when the signed-in user may decide on records in this store."""
        user = self.field_app.user
        return user is not None and can(user.role, Permission.REVIEW) and not self.store.read_only

    def default_filter(self) -> QueueFilter:
        """The queue for a reviewer; an officer's own flagged and rejected records otherwise."""
        user = self.field_app.user
        if user is not None and user.role is Role.OFFICER:
            return QueueFilter(RecordFilter(officer_id=user.id, review_states=FLAGGED))
        return QueueFilter()

    # -- layout ----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield NavBar()
        with Vertical(id="review"):
            yield Static("", id="review-role", markup=False)
            yield Static("", id="review-counts", markup=False)
            with Horizontal(id="review-bar"):
                yield Static("", id="review-filter", markup=False)
                yield Static("", id="review-position")
            yield ReviewTable(columns(self.app.size.width), page_size=PAGE_SIZE, id="review-table")
            yield Static("", id="review-detail", markup=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.spec = self.default_filter()
        self.field_app.store_changed.subscribe(self, self._store_changed)
        self.query_one(ReviewTable).focus()
        self.load()

    def on_resize(self) -> None:
        # Narrow terminals drop the desa column and give the name what is left.
        table = self.query_one(ReviewTable)
        wanted = tuple(columns(self.size.width))
        if wanted == table.columns_spec:
            return
        keep = self.selected_key
        table.clear(columns=True)
        table.columns_spec = wanted
        for column in wanted:
            table.add_column(t(column.label_key), key=column.key, width=column.width)
        self._paint(keep=keep)

    def _store_changed(self, kinds: frozenset[RecordKind]) -> None:
        if kinds & _WATCHED:
            if RecordKind.OFFICER in kinds and len(kinds) == len(RecordKind):
                self.spec = self.default_filter()  # another user signed in
                self.marked.clear()
            if not self.hidden_now(kinds):
                self.load(keep=self._want or self.selected_key)

    def on_screen_resume(self) -> None:
        if self.changed_while_hidden():
            self.load(keep=self._want or self.selected_key)

    # -- reading ---------------------------------------------------------------------------

    def load(
        self,
        *,
        offset: int | None = None,
        keep: str | None = None,
        at_end: bool = False,
        fresh: bool = True,
    ) -> None:
        """Read a page of the queue (in a worker); ``fresh``: the store or the filter changed,
        so the counts are read again too and the merged list's page starts are forgotten."""
        table = self.query_one(ReviewTable)
        start = table.page_offset if offset is None else offset
        if fresh:
            self._starts = {}  # a new dict: a read still running fills the old one
            self._count(self.spec)
        self._reads += 1
        self._read(self._reads, self.spec, start, keep, at_end, self._starts)

    @work(thread=True, exclusive=True, group="review")
    def _read(
        self,
        read: int,
        spec: QueueFilter,
        offset: int,
        keep: str | None,
        at_end: bool,
        starts: Starts,
    ) -> None:
        store = self.store
        page = read_queue(store, spec, offset, PAGE_SIZE, starts)
        if not page.items and offset > 0:  # the queue shrank under us: show its last page
            offset = max(0, (page.total - 1) // PAGE_SIZE * PAGE_SIZE)
            page = read_queue(store, spec, offset, PAGE_SIZE, starts)
        officers = store.officers()
        self.app.call_from_thread(self._show, read, page, officers, keep, at_end)

    @work(thread=True, exclusive=True, group="review-counts")
    def _count(self, spec: QueueFilter) -> None:
        # A newer count (after the next decision) cancels this one between two passes.
        worker = get_current_worker()
        found = read_counts(self.store, spec, lambda: worker.is_cancelled)
        if found is not None:
            lines = [counts_line(name, counts) for name, counts in found]
            self.app.call_from_thread(self._show_counts, lines)

    def _show_counts(self, lines: list[str]) -> None:
        text = "\n".join(lines) if lines else t("review.no_counts")
        self.query_one("#review-counts", Static).update(text)

    def _show(
        self,
        read: int,
        page: QueuePage,
        officers: list[Officer],
        keep: str | None,
        at_end: bool,
    ) -> None:
        if read != self._reads:
            return  # a newer read is on its way
        self.queue = page
        self.officers = officers
        self.officer_names = {officer.id: officer.name for officer in officers}
        self._paint(keep=self._want or keep, at_end=at_end)
        self._want = None

    def _paint(self, *, keep: str | None, at_end: bool = False) -> None:
        page = self.queue
        if page is None:
            return
        table = self.query_one(ReviewTable)
        keys = [column.key for column in table.columns_spec]
        rows = []
        for item in page.items:
            cells = item_cells(
                item, self._short_officer(item.officer_id), marked=item.key in self.marked
            )
            rows.append((item.key, [cells[key] for key in keys]))
        table.show_page(
            rows, offset=page.offset, total=page.total, cursor_at_end=at_end, keep_row=keep
        )
        self._show_bar()
        self._show_detail()

    def _short_officer(self, officer_id: str) -> str:
        # The last word: Balinese names start with I/Ni and a birth-order name (Wayan, Made…)
        # that many officers share; "Sudarsana" and "Lestari" tell them apart.
        return self.officer_names.get(officer_id, "?").split()[-1]

    def _show_bar(self) -> None:
        role = self.query_one("#review-role", Static)
        user = self.field_app.user
        if self.store.read_only:
            role.update(t("review.read_only_store"))
        elif user is not None and user.role is Role.OFFICER:
            role.update(t("review.officer_view"))
        elif not self.can_review:
            role.update(t("review.only_supervisors"))
        role.set_class(self.can_review, "-empty")
        line = t("review.showing", filters=describe_filter(self.spec, self.officer_names))
        if self.marked:
            line += " · " + t("review.marked", count=fmt_number(len(self.marked)))
        self.query_one("#review-filter", Static).update(line)
        self.query_one("#review-position", Static).update(self.query_one(ReviewTable).position_text)
        self.refresh_bindings()

    def _show_detail(self) -> None:
        detail = self.query_one("#review-detail", Static)
        item = self.selected_item
        if item is None:
            detail.update(t("review.empty"))
            return
        region = gazetteer().get(item.desa_code)
        place = region.display_name if region is not None else item.desa_code
        officer = self.officer_names.get(item.officer_id, "?")
        head = f"{t(f'review.kind.{item.kind.value}')}: {item.name}"
        if item.nik:
            head += f" · NIK {item.nik}"
        lines = [
            head,
            f"{fmt_date(item.day)} · {place} · {officer} · {t(f'review.state.{item.state.value}')}",
        ]
        if item.comment:
            lines.append(t("review.comment", comment=item.comment))
        detail.update("\n".join(lines))

    @on(PagedTable.PageRequested)
    def _page_requested(self, message: PagedTable.PageRequested) -> None:
        self.load(offset=message.offset, at_end=message.cursor_at_end, fresh=False)

    def on_data_table_row_highlighted(self) -> None:
        self._show_detail()

    @on(DataTable.RowSelected)
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    # -- the selected row ------------------------------------------------------------------

    @property
    def selected_key(self) -> str | None:
        """The row key (kind:id) under the cursor."""
        return self.query_one(ReviewTable).current_key

    @property
    def selected_item(self) -> QueueItem | None:
        """The queue item under the cursor, as last read."""
        key, page = self.selected_key, self.queue
        if key is None or page is None:
            return None
        return next((item for item in page.items if item.key == key), None)

    def _next_key(self, key: str) -> str | None:
        """The row after ``key`` (or before it, on the last row): where the cursor goes next."""
        if self.queue is None:
            return None
        keys = [item.key for item in self.queue.items]
        if key not in keys:
            return None
        index = keys.index(key)
        following = keys[index + 1 :] or keys[:index][-1:]
        return following[0] if following else None

    # -- deciding --------------------------------------------------------------------------

    def _may_decide(self) -> bool:
        if self.can_review:
            return True
        message = "review.read_only_store" if self.store.read_only else "review.only_supervisors"
        self.notify(t(message), severity="warning", timeout=4)
        return False

    def action_approve(self) -> None:
        """Approve the record under the cursor; the cursor moves to the next one."""
        key = self.selected_key
        if not self._may_decide() or key is None:
            return
        if self._decide(key, ReviewState.APPROVED):
            self.notify(t("review.done.approved"), timeout=2)

    def _decide(
        self, key: str, state: ReviewState, comment: str = "", *, reload: bool = True
    ) -> bool:
        """Record the decision; on success the cursor goes to the row after ``key``."""
        kind, record_id = split_key(key)
        self._want = self._next_key(key) if reload else None  # for the reload that follows
        try:
            self.store.review(kind, record_id, state, comment)
        except StoreError as exc:
            self._want = None
            self.notify(exc.message(), severity="error", timeout=8)
            return False
        self.marked.discard(key)
        if reload:
            self.load(keep=self._want)
        return True

    def action_flag(self) -> None:
        """Flag the record under the cursor as needing fixes, with a reason for the officer."""
        self._ask_reason(ReviewState.HAS_ISSUES)

    def action_reject(self) -> None:
        """Reject the record under the cursor, with a reason."""
        self._ask_reason(ReviewState.REJECTED)

    def _ask_reason(self, state: ReviewState) -> None:
        key, item = self.selected_key, self.selected_item
        if not self._may_decide() or key is None or item is None:
            return
        name = t(f"review.record.{item.kind.value}", name=item.name)

        def decided(reason: str | None) -> None:
            if reason is None:
                return
            if self._decide(key, state, reason):
                self.notify(t(f"review.done.{state.value}"), timeout=3)

        self.app.push_screen(
            ReasonDialog(
                t(f"review.reason.{state.value}.prompt", record=name),
                title=t(f"review.reason.{state.value}.title"),
            ),
            decided,
        )

    def action_mark(self) -> None:
        """Mark or unmark the row under the cursor for a bulk approval, and move down."""
        key = self.selected_key
        if key is None:
            return
        self.marked.symmetric_difference_update({key})
        table = self.query_one(ReviewTable)
        row = table.cursor_row
        target = self._next_key(key) if row < table.row_count - 1 else key
        self._paint(keep=target)

    def action_approve_marked(self) -> None:
        """Approve every marked record, after a confirmation showing how many."""
        if not self._may_decide():
            return
        if not self.marked:
            self.notify(t("review.bulk.none"), severity="warning", timeout=3)
            return

        def confirmed(yes: bool | None) -> None:
            if not yes:
                return
            done = 0
            for key in sorted(self.marked):
                if not self._decide(key, ReviewState.APPROVED, reload=False):
                    break
                done += 1
            self.notify(t("review.bulk.done", count=fmt_number(done)), timeout=3)
            self.load(keep=self.selected_key)

        self.app.push_screen(ApproveMarkedDialog(len(self.marked)), confirmed)

    # -- other actions ---------------------------------------------------------------------

    def action_open(self) -> None:
        """Open the record under the cursor: every field and its history of changes."""
        from fieldtui.screens.record_detail import RecordDetailScreen  # it imports the forms

        key = self.selected_key
        if key is not None:
            kind, record_id = split_key(key)
            self.app.push_screen(RecordDetailScreen(kind, record_id))

    def action_toggle_kind(self) -> None:
        """List sign-ups and visits, only sign-ups, or only visits."""
        self.spec = QueueFilter(self.spec.where, self.spec.kind.next())
        self.load(offset=0)

    def action_filter(self) -> None:
        """Choose whose records, where, when, which kind and which states the queue lists."""
        self.app.push_screen(ReviewFilterDialog(self.spec, self.officers), self._filter_chosen)

    def _filter_chosen(self, spec: QueueFilter | None) -> None:
        if spec is not None and spec != self.spec:
            self.spec = spec
            self.load(offset=0)

    def action_clear_filter(self) -> None:
        """Back to the default queue."""
        if self.spec != self.default_filter():
            self.spec = self.default_filter()
            self.load(offset=0, keep=self.selected_key)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "clear_filter":
            return self.spec != self.default_filter()
        return True
