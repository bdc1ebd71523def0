"""Progress aggregates kept current: `ProgressBook`s fed from the raw documents, change by change.

A book per period asked for (all time, a year, a month, ...) is built once from the stored
documents and then updated from each applied change, own or another process's, so a save costs
a few counter updates, never a recount. Books are fed light "facts" objects read straight from
the documents instead of fully decoded records: building a book for 100k sign-ups then takes a
fraction of what decoding every record would (see `_SignUpFacts`). The facts are read once and
kept current change by change too, so a second period's book costs no second reading, and a
period's "to date" figures come from the all-time book when nothing is dated after the period.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, cast

from fieldtui.domain import clock
from fieldtui.domain.models import Banjar, Period, SignUp, Target, Visit
from fieldtui.domain.progress import ProgressBook, ProgressRow, RegionResolver
from fieldtui.store import indexes as ix
from fieldtui.store.codec import decode
from fieldtui.store.gcpause import paused_gc
from fieldtui.store.indexes import Row

Tables = Callable[[], Mapping[str, Mapping[str, dict[str, Any]]]]
_BEGINNING = dt.date(1, 1, 1)


@dataclass(slots=True)
class _SignUpFacts:
    """The attributes of a SignUp that `ProgressBook` reads, parsed from a raw document.

    `tests/store/test_progress.py` checks that books fed with facts equal books fed with
    decoded sign-ups, so a book that starts reading another attribute is caught there.
    (Not frozen: a frozen dataclass costs several times as much to make, 100k at a time.)
    """

    id: str
    desa_code: str
    banjar_id: str | None
    registered_on: dt.date
    deleted_at: object
    is_paid: bool
    paid_until: dt.date | None
    nik: str = ""
    review_state: str = ""

    @property
    def person(self) -> str:
        """Who this sign-up is about: the NIK (or, lacking one, the sign-up itself)."""
        return self.nik or "#" + self.id

    @property
    def order(self) -> tuple[bool, dt.date, str]:
        """Among sign-ups of one person, the one registered first counts, unless it is flagged
        or rejected (a merge flags the possible duplicate) and another is not."""
        return (self.review_state in _SET_ASIDE, self.registered_on, self.id)

    @staticmethod
    def of(doc: Mapping[str, Any]) -> _SignUpFacts:
        """The facts of one document (many at once: `FactsReader`)."""
        return FactsReader().signup_facts(doc)


@dataclass(slots=True)
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

    @property
    def day(self) -> dt.date:
        """The day the visit counts on (as `ProgressBook` dates it)."""
        return clock.to_wita(self.started_at).date()


@dataclass(slots=True)
class _Facts:
    """The facts of every live sign-up and visit (by id), kept current by `Aggregates.on_row`."""

    signups: dict[str, _SignUpFacts]
    visits: dict[str, _VisitFacts]
    # No live sign-up is registered, and no live visit made, after this day. A deletion leaves
    # it as it was: too late a day only costs the to-date shortcut (`Aggregates._to_date`).
    latest: dt.date
    # Live sign-ups by person (NIK), first registration first. The same person registered twice
    # (two officers' laptops, found at a merge and flagged for review) counts once.
    people: dict[str, list[_SignUpFacts]] = field(default_factory=dict)

    @classmethod
    def read(cls, tables: Mapping[str, Mapping[str, Mapping[str, Any]]]) -> _Facts:
        reader = FactsReader()
        for table in (ix.SIGNUPS, ix.VISITS):
            for doc in tables.get(table, {}).values():
                reader.add(table, doc)
        return reader.facts()

    def counted(self) -> list[_SignUpFacts]:
        """The sign-ups the books count: one per person (their first registration)."""
        return [group[0] for group in self.people.values()]

    def head(self, person: str) -> _SignUpFacts | None:
        """The sign-up counted for ``person``, if any."""
        group = self.people.get(person)
        return group[0] if group else None

    def forget_signup(self, signup_id: str) -> None:
        """Drop a sign-up's facts (deleted, or about to be replaced)."""
        facts = self.signups.pop(signup_id, None)
        if facts is None:
            return
        group = self.people.get(facts.person, [])
        group[:] = [f for f in group if f.id != signup_id]
        if not group:
            self.people.pop(facts.person, None)

    def keep_signup(self, facts: _SignUpFacts) -> None:
        """Hold a live sign-up's facts, in its person's order."""
        self.signups[facts.id] = facts
        group = self.people.setdefault(facts.person, [])
        bisect.insort(group, facts, key=_order_of)


