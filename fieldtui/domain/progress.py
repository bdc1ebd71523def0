"""Progress maths: sign-ups, payments, nonaktif, visits and targets per banjar up to the branch.

A `ProgressBook` is an accumulator: build it from scratch (`ProgressBook.build`, or `add_many`
and `add_visits` on a new book) or keep it up to date record by record (`apply_signup(old, new)`,
`apply_visit`, `apply_target`, `apply_banjar`) as the store saves; both give the same figures.
Each record counts at every level above it: a sign-up in banjar B of desa ``51.71.01.1003``
counts for B, the desa, kecamatan ``51.71.01``, kab/kota ``51.71`` and the branch
``KC-BALI-DENPASAR``. Soft-deleted records never count, and with a `Period` only sign-ups
registered and visits made within it count. Records that name no banjar count under their desa's
"(tanpa banjar)" row (`no_banjar_code`), so that the rows below any row add up to it exactly.

Definitions (all dates in WITA):

- **paid**: a sign-up with at least one payment recorded; paid % = paid / sign-ups.
- **nonaktif** as of a date: three whole months unpaid. Coverage runs to ``paid_until`` (the first
  day no payment covers) or, with no payment at all, starts unpaid from the first day of the month
  of registration. The sign-up is nonaktif on ``as_of`` when
  ``as_of >= add_months(paid_until or month_start(registered_on), 3)``: paid through January
  (``paid_until`` 1 Feb) -> nonaktif from 1 May; registered 20 Jan with nothing paid -> from 1 Apr.
- **weekly** trend: sign-ups per ISO week (Monday to Sunday, by ``registered_on``) for the last N
  weeks, oldest first, the last being the week of ``as_of``.
- **target**: with a period, the region's target for exactly that period; without one, the
  target whose period contains ``as_of`` (the shortest if several). % of target is None when there
  is no target (or it is 0).
"""

from __future__ import annotations

import copy
import datetime as dt
import itertools
import operator
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from fieldtui.domain import clock
from fieldtui.domain.models import Banjar, Period, SignUp, Target, Visit
from fieldtui.domain.progress_rows import Level, ProgressRow, RegionResolver, default_resolver
from fieldtui.i18n import t

__all__ = [
    "NONAKTIF_MONTHS",
    "NO_BANJAR_SUFFIX",
    "Level",
    "ProgressBook",
    "ProgressRow",
    "RegionResolver",
    "default_resolver",
    "inactive_from",
    "is_nonaktif",
    "no_banjar_code",
]

NONAKTIF_MONTHS = 3
NO_BANJAR_SUFFIX = "/-"


def no_banjar_code(desa_code: str) -> str:
    """The code of the row counting a desa's records that name no banjar: "51.71.01.1003/-"."""
    return desa_code + NO_BANJAR_SUFFIX


def inactive_from(signup: SignUp) -> dt.date:
    """The first day on which ``signup`` counts as nonaktif (see the module docstring)."""
    uncovered = signup.paid_until or clock.month_start(signup.registered_on)
    return clock.add_months(uncovered, NONAKTIF_MONTHS)


def is_nonaktif(signup: SignUp, as_of: dt.date) -> bool:
    """True when ``signup`` has three months unpaid on ``as_of``."""
    return as_of >= inactive_from(signup)


@dataclass(slots=True)
class _Tally:
    signups: int = 0
    paid: int = 0
    inactive_from: Counter[dt.date] = field(default_factory=Counter)
    weeks: Counter[dt.date] = field(default_factory=Counter)
    visits: int = 0
    visit_days: Counter[dt.date] = field(default_factory=Counter)

    def is_empty(self) -> bool:
        return not (self.signups or self.visits)


_What = tuple[bool, dt.date, dt.date]  # what a sign-up adds: paid, inactive_from, week
# What one counted sign-up added, so removing it needs only its id: its chain and its `_What`;
# a counted visit's chain and day. Plain tuples: a bulk build makes 100k of them in C.
_SignUpMark = tuple[tuple[str, ...], _What]
_VisitMark = tuple[tuple[str, ...], dt.date]
_ID = operator.attrgetter("id")
_PAID, _INACTIVE, _WEEK = (operator.itemgetter(i) for i in range(3))


