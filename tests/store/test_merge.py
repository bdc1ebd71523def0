"""Bundles and merges: records keep their ids, users match by login, conflicts and duplicate
NIKs are flagged for review, the audit trails are joined, and merging twice changes nothing."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import gzip
import json
import stat
from pathlib import Path

import pytest

from fieldtui.domain.models import (
    AuditAction,
    Banjar,
    Officer,
    Participant,
    Period,
    RecordKind,
    ReviewState,
    Role,
)
from fieldtui.domain.permissions import Permission
from fieldtui.store import indexes as ix
from fieldtui.store.backend import MemoryBackend
from fieldtui.store.bundle import (
    CONFLICTS,
    Bundle,
    BundleError,
    read_bundle,
    read_source,
)
from fieldtui.store.errors import PermissionDenied, ValidationFailed
from fieldtui.store.merge import MergeSummary
from fieldtui.store.repository import Store
from tests.builders import SESETAN, acting_as, make_signup, make_visit

SUPERVISOR = Officer(username="nyoman", name="Nyoman Supervisor", role=Role.SUPERVISOR)


def laptop(username: str, name: str) -> Store:
    """An officer's own store, created on their laptop (their own user ids)."""
    store = Store.memory()
    store.create_officer(Officer(username="boss", name="Made Boss", role=Role.SUPERVISOR))
    store.create_officer(Officer(username=username, name=name))
    store.use_actor(username)
    return store


def branch() -> Store:
    """The branch machine's store, with its supervisor signed in."""
    store = Store.memory()
    store.create_officer(dataclasses.replace(SUPERVISOR))
    return store


def detached(bundle: Bundle) -> Bundle:
    """The bundle as a file would carry it (no documents shared with the source store)."""
    return dataclasses.replace(bundle, tables=json.loads(json.dumps(bundle.tables)))


def clone(store: Store, username: str) -> Store:
    """A byte-for-byte copy of a memory store (a laptop that started from the branch's data)."""
    backend = MemoryBackend()
    backend.db.storage.write(
        copy.deepcopy({k: dict(v) for k, v in store._backend.tables().items()})
    )
    copied = Store(backend)
    copied.use_actor(username)
    return copied


def merge(target: Store, source: Store, *, dry_run: bool = False) -> MergeSummary:
    return target.merge_from(detached(source.bundle()), dry_run=dry_run)


def audit_ids(store: Store) -> set[str]:
    return {str(d["id"]) for d in store._backend.tables().get(ix.AUDIT, {}).values()}


# -- bundles ------------------------------------------------------------------------------


def test_bundle_file_is_private_complete_and_audited(tmp_path: Path) -> None:
    wayan = laptop("wayan", "I Wayan Sudarma")
    wayan.create_signup(make_signup(wayan.actor.id if wayan.actor else ""))
    path = tmp_path / "wayan.bundle"
    _, size = wayan.write_bundle(path)
    assert size == path.stat().st_size > 0
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    read = read_source(path)
    assert read.count(ix.SIGNUPS) == 1 and read.count(ix.OFFICERS) == 2
    assert read.source["user"] == "wayan" and read.source["store_id"] == wayan.store_id()
    exports = wayan.audit_log(action=AuditAction.EXPORT)
    assert len(exports) == 1
    assert {c.field: c.after for c in exports[0].changes}["unmasked"] is True
    # The export entry itself travels in the bundle.
    assert exports[0].id in {e["id"] for e in read.tables[ix.AUDIT]}


def test_viewer_may_not_bundle() -> None:
    store = branch()
    store.create_officer(Officer(username="lihat", name="Viewer", role=Role.VIEWER))
    store.use_actor("lihat")
    with pytest.raises(PermissionDenied):
        store.bundle()


