"""The repository's core: the backend, indexes, the acting user, and the generic record writes.

Every write goes through `_create`, `_update` or `_delete` (or `_audit` alone for reveals and
exports): one backend transaction holds the record change AND its audit entry, so either both
reach the disk or neither does.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar, cast

from fieldtui.domain import clock
from fieldtui.domain.ids import new_id
from fieldtui.domain.issues import Issue
from fieldtui.domain.models import (
    AuditAction,
    AuditEntry,
    Banjar,
    FieldChange,
    Officer,
    RecordKind,
    Review,
    ReviewState,
    SignUp,
    Target,
    Visit,
)
from fieldtui.domain.permissions import Permission, can
from fieldtui.i18n import t
from fieldtui.store import indexes as ix
from fieldtui.store.backend import Backend, Doc
from fieldtui.store.codec import created_changes, decode, diff, encode
from fieldtui.store.errors import NotFound, PermissionDenied, StoreReadOnly, ValidationFailed
from fieldtui.store.indexes import Indexes


class Record(Protocol):
    """What every stored record has."""

    @property
    def id(self) -> str: ...

    @property
    def created_at(self) -> dt.datetime: ...


R = TypeVar("R", bound=Record)
M = TypeVar("M")


def replace(record: R, /, **changes: Any) -> R:
    """`dataclasses.replace` for any record type."""
    new: R = dataclasses.replace(cast(Any, record), **changes)
    return new


@dataclass(frozen=True)
class Kind(Generic[R]):
    """How one record type is stored: its table, model and audit kind."""

    table: str
    model: type[R]
    record_kind: RecordKind
    permission: Permission  # what writing it needs


OFFICER = Kind(ix.OFFICERS, Officer, RecordKind.OFFICER, Permission.MANAGE_USERS)
BANJAR = Kind(ix.BANJARS, Banjar, RecordKind.BANJAR, Permission.WRITE_BANJARS)
VISIT = Kind(ix.VISITS, Visit, RecordKind.VISIT, Permission.WRITE_OWN_RECORDS)
SIGNUP = Kind(ix.SIGNUPS, SignUp, RecordKind.SIGNUP, Permission.WRITE_OWN_RECORDS)
TARGET = Kind(ix.TARGETS, Target, RecordKind.TARGET, Permission.SET_TARGETS)
# The model of each table's documents (what `fieldtui check` and a merged bundle are checked
# against): the record kinds', then the reviews and the audit trail.
TABLE_MODELS: dict[str, type[Any]] = {
    **{kind.table: kind.model for kind in (OFFICER, BANJAR, VISIT, SIGNUP, TARGET)},
    ix.REVIEWS: Review,
    ix.AUDIT: AuditEntry,
}

# A reviewed record that is edited goes back into the review queue (ODK Central's "edited").
_BACK_TO_QUEUE = {ReviewState.HAS_ISSUES, ReviewState.APPROVED, ReviewState.REJECTED}


class InvalidRecord(ValidationFailed):
    """A save refused by domain validation; ``issues`` says what blocks it."""

    def __init__(self, issues: Sequence[Issue]) -> None:
        detail = "; ".join(issue.message() for issue in issues)
        super().__init__("repository.error.invalid", detail=detail)
        self.issues: tuple[Issue, ...] = tuple(issues)

    def message(self) -> str:
        """The issues, translated now (the language may have changed since the save)."""
        return t(self.key, detail="; ".join(issue.message() for issue in self.issues))


def raise_issues(issues: Sequence[Issue]) -> None:
    """Raise `InvalidRecord` when there is any blocking issue."""
    if issues:
        raise InvalidRecord(issues)


class StoreBase:
    """State and generic operations shared by every part of the `Store`."""

    def __init__(self, backend: Backend) -> None:
        self._backend = backend
        self._index = Indexes()
        self._mutex = threading.RLock()
        self._actor: Officer | None = None

    # -- who is acting ---------------------------------------------------------------------

    @property
    def actor(self) -> Officer | None:
        """The user the store acts for (the audit trail's "who"), or None before the first user."""
        return self._actor

    @property
    def read_only(self) -> bool:
        """True when nothing may be written."""
        return self._backend.read_only

    def _require(self, permission: Permission, *, owner_id: str | None = None) -> Officer:
        """The one place every write passes: store writable, someone acting, role allows it.

        The role must grant ``permission`` (`fieldtui.domain.permissions`); for
        WRITE_OWN_RECORDS the record must also belong to the actor (``owner_id``).
        """
        if self._backend.read_only:
            raise StoreReadOnly("store.error.read_only_mode")
        actor = self._actor
        if actor is None:
            raise PermissionDenied("repository.error.no_actor")
        if not actor.active:  # switched off by a supervisor, maybe from another process
            raise PermissionDenied("users.error.inactive", username=actor.username)
        if not can(actor.role, permission):
            raise PermissionDenied(f"repository.denied.{permission.value}")
        if (
            permission is Permission.WRITE_OWN_RECORDS
            and owner_id is not None
            and owner_id != actor.id
        ):
            raise PermissionDenied("repository.denied.not_own")
        return actor

    # -- reading ---------------------------------------------------------------------------

    def _raw(self, kind: Kind[Any], record_id: str) -> tuple[int, Doc]:
        doc_id = self._index.table(kind.table).by_id.get(record_id)
        doc = None if doc_id is None else self._backend.get(kind.table, doc_id)
        if doc_id is None or doc is None:
            raise NotFound("repository.error.not_found", kind=kind.record_kind.value, id=record_id)
        return doc_id, doc

    def _load(self, kind: Kind[R], record_id: str) -> R:
        with self._mutex:
            record: R = decode(kind.model, self._raw(kind, record_id)[1])
            return record

    def _load_doc(self, model: type[M], table: str, doc_id: int) -> M:
        doc = self._backend.get(table, doc_id)
        if doc is None:
            raise NotFound("repository.error.not_found", kind=table, id=str(doc_id))
        return decode(model, doc)

    # -- writing ---------------------------------------------------------------------------

    def _create(
        self,
        kind: Kind[R],
        record: R,
        *,
        check: Callable[[], None] | None = None,
        reason: str = "",
        permission: Permission | None = None,
    ) -> R:
        """Insert a new record and its CREATE audit entry in one transaction.

        ``permission`` replaces the kind's own (the first user of a store creating themself).
        """
        self._require(permission or kind.permission, owner_id=_owner(record))  # before work
        doc = encode(record)
        with self._mutex, self._backend.transaction():
            # Inside the lock and after catching up: checks see every other process's saves,
            # a supervisor's switching this user off among them.
            actor = self._require(permission or kind.permission, owner_id=_owner(record))
            if record.id in self._index.table(kind.table).by_id:
                raise ValidationFailed("repository.error.id_exists", id=record.id)
            if check is not None:
                check()
            # Both documents are new and kept by nobody else: stored as they are, not copied.
            entry = created_entry(actor.id, kind.record_kind, record.id, doc, reason)
            self._backend.insert(kind.table, doc, owned=True)
            self._backend.insert(ix.AUDIT, entry, owned=True)
        return record

    def _update(
        self,
        kind: Kind[R],
        record: R,
        *,
        reason: str = "",
        check: Callable[[R], None] | None = None,
        action: AuditAction = AuditAction.UPDATE,
        touch: bool = True,
        permission: Permission | None = None,
    ) -> R:
        """Replace a record with ``record`` (matched by id), auditing the field changes.

        ``created_at`` and the deletion fields cannot be changed this way; an edit of a reviewed
        record puts it back in the review queue. Returns the record as stored. ``permission``
        replaces the kind's own (a user editing their own profile).
        """
        with self._mutex, self._backend.transaction():
            doc_id, old_doc = self._raw(kind, record.id)
            old: R = decode(kind.model, old_doc)
            needed = permission or kind.permission
            actor = self._require(needed, owner_id=_owner(old))
            if _owner(record) != _owner(old):
                self._require(needed, owner_id=_owner(record))  # no handing a record to another
            if getattr(old, "deleted_at", None) is not None and action is AuditAction.UPDATE:
                raise ValidationFailed("repository.error.deleted", id=record.id)
            new = _carry_over(old, record, action)
            if not diff(old_doc, encode(new)):
                return old  # nothing changed: nothing to save or audit
            if (
                action is AuditAction.UPDATE
                and getattr(old, "review_state", None) in _BACK_TO_QUEUE
            ):
                new = replace(new, review_state=ReviewState.EDITED)
            if touch:
                new = replace(new, updated_at=clock.now())
            if check is not None:
                check(new)
            new_doc = encode(new)
            changes = diff(old_doc, new_doc)
            self._backend.replace(kind.table, doc_id, new_doc)
            self._audit(actor.id, action, kind.record_kind, record.id, changes, reason)
        return new

    def _delete(self, kind: Kind[R], record_id: str, reason: str) -> R:
        """Soft-delete: the record keeps its data and gains ``deleted_at`` and the reason."""
        if not reason.strip():
            raise ValidationFailed("repository.error.reason_required")
        with self._mutex, self._backend.transaction():
            old = self._load(kind, record_id)
            self._require(kind.permission, owner_id=_owner(old))
            if getattr(old, "deleted_at", None) is not None:
                return old  # deleting twice changes nothing
            new = replace(old, deleted_at=clock.now(), deleted_reason=reason.strip())
            return self._update(
                kind, new, reason=reason.strip(), action=AuditAction.DELETE, touch=False
            )

    def _restore(
        self, kind: Kind[R], record_id: str, reason: str, check: Callable[[R], None] | None = None
    ) -> R:
        """Undo a soft delete (audited as RESTORE)."""
        with self._mutex, self._backend.transaction():
            old = self._load(kind, record_id)
            if getattr(old, "deleted_at", None) is None:
                return old
            new = replace(old, deleted_at=None, deleted_reason="")
            return self._update(
                kind,
                new,
                reason=reason.strip(),
                action=AuditAction.RESTORE,
                touch=False,
                check=check,
            )

    def _audit(
        self,
        actor_id: str,
        action: AuditAction,
        record_kind: RecordKind,
        record_id: str,
        changes: tuple[FieldChange, ...] = (),
        reason: str = "",
    ) -> AuditEntry:
        """Append one audit entry (callers hold the transaction that makes the change)."""
        entry = AuditEntry(
            actor_id=actor_id,
            action=action,
            record_kind=record_kind,
            record_id=record_id,
            changes=changes,
            reason=reason,
        )
        self._backend.insert(ix.AUDIT, encode(entry))
        return entry


def created_entry(
    actor_id: str, record_kind: RecordKind, record_id: str, doc: Doc, reason: str = ""
) -> Doc:
    """The stored form of the CREATE audit entry of a new record ``doc``: what
    ``encode(AuditEntry(..., changes=diff(None, doc)))`` gives, without the objects between."""
    return {
        "actor_id": actor_id,
        "action": AuditAction.CREATE.value,
        "record_kind": record_kind.value,
        "record_id": record_id,
        "changes": created_changes(doc),
        "reason": reason,
        "id": new_id(),
        "at": encode(clock.now()),
    }


def _carry_over(old: R, new: R, action: AuditAction) -> R:
    """``new`` with the fields an ordinary save may not change taken from ``old``."""
    keep: dict[str, Any] = {"created_at": old.created_at}
    if hasattr(old, "deleted_at") and action is AuditAction.UPDATE:
        keep["deleted_at"] = getattr(old, "deleted_at", None)
        keep["deleted_reason"] = getattr(old, "deleted_reason", "")
    return replace(new, **keep)


def _owner(record: object) -> str | None:
    """The officer a record belongs to (for the "own records" rule), if it has one."""
    owner = getattr(record, "officer_id", None)
    return owner if isinstance(owner, str) else None


def page_filter(values: Mapping[str, object]) -> dict[str, object]:
    """A filter description safe to store in the audit trail (JSON types only)."""
    return {k: encode(v) for k, v in values.items() if v not in (None, "", (), frozenset())}
