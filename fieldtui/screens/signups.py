"""SignUpsScreen (Pendaftaran): every registration, newest first, searched by NIK or name.

The list is paged by the store (one page decoded at a time), so it opens at once on 100k
sign-ups; the search runs in a worker as the officer types, and the list follows the store
(own saves, other processes'). NIKs are shown masked. Ctrl+N registers someone new, Enter
opens the registration under the cursor.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Static
from textual.worker import get_current_worker

from fieldtui.domain import occupations
from fieldtui.domain.models import RecordKind, SignUp
from fieldtui.domain.nik import mask_nik
from fieldtui.domain.permissions import Permission
from fieldtui.domain.regions import gazetteer
from fieldtui.i18n import fmt_date, t
from fieldtui.screens.base import FieldScreen
from fieldtui.screens.frames import PromptFrames
from fieldtui.screens.signup_form import SignUpFormScreen
from fieldtui.store.listing import Page, RecordFilter
from fieldtui.widgets.key_footer import KeyFooter
from fieldtui.widgets.nav_bar import NavBar
from fieldtui.widgets.ordered_input import OrderedInput
from fieldtui.widgets.paged_table import Cell, Column, PagedTable

MIN_PAGE = 30


def page_size_for(height: int) -> int:
    """Rows held at once: a screenful and some (every row held is measured when shown, so a
    window of 30 instead of 50 halves the work of each key typed in the search box)."""
    return max(MIN_PAGE, height)


# Fixed widths that fit 80 columns with the cell padding; the name takes what is left. Below
# 80 columns desa and occupation go (the line under the table still shows them).
_WIDTHS = {"date": 8, "nik": 16, "desa": 8, "occupation": 8, "paid": 5, "state": 8}
_ORDER = ("date", "name", "nik", "desa", "occupation", "paid", "state")
_NARROW = frozenset({"desa", "occupation"})
_MIN_NAME = 12


def columns(width: int) -> list[Column]:
    """The table's columns for a terminal ``width`` columns wide."""
    keys = [k for k in _ORDER if width >= 80 or k not in _NARROW]
    fixed = sum(_WIDTHS[k] + 2 for k in keys if k != "name")
    name = max(_MIN_NAME, width - fixed - 2 - 1)  # the name's own padding, the scrollbar
    return [Column(k, f"signups.col.{k}", name if k == "name" else _WIDTHS[k]) for k in keys]


def row_cells(signup: SignUp) -> dict[str, Cell]:
    """One sign-up as table cells by column key (NIK masked)."""
    person = signup.participant
    desa = gazetteer().get(signup.desa_code)
    return {
        "date": signup.registered_on.strftime("%d-%m-%y"),
        "name": person.name,
        "nik": mask_nik(person.nik),
        "desa": desa.short_name if desa else signup.desa_code,
        "occupation": occupations.label(person.occupation_code) if person.occupation_code else "—",
        "paid": t("signups.paid.yes") if signup.is_paid else t("signups.paid.no"),
        "state": t(f"signups.state.{signup.review_state.value}"),
    }


def detail_text(signup: SignUp) -> str:
    """The full line for the row under the cursor (the table cuts long names)."""
    person = signup.participant
    desa = gazetteer().get(signup.desa_code)
    paid_until = signup.paid_until
    paid = (
        t("signups.detail.paid_until", date=fmt_date(paid_until))
        if paid_until is not None
        else t("signups.detail.unpaid")
    )
    return t(
        "signups.detail.line",
        name=person.name,
        nik=mask_nik(person.nik),
        desa=desa.display_name if desa else signup.desa_code,
        occupation=occupations.label(person.occupation_code) if person.occupation_code else "—",
        date=fmt_date(signup.registered_on),
        paid=paid,
        state=t(f"signups.review.{signup.review_state.value}"),
    )


class SignUpTable(PagedTable):
    """The list's table: Enter (open the registration) is shown in the footer."""

    BINDINGS = [Binding("enter", "select_cursor", "keys.signup_open")]


class SearchBox(OrderedInput):
    """The search box: a typed letter and the page it finds are drawn in one frame.

    The page usually comes within a frame. Drawn alone first, the letter would make the page
    wait a whole frame for its own; so the screen draws nothing until the page is shown
    (`SignUpsScreen._show` releases the hold) or a frame's time has passed.
    """

    def watch_value(self) -> None:
        if isinstance(self.screen, PromptFrames):
            self.screen.hold_frame()


@dataclass(frozen=True)
class Loaded:
    """One page read in the worker, with the search it answers."""

    text: str
    page: Page[SignUp]
    cursor_at_end: bool
    keep_row: str | None