class FactsReader:
    """Reads the facts of live sign-ups and visits one document at a time (the repository
    feeds it from the same pass over the documents that builds its indexes, so a store that
    opens reads each document once), then gives them as `_Facts`."""

    def __init__(self) -> None:
        self._signups: dict[str, _SignUpFacts] = {}
        self._visits: dict[str, _VisitFacts] = {}
        self._dates: dict[str, dt.date] = {}
        self._ends: dict[tuple[str, Any], dt.date] = {}  # (period_start, months) -> paid until

    def add(self, table: str, doc: Mapping[str, Any]) -> None:
        """Take one document of ``table`` (those of other tables, and deleted ones, are left)."""
        if doc.get("deleted_at") is not None:
            return
        if table == ix.SIGNUPS:
            facts = self.signup_facts(doc)
            self._signups[facts.id] = facts
        elif table == ix.VISITS:
            visit = _VisitFacts.of(doc)
            self._visits[visit.id] = visit

    def signup_facts(self, doc: Mapping[str, Any]) -> _SignUpFacts:
        """The facts of one sign-up document (deleted or not)."""
        dates, parse = self._dates, dt.date.fromisoformat
        text = doc["registered_on"]
        registered = dates.get(text)
        if registered is None:
            registered = dates[text] = parse(text)
        paid_until: dt.date | None = None
        for payment in doc.get("payments") or ():
            key = (payment["period_start"], payment["months"])
            end = self._ends.get(key)
            if end is None:
                end = self._ends[key] = clock.add_months(parse(key[0]), int(key[1]))
            if paid_until is None or end > paid_until:
                paid_until = end
        return _SignUpFacts(
            doc["id"],
            doc["desa_code"],
            doc.get("banjar_id"),
            registered,
            doc.get("deleted_at"),
            paid_until is not None,  # at least one payment
            paid_until,
            (doc.get("participant") or {}).get("nik") or "",
            doc.get("review_state") or "",
        )

    def facts(self) -> _Facts:
        """Everything read so far."""
        signups, visits = self._signups, self._visits
        days = [facts.registered_on for facts in signups.values()]
        days += [visit.day for visit in visits.values()]
        out = _Facts(signups, visits, max(days, default=dt.date.min))
        for facts in signups.values():
            out.people.setdefault(facts.person, []).append(facts)
        for group in out.people.values():
            if len(group) > 1:
                group.sort(key=_order_of)
        return out


