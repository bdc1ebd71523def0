"""VisitFilterDialog: which visits the Kunjungan list shows (desa, type, dates, text)."""

from __future__ import annotations

import dataclasses

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Input, Select, Static

from fieldtui.domain.models import VisitType
from fieldtui.domain.regions import branches, gazetteer
from fieldtui.i18n import fmt_date, t
from fieldtui.screens.base import FieldModal
from fieldtui.store.listing import RecordFilter
from fieldtui.widgets.date_input import DateInput
from fieldtui.widgets.field import FormField, Tone
from fieldtui.widgets.key_footer import KeyFooter
from fieldtui.widgets.ordered_input import OrderedInput
from fieldtui.widgets.village_picker import VillagePicker


def describe_filter(where: RecordFilter) -> str:
    """'Sesetan · Sosialisasi banjar · sejak 1 Nov 2026 · "kaja"' ('' when nothing is set)."""
    parts: list[str] = []
    if where.desa_code:
        region = gazetteer().get(where.desa_code)
        parts.append(region.display_name if region else where.desa_code)
    if where.visit_type:
        parts.append(t(f"visits.type.{where.visit_type.value}"))
    if where.date_from:
        parts.append(t("visits.filter.from_label", date=fmt_date(where.date_from)))
    if where.date_to:
        parts.append(t("visits.filter.to_label", date=fmt_date(where.date_to)))
    if where.text.strip():
        parts.append(f'"{where.text.strip()}"')
    return " · ".join(parts)


class VisitFilterDialog(FieldModal[RecordFilter | None]):
    """Enter or Ctrl+S applies (empty fields mean "any"), Esc leaves the filter as it was."""

    BINDINGS = [
        Binding("ctrl+s", "apply", "keys.apply"),
        Binding("escape", "cancel", "keys.cancel"),
    ]
    DEFAULT_CSS = """
    VisitFilterDialog { align: center middle; }
    VisitFilterDialog > #filter-box {
        width: 72; max-width: 100%; height: auto; max-height: 100%;
        border: round $primary; padding: 0 1; background: $surface;
    }
    VisitFilterDialog #filter-title { text-style: bold; color: $accent; }
    VisitFilterDialog DateInput { width: 16; }
    """

    def __init__(self, where: RecordFilter) -> None:
        super().__init__()
        self.where = where

    def compose(self) -> ComposeResult:
        where = self.where
        with VerticalScroll(id="filter-box"):
            yield Static(t("visits.filter.title"), id="filter-title")
            yield FormField(
                t("visits.filter.desa"),
                VillagePicker(where.desa_code, within=branches()[0].region_codes, id="filter-desa"),
                id="field-filter-desa",
            )
            yield FormField(
                t("visits.filter.type"),
                Select(
                    [(t(f"visits.type.{kind.value}"), kind) for kind in VisitType],
                    value=where.visit_type or Select.NULL,
                    prompt=t("visits.filter.any_type"),
                    id="filter-type",
                ),
                id="field-filter-type",
            )
            yield FormField(
                t("visits.filter.from"),
                DateInput(where.date_from, id="filter-from"),
                id="field-filter-from",
            )
            yield FormField(
                t("visits.filter.to"),
                DateInput(where.date_to, id="filter-to"),
                id="field-filter-to",
            )
            yield FormField(
                t("visits.filter.text"),
                OrderedInput(
                    where.text, placeholder=t("visits.filter.text_hint"), id="filter-text"
                ),
                id="field-filter-text",
            )
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one(VillagePicker).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_apply()

    def action_apply(self) -> None:
        """Close with the filter, or say which field is wrong."""
        picker = self.query_one(VillagePicker)
        if picker.code is None and picker.text.strip():
            self.query_one("#field-filter-desa", FormField).show(
                t("visits.filter.desa_unpicked"), Tone.ERROR
            )
            return
        dates = []
        for name in ("from", "to"):
            date_input = self.query_one(f"#filter-{name}", DateInput)
            if date_input.value.strip() and date_input.date is None:
                self.query_one(f"#field-filter-{name}", FormField).show(
                    t("visits.filter.bad_date"), Tone.ERROR
                )
                return
            dates.append(date_input.date)
        start, end = dates
        if start is not None and end is not None and end < start:
            self.query_one("#field-filter-to", FormField).show(
                t("visits.filter.bad_end"), Tone.ERROR
            )
            return
        kind = self.query_one("#filter-type", Select).value
        self.dismiss(
            dataclasses.replace(
                self.where,
                desa_code=picker.code,
                visit_type=kind if isinstance(kind, VisitType) else None,
                date_from=start,
                date_to=end,
                text=" ".join(self.query_one("#filter-text", Input).value.split()),
            )
        )

    def action_cancel(self) -> None:
        """Close without changing the filter."""
        self.dismiss(None)
