"""VisitFormScreen: log a new outreach visit or edit one (attendees and follow-up at the end)."""

from __future__ import annotations

import dataclasses

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Checkbox, Header, Input, Select, Static

from fieldtui.domain import clock
from fieldtui.domain.models import Banjar, RecordKind, Visit, VisitType
from fieldtui.domain.regions import branches
from fieldtui.i18n import t
from fieldtui.screens.banjar_dialog import BanjarDialog
from fieldtui.screens.base import FieldPage
from fieldtui.screens.edit_reason import EditReasonDialog
from fieldtui.screens.visit_values import VisitEntry, check_entry
from fieldtui.store.errors import StoreError
from fieldtui.widgets.banjar_select import BanjarSelect
from fieldtui.widgets.date_input import DateInput
from fieldtui.widgets.field import FormField, Tone
from fieldtui.widgets.key_footer import KeyFooter
from fieldtui.widgets.ordered_input import OrderedInput
from fieldtui.widgets.tick_box import TickBox
from fieldtui.widgets.village_picker import VillagePicker


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
        self._auto = ("", "")  # counterpart name and role last filled in from a banjar
        self._current_touched = False  # the officer set "make current" themselves

    # -- layout ----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        visit, today = self.visit, self.field_app.today()
        day = visit.started_at.date() if visit else today
        time = visit.started_at.time() if visit else clock.now().time()
        current = self.field_app.current_visit
        is_current = current is not None and current.id == visit.id if visit else day == today
        yield Header()
        with VerticalScroll(id="visit-form"):
            title = "visits.form.title_edit" if visit else "visits.form.title_new"
            yield Static(t(title), id="visit-title")
            yield Static("", id="visit-status", classes="-empty", markup=False)
            with Horizontal(id="visit-when"):
                yield FormField(
                    t("visits.form.date"), DateInput(day, id="visit-date"), id="field-date"
                )
                time_input = OrderedInput(
                    f"{time:%H.%M}", placeholder="hh.mm", restrict=r"[0-9.:]*", max_length=5
                )
                yield self._field_of("time", time_input)
            picker = VillagePicker(
                visit.desa_code if visit else None,
                within=branches()[0].region_codes,
                placeholder=t("visits.form.desa_hint"),
                id="visit-desa",
            )
            yield FormField(t("visits.form.desa"), picker, required=True, id="field-desa")
            banjars = BanjarSelect(
                none_label=t("visits.form.no_banjar"),
                add_label=t("visits.form.add_banjar"),
                id="visit-banjar",
            )
            yield FormField(t("visits.form.banjar"), banjars, id="field-banjar")
            kinds = [(t(f"visits.type.{kind.value}"), kind) for kind in VisitType]
            kind = visit.visit_type if visit else VisitType.BANJAR
            yield FormField(
                t("visits.form.type"),
                Select(kinds, value=kind, allow_blank=False, id="visit-type"),
                id="field-type",
            )
            yield self._text("event", visit.event_name if visit else "", hint=True)
            yield self._text("counterpart", visit.counterpart_name if visit else "", hint=True)
            yield self._text("role", visit.counterpart_role if visit else "", hint=True)
            attendees = str(visit.attendees) if visit else ""
            yield self._field_of(
                "attendees",
                OrderedInput(attendees, placeholder="0", restrict=r"[0-9]*", max_length=5),
            )
            follow_up = visit.follow_up_on if visit else None
            yield self._field_of("follow-up", DateInput(follow_up), label="follow_up")
            yield self._text("notes", visit.notes if visit else "", max_length=500)
            yield TickBox(t("visits.form.make_current"), is_current, id="visit-current")
        yield KeyFooter()

    def _field_of(self, name: str, body: Input, *, label: str | None = None) -> FormField:
        body.id = f"visit-{name}"
        return FormField(t(f"visits.form.{label or name}"), body, id=f"field-{name}")

    def _text(
        self, name: str, value: str, *, hint: bool = False, max_length: int = 120
    ) -> FormField:
        placeholder = t(f"visits.form.{name}_hint") if hint else ""
        return self._field_of(
            name, OrderedInput(value, placeholder=placeholder, max_length=max_length)
        )

    def on_mount(self) -> None:
        visit = self.visit
        self.sub_title = t("visits.form.title_edit" if visit else "visits.form.title_new")
        self.field_app.store_changed.subscribe(self, self._store_changed)
        if visit is None:
            self.query_one(VillagePicker).focus()
            return
        self._load_banjars(visit.desa_code, visit.banjar_id)
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
        select = self.query_one(BanjarSelect)
        if desa_code == self.desa_code and not select.expanded:
            self._show_banjars(banjars, select.banjar_id)

    @on(Input.Changed, "#visit-date")
    def _date_typed(self) -> None:
        # A new visit dated today becomes the current one unless the officer said otherwise.
        if self.visit is None and not self._current_touched:
            day = self.query_one("#visit-date", DateInput).date
            self.query_one("#visit-current", Checkbox).value = day == self.field_app.today()

    @on(Checkbox.Changed, "#visit-current")
    def _current_ticked(self, event: Checkbox.Changed) -> None:
        if event.checkbox.has_focus:
            self._current_touched = True

    def action_toggle_current(self) -> None:
        """Tick or untick "make this the current visit"."""
        self._current_touched = True
        self.query_one("#visit-current", Checkbox).toggle()

    # -- desa and banjar -------------------------------------------------------------------

    @property
    def desa_code(self) -> str | None:
        """The picked desa/kelurahan."""
        return self.query_one(VillagePicker).code

    def _load_banjars(self, desa_code: str | None, choose: str | None) -> None:
        self._show_banjars(self.store.banjars(desa_code) if desa_code else [], choose)

    def _show_banjars(self, banjars: list[Banjar], choose: str | None) -> None:
        self._banjars = {banjar.id: banjar for banjar in banjars}
        self.query_one(BanjarSelect).show_banjars([(b.id, b.name) for b in banjars], choose)

    @on(VillagePicker.Selected)
    def _desa_picked(self, event: VillagePicker.Selected) -> None:
        self._load_banjars(event.code, self.query_one(BanjarSelect).banjar_id)
        if event.code is not None:
            self.query_one("#field-desa", FormField).show("")
            self.query_one(BanjarSelect).focus()  # picked: on to its banjars

    @on(BanjarSelect.Chosen)
    def _banjar_chosen(self, event: BanjarSelect.Chosen) -> None:
        self._fill_from_banjar(self._banjars.get(event.banjar_id or ""))

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

    @on(BanjarSelect.AddRequested)
    def action_add_banjar(self) -> None:
        """Add a banjar to the picked desa on the spot, and choose it."""
        select = self.query_one(BanjarSelect)
        code = self.desa_code
        if code is None:
            select.cancel_add()
            self.query_one("#field-desa", FormField).show(t("visits.error.pick_desa_first"))
            self.query_one(VillagePicker).focus()
            return
        select.begin_add()
        self.app.push_screen(BanjarDialog(code), self._banjar_added)

    def _banjar_added(self, banjar: Banjar | None) -> None:
        select = self.query_one(BanjarSelect)
        if banjar is None:
            select.cancel_add()
            return
        self._load_banjars(banjar.desa_code, banjar.id)
        self._fill_from_banjar(banjar)
        select.focus()

    # -- saving ----------------------------------------------------------------------------

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def entry(self) -> VisitEntry:
        """What the form holds now."""

        def text(name: str) -> str:
            return self.query_one(f"#visit-{name}", Input).value

        kind = self.query_one("#visit-type", Select).value
        return VisitEntry(
            date=text("date"),
            time=text("time"),
            desa_code=self.desa_code,
            banjar_id=self.query_one(BanjarSelect).banjar_id,
            visit_type=kind if isinstance(kind, VisitType) else VisitType.BANJAR,
            event=text("event"),
            counterpart=text("counterpart"),
            role=text("role"),
            attendees=text("attendees"),
            follow_up=text("follow-up"),
            notes=text("notes"),
        )

    def _collect(self) -> Visit | None:
        """The visit as typed, or None after marking each field that is wrong."""
        fields, errors = check_entry(self.entry())
        for form_field in self.query(FormField):
            name = (form_field.id or "").removeprefix("field-")
            if name in errors:
                form_field.show(errors[name], Tone.ERROR)
            elif form_field.tone is Tone.ERROR:
                form_field.show("")
        if errors:
            self._status(t("visits.error.fix_fields"), error=True)
            return None
        if self.visit is not None:
            return dataclasses.replace(self.visit, **fields)
        actor = self.store.actor
        return Visit(officer_id=actor.id if actor else "", **fields)

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
            self._write(visit, "")
        elif visit == self.visit:
            self._finish(self.visit, changed=False)
        else:
            self.app.push_screen(
                EditReasonDialog(),
                lambda reason: None if reason is None else self._write(visit, reason),
            )

    def _write(self, visit: Visit, reason: str) -> None:
        # On the UI thread: a save is one fsync'd journal append (milliseconds); a lock held
        # by another process is waited for at most the store's lock timeout, then reported.
        try:
            if self.visit is None:
                saved = self.store.create_visit(visit)
            else:
                saved = self.store.update_visit(visit, reason=reason)
        except StoreError as exc:
            self._status(exc.message(), error=True)
            self.notify(exc.message(), severity="error", timeout=8)
        else:
            self._finish(saved, changed=True)

    def _finish(self, saved: Visit, *, changed: bool) -> None:
        app = self.field_app
        make_current = self.query_one("#visit-current", Checkbox).value
        if make_current:
            app.current_visit = saved
        elif app.current_visit is not None and app.current_visit.id == saved.id:
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