def test_damaged_or_foreign_files_are_refused(tmp_path: Path) -> None:
    wayan = laptop("wayan", "I Wayan Sudarma")
    path = tmp_path / "b.bundle"
    wayan.write_bundle(path)
    raw = gzip.decompress(path.read_bytes())
    header, body = raw.split(b"\n", 1)
    path.write_bytes(gzip.compress(header + b"\n" + body.replace(b"wayan", b"wayam")))
    with pytest.raises(BundleError) as damaged:
        read_bundle(path)
    assert "sha256" in damaged.value.message()
    path.write_bytes(gzip.compress(b'{"format": "something else"}\n{}'))
    with pytest.raises(BundleError, match="bukan bundel"):
        read_bundle(path)


def test_a_store_file_can_be_merged_directly(tmp_path: Path) -> None:
    with Store.open(tmp_path / "laptop.json") as other:
        other.create_officer(Officer(username="wayan", name="I Wayan Sudarma"))
        other.create_signup(make_signup(other.actor.id if other.actor else ""))
    source = read_source(tmp_path / "laptop.json")
    target = branch()
    summary = target.merge_from(source)
    assert summary.new == 1 and summary.officers_added == 1


# -- merging --------------------------------------------------------------------------------


def test_merge_brings_records_with_their_ids_and_users() -> None:
    wayan = laptop("wayan", "I Wayan Sudarma")
    me = wayan.actor
    assert me is not None
    visit = wayan.create_visit(make_visit(me.id))
    signup = wayan.create_signup(make_signup(me.id, visit_id=visit.id))
    target = branch()
    summary = merge(target, wayan)
    assert (summary.new, summary.updated, summary.conflicts) == (2, 0, 0)
    assert summary.officers_added == 2  # wayan and the laptop's own first user
    got = target.get_signup(signup.id)
    assert got == signup
    assert target.find_by_nik(signup.participant.nik) == signup
    assert target.progress_of(SESETAN).participants == 1
    assert [e.id for e in target.history(signup.id)] == [e.id for e in wayan.history(signup.id)]
    officer = target.officer_by_username("wayan")
    assert officer is not None and officer.id == me.id
    runs = target.audit_log(action=AuditAction.MERGE)
    assert len(runs) == 1 and runs[0].record_kind is RecordKind.STORE


def test_merging_twice_changes_nothing() -> None:
    wayan = laptop("wayan", "I Wayan Sudarma")
    assert wayan.actor is not None
    wayan.create_signup(make_signup(wayan.actor.id))
    target = branch()
    bundle = detached(wayan.bundle())
    target.merge_from(bundle)
    before = copy.deepcopy(dict(target._backend.tables()))
    again = target.merge_from(bundle)
    assert not again.changed and again.audit_added == 0 and again.unchanged == 3
    assert dict(target._backend.tables()) == before


def test_known_login_is_the_same_user_under_this_stores_id() -> None:
    target = branch()
    here = target.create_officer(Officer(username="wayan", name="I Wayan Sudarma"))
    wayan = laptop("wayan", "I Wayan Sudarma")
    assert wayan.actor is not None and wayan.actor.id != here.id
    signup = wayan.create_signup(make_signup(wayan.actor.id))
    summary = merge(target, wayan)
    assert summary.officers_added == 1  # only "boss"
    got = target.get_signup(signup.id)
    assert got.officer_id == here.id
    assert {e.actor_id for e in target.history(signup.id)} == {here.id}
    created = target.history(signup.id)[0]
    assert {c.field: c.after for c in created.changes}["officer_id"] == here.id


def test_banjar_matched_by_desa_and_name() -> None:
    target = branch()
    ours = target.create_banjar(Banjar(desa_code=SESETAN, name="Banjar Kaja"))
    wayan = laptop("wayan", "I Wayan Sudarma")
    assert wayan.actor is not None
    theirs = wayan.create_banjar(Banjar(desa_code=SESETAN, name="banjar  KAJA"))
    signup = wayan.create_signup(make_signup(wayan.actor.id, banjar_id=theirs.id))
    summary = merge(target, wayan)
    assert summary.banjars_added == 0
    assert target.get_signup(signup.id).banjar_id == ours.id
    assert len(target.banjars(SESETAN)) == 1


