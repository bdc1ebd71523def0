"""The audit trail (history, NIK reveals, exports) and supervisors' reviews of records.

The trail is append-only: there is no method to change or remove an entry. Each entry is
written in the same transaction as the change it describes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fieldtui.domain.issues import Issue
from fieldtui.domain.models import (
    AuditAction,
    AuditEntry,
    FieldChange,
    RecordKind,
    Review,
    ReviewState,
)
from fieldtui.domain.permissions import Permission
from fieldtui.store import indexes as ix
from fieldtui.store.base import SIGNUP, VISIT, Kind, StoreBase, page_filter, raise_issues
from fieldtui.store.codec import Json, encode
from fieldtui.store.errors import ValidationFailed

_REVIEWABLE: dict[RecordKind, Kind[Any]] = {RecordKind.VISIT: VISIT, RecordKind.SIGNUP: SIGNUP}
_DECISIONS = frozenset({ReviewState.APPROVED, ReviewState.HAS_ISSUES, ReviewState.REJECTED})
_NEEDS_COMMENT = frozenset({ReviewState.HAS_ISSUES, ReviewState.REJECTED})


class AuditMixin(StoreBase):
    """Reading the trail, recording reveals and exports, and reviews."""

    def history(self, record_id: str) -> list[AuditEntry]:
        """Every audit entry about one record, oldest first (by when it was made: entries a
        merge brought from a laptop sit among this machine's own in time order)."""
        with self._mutex:
            doc_ids = list(self._index.audit.get(record_id, ()))
            entries = [self._load_doc(AuditEntry, ix.AUDIT, d) for d in doc_ids]
        # Stable: entries made in the same instant keep the order they were stored in.
        return sorted(entries, key=lambda entry: entry.at)

    def audit_log(self, *, action: AuditAction | None = None, limit: int = 100) -> list[AuditEntry]:
        """The latest entries of the whole trail (optionally one action), newest first."""
        with self._mutex:
            docs = self._backend.tables().get(ix.AUDIT, {})
            found: list[AuditEntry] = []
            for key in sorted(docs, key=int, reverse=True):
                doc = docs[key]
                if action is None or doc.get("action") == action.value:
                    found.append(self._load_doc(AuditEntry, ix.AUDIT, int(key)))
                    if len(found) >= limit:
                        break
        return found

    def record_reveal(
        self, record_id: str, reason: str = "", *, field: str = "participant.nik"
    ) -> AuditEntry:
        """Note that a NIK (or another masked field) of a sign-up was shown unmasked."""
        self._require(Permission.REVEAL_NIK)
        with self._mutex, self._backend.transaction():
            actor = self._require(Permission.REVEAL_NIK)  # after catching up: still allowed?
            self._raw(SIGNUP, record_id)  # NotFound for an unknown record
            change = FieldChange(field=field, before=None, after=None)
            return self._audit(
                actor.id, AuditAction.REVEAL, RecordKind.SIGNUP, record_id, (change,), reason
            )

    def record_export(
        self, kind: str, filters: Mapping[str, object], unmasked: bool, *, rows: int | None = None
    ) -> AuditEntry:
        """Note an export: what was exported, with which filters, masked or not, how many rows."""
        needed = Permission.EXPORT_UNMASKED if unmasked else Permission.EXPORT
        self._require(needed)
        details: dict[str, Json] = {
            "kind": kind,
            "filters": page_filter(filters),
            "unmasked": unmasked,
        }
        if rows is not None:
            details["rows"] = rows
        changes = tuple(FieldChange(field=k, before=None, after=v) for k, v in details.items())
        with self._mutex, self._backend.transaction():
            actor = self._require(needed)  # after catching up with other processes
            return self._audit(actor.id, AuditAction.EXPORT, RecordKind.STORE, "", changes)

    # -- reviews --------------------------------------------------------------------------

    def review(
        self, record_kind: RecordKind, record_id: str, state: ReviewState, comment: str = ""
    ) -> Review:
        """Record a supervisor's decision on a visit or sign-up and set its review state.

        Flagging (HAS_ISSUES) or rejecting needs a comment, which becomes the reason in the
        record's history.
        """
        kind = _REVIEWABLE.get(record_kind)
        if kind is None or state not in _DECISIONS:
            raise ValidationFailed("repository.error.not_reviewable")
        if state in _NEEDS_COMMENT and not comment.strip():
            raise_issues([Issue("repository.issue.comment_required")])
        self._require(Permission.REVIEW)
        with self._mutex, self._backend.transaction():
            actor = self._require(Permission.REVIEW)  # after catching up with other processes
            doc_id, old_doc = self._raw(kind, record_id)
            decision = Review(
                record_kind=record_kind,
                record_id=record_id,
                reviewer_id=actor.id,
                state=state,
                comment=comment.strip(),
            )
            self._backend.insert(ix.REVIEWS, encode(decision))
            before = old_doc.get("review_state")
            if before != state.value:
                self._backend.replace(kind.table, doc_id, {**old_doc, "review_state": state.value})
            change = FieldChange(field="review_state", before=before, after=state.value)
            self._audit(
                actor.id, AuditAction.REVIEW, record_kind, record_id, (change,), decision.comment
            )
        return decision

    def reviews(self, record_id: str) -> list[Review]:
        """Every review of one record, oldest first."""
        with self._mutex:
            doc_ids = list(self._index.reviews.get(record_id, ()))
            return [self._load_doc(Review, ix.REVIEWS, d) for d in doc_ids]
