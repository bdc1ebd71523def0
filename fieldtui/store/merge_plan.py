"""Working out one merge against the store's documents, then writing it (see store/merge.py).

`MergePlan` decides every write first — records to add or replace, versions to keep aside,
flags for review — so a dry run is the same work without the writes, and the writes happen
inside the caller's one transaction.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from fieldtui.domain import clock
from fieldtui.domain.models import (
    AuditAction,
    AuditEntry,
    FieldChange,
    RecordKind,
    Review,
    ReviewState,
    Role,
    SignUp,
)
from fieldtui.domain.nik import parse_nik
from fieldtui.i18n import t
from fieldtui.store import indexes as ix
from fieldtui.store.backend import Backend, EngineBackend
from fieldtui.store.base import TABLE_MODELS, StoreBase
from fieldtui.store.bundle import CONFLICTS, Bundle
from fieldtui.store.codec import CodecError, decode, encode
from fieldtui.store.errors import ValidationFailed
from fieldtui.store.indexes import fold
from fieldtui.store.merge_versions import (
    FLAGGED,
    NOT_CHANGES,
    REVIEWABLE_TABLES,
    Doc,
    Version,
    differing_fields,
    join,
    make_version,
    mapper,
    materialize,
    parse_time,
)

_MAY_ARRIVE_AS = frozenset({Role.OFFICER.value, Role.VIEWER.value})  # never a supervisor
KIND = {
    ix.OFFICERS: RecordKind.OFFICER,
    ix.BANJARS: RecordKind.BANJAR,
    ix.VISITS: RecordKind.VISIT,
    ix.SIGNUPS: RecordKind.SIGNUP,
    ix.TARGETS: RecordKind.TARGET,
}


@dataclass
class MergeSummary:
    """What a merge did (or, for a dry run, would do)."""

    source: str = ""
    new: int = 0  # visits, sign-ups and targets added
    updated: int = 0  # records replaced by a newer version
    unchanged: int = 0
    conflicts: int = 0  # records changed on both sides (kept aside, flagged)
    duplicates: int = 0  # sign-ups flagged as a possible duplicate NIK
    officers_added: int = 0
    banjars_added: int = 0
    skipped: int = 0  # targets for a region and period this store already has
    audit_added: int = 0
    reviews_added: int = 0
    dry_run: bool = False
    new_by_table: dict[str, int] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        """True when a record was (or would be) added or changed."""
        return bool(
            self.new
            or self.updated
            or self.conflicts
            or self.duplicates
            or self.officers_added
            or self.banjars_added
        )


class MergePlan:
    """One merge worked out against the store's current documents, then applied."""

    def __init__(self, store: StoreBase, bundle: Bundle, *, actor_id: str) -> None:
        self.backend = store._backend
        self.index = store._index
        self.ours = self.backend.tables()
        self.bundle = bundle
        self.actor_id = actor_id
        self.summary = MergeSummary(source=bundle.label)
        self.writes: dict[str, dict[str, tuple[int | None, Doc]]] = {}
        self.conflict_rows: dict[str, Doc] = {}
        self.flags: list[tuple[str, str, str, str]] = []  # table, record id, before, reason
        self.at: dict[str, str] = {}  # audit entry id -> at, for the entries looked at
        self._theirs_audit: dict[str, list[Doc]] | None = None
        self._ours_audit_ids: set[Any] | None = None
        self.ours_conflicts = by_record(self.ours.get(CONFLICTS, {}).values())
        self.ours_conflict_ids = {str(d.get("id")) for d in self.ours.get(CONFLICTS, {}).values()}
        self.officer_map, self.banjar_map = self._match_officers(), self._match_banjars()
        records = itertools.chain.from_iterable(
            bundle.tables.get(name, ()) for name in (*ix.RECORD_TABLES, CONFLICTS)
        )
        self.rewrite = mapper(self.officer_map, self.banjar_map, records)
        theirs_rows = [self.rewrite(CONFLICTS, d) for d in bundle.tables.get(CONFLICTS, ())]
        self.theirs_conflict_rows = theirs_rows
        self.theirs_conflicts = by_record(theirs_rows)

    # -- matching users and banjars --------------------------------------------------------

    def _match_officers(self) -> dict[str, str]:
        known = self.index.table(ix.OFFICERS).by_id
        found: dict[str, str] = {}
        for doc in self.bundle.tables.get(ix.OFFICERS, ()):
            ours = self.index.username.get(str(doc.get("username", "")))
            if doc.get("id") not in known and ours is not None:
                found[str(doc["id"])] = ours
        return found

    def _match_banjars(self) -> dict[str, str]:
        index = self.index.table(ix.BANJARS)
        by_name = {(r.desa_code, r.text): r.id for r in index.rows.values() if not r.deleted}
        found: dict[str, str] = {}
        for doc in self.bundle.tables.get(ix.BANJARS, ()):
            key = (str(doc.get("desa_code", "")), fold(str(doc.get("name", ""))))
            if (
                doc.get("id") not in index.by_id
                and key in by_name
                and doc.get("deleted_at") is None
            ):
                found[str(doc["id"])] = by_name[key]
        return found

    # -- working it out --------------------------------------------------------------------

    def work_out(self) -> None:
        """Decide every write (nothing is written yet)."""
        mapped = self.officer_map.keys() | self.banjar_map.keys()
        known_users = self.index.table(ix.OFFICERS).by_id
        for doc in self.bundle.tables.get(ix.OFFICERS, ()):
            if doc.get("id") in known_users:
                self.summary.unchanged += 1  # users are managed on this machine: never changed
                continue
            if doc.get("id") in mapped:
                continue
            # A laptop's store says who its users are, and anyone can make one: a user new to
            # this machine arrives as an officer, switched off and without a PIN, until a
            # supervisor here lets them in (Pengguna). Their records keep their name.
            role = doc.get("role") if doc.get("role") in _MAY_ARRIVE_AS else Role.OFFICER.value
            doc = {**doc, "role": role, "active": False, "pin_hash": None}
            self._add(ix.OFFICERS, str(doc.get("id", "")), doc)
        for table in ix.RECORD_TABLES:
            if table == ix.OFFICERS:
                continue
            for doc in self.bundle.tables.get(table, ()):
                if table == ix.TARGETS:
                    self.summary.skipped += 1  # targets are set on this machine, by supervisors
                    continue
                if doc.get("id") not in mapped:
                    self._record(table, self._untrusted_review(table, self.rewrite(table, doc)))
        self._duplicates()

    def _untrusted_review(self, table: str, doc: Doc) -> Doc:
        """A record as a laptop sends it, without the review state it claims: reviews are
        made on this machine (a laptop's own "supervisor" approves nothing here)."""
        if table not in REVIEWABLE_TABLES:
            return doc
        record_id = str(doc.get("id", ""))
        doc_id = self.index.table(table).by_id.get(record_id)
        if doc_id is None:
            return {**doc, "review_state": ReviewState.NEW.value}
        return {**doc, "review_state": self.ours[table][str(doc_id)].get("review_state")}

    def _write(self, table: str, record_id: str, doc_id: int | None, doc: Doc) -> None:
        self.writes.setdefault(table, {})[record_id] = (doc_id, doc)

    def _record(self, table: str, theirs: Doc) -> None:
        record_id = str(theirs.get("id", ""))
        doc_id = self.index.table(table).by_id.get(record_id)
        if doc_id is None:
            self._add(table, record_id, theirs)
            return
        ours = self.ours[table][str(doc_id)]
        if ours == theirs and not (
            record_id in self.ours_conflicts or record_id in self.theirs_conflicts
        ):
            self.summary.unchanged += 1
            return
        ours_v = self._versions(table, record_id, ours, mine=True)
        theirs_v = self._versions(table, record_id, theirs, mine=False)
        joined = join(ours_v + theirs_v)
        keys = {v.key(table) for v in joined}
        new_doc = materialize(joined)
        if len(joined) == 1 and table in REVIEWABLE_TABLES:
            new_doc = _back_to_queue(ours, new_doc)
        if len(joined) > 1:
            for v in joined:
                self._keep_version(table, v)
        if keys == {v.key(table) for v in ours_v} and new_doc == ours:
            self.summary.unchanged += 1
            return
        if new_doc != ours:
            self._write(table, record_id, doc_id, new_doc)
        if len(joined) > 1 and keys != {v.key(table) for v in ours_v}:
            self.summary.conflicts += 1
            if keys != {v.key(table) for v in theirs_v} and table in REVIEWABLE_TABLES:
                fields = ", ".join(differing_fields(joined))
                reason = t("merge.reason.conflict", fields=fields)
                self.flags.append((table, record_id, str(ours.get("review_state", "")), reason))
        else:
            self.summary.updated += 1

    def _add(self, table: str, record_id: str, theirs: Doc) -> None:
        if table == ix.TARGETS and theirs.get("deleted_at") is None:
            period = theirs.get("period") or {}
            key = (
                str(theirs.get("region_code", "")),
                f"{period.get('start')}..{period.get('end')}",
            )
            if key in self.index.target_key:
                self.summary.skipped += 1
                return
        self._write(table, record_id, None, theirs)
        if table == ix.OFFICERS:
            self.summary.officers_added += 1
        elif table == ix.BANJARS:
            self.summary.banjars_added += 1
        else:
            self.summary.new += 1
            self.summary.new_by_table[table] = self.summary.new_by_table.get(table, 0) + 1

    def _keep_version(self, table: str, version: Version) -> None:
        key = version.key(table)
        if key in self.ours_conflict_ids or key in self.conflict_rows:
            return
        self.conflict_rows[key] = {
            "id": key,
            "table": table,
            "record_id": str(version.doc.get("id", "")),
            "history": sorted(version.history),
            "doc": dict(version.doc),
            "at": clock.now().isoformat(),
        }

    def _versions(self, table: str, record_id: str, doc: Doc, *, mine: bool) -> list[Version]:
        """One side's maximal versions of a record: its open conflict, or its document."""
        history = self._history(record_id, mine=mine)
        self._history(record_id, mine=not mine)  # the other side's entry times, for the rows
        rows = (self.ours_conflicts if mine else self.theirs_conflicts).get(record_id, [])
        kept = [
            make_version(dict(row["doc"]), row.get("history", ()), self.at.get)
            for row in rows
            if row.get("table") == table and isinstance(row.get("doc"), dict)
        ]
        maximal = [v for v in kept if not any(v.history < w.history for w in kept)]
        if maximal and frozenset().union(*(v.history for v in maximal)) == history:
            return maximal  # a conflict nobody has touched since: still open
        return [make_version(doc, history, self.at.get)]

    def _history(self, record_id: str, *, mine: bool) -> frozenset[str]:
        if mine:
            audit = self.ours.get(ix.AUDIT, {})
            entries = [audit[str(d)] for d in self.index.audit.get(record_id, ())]
        else:
            known = self._our_audit_ids()
            entries = [
                e
                for e in self._theirs_entries().get(record_id, [])
                if e.get("action") != AuditAction.REVIEW.value or e.get("id") in known
            ]
        ids = []
        for entry in entries:
            if entry.get("action") not in NOT_CHANGES:
                entry_id = str(entry.get("id"))
                ids.append(entry_id)
                self.at[entry_id] = str(entry.get("at", ""))
        return frozenset(ids)

    def _our_audit_ids(self) -> set[Any]:
        if self._ours_audit_ids is None:
            self._ours_audit_ids = {d.get("id") for d in self.ours.get(ix.AUDIT, {}).values()}
        return self._ours_audit_ids

    def _theirs_entries(self) -> dict[str, list[Doc]]:
        if self._theirs_audit is None:
            self._theirs_audit = {}
            for entry in self.bundle.tables.get(ix.AUDIT, ()):
                self._theirs_audit.setdefault(str(entry.get("record_id")), []).append(entry)
        return self._theirs_audit

    # -- duplicate NIKs --------------------------------------------------------------------

    def _signup(self, record_id: str) -> tuple[int | None, Doc]:
        written = self.writes.get(ix.SIGNUPS, {})
        if record_id in written:
            return written[record_id]
        doc_id = self.index.table(ix.SIGNUPS).by_id[record_id]
        return doc_id, self.ours[ix.SIGNUPS][str(doc_id)]

    def _duplicates(self) -> None:
        written = self.writes.get(ix.SIGNUPS, {})
        by_nik: dict[str, set[str]] = {}
        for record_id, (_, doc) in written.items():
            if doc.get("deleted_at") is None:
                nik = str((doc.get("participant") or {}).get("nik", ""))
                by_nik.setdefault(nik, set()).add(record_id)
        for nik, incoming in by_nik.items():
            before = set(self.index.nik.get(nik, ()))
            live = incoming | {s for s in before if s not in written}
            if len(live) < 2:
                continue
            ordered = sorted(
                live, key=lambda s: (parse_time(self._signup(s)[1].get("created_at")), s)
            )
            first = ordered[0]
            for other in ordered[1:]:
                doc_id, doc = self._signup(other)
                state = doc.get("review_state")
                if state in (FLAGGED, ReviewState.REJECTED.value):
                    continue
                if state == ReviewState.APPROVED.value and {first, other} <= before:
                    continue  # the supervisor approved it knowing the pair
                self._write(ix.SIGNUPS, other, doc_id, {**doc, "review_state": FLAGGED})
                reason = t("merge.reason.duplicate", id=first, officer=self._officer_of(first))
                self.flags.append((ix.SIGNUPS, other, str(state or ""), reason))
                self.summary.duplicates += 1

    def _officer_of(self, signup_id: str) -> str:
        officer_id = str(self._signup(signup_id)[1].get("officer_id", ""))
        doc_id = self.index.table(ix.OFFICERS).by_id.get(officer_id)
        if doc_id is not None:
            return str(self.ours[ix.OFFICERS][str(doc_id)].get("name", officer_id))
        written = self.writes.get(ix.OFFICERS, {}).get(officer_id)
        return str(written[1].get("name", officer_id)) if written else officer_id

    # -- applying --------------------------------------------------------------------------

    def apply(self) -> None:
        """Write everything worked out (the caller holds the transaction)."""
        summary = self.summary
        for table, rows in self.writes.items():
            new = [doc for doc_id, doc in rows.values() if doc_id is None]
            _insert_all(self.backend, table, new)
            for doc_id, doc in rows.values():
                if doc_id is not None:
                    self.backend.replace(table, doc_id, dict(doc))
        rows_kept = list(self.conflict_rows.values())
        known = self.ours_conflict_ids | self.conflict_rows.keys()
        for row in self.theirs_conflict_rows:
            if row.get("id") not in known:
                known.add(str(row.get("id")))
                rows_kept.append(dict(row))
        _insert_all(self.backend, CONFLICTS, rows_kept)
        summary.audit_added = self.union(ix.AUDIT)
        summary.reviews_added = self.union(ix.REVIEWS)
        for table, record_id, before, reason in self.flags:
            self._flag(table, record_id, before, reason)
        if summary.changed:
            self._note_run()

    def union(self, table: str, *, write: bool = True) -> int:
        """Add their entries of ``table`` that this store lacks (by id); how many.

        Review decisions are made on this machine: a bundle's reviews, and the audit entries
        of reviews, are taken only when this store has them already (a laptop that started
        from this store's data), never new ones.
        """
        known = {d.get("id") for d in self.ours.get(table, {}).values()}
        if table == ix.REVIEWS:
            return 0
        new: list[Doc] = []
        for doc in self.bundle.tables.get(table, ()):
            if doc.get("action") == AuditAction.REVIEW.value:
                continue
            if doc.get("id") not in known:
                known.add(doc.get("id"))
                new.append(self.rewrite(table, doc) if write else doc)
        if write:
            # Oldest first, as a record's history lists them (entries of several laptops mixed).
            new.sort(key=lambda d: (str(d.get("at", "")), str(d.get("id", ""))))
            _insert_all(self.backend, table, new)
        return len(new)

    def _flag(self, table: str, record_id: str, before: str, reason: str) -> None:
        kind = KIND[table]
        review = Review(
            record_kind=kind,
            record_id=record_id,
            reviewer_id=self.actor_id,
            state=ReviewState.HAS_ISSUES,
            comment=reason,
        )
        self.backend.insert(ix.REVIEWS, encode(review))
        change = FieldChange(field="review_state", before=before or None, after=FLAGGED)
        self._entry(kind, record_id, (change,), reason)

    def _note_run(self) -> None:
        s = self.summary
        details: Mapping[str, object] = {
            "source": s.source,
            "store_id": self.bundle.source.get("store_id", ""),
            "new": s.new,
            "updated": s.updated,
            "conflicts": s.conflicts,
            "duplicates": s.duplicates,
            "officers_added": s.officers_added,
            "banjars_added": s.banjars_added,
        }
        changes = tuple(FieldChange(field=k, before=None, after=v) for k, v in details.items())
        self._entry(RecordKind.STORE, "", changes, "")

    def _entry(
        self, kind: RecordKind, record_id: str, changes: tuple[FieldChange, ...], reason: str
    ) -> None:
        entry = AuditEntry(
            actor_id=self.actor_id,
            action=AuditAction.MERGE,
            record_kind=kind,
            record_id=record_id,
            changes=changes,
            reason=reason,
        )
        self.backend.insert(ix.AUDIT, encode(entry))


