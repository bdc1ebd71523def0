"""Progress aggregates kept current: `ProgressBook`s fed from the raw documents, change by change.

A book per period asked for (all time, a year, a month, ...) is built once from the stored
documents and then updated from each applied change, own or another process's, so a save costs
a few counter updates, never a recount. Books are fed light "facts" objects read straight from
the documents instead of fully decoded records: building a book for 100k sign-ups then takes a
fraction of what decoding every record would (see `_SignUpFacts`).
"""

from __future__ import annotations

import datetime as dt
import gc
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, cast

from fieldtui.domain import clock
from fieldtui.domain.models import Banjar, Period, SignUp, Target, Visit
from fieldtui.domain.progress import ProgressBook, ProgressRow, RegionResolver
from fieldtui.store import indexes as ix
from fieldtui.store.codec import decode
from fieldtui.store.indexes import Row

Tables = Callable[[], Mapping[str, Mapping[str, dict[str, Any]]]]
_BEGINNING = dt.date(1, 1, 1)


@dataclass(frozen=True, slots=True)
class _SignUpFacts:
    """The attributes of a SignUp that `ProgressBook` reads, parsed from a raw document.

    `tests/store/test_progress.py` checks that books fed with facts equal books fed with
    decoded sign-ups, so a book that starts reading another attribute is caught there.
    """

    id: str
    desa_code: str
    banjar_id: str | None
    registered_on: dt.date
    deleted_at: object
    is_paid: bool
    paid_until: dt.date | None

    @classmethod
    def of(cls, doc: Mapping[str, Any]) -> _SignUpFacts:
        ends = [
            clock.add_months(dt.date.fromisoformat(p["period_start"]), int(p["months"]))
            for p in doc.get("payments") or ()
        ]
        return cls(
            id=doc["id"],
            desa_code=doc["desa_code"],
            banjar_id=doc.get("banjar_id"),
            registered_on=dt.date.fromisoformat(doc["registered_on"]),
            deleted_at=doc.get("deleted_at"),
            is_paid=bool(ends),
            paid_until=max(ends, default=None),
        )


@dataclass(frozen=True, slots=True)
class _VisitFacts:
    id: str
    desa_code: str
    banjar_id: str | None
    started_at: dt.datetime
    deleted_at: object

    @classmethod
    def of(cls, doc: Mapping[str, Any]) -> _VisitFacts:
        return cls(
            id=doc["id"],
            desa_code=doc["desa_code"],
            banjar_id=doc.get("banjar_id"),
            started_at=dt.datetime.fromisoformat(doc["started_at"]),
            deleted_at=doc.get("deleted_at"),
        )


@dataclass(frozen=True, slots=True)
class _Gone:
    """What a book needs to forget a record: its id (and a target's region)."""

    id: str
    region_code: str = ""


def _signup(doc: Mapping[str, Any]) -> SignUp:
    return cast(SignUp, _SignUpFacts.of(doc))


def _visit(doc: Mapping[str, Any]) -> Visit:
    return cast(Visit, _VisitFacts.of(doc))


@dataclass(frozen=True)
class ProgressLine:
    """One region's progress for a period: the period's own figures and the running total.

    A target counts participants (live sign-ups registered up to the period's end), so
    ``pct_of_target`` is ``participants / target``; ``new_signups`` are those registered within
    the period. Without a period both rows are the all-time figures.
    """

    period_row: ProgressRow  # sign-ups and visits within the period, its exact target
    to_date_row: ProgressRow  # everything registered up to the period's end

    @property
    def region_code(self) -> str:
        """The region (or banjar id) of this line."""
        return self.period_row.region_code

    @property
    def participants(self) -> int:
        """Live sign-ups registered on or before the period's end."""
        return self.to_date_row.signups

    @property
    def new_signups(self) -> int:
        """Live sign-ups registered within the period."""
        return self.period_row.signups

    @property
    def target(self) -> int | None:
        """The region's target for the period, if one is set."""
        return self.period_row.target

    @property
    def pct_of_target(self) -> float | None:
        """participants / target (0.5 for 50%), None without a target."""
        return self.participants / self.target if self.target else None


