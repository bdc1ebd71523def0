"""Merging another store's work into this one: `Store.bundle` / `write_bundle` and `merge_from`.

How laptops' work reaches the branch machine without a server: each laptop writes a bundle
(store/bundle.py), a supervisor merges it (`fieldtui merge FILE`); store/merge_plan.py works
each merge out before writing it. The design:

- **Records keep their ids**, ``created_at`` and officer: a merge copies other officers'
  documents verbatim (it is not an edit by the supervisor), inside ONE backend transaction (one
  lock, one fsync, all or nothing); the store's indexes and progress books follow at commit.
- **Users and banjars are matched**: an incoming user whose login name this store knows is that
  user (its id is rewritten in the incoming records and audit entries); an unknown one is added
  with its PIN hash, but never as more than an officer, and a merge never changes a user this
  store has: anyone can make a store on a laptop in which they are a supervisor, so roles are
  given on the branch machine only. A banjar matches by id, else by desa and folded name. The
  store's own ids win, so when both sides created the same user or banjar separately, merges
  in different orders give the same records up to those ids. A target for a region and period
  this store already has a target for is skipped (the branch's targets are the branch's).
- **Versions by history** (store/merge_versions.py): a record's version is its document plus the
  ids of the audit entries that changed it. Same id, same document: nothing. Ours an ancestor
  of theirs: theirs is taken; theirs an ancestor of ours: ours kept. Both changed (each has
  entries the other lacks): a CONFLICT — the latest change wins deterministically, every
  concurrent version is kept in the ``conflicts`` table, and a sign-up or visit is flagged
  HAS_ISSUES with a review comment naming the fields, so the supervisor's Tinjau finds it
  (filter "perlu perbaikan"). Versions join as maximal sets, so merging is idempotent (twice =
  once) and order-independent (A then B = B then A) for records and open conflicts alike.
- **Duplicate NIKs**: two live sign-ups (different ids) with one NIK are both kept; the later
  registration is flagged HAS_ISSUES "possible duplicate of <id> (officer X)" — unless already
  flagged or rejected, or approved while the pair was already known.
- **Audit trail**: both sides' entries are kept (union by entry id); each flag adds a MERGE
  entry and a review on that record, and a run that changed records adds one MERGE entry
  about the store. A second merge of the same bundle changes nothing and adds no entry.
"""

from __future__ import annotations

import socket
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fieldtui.domain import clock
from fieldtui.domain.ids import new_id
from fieldtui.domain.models import (
    AuditAction,
    FieldChange,
    RecordKind,
)
from fieldtui.domain.permissions import Permission
from fieldtui.store import indexes as ix
from fieldtui.store.base import TABLE_MODELS, StoreBase
from fieldtui.store.bundle import BUNDLE_TABLES, CONFLICTS, Bundle, write_bundle_file
from fieldtui.store.codec import decode
from fieldtui.store.errors import ValidationFailed
from fieldtui.store.gcpause import paused_gc
from fieldtui.store.merge_plan import (
    KIND,
    MergePlan,
    MergeSummary,
    by_record,
    check_bundle,
)
from fieldtui.store.merge_versions import NOT_CHANGES
from fieldtui.store.schema import SCHEMA

__all__ = ["ConflictVersion", "MergeMixin", "MergeSummary"]

STORE_ID_KEY = "store_id"


@dataclass(frozen=True)
class ConflictVersion:
    """One of the concurrent versions of a record that a merge kept aside."""

    record_kind: RecordKind
    record_id: str
    version_id: str
    history: tuple[str, ...]  # the audit entry ids that made this version
    record: Any  # the record as that laptop had it (SignUp, Visit, ...)


