"""TargetDialog: set (or change) the sign-up target of a region or banjar for a period.

The region is found by typing: the branch, any kab/kota, kecamatan or desa/kelurahan of the
gazetteer, and the banjars the store knows (those of a matching desa and those whose own name
matches). Up/Down move through the matches while typing, Enter picks one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from fieldtui.domain.models import Banjar, Period, Target
from fieldtui.domain.region_search import fold
from fieldtui.domain.regions import branch, branches, gazetteer
from fieldtui.i18n import fmt_number, t
from fieldtui.screens.base import FieldModal
from fieldtui.store.errors import NotFound, StoreError
from fieldtui.store.repository import Store
from fieldtui.widgets.field import FormField, Tone
from fieldtui.widgets.key_footer import KeyFooter
from fieldtui.widgets.ordered_input import OrderedInput

MAX_MATCHES = 12


def region_label(store: Store, code: str) -> str:
    """How a target's region reads: the branch name, a gazetteer line, or 'Banjar, Kel. X'."""
    found_branch = branch(code)
    if found_branch is not None:
        return found_branch.name
    if code in gazetteer():
        return gazetteer().describe(code)
    try:
        banjar = store.get_banjar(code)
    except NotFound:
        return code
    return banjar_label(banjar)


def banjar_label(banjar: Banjar) -> str:
    """'Banjar Kaja, Kel. Sesetan'."""
    desa = gazetteer().get(banjar.desa_code)
    return f"{banjar.name}, {desa.display_name}" if desa is not None else banjar.name


@dataclass(frozen=True, slots=True)
class Place:
    """One match of the region search: a code a target can be set on, and how it reads."""

    code: str
    label: str


def find_places(store: Store, text: str, limit: int = MAX_MATCHES) -> list[Place]:
    """The branch, regions and banjars matching ``text``, best first."""
    query = fold(text)
    if not query:
        return []
    found: list[Place] = [
        Place(b.code, b.name) for b in branches() if query in fold(b.name) or query in fold(b.code)
    ]
    regions = gazetteer().search(text, limit=limit)
    found.extend(Place(r.code, gazetteer().describe(r.code)) for r in regions)
    village_codes = {r.code for r in regions if r.is_village}
    banjars = [b for b in store.banjars() if b.desa_code in village_codes or query in fold(b.name)]
    found.extend(Place(b.id, banjar_label(b)) for b in banjars)
    return found[:limit]


def parse_count(text: str) -> int | None:
    """'2000', '2.000' or '2,000' -> 2000; None for anything else (or a negative number)."""
    compact = "".join(text.split()).replace(".", "").replace(",", "")
    return int(compact) if compact.isdigit() else None


