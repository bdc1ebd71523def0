"""The Tinjau queue's dialogs: which records it lists, and confirming a bulk approval."""

from __future__ import annotations

import dataclasses

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Select, Static

from fieldtui.domain.models import Officer, ReviewState
from fieldtui.domain.regions import branches, gazetteer
from fieldtui.i18n import fmt_date, fmt_number, t
from fieldtui.screens.base import FieldModal
from fieldtui.screens.review_rows import AWAITING, FLAGGED, QueueFilter, QueueKind
from fieldtui.widgets.date_input import DateInput
from fieldtui.widgets.field import FormField, Tone
from fieldtui.widgets.key_footer import KeyFooter
from fieldtui.widgets.village_picker import VillagePicker

# The state choices: the two groups the screen uses, then each state on its own.
_STATE_CHOICES: dict[str, frozenset[ReviewState]] = {
    "awaiting": AWAITING,
    "flagged": FLAGGED,
    **{state.value: frozenset({state}) for state in ReviewState},
    "all": frozenset(),
}


def states_label(states: frozenset[ReviewState]) -> str:
    """'menunggu tinjauan', 'perlu perbaikan atau ditolak', 'disetujui', 'semua status'."""
    for name, choice in _STATE_CHOICES.items():
        if choice == states:
            return t(f"review.filter.states.{name}")
    return ", ".join(t(f"review.state.{s.value}") for s in ReviewState if s in states)


def describe_filter(spec: QueueFilter, officers: dict[str, str]) -> str:
    """'menunggu tinjauan · Wayan Sudarma · Sesetan · sejak 1 Nov 2026' for the status line."""
    where = spec.where
    parts = [t(f"review.kinds.{spec.kind.value}"), states_label(where.review_states)]
    if where.officer_id:
        parts.append(officers.get(where.officer_id, "?"))
    if where.desa_code:
        region = gazetteer().get(where.desa_code)
        parts.append(region.display_name if region else where.desa_code)
    if where.date_from:
        parts.append(t("review.filter.from_label", date=fmt_date(where.date_from)))
    if where.date_to:
        parts.append(t("review.filter.to_label", date=fmt_date(where.date_to)))
    return " · ".join(parts)


class ReviewFilterDialog(FieldModal[QueueFilter | None]):
    """Officer, desa, dates, kind and state; Ctrl+S applies, Esc leaves the filter as it was."""

    BINDINGS = [
        Binding("ctrl+s", "apply", "keys.apply"),
        Binding("escape", "cancel", "keys.cancel"),
    ]
    DEFAULT_CSS = """
    ReviewFilterDialog { align: center middle; }
    ReviewFilterDialog > #review-filter-box {
        width: 72; max-width: 100%; height: auto; max-height: 100%;
        border: round $primary; padding: 0 1; background: $surface;
    }
    ReviewFilterDialog #review-filter-title { text-style: bold; color: $accent; }
    ReviewFilterDialog DateInput { width: 16; }
    """

    def __init__(self, spec: QueueFilter, officers: list[Officer]) -> None:
        super().__init__()
        self.spec = spec
        self.officers = officers

    def compose(self) -> ComposeResult:
        where = self.spec.where
        states = next(
            (name for name, choice in _STATE_CHOICES.items() if choice == where.review_states),
            "awaiting",
        )
        with VerticalScroll(id="review-filter-box"):
            yield Static(t("review.filter.title"), id="review-filter-title")
            yield FormField(
                t("review.filter.officer"),
                Select(
                    [(officer.name, officer.id) for officer in self.officers],
                    value=where.officer_id or Select.NULL,
                    prompt=t("review.filter.any_officer"),
                    id="review-filter-officer",
                ),
                id="field-review-filter-officer",
            )
            yield FormField(
                t("review.filter.kind"),
                Select(
                    [(t(f"review.kinds.{kind.value}"), kind) for kind in QueueKind],
                    value=self.spec.kind,
                    allow_blank=False,
                    id="review-filter-kind",
                ),
                id="field-review-filter-kind",
            )
            yield FormField(
                t("review.filter.state"),
                Select(
                    [(t(f"review.filter.states.{name}"), name) for name in _STATE_CHOICES],
                    value=states,
                    allow_blank=False,
                    id="review-filter-state",
                ),
                id="field-review-filter-state",
            )
            yield FormField(
                t("review.filter.desa"),
                VillagePicker(
                    where.desa_code, within=branches()[0].region_codes, id="review-filter-desa"
                ),
                id="field-review-filter-desa",
            )
            yield FormField(
                t("review.filter.from"),
                DateInput(where.date_from, id="review-filter-from"),
                id="field-review-filter-from",
            )
            yield FormField(
                t("review.filter.to"),
                DateInput(where.date_to, id="review-filter-to"),
                id="field-review-filter-to",
            )
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#review-filter-officer", Select).focus()

    def action_apply(self) -> None:
        """Close with the filter, or say which field is wrong."""
        picker = self.query_one(VillagePicker)
        if picker.code is None and picker.text.strip():
            self.query_one("#field-review-filter-desa", FormField).show(
                t("review.filter.desa_unpicked"), Tone.ERROR
            )
            return
        dates = []
        for name in ("from", "to"):
            date_input = self.query_one(f"#review-filter-{name}", DateInput)
            if date_input.value.strip() and date_input.date is None:
                self.query_one(f"#field-review-filter-{name}", FormField).show(
                    t("review.filter.bad_date"), Tone.ERROR
                )
                return
            dates.append(date_input.date)
        start, end = dates
        if start is not None and end is not None and end < start:
            self.query_one("#field-review-filter-to", FormField).show(
                t("review.filter.bad_end"), Tone.ERROR
            )
            return
        officer = self.query_one("#review-filter-officer", Select).value
        kind = self.query_one("#review-filter-kind", Select).value
        states = self.query_one("#review-filter-state", Select).value
        where = dataclasses.replace(
            self.spec.where,
            officer_id=officer if isinstance(officer, str) else None,
            desa_code=picker.code,
            date_from=start,
            date_to=end,
            review_states=_STATE_CHOICES.get(str(states), AWAITING),
        )
        self.dismiss(QueueFilter(where, kind if isinstance(kind, QueueKind) else QueueKind.BOTH))

    def action_cancel(self) -> None:
        """Close without changing the filter."""
        self.dismiss(None)


class ApproveMarkedDialog(FieldModal[bool]):
    """'Setujui 3 catatan yang ditandai?' y approves, n or Esc goes back."""

    BINDINGS = [
        Binding("y,enter", "yes", "keys.review_yes"),
        Binding("n,escape", "no", "keys.review_no"),
    ]
    DEFAULT_CSS = """
    ApproveMarkedDialog { align: center middle; }
    ApproveMarkedDialog > Vertical {
        width: 60; max-width: 100%; height: auto; max-height: 100%;
        border: round $primary; padding: 0 1; background: $surface;
    }
    ApproveMarkedDialog #approve-marked-title { text-style: bold; }
    """

    def __init__(self, count: int) -> None:
        super().__init__()
        self.count = count

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(
                t("review.bulk.title", count=fmt_number(self.count)), id="approve-marked-title"
            )
            yield Static(t("review.bulk.body"))
        yield KeyFooter()

    def action_yes(self) -> None:
        """Approve them."""
        self.dismiss(True)

    def action_no(self) -> None:
        """Back to the queue; nothing is approved."""
        self.dismiss(False)
