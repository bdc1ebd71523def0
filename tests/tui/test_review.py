"""Tinjau: the supervisor's queue — approve, flag with a reason, bulk approve, officers' view."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Select, Static

from fieldtui.app import FieldApp
from fieldtui.domain.models import (
    AuditAction,
    Banjar,
    Officer,
    RecordKind,
    ReviewState,
    Role,
    SignUp,
)
from fieldtui.i18n import set_language
from fieldtui.screens.reason_dialog import ReasonDialog
from fieldtui.screens.record_detail import RecordDetailScreen
from fieldtui.screens.review import ReviewScreen, ReviewTable
from fieldtui.screens.review_filter import ApproveMarkedDialog, ReviewFilterDialog
from fieldtui.screens.review_rows import (
    QueueFilter,
    Starts,
    flag_banner,
    flagged_counts,
    read_queue,
)
from fieldtui.store.errors import StoreReadOnly
from fieldtui.store.repository import Store
from tests.builders import SESETAN, acting_as, make_signup, make_visit

NAMES = ["Ni Made Ayu", "I Ketut Darma", "Ni Luh Putu Sari", "I Nyoman Suastika"]


def top(app: FieldApp) -> Screen[Any]:
    """The screen on top (a function, so mypy does not keep an earlier isinstance narrowing)."""
    return app.screen


async def settle(pilot: Pilot[None]) -> None:
    """Let workers finish and their results reach the screen."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def fill(store: Store, *, reviewer: str = "sri") -> list[SignUp]:
    """Wayan's four sign-ups (the last one newest) and a banjar visit; then ``reviewer`` acts."""
    wayan = store.actor
    assert wayan is not None
    kaja = store.create_banjar(Banjar(desa_code=SESETAN, name="Banjar Kaja"))
    store.create_visit(make_visit(wayan.id, day=23, banjar_id=kaja.id))
    signups = [
        store.create_signup(make_signup(wayan.id, serial=i + 1, name=name, banjar_id=kaja.id))
        for i, name in enumerate(NAMES)
    ]
    store.use_actor(reviewer)
    return signups


def text_of(screen: Screen[Any], selector: str) -> str:
    """What a Static shows, as plain text."""
    return str(screen.query_one(selector, Static).render())


def names(screen: Screen[Any]) -> list[str]:
    """The name column of the queue, top to bottom."""
    table = screen.query_one(ReviewTable)
    return [str(table.get_row_at(row)[5]) for row in range(table.row_count)]


async def open_queue(pilot: Pilot[None]) -> ReviewScreen:
    """F7, and wait for the queue and the counts."""
    await pilot.press("f7")
    await settle(pilot)
    screen = top(pilot.app)  # type: ignore[arg-type]
    assert isinstance(screen, ReviewScreen)
    return screen