@dataclass(frozen=True, slots=True)
class _Gone:
    """What a book needs to forget a record: its id (and a target's region)."""

    id: str
    region_code: str = ""


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
        self._facts: _Facts | None = None  # read on first use, then kept current

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

    def ready(self, period: Period | None) -> bool:
        """True when reading ``period``'s figures builds nothing (every book it needs is held),
        so it costs a few milliseconds."""
        if period not in self._books:
            return False
        if period is None or Period(start=_BEGINNING, end=period.end) in self._books:
            return True
        return None in self._books and self._facts is not None and self._facts.latest <= period.end

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
        to_date = own if period is None else self._to_date(period)
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
        to_date = own if period is None else self._to_date(period)
        return ProgressLine(own.row(code, as_of=day), to_date.row(code, as_of=day))

    def _to_date(self, period: Period) -> ProgressBook:
        """The book of everything up to ``period``'s end.

        When no live record is dated after that end, the all-time book counts exactly the same
        records, so it serves (seen with the to-date period's targets, which decide a row's
        target and whether a region with nothing counted is listed): its rows are the to-date
        book's, and no third book is built. A to-date book already held is used as it is.
        """
        whole = Period(start=_BEGINNING, end=period.end)
        if whole not in self._books and self._read_facts().latest <= period.end:
            return self.book(None).seen_as(whole)
        return self.book(whole)

    def _read_facts(self) -> _Facts:
        if self._facts is None:
            with paused_gc():
                self._facts = _Facts.read(self._tables())
        return self._facts

    def _build(self, period: Period | None) -> ProgressBook:
        with paused_gc():
            return self._fill(ProgressBook(self._resolver, period=period))

    def _fill(self, book: ProgressBook) -> ProgressBook:
        facts = self._read_facts()
        tables = self._tables()
        for doc in tables.get(ix.BANJARS, {}).values():
            book.apply_banjar(None, decode(Banjar, doc))
        book.add_many(cast(Iterable[SignUp], facts.counted()))
        book.add_visits(cast(Iterable[Visit], facts.visits.values()))
        for doc in tables.get(ix.TARGETS, {}).values():
            if doc.get("deleted_at") is None:
                book.apply_target(None, decode(Target, doc))
        return book

    def reset(self, reader: FactsReader | None = None) -> None:
        """Forget every book (after a full reload); they are rebuilt when next asked for, from
        the facts ``reader`` has read (when given), else from the documents."""
        self._books.clear()
        self._facts = None
        if reader is not None:
            with paused_gc():
                self._facts = reader.facts()

    def on_row(
        self, table: str, old: Row | None, new: Row | None, doc: Mapping[str, Any] | None
    ) -> None:
        """Account for one changed document in the facts and in every book held."""
        if table not in _HANDLED or (not self._books and self._facts is None):
            return
        gone = _Gone(old.id, old.desa_code) if old is not None else None
        if table == ix.SIGNUPS:
            self._signup_changed(old, _SignUpFacts.of(doc) if doc else None)
        elif table == ix.VISITS:
            visit = _VisitFacts.of(doc) if doc else None
            self._note(table, old, visit)
            for book in self._books.values():
                book.apply_visit(cast(Visit, gone), cast(Visit, visit))
        elif table == ix.TARGETS:
            target = decode(Target, doc) if doc and self._books else None
            for book in self._books.values():
                book.apply_target(cast(Target, gone), target)
        else:
            banjar = decode(Banjar, doc) if doc and self._books else None
            for book in self._books.values():
                book.apply_banjar(cast(Banjar, gone), banjar)

    def _signup_changed(self, old: Row | None, new: _SignUpFacts | None) -> None:
        """Move the books from the people's counted sign-ups before to those after a change."""
        facts = self._facts
        if facts is None:  # no facts read, so no book built either
            return
        people: set[str] = set()
        before = facts.signups.get(old.id) if old is not None else None
        if before is not None:
            people.add(before.person)
        if new is not None and new.deleted_at is None:
            people.add(new.person)
        heads = {person: facts.head(person) for person in people}
        if old is not None:
            facts.forget_signup(old.id)
        if new is not None and new.deleted_at is None:
            facts.keep_signup(new)
            facts.latest = max(facts.latest, new.registered_on)
        for person, was in heads.items():
            now = facts.head(person)
            if now is was:
                continue  # a second registration of someone counted already: no change
            gone = _Gone(was.id, was.desa_code) if was is not None else None
            for book in self._books.values():
                book.apply_signup(cast(SignUp, gone), cast(SignUp, now))

    def _note(self, table: str, old: Row | None, new: _SignUpFacts | _VisitFacts | None) -> None:
        """Keep the facts of a changed sign-up or visit (and the latest day) current."""
        facts = self._facts
        if facts is None:
            return  # not read yet: they will be read as they are then
        kept: dict[str, Any] = facts.signups if table == ix.SIGNUPS else facts.visits
        if old is not None:
            kept.pop(old.id, None)
        if new is not None and new.deleted_at is None:
            kept[new.id] = new
            day = new.registered_on if isinstance(new, _SignUpFacts) else new.day
            facts.latest = max(facts.latest, day)


_HANDLED = frozenset({ix.SIGNUPS, ix.VISITS, ix.TARGETS, ix.BANJARS})


_SET_ASIDE = frozenset({"has_issues", "rejected"})


def _order_of(facts: _SignUpFacts) -> tuple[bool, dt.date, str]:
    return facts.order
