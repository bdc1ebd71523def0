"""Merging is idempotent and order-independent: random edits on laptops that started from the
branch's data, merged in different orders, give the same records, flags and open conflicts."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import itertools
import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fieldtui.domain.models import Officer, RecordKind, ReviewState, Role
from fieldtui.store import indexes as ix
from fieldtui.store.backend import MemoryBackend
from fieldtui.store.errors import StoreError
from fieldtui.store.merge_versions import NOT_CHANGES
from fieldtui.store.repository import Store
from tests.builders import make_signup

OFFICERS = ("wayan", "kadek")
NIKS = 4  # a small pool of NIK serials, so two laptops often register the same person

# One operation on a laptop: (what, which officer, which record/serial, a value)
op = st.tuples(
    st.sampled_from(["create", "edit", "edit", "delete", "approve", "flag"]),
    st.sampled_from(OFFICERS),
    st.integers(min_value=0, max_value=NIKS),
    st.integers(min_value=1, max_value=3),
)
laptops = st.lists(st.lists(op, max_size=4), min_size=2, max_size=3)


def base_store() -> Store:
    store = Store.memory()
    store.create_officer(Officer(username="nyoman", name="Nyoman", role=Role.SUPERVISOR))
    for username in OFFICERS:
        store.create_officer(Officer(username=username, name=username.title()))
    for serial, username in ((1, "wayan"), (2, "kadek")):
        officer = store.use_actor(username)
        store.create_signup(make_signup(officer.id, serial=serial))
    store.use_actor("nyoman")
    return store


BASE_TABLES = json.loads(json.dumps(dict(base_store()._backend.tables())))


def clone() -> Store:
    backend = MemoryBackend()
    backend.db.storage.write(copy.deepcopy(BASE_TABLES))
    store = Store(backend)
    store.use_actor("nyoman")
    return store


def run(store: Store, ops: list[tuple[str, str, int, int]]) -> None:
    """Apply the operations a user could make; the ones the store refuses are skipped."""
    for what, username, pick, value in ops:
        signups = sorted(store.list_signups(limit=100).items, key=lambda s: s.id)
        try:
            if what == "create":
                officer = store.use_actor(username)
                store.create_signup(make_signup(officer.id, serial=pick or 1))
            elif signups:
                signup = signups[pick % len(signups)]
                owner = store.get_officer(signup.officer_id).username
                if what == "edit":
                    store.use_actor(owner)
                    store.update_signup(dataclasses.replace(signup, income_rp=value * 1_000_000))
                elif what == "delete":
                    store.use_actor(owner)
                    store.delete_signup(signup.id, "salah input")
                else:
                    store.use_actor("nyoman")
                    state = ReviewState.APPROVED if what == "approve" else ReviewState.HAS_ISSUES
                    store.review(RecordKind.SIGNUP, signup.id, state, "cek")
        except StoreError:
            pass
    store.use_actor("nyoman")


def bundle_of(store: Store) -> Any:
    bundle = store.bundle()
    return dataclasses.replace(bundle, tables=json.loads(json.dumps(bundle.tables)))


def state(store: Store) -> dict[str, Any]:
    """What must not depend on the order of merges."""
    tables = store._backend.tables()
    records = {
        name: sorted((d for d in tables.get(name, {}).values()), key=lambda d: d["id"])
        for name in ix.RECORD_TABLES
    }
    trail = {d["id"] for d in tables.get(ix.AUDIT, {}).values() if d["action"] not in NOT_CHANGES}
    conflicts = sorted((c.record_id, c.version_id) for c in store.open_conflicts())
    return {"records": records, "trail": trail, "conflicts": conflicts}


@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(laptops)
def test_merge_is_order_independent_and_idempotent(
    edits: list[list[tuple[str, str, int, int]]],
) -> None:
    sources = []
    for ops in edits:
        laptop = clone()
        run(laptop, ops)
        sources.append(bundle_of(laptop))
    outcomes = []
    orders = list(itertools.permutations(range(len(sources))))
    for order in (orders[0], orders[-1]):
        branch = clone()
        for i in order:
            branch.merge_from(sources[i])
        outcomes.append(state(branch))
        # Twice = once: nothing changes, not even the audit trail.
        before = json.dumps(dict(branch._backend.tables()), sort_keys=True)
        for i in order:
            again = branch.merge_from(sources[i])
            assert not again.changed and again.audit_added == 0 and again.reviews_added == 0
        assert json.dumps(dict(branch._backend.tables()), sort_keys=True) == before
        # Every live NIK registered twice leaves all but the first registration flagged.
        live = [d for d in state(branch)["records"][ix.SIGNUPS] if d["deleted_at"] is None]
        for _, group in itertools.groupby(
            sorted(live, key=lambda d: (d["participant"]["nik"], d["created_at"], d["id"])),
            key=lambda d: d["participant"]["nik"],
        ):
            later = list(group)[1:]
            assert all(d["review_state"] in ("has_issues", "rejected", "approved") for d in later)
    assert outcomes[0] == outcomes[1]


def test_three_way_conflict_keeps_every_version() -> None:
    laptops = [clone() for _ in range(3)]
    for value, laptop in enumerate(laptops, start=1):
        run(laptop, [("edit", "wayan", 0, value)])
    sources = [bundle_of(laptop) for laptop in laptops]
    states = []
    for order in ((0, 1, 2), (2, 0, 1), (1, 2, 0)):
        branch = clone()
        for i in order:
            branch.merge_from(sources[i])
        states.append(state(branch))
        assert len(branch.open_conflicts()) == 3
    assert states[0] == states[1] == states[2]
    assert isinstance(dt.date.today(), dt.date)
