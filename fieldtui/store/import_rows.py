"""Records created by an import: each with its CREATE entry saying which file and row it came
from, and one IMPORT entry for the file as a whole.

The same checks and permissions as `Store.create_signup` / `create_visit` apply (they run the
store's own validation inside the write); only the reason in the audit entry differs.
"""

from __future__ import annotations

from fieldtui.domain.models import (
    AuditAction,
    AuditEntry,
    Banjar,
    FieldChange,
    RecordKind,
    SignUp,
    Visit,
)
from fieldtui.domain.permissions import Permission
from fieldtui.store.base import BANJAR, SIGNUP, VISIT, raise_issues, replace
from fieldtui.store.codec import Json
from fieldtui.store.repository import Store
from fieldtui.store.signups import _tidy


def create_imported_signup(store: Store, signup: SignUp, *, reason: str) -> SignUp:
    """`Store.create_signup`, with ``reason`` ("Impor dari X.csv baris 12") in its history."""
    signup = _tidy(signup)
    return store._create(SIGNUP, signup, check=lambda: store._check_signup(signup), reason=reason)


def create_imported_visit(store: Store, visit: Visit, *, reason: str) -> Visit:
    """`Store.create_visit`, with ``reason`` in its history."""
    return store._create(
        VISIT, visit, check=lambda: raise_issues(store.validate_visit(visit)), reason=reason
    )


def create_imported_banjar(store: Store, banjar: Banjar, *, reason: str) -> Banjar:
    """`Store.create_banjar` (a banjar a row names that its desa lacks), with ``reason``."""
    if not banjar.created_by and store.actor is not None:
        banjar = replace(banjar, created_by=store.actor.id)
    with store._mutex, store._backend.transaction():
        return store._create(
            BANJAR, banjar, check=lambda: store._check_banjar(banjar), reason=reason
        )


def may_import(store: Store) -> None:
    """PermissionDenied (translated) unless the actor may import their own records."""
    store._require(Permission.IMPORT)
    store._require(Permission.WRITE_OWN_RECORDS)


def record_import(store: Store, *, kind: str, file: str, counts: dict[str, int]) -> AuditEntry:
    """Note an import in the trail: which file, of what, and how many rows went where."""
    actor = store._require(Permission.IMPORT)
    details: dict[str, Json] = {"kind": kind, "file": file, **counts}
    changes = tuple(FieldChange(field=k, before=None, after=v) for k, v in details.items())
    with store._mutex, store._backend.transaction():
        return store._audit(actor.id, AuditAction.IMPORT, RecordKind.STORE, "", changes)