class SignUpsScreen(FieldScreen):
    """Pendaftaran: the list of registrations."""

    CSS_PATH = "signups.tcss"
    BINDINGS = [
        Binding("ctrl+n", "new_signup", "keys.signup_new"),
        Binding("enter", "open_signup", "keys.signup_open"),
        Binding("ctrl+f", "focus_search", "keys.signup_search"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rows: dict[str, SignUp] = {}
        self._reading = threading.Lock()

    def compose(self) -> ComposeResult:
        yield NavBar()
        with Vertical(id="signups"):
            with Horizontal(id="signups-bar"):
                yield SearchBox(placeholder=t("signups.search_placeholder"), id="signups-search")
                yield Static("", id="signups-position")
            yield SignUpTable(
                columns(self.app.size.width),
                page_size=page_size_for(self.app.size.height),
                id="signups-table",
            )
            yield Static("", id="signups-detail")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.field_app.store_changed.subscribe(self, self._store_changed)
        self.load()
        self.query_one(PagedTable).focus()

    def on_screen_resume(self) -> None:
        # Back from the form or another screen: the language may have changed meanwhile.
        self.query_one(PagedTable).relabel()
        self.query_one("#signups-search", Input).placeholder = t("signups.search_placeholder")
        if self.changed_while_hidden() or self.rows:
            self.load(self.query_one(PagedTable).page_offset, keep=True)

    # -- reading ---------------------------------------------------------------------------

    @property
    def search_text(self) -> str:
        """What is typed in the search box."""
        return self.query_one("#signups-search", Input).value.strip()

    def load(self, offset: int = 0, *, cursor_at_end: bool = False, keep: bool = False) -> None:
        """Read one page for the search typed (in a worker; the table updates when it arrives)."""
        table = self.query_one(PagedTable)
        keep_row = table.current_key if keep else None
        self._read(self.search_text, offset, table.page_size, cursor_at_end, keep_row)

    @work(thread=True, exclusive=True, group="signups")
    def _read(
        self, text: str, offset: int, size: int, cursor_at_end: bool, keep_row: str | None
    ) -> None:
        # One read at a time: a filtered count scans every sign-up (~0.1 s at 100k), and the
        # keys typed meanwhile have cancelled all but the newest waiting read, which then runs
        # alone instead of one scan per key fighting over the interpreter.
        with self._reading:
            if get_current_worker().is_cancelled:
                return
            where = RecordFilter(text=text)
            page = self.store.list_signups(where, offset=offset, limit=size)
            if page.offset >= page.total > 0 and offset > 0:
                # The list shrank under us (a deletion): show its last page instead.
                last = (page.total - 1) // size * size
                page = self.store.list_signups(where, offset=last, limit=size)
        self.app.call_from_thread(self._show, Loaded(text, page, cursor_at_end, keep_row))

    def _show(self, loaded: Loaded) -> None:
        if loaded.text != self.search_text:
            return  # the officer typed on while this was read
        page = loaded.page
        self.rows = {signup.id: signup for signup in page.items}
        table = self.query_one(PagedTable)
        keys = [column.key for column in table.columns_spec]
        table.show_page(
            [(signup.id, [row_cells(signup)[k] for k in keys]) for signup in page.items],
            offset=page.offset,
            total=page.total,
            cursor_at_end=loaded.cursor_at_end,
            keep_row=loaded.keep_row,
        )
        position = self.query_one("#signups-position", Static)
        if page.total == 0 and loaded.text:
            position.update(t("signups.no_match", text=loaded.text))
        else:
            position.update(table.position_text)
        self._show_detail()
        self.release_frame()

    def _store_changed(self, kinds: frozenset[RecordKind]) -> None:
        if RecordKind.SIGNUP in kinds and not self.hidden_now(kinds):
            self.load(self.query_one(PagedTable).page_offset, keep=True)

    @on(Input.Changed, "#signups-search")
    def _search_changed(self) -> None:
        self.load()

    @on(Input.Submitted, "#signups-search")
    def _search_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one(PagedTable).focus()

    @on(PagedTable.PageRequested)
    def _page_requested(self, event: PagedTable.PageRequested) -> None:
        self.load(event.offset, cursor_at_end=event.cursor_at_end)

    @on(PagedTable.RowHighlighted)
    def _highlighted(self) -> None:
        self._show_detail()

    @on(PagedTable.RowSelected)
    def _selected(self) -> None:
        self.action_open_signup()

    def _show_detail(self) -> None:
        key = self.query_one(PagedTable).current_key
        signup = self.rows.get(key) if key else None
        self.query_one("#signups-detail", Static).update(detail_text(signup) if signup else "")

    # -- actions ---------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "new_signup":
            return self.may(Permission.WRITE_OWN_RECORDS)  # officers register; others look
        return True

    def action_new_signup(self) -> None:
        """Register someone new."""
        self.app.push_screen(SignUpFormScreen())

    def action_open_signup(self) -> None:
        """Open the registration under the cursor."""
        key = self.query_one(PagedTable).current_key
        if key is None:
            return
        # Imported late: the record screen imports the form and this list's helpers.
        from fieldtui.screens.record_detail import RecordDetailScreen

        self.app.push_screen(RecordDetailScreen(RecordKind.SIGNUP, key))

    def action_focus_search(self) -> None:
        """Put the cursor in the search box."""
        self.query_one("#signups-search", Input).focus()
