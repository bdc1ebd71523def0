"""What sign-up and visit rows share: reading cells by column key, places, banjars, writing.

A row's outcome is "imported", "present" (already in the store: skipped, not an error) or the
list of reasons it was refused, each tied to a column.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, TypeVar

from fieldtui.domain.banjars import banjar_display_name, validate_banjar
from fieldtui.domain.issues import Issue
from fieldtui.domain.models import Banjar
from fieldtui.exchange import import_values as v
from fieldtui.exchange.header_map import HeaderMap
from fieldtui.exchange.import_places import Banjars, Places
from fieldtui.exchange.import_values import CellRefused
from fieldtui.exchange.readers import Cell
from fieldtui.i18n import t
from fieldtui.store.errors import DuplicateNik, ValidationFailed
from fieldtui.store.import_rows import create_imported_banjar
from fieldtui.store.repository import Store

T = TypeVar("T")
Outcome = Literal["imported", "present"] | list[CellRefused]


@dataclass
class RowContext:
    """What every row of one import needs."""

    store: Store
    columns: HeaderMap
    path: Path
    today: dt.date
    dry_run: bool
    actor_id: str
    places: Places = field(default_factory=Places)
    banjars_created: list[tuple[str, str]] = field(default_factory=list)  # (desa code, name)


class Rows:
    """Reads one kind of row; subclasses turn cells into a record and save it."""

    def __init__(self, context: RowContext) -> None:
        self.context = context
        self.banjars = Banjars(context.store.banjars)
        self.warnings: list[CellRefused] = []  # of the row just handled: saved, but look again

    def handle(self, number: int, cells: list[Cell]) -> Outcome:  # pragma: no cover
        """Import (or check) one row."""
        raise NotImplementedError

    @staticmethod
    def issue_column(code: str) -> str:
        """The column a store issue is reported against."""
        return ""

    # -- cells -----------------------------------------------------------------------------

    def cell(self, cells: list[Cell], key: str) -> Cell:
        """The cell of column ``key`` (None when the file has no such column or the row ends)."""
        position = self.context.columns.index.get(key)
        if position is None or position >= len(cells):
            return None
        return cells[position]

    def getter(
        self, cells: list[Cell], problems: list[CellRefused]
    ) -> Callable[[Callable[[str, Cell], T], str], T | None]:
        """``get(parse, key)``: the parsed cell, or None with the refusal added to ``problems``."""

        def get(parse: Callable[[str, Cell], T], key: str) -> T | None:
            try:
                return parse(key, self.cell(cells, key))
            except CellRefused as exc:
                problems.append(exc)
                return None

        return get

    @staticmethod
    def guard(problems: list[CellRefused], work: Callable[[], T]) -> T | None:
        """``work()``, or None with its refusal added to ``problems``."""
        try:
            return work()
        except CellRefused as exc:
            problems.append(exc)
            return None

    # -- places ----------------------------------------------------------------------------

    def desa(self, cells: list[Cell]) -> str:
        """The desa/kelurahan code of the row."""
        texts = [
            v.text(k, self.cell(cells, k)) for k in ("desa_code", "desa", "kecamatan", "kabkota")
        ]
        return self.context.places.desa(*texts)

    def occupation(self, cells: list[Cell]) -> str:
        """The occupation code of the row."""
        code = v.text("occupation_code", self.cell(cells, "occupation_code"))
        return self.context.places.occupation(
            code, v.text("occupation", self.cell(cells, "occupation"))
        )

    def banjar(
        self, cells: list[Cell], desa: str | None, problems: list[CellRefused]
    ) -> tuple[str | None, str | None]:
        """(id of a known banjar, name of a banjar to add): at most one is set."""
        try:
            name = v.plain_text("banjar", self.cell(cells, "banjar"))
        except CellRefused as exc:
            problems.append(exc)
            return None, None
        if not name or desa is None:
            return None, None
        known = self.banjars.find(desa, name)
        if known is not None:
            return known, None
        tidy = banjar_display_name(name)
        issues = validate_banjar(tidy, desa)
        problems += [CellRefused("banjar", issue) for issue in issues]
        return None, tidy

    def create_banjar(self, desa: str, name: str, number: int) -> str:
        """Add the banjar the row names (or, in a dry run, pretend to); its id."""
        banjar_id = f"dry-run:{desa}:{name}"
        if not self.context.dry_run:
            banjar = Banjar(desa_code=desa, name=name)
            banjar_id = create_imported_banjar(
                self.context.store, banjar, reason=self.reason(number)
            ).id
        self.banjars.add(desa, name, banjar_id)
        self.context.banjars_created.append((desa, name))
        return banjar_id

    # -- writing ---------------------------------------------------------------------------

    def reason(self, number: int) -> str:
        """What the record's history says about where it came from."""
        return t("import.audit_reason", file=self.context.path.name, row=number)

    def issue_problems(self, issues: Sequence[Issue]) -> list[CellRefused]:
        """Store issues as refusals of the columns they concern."""
        return [CellRefused(self.issue_column(issue.code), issue) for issue in issues]

    def write(self, save: Callable[[], object]) -> Outcome:
        """Run the store write; a refusal by the store becomes the row's reasons."""
        try:
            save()
        except DuplicateNik:
            return "present"  # registered by someone else while the import ran
        except ValidationFailed as exc:
            issues: Sequence[Issue] = getattr(exc, "issues", ())
            if issues:
                return self.issue_problems(issues)
            return [CellRefused("", Issue(exc.key, exc.fields))]
        return "imported"