@dataclass(slots=True)
class _Leaf:
    """A batch's records under one chain (`add_many`, `add_visits`), before the roll-up.

    ``ids`` are the records' ids, ``whats`` what each sign-up adds. For the roll-up: ``days``
    holds each sign-up's week (or each visit's day), ``inactive_from`` each sign-up's first
    nonaktif day, ``paid`` how many are paid.
    """

    chain: tuple[str, ...]
    ids: list[str] = field(default_factory=list)
    whats: list[_What] = field(default_factory=list)
    days: list[dt.date] = field(default_factory=list)
    inactive_from: list[dt.date] = field(default_factory=list)
    paid: int = 0


class _Counts:
    """How often each date occurs under a set of leaves, counted in C, once per set."""

    def __init__(self) -> None:
        self._memo: dict[tuple[object, ...], Counter[dt.date]] = {}

    def of(self, leaves: list[_Leaf], *, inactive: bool = False) -> Counter[dt.date]:
        """Counts of the leaves' ``days`` (or ``inactive_from``); not to be changed."""
        key = (inactive, *map(id, leaves))
        counts = self._memo.get(key)
        if counts is None:
            lists = [leaf.inactive_from if inactive else leaf.days for leaf in leaves]
            items = lists[0] if len(lists) == 1 else itertools.chain.from_iterable(lists)
            counts = self._memo[key] = Counter(items)
        return counts


def _drop(counter: Counter[dt.date], key: dt.date) -> None:
    counter[key] -= 1
    if counter[key] <= 0:
        del counter[key]


