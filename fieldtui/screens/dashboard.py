"""DashboardScreen (Capaian): progress against targets, drilling from the branch to a banjar.

The table shows the region being looked at (a Σ row) and the regions below it; Enter goes down
a level, Backspace back up. Figures come from the store's incrementally kept aggregates, read
in a worker thread, and are re-read whenever the store changes (own saves or other
processes'), so the totals always agree with the store.

Started from the command line the app draws this screen before the store is read: it shows
the figures the last run kept (`fieldtui.store.warm`, only when nothing has changed since), or
says it is loading; its keys that need the store wait for it (`FieldApp.when_ready`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from rich.style import Style
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.widgets import DataTable, Sparkline, Static

from fieldtui.domain import clock
from fieldtui.domain.models import Period, RecordKind, Role
from fieldtui.domain.regions import branches
from fieldtui.i18n import t
from fieldtui.screens.base import FieldScreen
from fieldtui.screens.period_dialog import PeriodDialog
from fieldtui.screens.progress_view import (
    DEFAULT_STALE_WEEKS,
    PeriodChoice,
    PeriodSelection,
    as_of,
    cells,
    detail,
    is_stale,
)
from fieldtui.screens.review_rows import flag_banner, flagged_counts
from fieldtui.store.aggregates import ProgressLine
from fieldtui.store.codec import CodecError, Json, decode, encode
from fieldtui.store.repository import Store
from fieldtui.widgets.key_footer import KeyFooter
from fieldtui.widgets.nav_bar import NavBar
from fieldtui.widgets.quick_table import QuickTable

COLUMNS = (
    ("region", "dashboard.col.region", 16),
    ("target", "dashboard.col.target", 6),
    ("participants", "dashboard.col.participants", 7),
    ("pct", "dashboard.col.pct", 10),
    ("paid", "dashboard.col.paid", 6),
    ("nonaktif", "dashboard.col.nonaktif", 5),
    ("visits", "dashboard.col.visits", 4),
    ("last", "dashboard.col.last", 9),
)
_WATCHED = frozenset(
    {
        RecordKind.SIGNUP,
        RecordKind.VISIT,
        RecordKind.TARGET,
        RecordKind.BANJAR,
        RecordKind.REVIEW,
        RecordKind.OFFICER,  # a user switch: whose flags to show
    }
)


@dataclass(frozen=True)
class Figures:
    """What one read of the store gives the table: the region itself and the rows below it."""

    code: str
    total: ProgressLine
    lines: tuple[ProgressLine, ...]
    day: dt.date
    flags: str = ""  # an officer's records a supervisor flagged or rejected
    period: Period | None = None  # what they were read for

    def to_json(self) -> Json:
        """A JSON-safe form (kept for the next start)."""
        return encode(self)

    @classmethod
    def from_json(cls, data: Json) -> Figures | None:
        """Figures from `to_json`'s form, or None when they do not fit (another version)."""
        try:
            return decode(cls, data)
        except CodecError:
            return None


def start_selection(today: dt.date) -> tuple[str, PeriodSelection]:
    """What the dashboard shows first: the (first) branch, this year."""
    return branches()[0].code, PeriodSelection.of(PeriodChoice.YEAR, today)


def read_figures(store: Store, code: str, period: Period | None, today: dt.date) -> Figures:
    """The dashboard's figures for ``code`` and ``period`` (``today`` dates them)."""
    day = as_of(period, today)
    total = store.progress_of(code, period=period, as_of=day)
    lines = tuple(store.progress(code, period=period, as_of=day))
    user = store.actor
    flags = ""
    if user is not None and user.role is Role.OFFICER:
        flags = flag_banner(*flagged_counts(store, user.id))
    return Figures(code, total, lines, day, flags, period)


def start_figures(store: Store, today: dt.date, *, quick: bool = True) -> Figures | None:
    """The figures the dashboard shows first; None when ``quick`` and they are not a quick read
    (without ``quick`` they are built: in the thread that opens the store)."""
    code, selection = start_selection(today)
    if quick and not store.progress_ready(selection.period):
        return None
    return read_figures(store, code, selection.period, today)