async def test_queue_lists_officers_records_and_counts(app: FieldApp, store: Store) -> None:
    fill(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_queue(pilot)
        assert names(screen) == [*reversed(NAMES), "Sos. banjar · Kaja"]
        assert "Wayan Sudarma: 5 baru" in text_of(screen, "#review-counts")
        assert "1–5 dari 5" in text_of(screen, "#review-position")
        assert "5171********0004" in text_of(screen, "#review-detail")  # NIK masked


async def test_approve_moves_to_the_next_row(app: FieldApp, store: Store) -> None:
    signups = fill(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_queue(pilot)
        await pilot.press("a")
        await settle(pilot)
        assert store.get_signup(signups[-1].id).review_state is ReviewState.APPROVED
        assert names(screen)[0] == NAMES[-2]  # the approved row left the queue
        await pilot.press("a", "a")  # the cursor is on the next row: one key each
        await settle(pilot)
        assert [store.get_signup(s.id).review_state for s in signups] == [
            ReviewState.NEW,
            ReviewState.APPROVED,
            ReviewState.APPROVED,
            ReviewState.APPROVED,
        ]
        assert names(screen) == [NAMES[0], "Sos. banjar · Kaja"]
        assert "3 disetujui" in text_of(screen, "#review-counts")


async def test_flag_asks_a_reason_and_keeps_it(app: FieldApp, store: Store) -> None:
    signups = fill(store)
    flagged = signups[-2]
    async with app.run_test(size=(80, 24)) as pilot:
        await open_queue(pilot)
        await pilot.press("j", "f")
        await pilot.pause()
        assert isinstance(top(app), ReasonDialog)
        await pilot.press(*"tanggal lahir tidak cocok dengan NIK", "enter")
        await settle(pilot)
        assert store.get_signup(flagged.id).review_state is ReviewState.HAS_ISSUES
        assert store.reviews(flagged.id)[-1].comment == "tanggal lahir tidak cocok dengan NIK"
        reviews = [e for e in store.history(flagged.id) if e.action is AuditAction.REVIEW]
        assert reviews[-1].reason == "tanggal lahir tidak cocok dengan NIK"
        screen = top(app)
        assert isinstance(screen, ReviewScreen)
        assert NAMES[-2] not in names(screen)
        assert "1 perlu perbaikan" in text_of(screen, "#review-counts")


async def test_flag_without_a_reason_is_refused(app: FieldApp, store: Store) -> None:
    signups = fill(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_queue(pilot)
        await pilot.press("f")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(top(app), ReasonDialog)  # still asking
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(top(app), ReviewScreen)
        assert store.get_signup(signups[-1].id).review_state is ReviewState.NEW
        assert store.reviews(signups[-1].id) == []


async def test_reject_with_a_reason(app: FieldApp, store: Store) -> None:
    signups = fill(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_queue(pilot)
        await pilot.press("r")
        await pilot.pause()
        await pilot.press(*"sudah terdaftar", "enter")
        await settle(pilot)
        assert store.get_signup(signups[-1].id).review_state is ReviewState.REJECTED
        assert store.reviews(signups[-1].id)[-1].comment == "sudah terdaftar"


async def test_bulk_approve_of_marked_rows(app: FieldApp, store: Store) -> None:
    signups = fill(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_queue(pilot)
        await pilot.press("space", "j", "space", "space")  # marks rows 1, 3 and 4 (Space moves)
        await pilot.pause()
        assert len(screen.marked) == 3
        assert "3 ditandai" in text_of(screen, "#review-filter")
        await pilot.press("A")
        await pilot.pause()
        dialog = top(app)
        assert isinstance(dialog, ApproveMarkedDialog)
        assert "3" in str(dialog.query_one("#approve-marked-title", Static).render())
        await pilot.press("y")
        await settle(pilot)
        states = [store.get_signup(s.id).review_state for s in signups]
        assert states == [
            ReviewState.APPROVED,
            ReviewState.APPROVED,
            ReviewState.NEW,
            ReviewState.APPROVED,
        ]
        assert store.list_visits().items[0].review_state is ReviewState.NEW
        assert names(screen) == [NAMES[2], "Sos. banjar · Kaja"]
        assert screen.marked == set()


async def test_enter_opens_the_record_with_its_history(app: FieldApp, store: Store) -> None:
    signups = fill(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_queue(pilot)
        await pilot.press("enter")
        await settle(pilot)
        detail = top(app)
        assert isinstance(detail, RecordDetailScreen)
        assert detail.kind is RecordKind.SIGNUP and detail.record_id == signups[-1].id


async def test_officer_cannot_review_and_sees_own_flags(app: FieldApp, store: Store) -> None:
    signups = fill(store)
    store.review(RecordKind.SIGNUP, signups[0].id, ReviewState.HAS_ISSUES, "foto KTP buram")
    store.use_actor("wayan")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_queue(pilot)
        assert "Hanya supervisor" in text_of(screen, "#review-role")
        assert names(screen) == [NAMES[0]]
        assert "foto KTP buram" in text_of(screen, "#review-detail")
        await pilot.press("a")
        await settle(pilot)
        assert store.get_signup(signups[0].id).review_state is ReviewState.HAS_ISSUES
        assert [n.severity for n in app._notifications] == ["warning"]
        await pilot.press("x")  # nothing to clear: the officer's view is the default
        await pilot.press("ctrl+f")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(top(app), ReviewScreen)


async def test_viewer_sees_the_queue_read_only(app: FieldApp, store: Store) -> None:
    signups = fill(store)
    store.create_officer(Officer(username="kadek", name="Kadek Viewer", role=Role.VIEWER))
    store.use_actor("kadek")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_queue(pilot)
        assert len(names(screen)) == 5
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(top(app), ReviewScreen)  # no reason asked
        assert store.get_signup(signups[-1].id).review_state is ReviewState.NEW


async def test_queue_follows_the_store(app: FieldApp, store: Store) -> None:
    fill(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_queue(pilot)
        wayan = store.officer_by_username("wayan")
        assert wayan is not None
        with acting_as(store, "wayan"):  # the officer saves (in real life: another process)
            store.create_signup(
                make_signup(
                    wayan.id, serial=9, name="I Gede Arsana", registered_on=dt.date(2026, 11, 25)
                )
            )
        await settle(pilot)
        assert names(screen)[0] == "I Gede Arsana"


async def test_a_hidden_queue_reads_a_save_when_shown_again(app: FieldApp, store: Store) -> None:
    fill(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_queue(pilot)
        await pilot.press("f2")
        await settle(pilot)
        wayan = store.officer_by_username("wayan")
        assert wayan is not None
        with acting_as(store, "wayan"):
            store.create_signup(
                make_signup(
                    wayan.id, serial=9, name="I Gede Arsana", registered_on=dt.date(2026, 11, 25)
                )
            )
        await settle(pilot)
        assert "I Gede Arsana" not in names(screen)  # not read behind the dashboard
        assert await open_queue(pilot) is screen
        assert names(screen)[0] == "I Gede Arsana"


async def test_a_hidden_queue_is_read_at_once_for_the_next_user(
    app: FieldApp, store: Store
) -> None:
    """Another user signs in while the queue is behind the dashboard: it is read again at once,
    so the next user never sees the last one's rows, not even for the moment of a read."""
    fill(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_queue(pilot)
        assert len(names(screen)) == 5  # the supervisor's queue
        await pilot.press("f2")
        await settle(pilot)
        app._user_switched(store.use_actor("wayan"))
        await settle(pilot)
        assert names(screen) == []  # an officer has nothing to review


async def test_type_toggle_and_english(app: FieldApp, store: Store) -> None:
    fill(store)
    set_language("en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_queue(pilot)
        table = screen.query_one(ReviewTable)
        headers = [str(column.label) for column in table.columns.values()]
        assert headers[1:4] == ["Kind", "Date", "Officer"]
        assert "Wayan Sudarma: 5 new" in text_of(screen, "#review-counts")
        labels = {binding.binding.description for binding in screen.active_bindings.values()}
        assert {"Approve", "Flag", "Reject", "Mark", "Filter"} <= labels
        await pilot.press("t")  # sign-ups only
        await settle(pilot)
        assert len(names(screen)) == 4
        assert text_of(screen, "#review-filter").startswith("Sign-ups")
        await pilot.press("t")  # visits only
        await settle(pilot)
        assert names(screen) == ["Banjar talk · Kaja"]


@pytest.mark.parametrize("size", [(60, 20)])
async def test_narrow_terminal_keeps_the_state_column(
    app: FieldApp, store: Store, size: tuple[int, int]
) -> None:
    fill(store)
    async with app.run_test(size=size) as pilot:
        screen = await open_queue(pilot)
        table = screen.query_one(ReviewTable)
        keys = [column.key.value for column in table.columns.values()]
        assert "desa" not in keys and keys[-1] == "state"


def test_review_snapshot(snap_compare: Any, store: Store, app: FieldApp) -> None:
    fill(store)

    async def open_and_mark(pilot: Pilot[None]) -> None:
        await pilot.press("f7")
        await settle(pilot)
        await pilot.press("j", "space")
        await settle(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=open_and_mark)


def test_merged_queue_pages_match_the_whole_list(store: Store) -> None:
    wayan = store.actor
    assert wayan is not None
    for day in range(1, 12):
        store.create_signup(make_signup(wayan.id, serial=day, registered_on=dt.date(2026, 11, day)))
        if day % 3:
            store.create_visit(make_visit(wayan.id, day=day))
    spec = QueueFilter()
    whole = read_queue(store, spec, 0, 100).items
    assert [i.day for i in whole] == sorted((i.day for i in whole), reverse=True)
    starts: Starts = {}
    paged = [
        item
        for offset in range(0, 20, 3)
        for item in read_queue(store, spec, offset, 3, starts).items
    ]
    assert [i.key for i in paged] == [i.key for i in whole]
    cold = read_queue(store, spec, 9, 3).items  # an unknown start: found from the top
    assert [i.key for i in cold] == [i.key for i in whole[9:12]]


def test_flag_banner_for_the_officers_dashboard(store: Store) -> None:
    signups = fill(store)
    wayan = store.officer_by_username("wayan")
    assert wayan is not None
    assert flagged_counts(store, wayan.id) == (0, 0)
    assert flag_banner(0, 0) == ""
    store.review(RecordKind.SIGNUP, signups[0].id, ReviewState.HAS_ISSUES, "foto buram")
    store.review(RecordKind.SIGNUP, signups[1].id, ReviewState.REJECTED, "ganda")
    assert flagged_counts(store, wayan.id) == (2, 0)
    assert flag_banner(2, 0) == "⚑ 2 pendaftaran perlu perbaikan atau ditolak — F7 Tinjau"


async def test_a_refused_review_is_shown_and_changes_nothing(
    app: FieldApp, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    signups = fill(store)

    def refuse(*args: object, **kwargs: object) -> None:
        raise StoreReadOnly("store.error.read_only_mode")

    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_queue(pilot)
        monkeypatch.setattr(store, "review", refuse)
        await pilot.press("a")
        await settle(pilot)
        assert [n.severity for n in app._notifications][-1] == "error"
        assert store.get_signup(signups[-1].id).review_state is ReviewState.NEW
        assert names(screen)[0] == NAMES[-1]
        assert screen.selected_key == f"signup:{signups[-1].id}"  # the cursor stays


async def test_filter_by_state_and_officer_then_clear(app: FieldApp, store: Store) -> None:
    signups = fill(store)
    store.review(RecordKind.SIGNUP, signups[0].id, ReviewState.APPROVED)
    wayan = store.officer_by_username("wayan")
    assert wayan is not None
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_queue(pilot)
        assert NAMES[0] not in names(screen)
        await pilot.press("ctrl+f")
        await pilot.pause()
        dialog = top(app)
        assert isinstance(dialog, ReviewFilterDialog)
        dialog.query_one("#review-filter-state", Select).value = "approved"
        dialog.query_one("#review-filter-officer", Select).value = wayan.id
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert names(screen) == [NAMES[0]]
        assert "Disetujui · Wayan Sudarma" in text_of(screen, "#review-filter")
        await pilot.press("x")
        await settle(pilot)
        assert len(names(screen)) == 4