def test_newer_version_replaces_older_and_older_changes_nothing() -> None:
    target = branch()
    target.create_officer(Officer(username="wayan", name="I Wayan Sudarma"))
    target.use_actor("wayan")
    signup = target.create_signup(make_signup(target._actor.id if target._actor else ""))
    target.use_actor("nyoman")
    old = clone(target, "wayan")
    new = clone(target, "wayan")
    edited = new.update_signup(dataclasses.replace(signup, income_rp=2_000_000), reason="naik")
    summary = merge(target, new)
    assert (summary.updated, summary.conflicts) == (1, 0)
    assert target.get_signup(signup.id) == edited
    summary = merge(target, old)
    assert (summary.updated, summary.unchanged, summary.conflicts) == (0, 3, 0)
    assert target.get_signup(signup.id) == edited


def _two_edits() -> tuple[Store, Store, Store, str]:
    target = branch()
    target.create_officer(Officer(username="wayan", name="I Wayan Sudarma"))
    target.use_actor("wayan")
    signup = target.create_signup(make_signup(target._actor.id if target._actor else ""))
    target.use_actor("nyoman")
    a, b = clone(target, "wayan"), clone(target, "wayan")
    person = signup.participant
    a.update_signup(dataclasses.replace(signup, income_rp=2_000_000))
    b.update_signup(
        dataclasses.replace(signup, participant=dataclasses.replace(person, phone="+6281234567890"))
    )
    return target, a, b, signup.id


def test_edits_on_two_laptops_are_a_conflict_for_review() -> None:
    target, a, b, signup_id = _two_edits()
    merge(target, a)
    summary = merge(target, b)
    assert summary.conflicts == 1 and summary.updated == 0
    got = target.get_signup(signup_id)
    assert got.review_state is ReviewState.HAS_ISSUES
    comment = target.reviews(signup_id)[-1].comment
    assert comment.startswith("Konflik penggabungan") and "participant.phone" in comment
    assert "income_rp" in comment
    rows = list(target._backend.tables()[CONFLICTS].values())
    assert len(rows) == 2 and {r["record_id"] for r in rows} == {signup_id}
    flags = [e for e in target.history(signup_id) if e.action is AuditAction.MERGE]
    assert len(flags) == 1 and flags[0].reason == comment
    # Both sides' edits are in the history; merging either again changes nothing.
    assert audit_ids(a) | audit_ids(b) <= audit_ids(target)
    assert not merge(target, a).changed and not merge(target, b).changed


def test_conflict_outcome_does_not_depend_on_order() -> None:
    target, a, b, signup_id = _two_edits()
    other = clone(target, "nyoman")
    merge(target, a)
    merge(target, b)
    merge(other, b)
    merge(other, a)
    assert target.get_signup(signup_id) == other.get_signup(signup_id)
    ours = {r["id"] for r in target._backend.tables()[CONFLICTS].values()}
    assert ours == {r["id"] for r in other._backend.tables()[CONFLICTS].values()}
    # The two branch stores agree: merging one into the other changes no record.
    assert not merge(target, other).changed


def test_a_reviewed_conflict_is_settled() -> None:
    target, a, b, signup_id = _two_edits()
    merge(target, a)
    merge(target, b)
    target.review(RecordKind.SIGNUP, signup_id, ReviewState.APPROVED)
    assert not merge(target, a).changed and not merge(target, b).changed
    assert target.get_signup(signup_id).review_state is ReviewState.APPROVED


