"""Streaming sign-ups and visits out of the store for export: flat, typed, batch by batch.

Decoding 100k documents into `SignUp` dataclasses costs seconds (the codec checks every field);
an export needs only scalar values, so these functions read them straight from the stored
documents into flat `ExportRecord` tuples whose fields are named by `RecordStream.keys` (the
column keys of `fieldtui.exchange.columns`, plus ``officer_id``): text, whole rupiah as `int`,
booleans, and dates and times as the ISO text they are stored as (``2017-08-17``,
``2017-08-17T19:05:00+08:00``, WITA), which a CSV writes as it is and an XLSX writer parses.
No document leaves the store: each record is a fresh tuple of plain values.

The matching records are chosen once, under the store's lock (oldest first); each batch is then
read under the lock too, so other threads (the UI, a save) interleave between batches. A record
deleted meanwhile is skipped.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from fieldtui.domain import clock
from fieldtui.store import indexes as ix
from fieldtui.store.base import StoreBase
from fieldtui.store.listing import RecordFilter, compile_filter

ExportRecord = tuple[Any, ...]  # values in the order of `RecordStream.keys`
BATCH = 2_000


@dataclass(frozen=True)
class RecordStream:
    """The records an export will write: how many matched, and the batches to read them in.

    Each record is a tuple of values in the order of ``keys``.
    """

    keys: tuple[str, ...]
    total: int
    batches: Iterator[list[ExportRecord]]

    def __iter__(self) -> Iterator[ExportRecord]:
        for batch in self.batches:
            yield from batch


class _Payments:
    """A sign-up's payments summed up; period ends memoised (the same few hundred recur)."""

    def __init__(self) -> None:
        self._ends: dict[tuple[str, int], str] = {}

    def _end(self, payment: Mapping[str, Any]) -> str:
        key = (str(payment.get("period_start", "")), int(payment.get("months", 0)))
        end = self._ends.get(key)
        if end is None:
            start = dt.date.fromisoformat(key[0])
            end = self._ends[key] = clock.add_months(start, key[1]).isoformat()
        return end

    def _one(self, payment: Mapping[str, Any]) -> tuple[object, ...]:
        return (
            1,
            int(payment.get("amount_rp", 0)),
            payment.get("paid_on"),
            payment.get("months"),
            payment.get("amount_rp"),
            payment.get("method", ""),
            payment.get("receipt_no", ""),
            self._end(payment),
        )

    def summary(self, payments: list[Mapping[str, Any]]) -> tuple[object, ...]:
        """count, total, last paid on, its months, amount, method, receipt, paid until."""
        if not payments:
            return (0, 0, None, None, None, "", "", None)
        if len(payments) == 1:  # most sign-ups: one payment at registration
            return self._one(payments[0])
        last: Mapping[str, Any] = payments[0]
        total, paid_until = 0, ""
        for payment in payments:
            total += int(payment.get("amount_rp", 0))
            if str(payment.get("paid_on", "")) >= str(last.get("paid_on", "")):
                last = payment
            paid_until = max(paid_until, self._end(payment))
        return (
            len(payments),
            total,
            last.get("paid_on"),
            last.get("months"),
            last.get("amount_rp"),
            last.get("method", ""),
            last.get("receipt_no", ""),
            paid_until,
        )


_PAYMENT_KEYS = (
    "payments",
    "paid_total_rp",
    "last_paid_on",
    "last_payment_months",
    "last_payment_rp",
    "last_payment_method",
    "last_receipt_no",
    "paid_until",
)
# (record key, document key, default) of a sign-up's top-level and participant fields.
_SIGNUP_FIELDS = (
    ("id", "id", ""),
    ("desa_code", "desa_code", ""),
    ("banjar_id", "banjar_id", None),
    ("officer_id", "officer_id", ""),
    ("registered_on", "registered_on", None),
    ("category", "category", ""),
    ("income_rp", "income_rp", None),
    ("jht", "jht", False),
    ("government_funded", "government_funded", False),
    ("monthly_contribution_rp", "monthly_contribution_rp", None),
    ("agent", "agent", ""),
    ("visit_id", "visit_id", None),
    ("review_state", "review_state", ""),
    ("notes", "notes", ""),
    ("created_at", "created_at", None),
    ("updated_at", "updated_at", None),
)
_PERSON_FIELDS = (
    ("nik", "nik", ""),
    ("name", "name", ""),
    ("sex", "sex", ""),
    ("birth_date", "birth_date", None),
    ("phone", "phone", None),
    ("address", "address", ""),
    ("occupation_code", "occupation_code", ""),
)
_VISIT_FIELDS = (
    ("id", "id", ""),
    ("started_at", "started_at", None),
    ("visit_type", "visit_type", ""),
    ("desa_code", "desa_code", ""),
    ("banjar_id", "banjar_id", None),
    ("officer_id", "officer_id", ""),
    ("event_name", "event_name", ""),
    ("counterpart_name", "counterpart_name", ""),
    ("counterpart_role", "counterpart_role", ""),
    ("attendees", "attendees", None),
    ("follow_up_on", "follow_up_on", None),
    ("review_state", "review_state", ""),
    ("notes", "notes", ""),
    ("created_at", "created_at", None),
    ("updated_at", "updated_at", None),
)