class Aggregates:
    """Progress books per period, built on first use and then updated record by record."""

    def __init__(
        self, tables: Tables, *, resolver: RegionResolver | None = None, keep: int = 8
    ) -> None:
        self._tables = tables
        self._resolver = resolver
        self._keep = keep
        self._books: OrderedDict[Period | None, ProgressBook] = OrderedDict()

    def book(self, period: Period | None = None) -> ProgressBook:
        """The (current) book for ``period``; None is all time."""
        book = self._books.get(period)
        if book is None:
            book = self._build(period)
            self._books[period] = book
            while len(self._books) > self._keep:
                self._books.popitem(last=False)
        else:
            self._books.move_to_end(period)
        return book

    def lines(
        self,
        parent_code: str | None,
        *,
        period: Period | None = None,
        as_of: dt.date | None = None,
        weeks: int = 8,
    ) -> list[ProgressLine]:
        """The lines one level below ``parent_code`` (None: the branches)."""
        day = as_of or (min(clock.today(), period.end) if period else clock.today())
        own = self.book(period)
        to_date = own if period is None else self.book(Period(start=_BEGINNING, end=period.end))
        codes = [row.region_code for row in own.rows(parent_code, as_of=day, weeks=weeks)]
        codes += [
            row.region_code
            for row in to_date.rows(parent_code, as_of=day, weeks=weeks)
            if row.region_code not in codes
        ]
        return [
            ProgressLine(
                period_row=own.row(code, as_of=day, weeks=weeks),
                to_date_row=to_date.row(code, as_of=day, weeks=weeks),
            )
            for code in codes
        ]

    def line(
        self, code: str, *, period: Period | None = None, as_of: dt.date | None = None
    ) -> ProgressLine:
        """One region's (or banjar's) line."""
        day = as_of or (min(clock.today(), period.end) if period else clock.today())
        own = self.book(period)
        to_date = own if period is None else self.book(Period(start=_BEGINNING, end=period.end))
        return ProgressLine(own.row(code, as_of=day), to_date.row(code, as_of=day))

    def _build(self, period: Period | None) -> ProgressBook:
        collecting = gc.isenabled()
        gc.disable()  # many small objects at once: skip the repeated full collections
        try:
            return self._fill(ProgressBook(self._resolver, period=period))
        finally:
            if collecting:
                gc.enable()

    def _fill(self, book: ProgressBook) -> ProgressBook:
        tables = self._tables()
        for doc in tables.get(ix.BANJARS, {}).values():
            book.apply_banjar(None, decode(Banjar, doc))
        for doc in tables.get(ix.SIGNUPS, {}).values():
            if doc.get("deleted_at") is None:
                book.add(_signup(doc))
        for doc in tables.get(ix.VISITS, {}).values():
            if doc.get("deleted_at") is None:
                book.add_visit(_visit(doc))
        for doc in tables.get(ix.TARGETS, {}).values():
            if doc.get("deleted_at") is None:
                book.apply_target(None, decode(Target, doc))
        return book

    def reset(self) -> None:
        """Forget every book (after a full reload); they are rebuilt when next asked for."""
        self._books.clear()

    def on_row(
        self, table: str, old: Row | None, new: Row | None, doc: Mapping[str, Any] | None
    ) -> None:
        """Account for one changed document in every book held."""
        if not self._books or table not in _HANDLED:
            return
        gone = _Gone(old.id, old.desa_code) if old is not None else None
        for book in self._books.values():
            if table == ix.SIGNUPS:
                book.apply_signup(cast(SignUp, gone), _signup(doc) if doc else None)
            elif table == ix.VISITS:
                book.apply_visit(cast(Visit, gone), _visit(doc) if doc else None)
            elif table == ix.TARGETS:
                book.apply_target(cast(Target, gone), decode(Target, doc) if doc else None)
            else:
                book.apply_banjar(cast(Banjar, gone), decode(Banjar, doc) if doc else None)


_HANDLED = frozenset({ix.SIGNUPS, ix.VISITS, ix.TARGETS, ix.BANJARS})