def test_same_nik_from_two_officers_is_kept_and_flagged() -> None:
    wayan, kadek = laptop("wayan", "I Wayan Sudarma"), laptop("kadek", "Ni Kadek Ayu")
    assert wayan.actor is not None and kadek.actor is not None
    first = wayan.create_signup(make_signup(wayan.actor.id))
    second = kadek.create_signup(make_signup(kadek.actor.id, name="Ni Made Ayu Lestari"))
    assert first.participant.nik == second.participant.nik
    for order in ((wayan, kadek), (kadek, wayan)):
        target = branch()
        summaries = [merge(target, source) for source in order]
        assert sum(s.duplicates for s in summaries) == 1
        assert target.get_signup(first.id).review_state is ReviewState.NEW
        flagged = target.get_signup(second.id)
        assert flagged.review_state is ReviewState.HAS_ISSUES
        comment = target.reviews(second.id)[-1].comment
        assert (
            comment == f"Kemungkinan duplikat: NIK sama dengan {first.id} (petugas I Wayan Sudarma)"
        )
        assert target.list_signups().total == 2  # both kept...
        assert target.progress_of(SESETAN).participants == 1  # ...the person counted once
        found = target.find_by_nik(first.participant.nik)
        assert found is not None and found.id in {first.id, second.id}
        assert not merge(target, wayan).changed and not merge(target, kadek).changed


def test_merge_needs_a_supervisor_and_dry_run_writes_nothing() -> None:
    wayan = laptop("wayan", "I Wayan Sudarma")
    assert wayan.actor is not None
    wayan.create_signup(make_signup(wayan.actor.id))
    target = branch()
    target.create_officer(Officer(username="ketut", name="Ketut"))
    with acting_as(target, "ketut"), pytest.raises(PermissionDenied):
        merge(target, wayan)
    assert Permission.MERGE.value in "merge"
    before = copy.deepcopy(dict(target._backend.tables()))
    summary = merge(target, wayan, dry_run=True)
    assert summary.new == 1 and summary.dry_run
    assert summary.audit_added == len(audit_ids(wayan)) > 0
    assert dict(target._backend.tables()) == before


def test_own_bundle_is_refused() -> None:
    target = branch()
    bundle = detached(target.bundle())
    with pytest.raises(ValidationFailed):
        target.merge_from(bundle)


def test_merge_is_one_transaction(tmp_path: Path) -> None:
    wayan = laptop("wayan", "I Wayan Sudarma")
    assert wayan.actor is not None
    for serial in range(1, 6):
        wayan.create_signup(make_signup(wayan.actor.id, serial=serial))
    bundle = detached(wayan.bundle())
    with Store.open(tmp_path / "branch.json") as target:
        target.create_officer(dataclasses.replace(SUPERVISOR))
        journal = tmp_path / "branch.json.journal"
        lines = journal.read_bytes().count(b"\n")
        summary = target.merge_from(bundle)
        assert summary.new == 5
        assert journal.read_bytes().count(b"\n") == lines + 1
        live = [(line.region_code, line.participants) for line in target.progress()]
        assert target.progress_of(SESETAN).participants == 5
    with Store.open(tmp_path / "branch.json", read_only=True) as again:
        assert again.list_signups().total == 5
        # The books kept current through the merge equal books built afresh.
        assert [(line.region_code, line.participants) for line in again.progress()] == live


def test_participant_unchanged_by_mapping() -> None:
    # The id rewriting touches officer and banjar ids only.
    target = branch()
    target.create_officer(Officer(username="wayan", name="I Wayan Sudarma"))
    wayan = laptop("wayan", "I Wayan Sudarma")
    assert wayan.actor is not None
    signup = wayan.create_signup(make_signup(wayan.actor.id))
    merge(target, wayan)
    got = target.get_signup(signup.id)
    assert isinstance(got.participant, Participant) and got.participant == signup.participant