def _reader(
    fields: tuple[tuple[str, str, object], ...],
) -> Callable[[Mapping[str, Any]], tuple[Any, ...]]:
    """The values of ``fields`` from a document, in order: one C call when all are present
    (the codec writes every field), a key-by-key read with defaults otherwise."""
    names = tuple(doc_key for _, doc_key, _ in fields)
    fast = operator.itemgetter(*names)
    defaults = tuple((doc_key, default) for _, doc_key, default in fields)

    def read(doc: Mapping[str, Any]) -> tuple[Any, ...]:
        try:
            values: tuple[Any, ...] = fast(doc)
        except KeyError:  # written by an older version: missing fields take their defaults
            values = tuple(doc.get(key, default) for key, default in defaults)
        return values

    return read


class _SignUps:
    keys = (
        *(key for key, _, _ in _SIGNUP_FIELDS),
        *(key for key, _, _ in _PERSON_FIELDS),
        "consent",
        "consent_at",
        *_PAYMENT_KEYS,
    )

    def __init__(self) -> None:
        self._top, self._person = _reader(_SIGNUP_FIELDS), _reader(_PERSON_FIELDS)
        self._payments = _Payments()

    def __call__(self, doc: Mapping[str, Any]) -> ExportRecord:
        consent: Mapping[str, Any] = doc.get("consent") or {}
        return (
            *self._top(doc),
            *self._person(doc.get("participant") or {}),
            bool(consent.get("given", False)),
            consent.get("at"),
            *self._payments.summary(doc.get("payments") or []),
        )


class _Visits:
    keys = tuple(key for key, _, _ in _VISIT_FIELDS)

    def __init__(self) -> None:
        self._read = _reader(_VISIT_FIELDS)

    def __call__(self, doc: Mapping[str, Any]) -> ExportRecord:
        return self._read(doc)


def _stream(
    store: StoreBase,
    table: str,
    where: RecordFilter | None,
    flatten: _SignUps | _Visits,
    batch: int,
) -> RecordStream:
    spec = where or RecordFilter()
    with store._mutex:
        index = store._index.table(table)
        matches = compile_filter(spec)
        rows = index.rows
        doc_ids = [d for _, d in index.order if matches is None or matches(rows[d])]

    def batches() -> Iterator[list[ExportRecord]]:
        for start in range(0, len(doc_ids), max(1, batch)):
            out: list[ExportRecord] = []
            with store._mutex:
                docs = store._backend.tables().get(table, {})
                for doc_id in doc_ids[start : start + batch]:
                    doc = docs.get(str(doc_id))
                    if doc is not None and doc.get("deleted_at") is None:
                        out.append(flatten(doc))
            yield out

    return RecordStream(keys=flatten.keys, total=len(doc_ids), batches=batches())


def signup_records(
    store: StoreBase, where: RecordFilter | None = None, *, batch: int = BATCH
) -> RecordStream:
    """Live sign-ups matching ``where``, oldest registration first."""
    return _stream(store, ix.SIGNUPS, where, _SignUps(), batch)


def visit_records(
    store: StoreBase, where: RecordFilter | None = None, *, batch: int = BATCH
) -> RecordStream:
    """Live visits matching ``where``, earliest first."""
    return _stream(store, ix.VISITS, where, _Visits(), batch)