class MergeMixin(StoreBase):
    """Writing this store as a bundle, and merging another store's documents into it."""

    def store_id(self) -> str | None:
        """This store's id (made the first time it is bundled), or None."""
        with self._mutex:
            for doc in self._backend.tables().get(ix.META, {}).values():
                if isinstance(doc.get(STORE_ID_KEY), str):
                    return str(doc[STORE_ID_KEY])
        return None

    def bundle(self, *, path: str = "") -> Bundle:
        """Every record, review and audit entry of this store, noting the export.

        An officer hands over their work this way (Permission.EXPORT): the bundle holds NIKs
        unmasked, so the export is recorded in the audit trail first.
        """
        self._require(Permission.EXPORT)
        with self._mutex, self._backend.transaction():
            actor = self._require(Permission.EXPORT)  # after catching up with other processes
            store_id = self.store_id()
            if store_id is None:
                store_id = new_id()
                self._backend.insert(ix.META, {STORE_ID_KEY: store_id})
            tables = self._backend.tables()
            signups = len(tables.get(ix.SIGNUPS, {}))
            details: dict[str, Any] = {"kind": "bundle", "unmasked": True, "rows": signups}
            if path:
                details["file"] = path
            changes = tuple(FieldChange(field=k, before=None, after=v) for k, v in details.items())
            self._audit(actor.id, AuditAction.EXPORT, RecordKind.STORE, "", changes)
            with paused_gc():  # (a big table's documents are parsed here: 100k new dicts)
                docs = {name: list(tables.get(name, {}).values()) for name in BUNDLE_TABLES}
        source = {
            "store_id": store_id,
            "host": socket.gethostname(),
            "path": str(self._backend.path or ":memory:"),
            "user": actor.username,
        }
        return Bundle(
            tables=docs,
            source=source,
            schema_version=SCHEMA.version,
            created_at=clock.now().isoformat(),
        )

    def write_bundle(self, path: str | Path) -> tuple[Bundle, int]:
        """Write this store as a bundle file (0600, atomic); the bundle and the file's size."""
        target = Path(path)
        with self._mutex:  # the documents are live: nobody changes them while they are written
            bundle = self.bundle(path=str(target))
            return bundle, write_bundle_file(bundle, target)

    def open_conflicts(self, record_id: str | None = None) -> list[ConflictVersion]:
        """The concurrent versions of records still in conflict (all, or of one record).

        A conflict stays open until the record changes again on this store (a supervisor's
        review, an edit): then the kept versions are history.
        """
        with self._mutex:
            tables = self._backend.tables()
            rows = by_record(tables.get(CONFLICTS, {}).values())
            audit = tables.get(ix.AUDIT, {})
            found: list[ConflictVersion] = []
            for rid in sorted(rows) if record_id is None else [record_id]:
                history = {
                    str(audit[str(d)].get("id"))
                    for d in self._index.audit.get(rid, ())
                    if audit[str(d)].get("action") not in NOT_CHANGES
                }
                kept = [(frozenset(r.get("history", ())), r) for r in rows.get(rid, [])]
                maximal = [(h, r) for h, r in kept if not any(h < other for other, _ in kept)]
                if not maximal or frozenset().union(*(h for h, _ in maximal)) != history:
                    continue
                for h, row in sorted(maximal, key=lambda hr: str(hr[1].get("id"))):
                    table = str(row.get("table"))
                    found.append(
                        ConflictVersion(
                            record_kind=KIND[table],
                            record_id=rid,
                            version_id=str(row.get("id")),
                            history=tuple(sorted(h)),
                            record=decode(TABLE_MODELS[table], row["doc"]),
                        )
                    )
        return found

    def merge_from(self, bundle: Bundle, *, dry_run: bool = False) -> MergeSummary:
        """Merge another store's documents into this one (Permission.MERGE); what it did.

        ``dry_run`` works out the summary without writing anything (and needs no permission).
        """
        if bundle.source.get("store_id") and bundle.source.get("store_id") == self.store_id():
            raise ValidationFailed("merge.error.same_store")
        check_bundle(bundle)  # every document must be one this store can read, or none is merged
        if dry_run:
            with self._mutex:
                self._backend.refresh()
                plan = MergePlan(self, bundle, actor_id="")
                plan.work_out()
                plan.summary.audit_added = plan.union(ix.AUDIT, write=False)
                plan.summary.reviews_added = plan.union(ix.REVIEWS, write=False)
                plan.summary.dry_run = True
                return plan.summary
        self._require(Permission.MERGE)
        with paused_gc(), self._mutex, self._backend.transaction():
            actor = self._require(Permission.MERGE)  # after catching up with other processes
            plan = MergePlan(self, bundle, actor_id=actor.id)
            plan.work_out()
            plan.apply()
        return plan.summary
