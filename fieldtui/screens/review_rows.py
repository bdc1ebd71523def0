"""What the Tinjau queue shows: queue items read from the store, their cells, the state counts.

Everything here that takes a `Store` reads only; the review screen calls it from a worker.
Sign-ups and visits are listed by the store separately (each paged, newest first); the "both"
view merges the two lists by date, newest first.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from rich.text import Text

from fieldtui.domain.models import RecordKind, ReviewState, SignUp, Visit
from fieldtui.domain.nik import mask_nik
from fieldtui.domain.regions import gazetteer
from fieldtui.i18n import fmt_number, t
from fieldtui.store.errors import StoreError
from fieldtui.store.listing import RecordFilter
from fieldtui.store.repository import Store
from fieldtui.widgets.paged_table import Cell, Column

AWAITING = frozenset({ReviewState.NEW, ReviewState.EDITED})  # the supervisor's queue
FLAGGED = frozenset({ReviewState.HAS_ISSUES, ReviewState.REJECTED})  # back to the officer

# Fixed widths that fit 80 columns with the cell padding; the name takes what is left.
_WIDTHS = {"mark": 1, "kind": 6, "date": 8, "officer": 9, "desa": 10, "state": 9}
_ORDER = ("mark", "kind", "date", "officer", "desa", "name", "state")
_NARROW = frozenset({"desa"})  # dropped below 80 columns (the line under the table has it)
_MIN_NAME = 12


class QueueKind(StrEnum):
    """Which records the queue lists."""

    BOTH = "both"
    SIGNUPS = "signups"
    VISITS = "visits"

    def next(self) -> QueueKind:
        """The kind `t` switches to."""
        kinds = list(QueueKind)
        return kinds[(kinds.index(self) + 1) % len(kinds)]


@dataclass(frozen=True)
class QueueFilter:
    """The store filter plus which kinds of record to list."""

    where: RecordFilter = field(default_factory=lambda: RecordFilter(review_states=AWAITING))
    kind: QueueKind = QueueKind.BOTH


@dataclass(frozen=True)
class QueueItem:
    """One row of the queue: a sign-up or a visit, as much as the list shows of it."""

    kind: RecordKind
    record_id: str
    day: dt.date
    sort_key: tuple[str, str]
    officer_id: str
    desa_code: str
    name: str  # participant (sign-ups) or type · banjar (visits)
    nik: str  # masked; '' for a visit
    state: ReviewState
    comment: str = ""  # the latest review's comment, for flagged and rejected records

    @property
    def key(self) -> str:
        """The table row key: unique across kinds."""
        return f"{self.kind.value}:{self.record_id}"


@dataclass(frozen=True)
class QueuePage:
    """One page of the queue."""

    items: list[QueueItem]
    total: int
    offset: int


def split_key(key: str) -> tuple[RecordKind, str]:
    """(kind, record id) of a table row key."""
    kind, _, record_id = key.partition(":")
    return RecordKind(kind), record_id


def _signup_item(signup: SignUp) -> QueueItem:
    return QueueItem(
        kind=RecordKind.SIGNUP,
        record_id=signup.id,
        day=signup.registered_on,
        sort_key=(signup.registered_on.isoformat(), signup.created_at.isoformat()),
        officer_id=signup.officer_id,
        desa_code=signup.desa_code,
        name=signup.participant.name,
        nik=mask_nik(signup.participant.nik),
        state=signup.review_state,
    )


def _visit_item(visit: Visit, banjar: str) -> QueueItem:
    kind = t(f"visits.type_short.{visit.visit_type.value}")
    return QueueItem(
        kind=RecordKind.VISIT,
        record_id=visit.id,
        day=visit.started_at.date(),
        sort_key=(visit.started_at.date().isoformat(), visit.started_at.isoformat()),
        officer_id=visit.officer_id,
        desa_code=visit.desa_code,
        name=f"{kind} · {banjar}" if banjar else kind,
        nik="",
        state=visit.review_state,
    )


def _banjar_name(store: Store, banjar_id: str | None, names: dict[str, str]) -> str:
    if not banjar_id:
        return ""
    if banjar_id not in names:
        try:
            name = store.get_banjar(banjar_id).name
        except StoreError:
            name = ""
        unit, _, rest = name.partition(" ")
        names[banjar_id] = rest if unit == "Banjar" and rest else name
    return names[banjar_id]


def merge_newest(
    signups: list[QueueItem], visits: list[QueueItem], limit: int
) -> tuple[list[QueueItem], int]:
    """The first ``limit`` of two newest-first lists merged, and how many are sign-ups.

    Each list keeps its own order (the store's); on equal dates a sign-up comes first.
    """
    out: list[QueueItem] = []
    i = j = 0
    while len(out) < limit and (i < len(signups) or j < len(visits)):
        if j >= len(visits) or (i < len(signups) and signups[i].sort_key >= visits[j].sort_key):
            out.append(signups[i])
            i += 1
        else:
            out.append(visits[j])
            j += 1
    return out, i


# Where each page of the merged queue starts in the two lists: merged offset -> (sign-ups
# offset, visits offset). Paging on from a known start reads one page of each list; without
# one, the page is found from the top (cost grows with the offset).
Starts = dict[int, tuple[int, int]]


def _read_both(
    store: Store, where: RecordFilter, offset: int, limit: int, starts: Starts
) -> tuple[list[QueueItem], int]:
    names = dict[str, str]()
    s_off, v_off = starts.get(offset, (0, 0))
    known = offset == 0 or offset in starts
    take = limit if known else offset + limit
    s_page = store.list_signups(where, offset=s_off, limit=take)
    v_page = store.list_visits(where, offset=v_off, limit=take)
    signups = [_signup_item(s) for s in s_page.items]
    visits = [_visit_item(v, _banjar_name(store, v.banjar_id, names)) for v in v_page.items]
    if not known:
        head, s_off = merge_newest(signups, visits, offset)
        v_off = len(head) - s_off
        signups, visits = signups[s_off:], visits[v_off:]
        starts[offset] = (s_off, v_off)
    items, from_signups = merge_newest(signups, visits, limit)
    starts[offset + len(items)] = (s_off + from_signups, v_off + len(items) - from_signups)
    return items, s_page.total + v_page.total


def read_queue(
    store: Store, spec: QueueFilter, offset: int, limit: int, starts: Starts | None = None
) -> QueuePage:
    """One page of the queue, newest first, with review comments of flagged records.

    ``starts`` (for the "both" view) remembers where pages begin; pass the same dict while
    the store and the filter stay the same, a new one otherwise.
    """
    where, names = spec.where, dict[str, str]()
    if spec.kind is QueueKind.BOTH:
        items, total = _read_both(store, where, offset, limit, {} if starts is None else starts)
    elif spec.kind is QueueKind.SIGNUPS:
        page = store.list_signups(where, offset=offset, limit=limit)
        items, total = [_signup_item(s) for s in page.items], page.total
    else:
        v_list = store.list_visits(where, offset=offset, limit=limit)
        items = [_visit_item(v, _banjar_name(store, v.banjar_id, names)) for v in v_list.items]
        total = v_list.total
    out = []
    for item in items:
        if item.state in FLAGGED:
            found = store.reviews(item.record_id)
            item = dataclasses.replace(item, comment=found[-1].comment if found else "")
        out.append(item)
    return QueuePage(out, total, offset)


def read_counts(
    store: Store, spec: QueueFilter, cancelled: Callable[[], bool] = lambda: False
) -> list[tuple[str, dict[ReviewState, int]]] | None:
    """Per officer (by name), how many of their records are in each review state.

    The filter's place, dates and kind apply; its officer and states do not. Officers with
    no records are left out. Each count is a pass over the list in the store (about 0.1 s at
    100k records), so the caller may give up between passes (None) when ``cancelled()``.
    """
    out: list[tuple[str, dict[ReviewState, int]]] = []
    for officer in store.officers():
        counts: dict[ReviewState, int] = {}
        for state in ReviewState:
            if cancelled():
                return None
            where = dataclasses.replace(
                spec.where, officer_id=officer.id, review_states=frozenset({state})
            )
            count = 0
            if spec.kind is not QueueKind.VISITS:
                count += store.list_signups(where, limit=0).total
            if spec.kind is not QueueKind.SIGNUPS:
                count += store.list_visits(where, limit=0).total
            if count:
                counts[state] = count
        if counts:
            out.append((officer.name, counts))
    return out


def flagged_counts(store: Store, officer_id: str) -> tuple[int, int]:
    """How many of an officer's sign-ups and visits need fixes or were rejected."""
    where = RecordFilter(officer_id=officer_id, review_states=FLAGGED)
    return store.list_signups(where, limit=0).total, store.list_visits(where, limit=0).total


def flag_banner(signups: int, visits: int) -> str:
    """'⚑ 2 pendaftaran perlu perbaikan atau ditolak — F7 Tinjau' ('' when there are none)."""
    parts = [
        t(f"review.banner.{kind}", count=fmt_number(count))
        for kind, count in (("signups", signups), ("visits", visits))
        if count
    ]
    return t("review.banner.line", what=t("review.banner.and").join(parts)) if parts else ""


def counts_line(name: str, counts: dict[ReviewState, int]) -> str:
    """'Wayan Sudarma: 12 baru · 2 diubah · 1 perlu perbaikan · 40 disetujui'."""
    parts = [
        t(f"review.count.{state.value}", count=fmt_number(counts[state]))
        for state in ReviewState
        if state in counts
    ]
    return f"{name}: " + " · ".join(parts)


def columns(width: int) -> list[Column]:
    """The queue's columns for a terminal ``width`` columns wide."""
    keys = [k for k in _ORDER if width >= 80 or k not in _NARROW]
    fixed = sum(_WIDTHS[k] + 2 for k in keys if k != "name")
    name = max(_MIN_NAME, width - fixed - 2 - 1)  # the name's own padding, the scrollbar
    return [Column(k, f"review.col.{k}", name if k == "name" else _WIDTHS[k]) for k in keys]


def desa_short(code: str) -> str:
    """'Sesetan' for 51.71.01.1003 (the code itself when unknown)."""
    region = gazetteer().get(code)
    return region.short_name if region is not None else code


def item_cells(item: QueueItem, officer: str, *, marked: bool) -> dict[str, Cell]:
    """One queue item as table cells by column key."""
    state = t(f"review.state.{item.state.value}")
    return {
        "mark": Text(t("review.mark"), style="bold") if marked else "",
        "kind": t(f"review.kind.{item.kind.value}"),
        "date": item.day.strftime("%d-%m-%y"),
        "officer": officer,
        "desa": desa_short(item.desa_code),
        "name": item.name,
        "state": Text(state, style="bold") if item.state in FLAGGED else state,
    }