def test_users_arrive_as_officers_and_are_never_changed_by_a_merge() -> None:
    target = branch()
    wayan_here = target.create_officer(Officer(username="wayan", name="I Wayan Sudarma"))
    wayan = laptop("wayan", "I Wayan Sudarma")
    # On their own laptop anyone can be a supervisor, and rename themself.
    with acting_as(wayan, "boss"):
        wayan.create_officer(Officer(username="kuasa", name="Kuasa", role=Role.SUPERVISOR))
    merge(target, wayan)
    kuasa, boss = target.officer_by_username("kuasa"), target.officer_by_username("boss")
    assert kuasa is not None and kuasa.role is Role.OFFICER
    assert boss is not None and boss.role is Role.OFFICER
    copy_of_branch = clone(target, "wayan")
    copy_of_branch.update_officer(dataclasses.replace(wayan_here, name="Wayan Baru"))
    assert not merge(target, copy_of_branch).changed
    assert target.get_officer(wayan_here.id).name == "I Wayan Sudarma"


def test_a_person_registered_twice_counts_once_whichever_registration_stays() -> None:
    """Progress counts people: of two sign-ups with one NIK (met at a merge) the first
    registration counts; deleting it lets the other count; the figures kept change by change
    equal figures built afresh at every step."""
    wayan, kadek = laptop("wayan", "I Wayan Sudarma"), laptop("kadek", "Ni Kadek Ayu")
    assert wayan.actor is not None and kadek.actor is not None
    first = wayan.create_signup(make_signup(wayan.actor.id, registered_on=dt.date(2026, 11, 2)))
    second = kadek.create_signup(
        make_signup(kadek.actor.id, name="Ni Made Ayu Lestari", registered_on=dt.date(2026, 11, 9))
    )
    other = kadek.create_signup(make_signup(kadek.actor.id, serial=7))
    target = branch()
    year = Period.year(2026)
    target.progress(None, period=year)  # books held before the merge: kept current through it
    merge(target, wayan)
    merge(target, kadek)

    def counted() -> int:
        kept = target.progress_of(SESETAN, period=year).participants
        fresh = Store(target._backend).progress_of(SESETAN, period=year).participants
        assert kept == fresh  # incremental books agree with books built from scratch
        return kept

    assert counted() == 2  # the person (once) and the other participant
    for username in ("wayan", "kadek"):  # merged users arrive switched off: let them in
        user = target.officer_by_username(username)
        assert user is not None and not user.active
        target.update_officer(dataclasses.replace(user, active=True), reason="petugas cabang")
    with acting_as(target, "wayan"):
        target.delete_signup(first.id, "didaftar ulang oleh petugas lain")
    assert counted() == 2  # the second registration counts now
    with acting_as(target, "kadek"):
        target.delete_signup(second.id, "ganda")
    assert counted() == 1
    with acting_as(target, "wayan"):
        target.restore_signup(first.id, "keliru hapus")
    assert counted() == 2
    assert target.get_signup(other.id).deleted_at is None


def test_a_laptop_cannot_approve_set_targets_or_make_users_at_the_branch() -> None:
    """What a laptop's store claims about reviews, targets and users is not taken: anyone can
    make a store in which they are a supervisor."""
    wayan = laptop("wayan", "I Wayan Sudarma")
    assert wayan.actor is not None
    signup = wayan.create_signup(make_signup(wayan.actor.id))
    # The laptop's own supervisor ("boss") approves the sign-up and sets a target:
    with acting_as(wayan, "boss"):
        wayan.review(RecordKind.SIGNUP, signup.id, ReviewState.APPROVED)
        wayan.set_target(SESETAN, Period.year(2026), 5)
    target = branch()
    summary = merge(target, wayan)
    got = target.get_signup(signup.id)
    assert got.review_state is ReviewState.NEW  # in the branch's queue, not approved
    assert target.reviews(signup.id) == []
    assert not any(e.action is AuditAction.REVIEW for e in target.history(signup.id))
    assert target.get_target(SESETAN, Period.year(2026)) is None and summary.skipped == 1
    boss = target.officer_by_username("boss")
    assert boss is not None and boss.role is Role.OFFICER and not boss.active
    assert boss.pin_hash is None
    assert not merge(target, wayan).changed  # and all of it stays so