def check_bundle(bundle: Bundle) -> None:
    """Refuse a bundle holding any document this store could not read back (a wrong type, a
    malformed NIK): merged, it would break every list that shows it. Nothing is merged then."""
    for table, model in TABLE_MODELS.items():
        for doc in bundle.tables.get(table, ()):
            _check_doc(table, model, doc)
    for row in bundle.tables.get(CONFLICTS, ()):
        kept_as = TABLE_MODELS.get(str(row.get("table", "")))
        if kept_as is None or not isinstance(row.get("doc"), dict):
            raise ValidationFailed(
                "merge.error.bad_record", table=CONFLICTS, id=str(row.get("id", "")), detail="doc"
            )
        _check_doc(CONFLICTS, kept_as, row["doc"])


def _check_doc(table: str, model: type[Any], doc: Any) -> None:
    record_id = str(doc.get("id", "")) if isinstance(doc, dict) else ""
    try:
        record = decode(model, doc)
    except CodecError as exc:
        raise ValidationFailed(
            "merge.error.bad_record", table=table, id=record_id, detail=str(exc)
        ) from None
    if isinstance(record, SignUp):
        nik = parse_nik(record.participant.nik, today=clock.today())
        if nik.errors:
            raise ValidationFailed(
                "merge.error.bad_record", table=table, id=record_id, detail=nik.errors[0].message()
            )