class ProgressBook:
    """Running progress figures, updated record by record; see the module docstring."""

    def __init__(
        self, resolver: RegionResolver | None = None, *, period: Period | None = None
    ) -> None:
        self.resolver = resolver or default_resolver()
        self.period = period
        self._tallies: dict[str, _Tally] = {}
        self._children: dict[str | None, set[str]] = {}
        self._parents: dict[str, str | None] = {}
        self._chains: dict[str, tuple[str, ...]] = {}  # region code -> it .. its branch
        self._banjars: dict[str, Banjar] = {}  # known by name (apply_banjar)
        self._banjar_ids: set[str] = set()  # every banjar id met, named or not
        self._signups: dict[str, _SignUpMark] = {}
        self._visits: dict[str, _VisitMark] = {}
        self._targets: dict[str, dict[str, Target]] = {}

    @classmethod
    def build(
        cls,
        signups: Iterable[SignUp] = (),
        visits: Iterable[Visit] = (),
        targets: Iterable[Target] = (),
        banjars: Iterable[Banjar] = (),
        *,
        resolver: RegionResolver | None = None,
        period: Period | None = None,
    ) -> ProgressBook:
        """A book computed from scratch."""
        book = cls(resolver, period=period)
        for banjar in banjars:
            book.apply_banjar(None, banjar)
        book.add_many(signups)
        book.add_visits(visits)
        for target in targets:
            book.apply_target(None, target)
        return book

    # -- the region tree ---------------------------------------------------------------------

    def _link(self, code: str, parent: str | None) -> None:
        if code not in self._parents:
            self._parents[code] = parent
            self._children.setdefault(parent, set()).add(code)

    def _region_chain(self, code: str) -> tuple[str, ...]:
        chain = self._chains.get(code)
        if chain is None:
            codes = [code]
            parent = self.resolver.parent_of(code)
            while parent is not None and parent not in codes:
                codes.append(parent)
                parent = self.resolver.parent_of(parent)
            for child, up in zip(codes, [*codes[1:], None], strict=True):
                self._link(child, up)
            chain = self._chains[code] = tuple(codes)
        return chain

    def _chain(self, desa_code: str, banjar_id: str | None) -> tuple[str, ...]:
        chain = self._region_chain(desa_code)
        # Records with no banjar count under the desa's "no banjar" row, so that at every
        # level the rows below add up to the row above, to the person.
        banjar = banjar_id or no_banjar_code(desa_code)
        self._banjar_ids.add(banjar)
        self._link(banjar, desa_code)
        return (banjar, *chain)

    def _tally(self, code: str) -> _Tally:
        tally = self._tallies.get(code)
        if tally is None:
            tally = self._tallies[code] = _Tally()
        return tally

    # -- updates -----------------------------------------------------------------------------

    def _counts(self, day: dt.date, deleted: dt.datetime | None) -> bool:
        return deleted is None and (self.period is None or self.period.contains(day))

    def apply_signup(self, old: SignUp | None, new: SignUp | None) -> None:
        """Account for a sign-up created (old None), changed, or deleted (new None)."""
        if old is not None:
            self.remove(old)
        if new is not None:
            self.add(new)

    def add(self, signup: SignUp) -> None:
        """Count a sign-up (a soft-deleted one or one outside the period is ignored)."""
        self.remove(signup)  # adding twice must not count twice
        if not self._counts(signup.registered_on, signup.deleted_at):
            return
        chain = self._chain(signup.desa_code, signup.banjar_id)
        paid, inactive, week = what = (
            signup.is_paid,
            inactive_from(signup),
            clock.week_start(signup.registered_on),
        )
        self._signups[signup.id] = (chain, what)
        for code in chain:
            tally = self._tally(code)
            tally.signups += 1
            tally.paid += paid
            tally.inactive_from[inactive] += 1
            tally.weeks[week] += 1

    def add_many(self, signups: Iterable[SignUp]) -> None:
        """`add` each sign-up in turn, in bulk: the same figures and marks, a fraction of the time.

        Each sign-up is only marked and filed under its chain's first code (its banjar, or its
        desa's "no banjar" row); each such leaf's totals then roll up its chain once. A batch
        that repeats a sign-up, or has one this book counts already, is added one by one.
        """
        batch = list(signups)
        ids = set(map(_ID, batch))
        if len(ids) != len(batch) or not self._signups.keys().isdisjoint(ids):
            for signup in batch:
                self.add(signup)
            return
        start, end = self._span()
        leaves: dict[tuple[str, str | None], _Leaf] = {}
        # (registered_on, paid_until, is_paid) -> (is_paid, inactive_from, week)
        derived: dict[tuple[dt.date, dt.date | None, bool], _What] = {}
        for signup in batch:
            registered = signup.registered_on
            if signup.deleted_at is not None or not start <= registered <= end:
                continue
            where = (signup.desa_code, signup.banjar_id)
            leaf = leaves.get(where)
            if leaf is None:
                leaf = leaves[where] = _Leaf(self._chain(*where))
            facts = (registered, signup.paid_until, signup.is_paid)
            what = derived.get(facts)
            if what is None:
                what = derived[facts] = (
                    signup.is_paid,
                    inactive_from(signup),
                    clock.week_start(registered),
                )
            leaf.ids.append(signup.id)
            leaf.whats.append(what)
        for leaf in leaves.values():
            marks = zip(itertools.repeat(leaf.chain, len(leaf.whats)), leaf.whats, strict=True)
            self._signups.update(zip(leaf.ids, marks, strict=True))
            leaf.paid = sum(map(_PAID, leaf.whats))
            leaf.inactive_from = list(map(_INACTIVE, leaf.whats))
            leaf.days = list(map(_WEEK, leaf.whats))
        counts = _Counts()
        for code, below in self._leaves_below(leaves.values()).items():
            tally = self._tally(code)
            tally.signups += sum(len(leaf.days) for leaf in below)
            tally.paid += sum(leaf.paid for leaf in below)
            tally.inactive_from.update(counts.of(below, inactive=True))
            tally.weeks.update(counts.of(below))

    def _span(self) -> tuple[dt.date, dt.date]:
        """The first and last day counted."""
        return (self.period.start, self.period.end) if self.period else (dt.date.min, dt.date.max)

    @staticmethod
    def _leaves_below(leaves: Iterable[_Leaf]) -> dict[str, list[_Leaf]]:
        """The leaves of a batch that count below each code."""
        below: dict[str, list[_Leaf]] = {}
        for leaf in leaves:
            for code in leaf.chain:
                below.setdefault(code, []).append(leaf)
        return below

    def remove(self, signup: SignUp) -> None:
        """Stop counting a sign-up (by id: what was counted for it is taken away)."""
        mark = self._signups.pop(signup.id, None)
        if mark is None:
            return
        chain, (paid, inactive, week) = mark
        for code in chain:
            tally = self._tallies[code]
            tally.signups -= 1
            tally.paid -= paid
            _drop(tally.inactive_from, inactive)
            _drop(tally.weeks, week)

    def apply_visit(self, old: Visit | None, new: Visit | None) -> None:
        """Account for a visit created, changed or deleted."""
        if old is not None:
            self.remove_visit(old)
        if new is not None:
            self.add_visit(new)

    def add_visit(self, visit: Visit) -> None:
        """Count a visit (soft-deleted or out-of-period visits are ignored)."""
        self.remove_visit(visit)
        day = clock.to_wita(visit.started_at).date()
        if not self._counts(day, visit.deleted_at):
            return
        chain = self._chain(visit.desa_code, visit.banjar_id)
        self._visits[visit.id] = (chain, day)
        for code in chain:
            tally = self._tally(code)
            tally.visits += 1
            tally.visit_days[day] += 1

    def add_visits(self, visits: Iterable[Visit]) -> None:
        """`add_visit` each visit in turn, in bulk (as `add_many` does for sign-ups)."""
        batch = list(visits)
        ids = set(map(_ID, batch))
        if len(ids) != len(batch) or not self._visits.keys().isdisjoint(ids):
            for visit in batch:
                self.add_visit(visit)
            return
        start, end = self._span()
        leaves: dict[tuple[str, str | None], _Leaf] = {}
        for visit in batch:
            day = clock.to_wita(visit.started_at).date()
            if visit.deleted_at is not None or not start <= day <= end:
                continue
            where = (visit.desa_code, visit.banjar_id)
            leaf = leaves.get(where)
            if leaf is None:
                leaf = leaves[where] = _Leaf(self._chain(*where))
            leaf.ids.append(visit.id)
            leaf.days.append(day)
        for leaf in leaves.values():
            marks = zip(itertools.repeat(leaf.chain, len(leaf.days)), leaf.days, strict=True)
            self._visits.update(zip(leaf.ids, marks, strict=True))
        counts = _Counts()
        for code, below in self._leaves_below(leaves.values()).items():
            tally = self._tally(code)
            tally.visits += sum(len(leaf.days) for leaf in below)
            tally.visit_days.update(counts.of(below))

    def remove_visit(self, visit: Visit) -> None:
        """Stop counting a visit."""
        mark = self._visits.pop(visit.id, None)
        if mark is None:
            return
        chain, day = mark
        for code in chain:
            tally = self._tallies[code]
            tally.visits -= 1
            _drop(tally.visit_days, day)

    def apply_target(self, old: Target | None, new: Target | None) -> None:
        """Account for a target set, changed or deleted."""
        if old is not None:
            self._targets.get(old.region_code, {}).pop(old.id, None)
        if new is not None and new.deleted_at is None:
            self._targets.setdefault(new.region_code, {})[new.id] = new
            code = new.region_code
            if code not in self._banjar_ids and self.resolver.level_of(code) is not None:
                self._region_chain(code)  # so a region with only a target is listed

    def apply_banjar(self, old: Banjar | None, new: Banjar | None) -> None:
        """Know a banjar's name and desa, so it is listed (with zeros) under its desa."""
        if old is not None:
            self._banjars.pop(old.id, None)
        if new is not None and new.deleted_at is None:
            self._banjars[new.id] = new
            self._banjar_ids.add(new.id)
            self._region_chain(new.desa_code)
            self._link(new.id, new.desa_code)

    # -- queries -----------------------------------------------------------------------------

    def seen_as(self, period: Period | None) -> ProgressBook:
        """This book's figures, with the targets (and so the listing) of a book for ``period``.

        When this book counts exactly the records a book for ``period`` would count (the
        all-time book, when nothing is dated after the end of a ``period`` that starts at the
        beginning of time), the view's rows are that book's rows. The view shares this book's
        state: query it, never update it.
        """
        view = copy.copy(self)
        view.period = period
        return view

    def target_for(self, code: str, as_of: dt.date) -> Target | None:
        """The target that applies to ``code`` (see the module docstring)."""
        targets = self._targets.get(code, {}).values()
        if self.period is not None:
            exact = [tg for tg in targets if tg.period == self.period]
            return max(exact, key=lambda tg: tg.updated_at, default=None)
        current = [tg for tg in targets if tg.period.contains(as_of)]
        return min(current, key=lambda tg: tg.period.end - tg.period.start, default=None)

    def level_of(self, code: str) -> Level:
        """Banjar, desa, kecamatan, kab/kota or branch."""
        if code in self._banjar_ids:
            return Level.BANJAR
        return self.resolver.level_of(code) or Level.BANJAR  # not a region code: a banjar id

    def name_of(self, code: str) -> str:
        """A banjar's name, else the resolver's name for the region."""
        banjar = self._banjars.get(code)
        if banjar is not None:
            return banjar.name
        if code.endswith(NO_BANJAR_SUFFIX):
            return t("progress.no_banjar")
        return self.resolver.name_of(code)

    def row(self, code: str, *, as_of: dt.date, weeks: int = 8) -> ProgressRow:
        """The figures of one region or banjar (zeros when nothing was counted there)."""
        tally = self._tallies.get(code) or _Tally()
        target = self.target_for(code, as_of)
        number = target.number if target is not None else None
        this_week = clock.week_start(as_of)
        return ProgressRow(
            region_code=code,
            name=self.name_of(code),
            level=self.level_of(code),
            target=number,
            signups=tally.signups,
            pct_of_target=tally.signups / number if number else None,
            paid=tally.paid,
            paid_pct=tally.paid / tally.signups if tally.signups else None,
            nonaktif=sum(n for day, n in tally.inactive_from.items() if day <= as_of),
            visits=tally.visits,
            last_visit=max(tally.visit_days, default=None),
            weekly=tuple(
                tally.weeks.get(this_week - dt.timedelta(weeks=back), 0)
                for back in range(weeks - 1, -1, -1)
            ),
        )

    def rows(self, parent_code: str | None, *, as_of: dt.date, weeks: int = 8) -> list[ProgressRow]:
        """The rows one level below ``parent_code`` (None: the top, i.e. the branches).

        A child is listed when something counts there or below it, it or a region below it has
        a target, or it is a known banjar; rows come in region-code order (banjars by name).
        """
        children = [c for c in self._children.get(parent_code, ()) if self._listed(c, as_of)]
        children.sort(key=self._sort_key)
        return [self.row(code, as_of=as_of, weeks=weeks) for code in children]

    def _listed(self, code: str, as_of: dt.date) -> bool:
        tally = self._tallies.get(code)
        if code in self._banjars or (tally is not None and not tally.is_empty()):
            return True
        if self.target_for(code, as_of) is not None:
            return True
        return any(self._listed(child, as_of) for child in self._children.get(code, ()))

    def _sort_key(self, code: str) -> tuple[int, str, str]:
        # Regions by code; banjars by name, unnamed ids after them, "no banjar" last.
        if code.endswith(NO_BANJAR_SUFFIX):
            return (3, "", code)
        if code in self._banjars:
            return (1, self._banjars[code].name.casefold(), code)
        return (2, "", code) if code in self._banjar_ids else (0, "", code)

    def roots(self) -> list[str]:
        """The codes at the top of the tree (branches, or kab/kota outside any branch)."""
        return sorted(self._children.get(None, ()))