def test_a_bundle_with_a_record_this_store_cannot_read_is_refused_whole() -> None:
    from fieldtui.store.errors import ValidationFailed

    wayan = laptop("wayan", "I Wayan Sudarma")
    assert wayan.actor is not None
    good = wayan.create_signup(make_signup(wayan.actor.id, serial=1))
    wayan.create_signup(make_signup(wayan.actor.id, serial=2))
    bundle = detached(wayan.bundle())
    broken = bundle.tables[ix.SIGNUPS][-1]
    broken["income_rp"] = "banyak"
    target = branch()
    with pytest.raises(ValidationFailed) as info:
        target.merge_from(bundle)
    assert info.value.key == "merge.error.bad_record" and "income_rp" in info.value.message()
    with pytest.raises(ValidationFailed):
        target.merge_from(bundle, dry_run=True)
    assert target.list_signups().total == 0  # nothing merged, not even the good one
    broken["income_rp"] = 1_500_000
    broken["participant"] = {**broken["participant"], "nik": "51710147"}
    with pytest.raises(ValidationFailed) as info:
        target.merge_from(bundle)
    assert "NIK" in info.value.message()
    assert target.find_by_nik(good.participant.nik) is None


def test_the_registration_flagged_as_a_duplicate_is_the_one_not_counted() -> None:
    """The merge flags the later-made registration; the figures count the other one, even
    when the flagged one claims an earlier registration day (and in another desa)."""
    wayan, kadek = laptop("wayan", "I Wayan Sudarma"), laptop("kadek", "Ni Kadek Ayu")
    assert wayan.actor is not None and kadek.actor is not None
    original = wayan.create_signup(
        make_signup(wayan.actor.id, registered_on=dt.date(2026, 11, 15), desa_code=SESETAN)
    )
    later = kadek.create_signup(
        make_signup(
            kadek.actor.id,
            name="Ni Made Ayu Lestari",
            registered_on=dt.date(2026, 11, 1),  # backdated
            desa_code="51.71.04.2008",  # Ubung Kaja
        )
    )
    target = branch()
    year = Period.year(2026)
    target.progress(None, period=year)
    merge(target, wayan)
    merge(target, kadek)
    assert target.get_signup(later.id).review_state is ReviewState.HAS_ISSUES
    assert target.get_signup(original.id).review_state is ReviewState.NEW

    def counts() -> tuple[int, int]:
        sesetan = target.progress_of(SESETAN, period=year).participants
        ubung = target.progress_of("51.71.04.2008", period=year).participants
        fresh = Store(target._backend)
        assert (sesetan, ubung) == (
            fresh.progress_of(SESETAN, period=year).participants,
            fresh.progress_of("51.71.04.2008", period=year).participants,
        )
        return sesetan, ubung

    assert counts() == (1, 0)  # the original counts, the flagged duplicate does not
    target.review(RecordKind.SIGNUP, later.id, ReviewState.REJECTED, "ganda")
    assert counts() == (1, 0)


def test_a_records_history_is_in_time_order_after_a_merge() -> None:
    """Entries a merge brings from a laptop are stored after this machine's own, but a record's
    history lists them by when they were made."""
    import time

    target = branch()
    target.create_officer(Officer(username="wayan", name="I Wayan Sudarma"))
    with acting_as(target, "wayan"):
        signup = target.create_signup(make_signup(target.actor.id if target.actor else ""))
    laptop_copy = clone(target, "wayan")
    laptop_copy.update_signup(dataclasses.replace(signup, income_rp=2_500_000), reason="naik")
    time.sleep(1.1)  # entries are timed to the second
    target.record_reveal(signup.id, "cek KTP")  # made here after the laptop's edit
    merge(target, laptop_copy)
    history = target.history(signup.id)
    assert [e.at for e in history] == sorted(e.at for e in history)
    actions = [e.action for e in history]
    assert actions.index(AuditAction.UPDATE) < actions.index(AuditAction.REVEAL)