def _insert_all(backend: Backend, table: str, docs: list[Doc]) -> None:
    """Insert copies of ``docs`` into ``table``.

    On the file engine, as ONE table change with doc ids allocated up front: inserting 100k
    documents one by one costs a nested transaction, a doc id and a deep copy each (≈ 10x).
    """
    storage = getattr(backend, "storage", None) if isinstance(backend, EngineBackend) else None
    if storage is not None and hasattr(storage, "allocate_id") and hasattr(storage, "apply_view"):
        if docs:
            with backend.transaction():
                rows = {str(storage.allocate_id(table)): dict(doc) for doc in docs}
                storage.apply_view(table, False, rows)
        return
    for doc in docs:
        backend.insert(table, dict(doc))


_REVIEWED = frozenset(
    {ReviewState.APPROVED.value, ReviewState.REJECTED.value, ReviewState.HAS_ISSUES.value}
)
_NOT_CONTENT = ("review_state", "updated_at")


def _back_to_queue(ours: Doc, new: Doc) -> Doc:
    """``new`` with this machine's review state: unchanged content keeps it; a changed record
    that was reviewed here goes back into the queue as edited (as an edit here would)."""
    state = ours.get("review_state")
    same = {k: v for k, v in new.items() if k not in _NOT_CONTENT} == {
        k: v for k, v in ours.items() if k not in _NOT_CONTENT
    }
    if not same and state in _REVIEWED:
        state = ReviewState.EDITED.value
    return {**new, "review_state": state}


def by_record(rows: Any) -> dict[str, list[Doc]]:
    found: dict[str, list[Doc]] = {}
    for row in rows:
        found.setdefault(str(row.get("record_id", "")), []).append(row)
    return found