class TargetDialog(FieldModal[Target | None]):
    """Region, period and number; Ctrl+S (or Enter in the last field) saves, Esc cancels."""

    BINDINGS = [
        Binding("ctrl+s", "save", "keys.save"),
        Binding("escape", "cancel", "keys.cancel"),
        Binding("down", "move(1)", show=False),
        Binding("up", "move(-1)", show=False),
    ]
    DEFAULT_CSS = """
    TargetDialog { align: center middle; }
    TargetDialog > #target-box {
        width: 72; max-width: 100%; height: auto; max-height: 100%;
        border: round $primary; padding: 0 1; background: $surface;
    }
    TargetDialog #target-title { text-style: bold; padding-bottom: 1; }
    TargetDialog #target-matches { height: auto; max-height: 6; margin-left: 17; }
    TargetDialog #target-matches.-empty { display: none; }
    """

    def __init__(self, today: dt.date, current: Target | None = None) -> None:
        super().__init__()
        self.today = today
        self.current = current
        self.chosen: Place | None = None
        self.matches: list[Place] = []

    def compose(self) -> ComposeResult:
        current = self.current
        period = current.period.key if current is not None else str(self.today.year)
        number = str(current.number) if current is not None else ""
        with VerticalScroll(id="target-box"):
            yield Static(t("settings.target.dialog_title"), id="target-title")
            yield FormField(
                t("settings.target.region"),
                OrderedInput(
                    placeholder=t("settings.target.region_hint"), id="target-region", max_length=60
                ),
                required=True,
                id="field-region",
            )
            yield OptionList(id="target-matches", classes="-empty")
            yield FormField(
                t("settings.target.period"),
                OrderedInput(
                    period, placeholder="2026 · 2026-11", id="target-period", max_length=30
                ),
                required=True,
                id="field-period",
            )
            yield FormField(
                t("settings.target.number"),
                OrderedInput(number, id="target-number", max_length=12, restrict=r"[0-9., ]*"),
                required=True,
                id="field-number",
            )
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#field-period", FormField).show(t("settings.target.period_hint"))
        if self.current is not None:
            self._choose(
                Place(self.current.region_code, region_label(self.store, self.current.region_code))
            )
            self.query_one("#target-number", Input).focus()
        else:
            self.query_one("#target-region", Input).focus()

    # -- the region search -----------------------------------------------------------------

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id != "target-region":
            return
        if self.chosen is not None and event.value == self.chosen.label:
            return  # the text was set by choosing
        self.chosen = None
        self.matches = find_places(self.store, event.value)
        matches = self.query_one("#target-matches", OptionList)
        matches.clear_options()
        matches.add_options(Option(place.label, id=place.code) for place in self.matches)
        matches.set_class(not self.matches, "-empty")
        if self.matches:
            matches.highlighted = 0
        field = self.query_one("#field-region", FormField)
        if event.value.strip() and not self.matches:
            field.show(t("regions.search.no_match", text=event.value.strip()), Tone.WARNING)
        else:
            field.show("")

    def action_move(self, step: int) -> None:
        """Move through the matches while typing the region."""
        matches = self.query_one("#target-matches", OptionList)
        if self.focused is not self.query_one("#target-region", Input) or not self.matches:
            return
        index = (matches.highlighted or 0) + step
        matches.highlighted = max(0, min(len(self.matches) - 1, index))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self._choose(self.matches[event.option_index])
        self.query_one("#target-period", Input).focus()

    def _choose(self, place: Place) -> None:
        self.chosen = place
        self.query_one("#target-region", Input).value = place.label
        matches = self.query_one("#target-matches", OptionList)
        matches.clear_options()
        matches.add_class("-empty")
        self.matches = []
        self.query_one("#field-region", FormField).show(
            t("settings.target.chosen", region=place.label), Tone.OK
        )

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "target-region":
            matches = self.query_one("#target-matches", OptionList)
            if self.matches:
                self._choose(self.matches[matches.highlighted or 0])
            if self.chosen is not None:
                self.query_one("#target-period", Input).focus()
        elif event.input.id == "target-period":
            self.query_one("#target-number", Input).focus()
        else:
            self.action_save()

    # -- saving ----------------------------------------------------------------------------

    def action_save(self) -> None:
        """Check the three fields and set the target; a store error is shown, the form kept."""
        region_field = self.query_one("#field-region", FormField)
        if self.chosen is None:
            region_field.show(t("settings.target.region_required"), Tone.ERROR)
            self.query_one("#target-region", Input).focus()
            return
        period_field = self.query_one("#field-period", FormField)
        try:
            period = Period.parse(self.query_one("#target-period", Input).value)
        except ValueError:
            period_field.show(t("settings.target.bad_period"), Tone.ERROR)
            self.query_one("#target-period", Input).focus()
            return
        period_field.show(t("settings.target.period_hint"))
        number_field = self.query_one("#field-number", FormField)
        number = parse_count(self.query_one("#target-number", Input).value)
        if number is None:
            number_field.show(t("settings.target.bad_number"), Tone.ERROR)
            self.query_one("#target-number", Input).focus()
            return
        try:
            saved = self.store.set_target(self.chosen.code, period, number)
        except StoreError as exc:
            number_field.show(exc.message(), Tone.ERROR)
            return
        self.app.notify(
            t(
                "settings.target.saved",
                region=self.chosen.label,
                period=period.key,
                number=fmt_number(number),
            )
        )
        self.dismiss(saved)

    def action_cancel(self) -> None:
        """Close without setting anything."""
        self.dismiss(None)
