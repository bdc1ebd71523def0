"""The audit trail and reviews: who changed which field from what to what, when and why."""

from __future__ import annotations

import dataclasses

import pytest

from fieldtui.domain.models import (
    AuditAction,
    FieldChange,
    Officer,
    RecordKind,
    ReviewState,
)
from fieldtui.store.base import InvalidRecord
from fieldtui.store.errors import NotFound, ValidationFailed
from fieldtui.store.listing import RecordFilter
from fieldtui.store.repository import Store
from tests.store.conftest import make_signup, make_visit


def test_history_of_a_signup(store: Store, officer: Officer) -> None:
    signup = store.create_signup(make_signup(officer.id))
    person = dataclasses.replace(signup.participant, name="Ni Made Ayu Lestari")
    store.update_signup(dataclasses.replace(signup, participant=person), reason="typo on KTP")
    store.delete_signup(signup.id, "registered twice")
    created, updated, deleted = store.history(signup.id)
    assert created.action is AuditAction.CREATE and created.actor_id == officer.id
    assert (
        FieldChange(field="participant.name", before=None, after="Ni Made Ayu") in created.changes
    )
    assert updated.action is AuditAction.UPDATE and updated.reason == "typo on KTP"
    assert updated.changes == (
        FieldChange(field="participant.name", before="Ni Made Ayu", after="Ni Made Ayu Lestari"),
    )
    assert deleted.action is AuditAction.DELETE and deleted.reason == "registered twice"
    assert {c.field for c in deleted.changes} == {"deleted_at", "deleted_reason"}
    assert created.at <= updated.at <= deleted.at


def test_trail_has_no_way_to_change_it(store: Store) -> None:
    public = {name for name in dir(store) if not name.startswith("_")}
    assert not {n for n in public if "audit" in n or "history" in n} - {"audit_log", "history"}
    assert not [n for n in public if n.startswith(("delete_audit", "update_audit", "clear"))]


def test_change_and_entry_share_one_transaction(
    store: Store, officer: Officer, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_insert = store._backend.insert

    def insert(table: str, doc: dict[str, object], *, owned: bool = False) -> int:
        if table == "audit":  # the record is written, then its entry fails
            raise OSError("disk gone")
        return real_insert(table, doc, owned=owned)

    monkeypatch.setattr(store._backend, "insert", insert)
    with pytest.raises(OSError):
        store.create_visit(make_visit(officer.id))
    monkeypatch.undo()
    assert store.list_visits().total == 0
    visit = store.create_visit(make_visit(officer.id))
    assert [e.action for e in store.history(visit.id)] == [AuditAction.CREATE]


def test_reveal_and_export_are_recorded(store: Store, officer: Officer) -> None:
    signup = store.create_signup(make_signup(officer.id))
    entry = store.record_reveal(signup.id, "participant asked to check")
    assert store.history(signup.id)[-1] == entry
    assert entry.action is AuditAction.REVEAL and entry.reason == "participant asked to check"
    with pytest.raises(NotFound):
        store.record_reveal("01NOPE")
    export = store.record_export(
        "signups", {"desa_code": "51.71.01.1003", "text": ""}, unmasked=False, rows=1
    )
    fields = {c.field: c.after for c in export.changes}
    assert fields == {
        "kind": "signups",
        "filters": {"desa_code": "51.71.01.1003"},
        "unmasked": False,
        "rows": 1,
    }
    assert store.audit_log(action=AuditAction.EXPORT) == [export]


def test_review_flag_edit_approve(store: Store, officer: Officer) -> None:
    signup = store.create_signup(make_signup(officer.id))
    kadek = store.use_actor("kadek")
    with pytest.raises(InvalidRecord):
        store.review(RecordKind.SIGNUP, signup.id, ReviewState.HAS_ISSUES, "  ")
    flagged = store.review(
        RecordKind.SIGNUP, signup.id, ReviewState.HAS_ISSUES, "tanggal lahir tidak cocok dengan NIK"
    )
    assert flagged.reviewer_id == kadek.id
    assert store.get_signup(signup.id).review_state is ReviewState.HAS_ISSUES
    queue = RecordFilter(review_states=frozenset({ReviewState.NEW, ReviewState.EDITED}))
    assert store.list_signups(queue).total == 0
    # the officer fixes it: back in the queue as EDITED
    store.use_actor("wayan")
    current = store.get_signup(signup.id)
    store.update_signup(dataclasses.replace(current, notes="checked the KTP"), reason="fixed")
    assert store.get_signup(signup.id).review_state is ReviewState.EDITED
    assert store.list_signups(queue).total == 1
    store.use_actor("kadek")
    store.review(RecordKind.SIGNUP, signup.id, ReviewState.APPROVED)
    assert store.get_signup(signup.id).review_state is ReviewState.APPROVED
    assert [r.state for r in store.reviews(signup.id)] == [
        ReviewState.HAS_ISSUES,
        ReviewState.APPROVED,
    ]
    actions = [(e.action, e.reason) for e in store.history(signup.id)]
    assert actions == [
        (AuditAction.CREATE, ""),
        (AuditAction.REVIEW, "tanggal lahir tidak cocok dengan NIK"),
        (AuditAction.UPDATE, "fixed"),
        (AuditAction.REVIEW, ""),
    ]
    edited = store.history(signup.id)[2]
    assert FieldChange(field="review_state", before="has_issues", after="edited") in edited.changes


def test_review_needs_a_reviewable_record(store: Store, officer: Officer) -> None:
    visit = store.create_visit(make_visit(officer.id))
    store.use_actor("kadek")  # supervisors review
    store.review(RecordKind.VISIT, visit.id, ReviewState.REJECTED, "not a real visit")
    assert store.get_visit(visit.id).review_state is ReviewState.REJECTED
    with pytest.raises(ValidationFailed):
        store.review(RecordKind.BANJAR, visit.id, ReviewState.APPROVED)
    with pytest.raises(ValidationFailed):
        store.review(RecordKind.VISIT, visit.id, ReviewState.NEW)
    with pytest.raises(NotFound):
        store.review(RecordKind.VISIT, "01NOPE", ReviewState.APPROVED)
