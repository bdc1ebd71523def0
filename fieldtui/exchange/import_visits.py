"""One spreadsheet row -> one `Visit`, checked by the rules of the visit form.

A visit needs its date and time (one timestamp cell, or a date and a "Jam" column) and its
desa; the kind defaults to a banjar sosialisasi, attendees to 0; a follow-up date may not come
before the visit. A visit of the same officer at the same place and minute is already present.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from fieldtui.domain.models import Visit, VisitType
from fieldtui.exchange import import_values as v
from fieldtui.exchange.import_base import Outcome, RowContext, Rows
from fieldtui.exchange.import_values import CellRefused
from fieldtui.exchange.readers import Cell
from fieldtui.store.import_rows import create_imported_visit
from fieldtui.store.listing import RecordFilter

VisitKey = tuple[str, str, str]  # (desa code, start to the minute, banjar id or "")

_ISSUE_COLUMNS = (
    ("repository.issue.unknown_desa", "desa"),
    ("repository.issue.unknown_banjar", "banjar"),
    ("repository.issue.banjar_elsewhere", "banjar"),
    ("repository.issue.negative_attendees", "attendees"),
)


def column_of_issue(code: str) -> str:
    """The column a store issue about a visit is reported against."""
    return next((key for prefix, key in _ISSUE_COLUMNS if code.startswith(prefix)), "")


def visit_key(visit: Visit) -> VisitKey:
    """What makes two visits of one officer the same visit."""
    minute = visit.started_at.replace(second=0, microsecond=0).isoformat()
    return (visit.desa_code, minute, visit.banjar_id or "")


class VisitRows(Rows):
    """Visit rows of one file."""

    issue_column = staticmethod(column_of_issue)

    def __init__(self, context: RowContext) -> None:
        super().__init__(context)
        self._seen: dict[VisitKey, int] = {}
        self._stored: set[VisitKey] | None = None

    def handle(self, number: int, cells: list[Cell]) -> Outcome:
        """Import (or, in a dry run, check) one row."""
        problems: list[CellRefused] = []
        visit, new_banjar = self._visit(cells, problems)
        if problems or visit is None:
            return problems
        key = visit_key(visit)
        first = self._seen.get(key)
        if first is not None:
            return [v.refuse("started_at", "import.reason.visit_repeated", row=first)]
        self._seen[key] = number
        if key in self._stored_keys():
            return "present"
        return self._save(visit, new_banjar, number)

    def _stored_keys(self) -> set[VisitKey]:
        if self._stored is None:
            store = self.context.store
            page = store.list_visits(RecordFilter(officer_id=self.context.actor_id), limit=10**9)
            self._stored = {visit_key(visit) for visit in page.items}
        return self._stored

    def _visit(
        self, cells: list[Cell], problems: list[CellRefused]
    ) -> tuple[Visit | None, str | None]:
        get = self.getter(cells, problems)
        time_cell = self.cell(cells, "time")
        started = get(lambda k, c: v.datetime_value(k, c, time_cell), "started_at")
        if started is None and not problems:
            problems.append(v.refuse("started_at", "import.reason.date_required"))
        elif started is not None and started.time() == dt.time(0, 0):
            problems.append(v.refuse("started_at", "import.reason.time_required"))
        visit_type = get(v.visit_type_value, "visit_type") or VisitType.BANJAR
        desa = self.guard(problems, lambda: self.desa(cells))
        banjar_id, new_banjar = self.banjar(cells, desa, problems)
        attendees = get(v.whole_number, "attendees") or 0
        follow_up = get(v.date_value, "follow_up_on")
        if follow_up is not None and started is not None and follow_up < started.date():
            problems.append(v.refuse("follow_up_on", "visits.error.bad_follow_up"))
        texts = {
            key: " ".join((get(v.plain_text, key) or "").split())
            for key in ("event_name", "counterpart_name", "counterpart_role", "notes")
        }
        if problems or started is None or desa is None:
            return None, None
        visit = Visit(
            officer_id=self.context.actor_id,
            desa_code=desa,
            started_at=started,
            visit_type=visit_type,
            banjar_id=banjar_id,
            attendees=attendees,
            follow_up_on=follow_up,
            event_name=texts["event_name"],
            counterpart_name=texts["counterpart_name"],
            counterpart_role=texts["counterpart_role"],
            notes=texts["notes"],
        )
        return visit, new_banjar

    def _save(self, visit: Visit, new_banjar: str | None, number: int) -> Outcome:
        store = self.context.store
        issues = store.validate_visit(visit)
        if issues:
            return self.issue_problems(issues)

        def run() -> None:
            record = visit
            if new_banjar is not None:
                banjar_id = self.create_banjar(record.desa_code, new_banjar, number)
                record = dataclasses.replace(record, banjar_id=banjar_id)
            if not self.context.dry_run:
                create_imported_visit(store, record, reason=self.reason(number))

        return self.write(run)