class DashboardScreen(FieldScreen):
    """Capaian: the home screen."""

    CSS_PATH = "dashboard.tcss"
    BINDINGS = [
        # priority: the table would otherwise take Enter and hide the key from the footer.
        Binding("enter", "drill_down", "keys.drill_down", priority=True),
        Binding("backspace", "drill_up", "keys.drill_up"),
        Binding("p", "next_period", "keys.period"),
        Binding("ctrl+o", "custom_period", "keys.custom_period"),
    ]

    code: reactive[str] = reactive("", init=False)
    selection: reactive[PeriodSelection] = reactive(
        PeriodSelection(PeriodChoice.ALL, None), init=False
    )

    def __init__(self) -> None:
        super().__init__()
        self.trail: list[str] = []  # codes above the current one
        self.figures: Figures | None = None
        self.stale_weeks = DEFAULT_STALE_WEEKS
        self._custom: Period | None = None
        self._cursor_to: str | None = None  # the row to put the cursor on after a move
        self._reads = 0  # reads asked for: only the latest one is shown

    def compose(self) -> ComposeResult:
        yield NavBar()
        with Vertical(id="dashboard"):
            if self.field_app.demo:
                yield Static(self._demo_banner(), id="demo-banner", markup=False)
            yield Static("", id="dashboard-flags", classes="-empty", markup=False)
            with Horizontal(id="dashboard-bar"):
                yield Static("", id="dashboard-crumbs")
                yield Static("", id="dashboard-period")
            yield QuickTable(id="dashboard-table", cursor_type="row", zebra_stripes=True)
            with Horizontal(id="dashboard-detail"):
                yield Static("", id="dashboard-summary")
                with Vertical(id="dashboard-trend-box"):
                    yield Static(t("dashboard.trend"), id="dashboard-trend-label")
                    yield Sparkline([], id="dashboard-trend")
        yield KeyFooter()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for key, label, width in COLUMNS:
            table.add_column(t(label), key=key, width=width)
        self.field_app.store_changed.subscribe(self, self._store_changed)
        code, selection = start_selection(self.field_app.today())
        self.set_reactive(DashboardScreen.code, code)
        self.set_reactive(DashboardScreen.selection, selection)
        self.load()

    def _demo_banner(self) -> str:
        from fieldtui.exchange.demo import DEMO_USERS

        user = self.field_app.user
        others = [u for u in DEMO_USERS if user is None or u.username != user.username]
        users = ", ".join(
            t("demo_banner.user", username=u.username, role=t("role." + u.role.value), pin=u.pin)
            for u in others
        )
        return t("demo_banner.text", officer=user.username if user else "–", users=users)

    # -- reading ---------------------------------------------------------------------------

    def _store_changed(self, kinds: frozenset[RecordKind]) -> None:
        if self.field_app.demo and RecordKind.OFFICER in kinds:
            self.query_one("#demo-banner", Static).update(self._demo_banner())
        if kinds & _WATCHED:
            self.load()

    def watch_code(self) -> None:
        self.load()

    def watch_selection(self) -> None:
        self.load()

    def load(self) -> None:
        """Read the figures again: at once when the store holds them ready (a save, a move in
        the tree: a few milliseconds), else in a worker (the first read of a period)."""
        self._reads += 1
        code, period, today = self.code, self.selection.period, self.field_app.today()
        if not self.field_app.store_ready:
            self._show_before_store(code, period)
            return
        if self.store.progress_ready(period):
            self._show(self._figures(code, period, today), self._reads)
        else:
            self._read(code, period, today, self._reads)

    def _figures(self, code: str, period: Period | None, today: dt.date) -> Figures:
        return read_figures(self.store, code, period, today)

    def _show_before_store(self, code: str, period: Period | None) -> None:
        """While the store opens: the last run's figures if they are for what is asked, else
        an empty table that says it is loading."""
        warm = self.field_app.warm.figures
        figures = Figures.from_json(warm) if warm is not None else None
        if figures is not None and figures.code == code and figures.period == period:
            self._show(figures, self._reads)
            return
        self.query_one(DataTable).clear()
        _set_text(self.query_one("#dashboard-crumbs", Static), "")
        _set_text(
            self.query_one("#dashboard-period", Static),
            t("dashboard.period.label", period=self.selection.label()),
        )
        summary = self.query_one("#dashboard-summary", Static)
        _set_text(summary, t("dashboard.loading"), layout=False)
        self.field_app.figures_shown()

    @work(thread=True, exclusive=True, group="dashboard")
    def _read(self, code: str, period: Period | None, today: dt.date, read: int) -> None:
        figures = self._figures(code, period, today)
        self.app.call_from_thread(self._show, figures, read)

    def _show(self, figures: Figures, read: int) -> None:
        if read != self._reads or figures.code != self.code:
            return  # newer figures were asked for (or shown) meanwhile
        keep = self._cursor_to or self.current_code
        self._cursor_to = None
        self.figures = figures
        warn = self._warn_style()
        table = self.query_one(DataTable)
        table.clear()
        table.add_row(*cells(figures.total, stale=False, warn=warn, total=True), key=figures.code)
        for line in figures.lines:
            stale = is_stale(line, figures.day, self.stale_weeks)
            table.add_row(*cells(line, stale=stale, warn=warn), key=line.region_code)
        keys = [figures.code, *(line.region_code for line in figures.lines)]
        if keep in keys:
            table.move_cursor(row=keys.index(keep))
        elif figures.lines:
            table.move_cursor(row=1)
        self._show_header()
        self._show_detail()
        banner = self.query_one("#dashboard-flags", Static)
        shown = not banner.has_class("-empty")
        banner.set_class(not figures.flags, "-empty")
        # One line, shown or not: a new text alone does not move anything on the screen.
        _set_text(banner, figures.flags, layout=shown != bool(figures.flags))
        # The first figures are up: now the background work (open the store, or the searches).
        self.field_app.figures_shown()

    def _warn_style(self) -> Style:
        # The theme's warning colour (so it follows the theme and 16-colour terminals), bold so
        # it still stands out with NO_COLOR; the row also gets a ⚠ sign.
        colour = self.app.theme_variables.get("warning")
        return Style(color=colour, bold=True) if colour else Style(bold=True)

    def _show_header(self) -> None:
        names = [self._region_name(code) for code in [*self.trail, self.code]]
        _set_text(self.query_one("#dashboard-crumbs", Static), " › ".join(names))
        _set_text(
            self.query_one("#dashboard-period", Static),
            t("dashboard.period.label", period=self.selection.label()),
        )

    def _region_name(self, code: str) -> str:
        figures = self.figures
        if figures is not None and figures.code == code:
            return figures.total.to_date_row.name
        return self.store.progress_of(code).to_date_row.name

    # -- the selected row ------------------------------------------------------------------

    @property
    def current_code(self) -> str | None:
        """The code of the row under the cursor."""
        table = self.query_one(DataTable)
        if table.row_count == 0:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return row_key.value

    def current_line(self) -> ProgressLine | None:
        """The progress line under the cursor."""
        figures, code = self.figures, self.current_code
        if figures is None or code is None:
            return None
        if code == figures.code:
            return figures.total
        return next((line for line in figures.lines if line.region_code == code), None)

    def on_data_table_row_highlighted(self) -> None:
        self._show_detail()

    def on_data_table_row_selected(self) -> None:
        self.action_drill_down()

    def _show_detail(self) -> None:
        line, figures = self.current_line(), self.figures
        summary = self.query_one("#dashboard-summary", Static)
        spark = self.query_one("#dashboard-trend", Sparkline)
        # The summary's box has a fixed size (3 lines): new figures need no new layout.
        if line is None or figures is None:
            _set_text(summary, "", layout=False)
            spark.data = []
            return
        stale = line is not figures.total and is_stale(line, figures.day, self.stale_weeks)
        _set_text(summary, detail(line, self.selection, figures.day, stale=stale), layout=False)
        summary.set_class(stale, "-stale")
        spark.data = list(line.to_date_row.weekly)

    # -- actions ---------------------------------------------------------------------------

    def action_drill_down(self) -> None:
        """Show the regions below the selected row."""
        code, figures = self.current_code, self.figures
        if code is None or figures is None or code == figures.code:
            return
        if self.field_app.when_ready(self, self.action_drill_down):
            return  # (on the last run's figures: done on the real ones)
        if code.endswith("/-") or not self._has_children(code):
            self.notify(t("dashboard.no_lower_level"), timeout=3)
            return
        self.trail.append(self.code)
        self._cursor_to = "-"  # the first row below the new Σ row
        self.code = code

    def _has_children(self, code: str) -> bool:
        # Banjars (ULIDs) are the lowest level; every region has something below it.
        return "." in code or code.startswith("KC-")

    def action_drill_up(self) -> None:
        """Back to the level above."""
        if self.trail and not self.field_app.when_ready(self, self.action_drill_up):
            self._cursor_to = self.code  # back on the row we came from
            self.code = self.trail.pop()

    def action_next_period(self) -> None:
        """This year → this month → all time → the custom period (if set) → this year."""
        if self.field_app.when_ready(self, self.action_next_period):
            return
        order = list(PeriodChoice)
        if self._custom is None:
            order.remove(PeriodChoice.CUSTOM)
        index = order.index(self.selection.choice) if self.selection.choice in order else -1
        choice = order[(index + 1) % len(order)]
        self.selection = PeriodSelection.of(choice, self.field_app.today(), self._custom)

    def action_custom_period(self) -> None:
        """Ask for a custom period (from – to)."""
        if self.field_app.still_loading():
            return
        self.app.push_screen(PeriodDialog(self._custom), self._custom_chosen)

    def _custom_chosen(self, period: Period | None) -> None:
        if period is None:
            return
        self._custom = period
        self.selection = PeriodSelection.of(PeriodChoice.CUSTOM, clock.today(), period)


def _set_text(widget: Static, content: str, *, layout: bool = True) -> None:
    """Update ``widget`` only when its text changes: every Static update costs a repaint, and
    a layout pass of the whole screen unless ``layout`` is False (a box of fixed size)."""
    if widget.content != content:
        widget.update(content, layout=layout)
