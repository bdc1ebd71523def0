"""VisitFormScreen: log a new outreach visit or edit one (attendees and follow-up at the end)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Checkbox, Footer, Header, Input, Select, Static

from fieldtui.domain import clock
from fieldtui.domain.models import Banjar, RecordKind, Visit, VisitType
from fieldtui.domain.regions import branches
from fieldtui.i18n import t
from fieldtui.screens.banjar_dialog import BanjarDialog
from fieldtui.screens.base import FieldPage
from fieldtui.screens.edit_reason import EditReasonDialog
from fieldtui.store.errors import StoreError
from fieldtui.widgets.date_input import DateInput
from fieldtui.widgets.field import FormField, Tone
from fieldtui.widgets.tick_box import TickBox
from fieldtui.widgets.village_picker import VillagePicker

NO_BANJAR = "-"
ADD_BANJAR = "+"
_TIME = re.compile(r"^\s*(\d{1,2})[.:](\d{2})\s*$")


def parse_time(text: str) -> dt.time | None:
    """'19.05', '19:05', '7.30' -> a time; None when not a real time of day."""
    match = _TIME.match(text)
    if match is None:
        return None
    hour, minute = int(match.group(1)), int(match.group(2))
    if hour > 23 or minute > 59:
        return None
    return dt.time(hour, minute)


def _text(value: str) -> str:
    return " ".join(value.split())


class VisitFormScreen(FieldPage[Visit | None]):
    """When, where (desa, banjar), what kind, who was met, how many came, what follows.

    Enter in a field or Ctrl+S saves a valid form; an edit asks for an optional reason first.
    A save error is shown plainly and everything typed stays. Returns the saved visit.
    """

    CSS_PATH = "visit_form.tcss"
    BINDINGS = [
        Binding("ctrl+s", "save", "keys.save"),
        Binding("escape", "cancel", "keys.cancel"),
        Binding("ctrl+b", "add_banjar", "keys.banjar_add"),
        Binding("ctrl+t", "toggle_current", "keys.visit_make_current"),
    ]

    def __init__(self, visit: Visit | None = None) -> None:
        super().__init__()
        self.visit = visit
        self._banjars: dict[str, Banjar] = {}
        self._banjar_value = NO_BANJAR  # the choice last acted on (see _banjar_changed)
        self._before_add = NO_BANJAR
        self._auto = ("", "")  # counterpart name and role last filled in from a banjar
        self._current_touched = False  # the officer set "make current" themselves

    # -- layout ----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        visit = self.visit
        now = clock.now()
        day = visit.started_at.date() if visit else self.field_app.today()
        time = visit.started_at.time() if visit else now.time()
        current = self.field_app.current_visit
        is_current = (
            current is not None and current.id == visit.id
            if visit
            else day == self.field_app.today()
        )
        yield Header()
        with VerticalScroll(id="visit-form"):
            title = "visits.form.title_edit" if visit else "visits.form.title_new"
            yield Static(t(title), id="visit-title")
            yield Static("", id="visit-status", classes="-empty", markup=False)
            with Horizontal(id="visit-when"):
                yield FormField(
                    t("visits.form.date"), DateInput(day, id="visit-date"), id="field-date"
                )
                yield FormField(
                    t("visits.form.time"),
                    Input(
                        f"{time:%H.%M}",
                        placeholder="hh.mm",
                        restrict=r"[0-9.:]*",
                        max_length=5,
                        id="visit-time",
                    ),
                    id="field-time",
                )
            yield FormField(
                t("visits.form.desa"),
                VillagePicker(
                    visit.desa_code if visit else None,
                    within=branches()[0].region_codes,
                    placeholder=t("visits.form.desa_hint"),
                    id="visit-desa",
                ),
                required=True,
                id="field-desa",
            )
            yield FormField(
                t("visits.form.banjar"),
                Select(self._banjar_options(), allow_blank=False, id="visit-banjar"),
                id="field-banjar",
            )
            yield FormField(
                t("visits.form.type"),
                Select(
                    [(t(f"visits.type.{kind.value}"), kind) for kind in VisitType],
                    value=visit.visit_type if visit else VisitType.BANJAR,
                    allow_blank=False,
                    id="visit-type",
                ),
                id="field-type",
            )
            yield self._input("event", visit.event_name if visit else "", hint=True)
            yield self._input("counterpart", visit.counterpart_name if visit else "", hint=True)
            yield self._input("role", visit.counterpart_role if visit else "", hint=True)
            yield FormField(
                t("visits.form.attendees"),
                Input(
                    str(visit.attendees) if visit else "",
                    placeholder="0",
                    restrict=r"[0-9]*",
                    max_length=5,
                    id="visit-attendees",
                ),
                id="field-attendees",
            )
            yield FormField(
                t("visits.form.follow_up"),
                DateInput(visit.follow_up_on if visit else None, id="visit-follow-up"),
                id="field-follow-up",
            )
            yield self._input("notes", visit.notes if visit else "", max_length=500)
            yield TickBox(t("visits.form.make_current"), is_current, id="visit-current")
        yield Footer()

    def _input(
        self, name: str, value: str, *, hint: bool = False, max_length: int = 120
    ) -> FormField:
        placeholder = t(f"visits.form.{name}_hint") if hint else ""
        return FormField(
            t(f"visits.form.{name}"),
            Input(value, placeholder=placeholder, max_length=max_length, id=f"visit-{name}"),
            id=f"field-{name}",
        )

    def _banjar_options(self) -> list[tuple[str, str]]:
        options = [(t("visits.form.no_banjar"), NO_BANJAR)]
        options += [(banjar.name, banjar.id) for banjar in self._banjars.values()]
        options.append((t("visits.form.add_banjar"), ADD_BANJAR))
        return options

    def on_mount(self) -> None:
        visit = self.visit
        self.sub_title = t("visits.form.title_edit" if visit else "visits.form.title_new")
        self.field_app.store_changed.subscribe(self, self._store_changed)
        if visit is None:
            self.query_one(VillagePicker).focus()
            return
        self._load_banjars(visit.desa_code, visit.banjar_id or NO_BANJAR)
        # The evening edit is "how many came, when do we come back": start there.
        self.query_one("#visit-attendees", Input).focus()

    def _store_changed(self, kinds: frozenset[RecordKind]) -> None:
        # A banjar added elsewhere (another window, a merge) shows up in the list. Read in a
        # worker: this may be called while the store's poller holds the store.
        if RecordKind.BANJAR in kinds and self.desa_code is not None:
            self._reread_banjars(self.desa_code)

    @work(thread=True, exclusive=True, group="visit-banjars")
    def _reread_banjars(self, desa_code: str) -> None:
        banjars = self.store.banjars(desa_code)
        self.app.call_from_thread(self._banjars_reread, desa_code, banjars)

    def _banjars_reread(self, desa_code: str, banjars: list[Banjar]) -> None:
        if desa_code == self.desa_code and self._banjar_value != ADD_BANJAR:
            self._show_banjars(banjars, self._banjar_value)

    @on(Input.Changed, "#visit-date")
    def _date_typed(self, event: Input.Changed) -> None:
        # A new visit dated today becomes the current one unless the officer said otherwise.
        if self.visit is None and not self._current_touched:
            day = self.query_one("#visit-date", DateInput).date
            self.query_one("#visit-current", Checkbox).value = day == self.field_app.today()

    @on(Checkbox.Changed, "#visit-current")
    def _current_ticked(self, event: Checkbox.Changed) -> None:
        if event.checkbox.has_focus:
            self._current_touched = True

    # -- desa and banjar -------------------------------------------------------------------

    @property
    def desa_code(self) -> str | None:
        """The picked desa/kelurahan."""
        return self.query_one(VillagePicker).code

    def _load_banjars(self, desa_code: str | None, choose: str = NO_BANJAR) -> None:
        self._show_banjars(self.store.banjars(desa_code) if desa_code else [], choose)

    def _show_banjars(self, banjars: list[Banjar], choose: str) -> None:
        self._banjars = {banjar.id: banjar for banjar in banjars}
        if choose not in self._banjars:
            choose = NO_BANJAR
        select: Select[str] = self.query_one("#visit-banjar", Select)
        self._banjar_value = choose
        select.set_options(self._banjar_options())
        select.value = choose

    @on(VillagePicker.Selected)
    def _desa_picked(self, event: VillagePicker.Selected) -> None:
        keep = self._banjar_value
        self._load_banjars(event.code, keep)
        if event.code is not None:
            self.query_one("#field-desa", FormField).show("")
            self.query_one("#visit-banjar", Select).focus()  # picked: on to its banjars

    @on(Select.Changed, "#visit-banjar")
    def _banjar_changed(self, event: Select.Changed) -> None:
        # Options are reset and set from code too; only act on a choice that is still the
        # select's value and differs from the one last acted on.
        if event.value != event.select.value or event.value == self._banjar_value:
            return
        previous, self._banjar_value = self._banjar_value, str(event.value)
        if event.value == ADD_BANJAR:
            self._before_add = previous
            self.action_add_banjar()
        else:
            self._fill_from_banjar(self._banjars.get(str(event.value)))

    def _fill_from_banjar(self, banjar: Banjar | None) -> None:
        """Counterpart and role from the banjar's head, unless the officer typed their own."""
        if banjar is None:
            return
        name_input = self.query_one("#visit-counterpart", Input)
        role_input = self.query_one("#visit-role", Input)
        auto_name, auto_role = self._auto
        if banjar.head_name and name_input.value in ("", auto_name):
            name_input.value = banjar.head_name
        if banjar.head_title and role_input.value in ("", auto_role):
            role_input.value = banjar.head_title
        self._auto = (banjar.head_name, banjar.head_title)

    def action_add_banjar(self) -> None:
        """Add a banjar to the picked desa on the spot, and choose it."""
        code = self.desa_code
        if code is None:
            self._restore_banjar_choice()
            self.query_one("#field-desa", FormField).show(t("visits.error.pick_desa_first"))
            self.query_one(VillagePicker).focus()
            return
        if self._banjar_value != ADD_BANJAR:
            self._before_add = self._banjar_value
        self.app.push_screen(BanjarDialog(code), self._banjar_added)

    def _banjar_added(self, banjar: Banjar | None) -> None:
        if banjar is None:
            self._restore_banjar_choice()
            return
        self._load_banjars(banjar.desa_code, banjar.id)
        self._fill_from_banjar(banjar)
        self.query_one("#visit-banjar", Select).focus()

    def _restore_banjar_choice(self) -> None:
        choice = self._before_add if self._before_add in self._banjars else NO_BANJAR
        self._banjar_value = choice
        self.query_one("#visit-banjar", Select).value = choice

    def action_toggle_current(self) -> None:
        """Tick or untick "make this the current visit"."""
        self._current_touched = True
        self.query_one("#visit-current", Checkbox).toggle()

    # -- saving ----------------------------------------------------------------------------

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def _field(self, name: str) -> FormField:
        return self.query_one(f"#field-{name}", FormField)

    def _collect(self) -> Visit | None:
        """The visit as typed, or None after marking each field that is wrong."""
        for field in self.query(FormField):
            if field.tone is Tone.ERROR:
                field.show("")
        ok = True
        day = self.query_one("#visit-date", DateInput).date
        time = parse_time(self.query_one("#visit-time", Input).value)
        if day is None:
            self._field("date").show(t("visits.error.bad_date"), Tone.ERROR)
            ok = False
        if time is None:
            self._field("time").show(t("visits.error.bad_time"), Tone.ERROR)
            ok = False
        desa = self.desa_code
        if desa is None:
            self._field("desa").show(t("visits.error.desa_required"), Tone.ERROR)
            ok = False
        attendees_text = self.query_one("#visit-attendees", Input).value.strip() or "0"
        if not attendees_text.isdigit():
            self._field("attendees").show(t("visits.error.bad_attendees"), Tone.ERROR)
            ok = False
        follow_input = self.query_one("#visit-follow-up", DateInput)
        follow_up = follow_input.date
        if follow_input.value.strip() and follow_up is None:
            self._field("follow-up").show(t("visits.error.bad_date"), Tone.ERROR)
            ok = False
        elif follow_up is not None and day is not None and follow_up < day:
            self._field("follow-up").show(t("visits.error.bad_follow_up"), Tone.ERROR)
            ok = False
        if not ok or day is None or time is None or desa is None:
            self._status(t("visits.error.fix_fields"), error=True)
            return None
        kind = self.query_one("#visit-type", Select).value
        fields = {
            "desa_code": desa,
            "started_at": dt.datetime.combine(day, time, tzinfo=clock.WITA),
            "visit_type": kind if isinstance(kind, VisitType) else VisitType.BANJAR,
            "banjar_id": self._banjar_value if self._banjar_value in self._banjars else None,
            "event_name": _text(self.query_one("#visit-event", Input).value),
            "counterpart_name": _text(self.query_one("#visit-counterpart", Input).value),
            "counterpart_role": _text(self.query_one("#visit-role", Input).value),
            "attendees": int(attendees_text),
            "follow_up_on": follow_up,
            "notes": _text(self.query_one("#visit-notes", Input).value),
        }
        if self.visit is not None:
            return dataclasses.replace(self.visit, **fields)  # type: ignore[arg-type]
        actor = self.store.actor
        return Visit(officer_id=actor.id if actor else "", **fields)  # type: ignore[arg-type]

    def _status(self, message: str, *, error: bool = False) -> None:
        status = self.query_one("#visit-status", Static)
        status.update(message)
        status.set_class(not message, "-empty")
        status.set_class(error, "-error")
        if message:
            status.scroll_visible()

    def action_save(self) -> None:
        """Save a valid form (an edit asks for a reason first)."""
        visit = self._collect()
        if visit is None:
            return
        self._status("")
        if self.visit is None:
            self._begin_save(visit, "")
        elif visit == self.visit:
            self._finish(self.visit, changed=False)
        else:
            self.app.push_screen(
                EditReasonDialog(),
                lambda reason: None if reason is None else self._begin_save(visit, reason),
            )

    def _begin_save(self, visit: Visit, reason: str) -> None:
        # On the UI thread, like every save here: the store calls its change listeners while
        # it holds its lock, and listeners hop to this thread, so a save from a worker could
        # wait on a screen that is itself waiting for the store.
        try:
            if self.visit is None:
                saved = self.store.create_visit(visit)
            else:
                saved = self.store.update_visit(visit, reason=reason)
        except StoreError as exc:
            self._failed(exc)
        else:
            self._finish(saved, changed=True)

    def _failed(self, exc: StoreError) -> None:
        self._status(exc.message(), error=True)
        self.notify(exc.message(), severity="error", timeout=8)

    def _finish(self, saved: Visit, *, changed: bool) -> None:
        app = self.field_app
        make_current = self.query_one("#visit-current", Checkbox).value
        was_current = app.current_visit is not None and app.current_visit.id == saved.id
        if make_current:
            app.current_visit = saved
        elif was_current:
            app.current_visit = None
        if not changed:
            self.notify(t("visits.form.unchanged"), timeout=3)
        else:
            key = "visits.form.saved_current" if make_current else "visits.form.saved"
            self.notify(t(key), timeout=4)
        self.dismiss(saved)

    def action_cancel(self) -> None:
        """Leave without saving."""
        self.dismiss(None)
