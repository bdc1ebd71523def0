"""The record detail screen: masked NIK, audited reveal, soft delete with a reason, history."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import sys
import types
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from fieldtui.app import FieldApp, make_app
from fieldtui.domain.clock import WITA
from fieldtui.domain.models import (
    AuditAction,
    AuditEntry,
    Banjar,
    Consent,
    Officer,
    Participant,
    Payment,
    RecordKind,
    ReviewState,
    Role,
    Sex,
    SignUp,
    Visit,
    VisitType,
)
from fieldtui.domain.nik import format_nik, make_nik, mask_nik
from fieldtui.i18n import set_language
from fieldtui.screens.base import FieldPage
from fieldtui.screens.reason_dialog import ReasonDialog
from fieldtui.screens.record_detail import RecordDetailScreen
from fieldtui.store.errors import StoreReadOnly
from fieldtui.store.repository import Store
from fieldtui.widgets.field import FormField
from tests.builders import acting_as

NIK = make_nik("51.71.01", dt.date(1990, 8, 7), Sex.FEMALE, 1)
SESETAN = "51.71.01.1003"
AT = dt.datetime(2026, 11, 24, 19, 5, tzinfo=WITA)


def make_signup(store: Store, **changes: Any) -> SignUp:
    """A valid sign-up of Ni Luh Ayu in Sesetan, saved."""
    assert store.actor is not None
    signup = SignUp(
        officer_id=store.actor.id,
        desa_code=SESETAN,
        participant=Participant(
            nik=NIK,
            name="Ni Luh Ayu",
            birth_date=dt.date(1990, 8, 7),
            sex=Sex.FEMALE,
            phone="+6281234567890",
            occupation_code="pedagang_pasar",
        ),
        income_rp=1_500_000,
        registered_on=dt.date(2026, 11, 24),
        consent=Consent(given=True, at=AT, recorded_by=store.actor.id),
        monthly_contribution_rp=8_400,
        **changes,
    )
    return store.create_signup(signup)


async def settle(pilot: Pilot[None]) -> None:
    """Wait for the screen's reads and saves (workers) and what they show."""
    for _ in range(3):  # a save's own store change starts another read
        # (not the app's store poller: a newer poll cancels the one before)
        mine = [w for w in pilot.app.workers if w.group != "poll"]
        if mine:  # (an empty list would mean every worker)
            await pilot.app.workers.wait_for_complete(mine)
        await pilot.pause()


def top(app: FieldApp) -> object:
    """The screen on top (typed loosely so identity checks stay honest under mypy)."""
    return app.screen


async def open_detail(
    app: FieldApp, pilot: Pilot[None], kind: RecordKind, record_id: str
) -> RecordDetailScreen:
    app.push_screen(RecordDetailScreen(kind, record_id))
    await settle(pilot)
    screen = app.screen
    assert isinstance(screen, RecordDetailScreen)
    return screen


async def test_shows_every_field_with_the_nik_masked(app: FieldApp, store: Store) -> None:
    banjar = store.create_banjar(Banjar(desa_code=SESETAN, name="Banjar Kaja"))
    payment = Payment(
        months=3,
        amount_rp=25_200,
        period_start=dt.date(2026, 11, 1),
        paid_on=dt.date(2026, 11, 24),
        receipt_no="KW-001",
    )
    signup = make_signup(store, banjar_id=banjar.id, payments=(payment,))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_detail(app, pilot, RecordKind.SIGNUP, signup.id)
        text = screen.shown_text()
        assert mask_nik(NIK) in text
        assert NIK not in text and format_nik(NIK) not in text
        assert "0812-3456-7890" not in text and "+62812*****890" in text
        for shown in (
            "Ni Luh Ayu",
            "perempuan, lahir 7 Agustus 1990",
            "Pedagang pasar",
            "Kel. Sesetan, Denpasar Selatan, Kota Denpasar",
            "Banjar Kaja",
            "Rp1.500.000",
            "JKK + JKM",
            "Rp8.400",
            "Rp25.200",
            "KW-001",
            "s.d. 31 Jan 2027",
            "Ya, 24 Nov 2026 19.05 oleh Wayan Sudarma",
            "Baru, belum ditinjau",
            "Riwayat",
            "Wayan Sudarma · Dibuat",
        ):
            assert shown in text, shown


async def test_reveal_is_audited_then_shows_nik_and_phone(app: FieldApp, store: Store) -> None:
    signup = make_signup(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_detail(app, pilot, RecordKind.SIGNUP, signup.id)
        await pilot.press("ctrl+r")
        await settle(pilot)
        reveals = [e for e in store.history(signup.id) if e.action is AuditAction.REVEAL]
        assert {c.field for e in reveals for c in e.changes} == {
            "participant.nik",
            "participant.phone",
        }
        assert all(e.actor_id == store.actor.id for e in reveals)  # type: ignore[union-attr]
        text = screen.shown_text()
        assert format_nik(NIK) in text and "0812-3456-7890" in text
        assert "NIK/HP dibuka" in text and "Dibuka: NIK, Nomor HP" in text
        await pilot.press("ctrl+r")  # masks again; writes nothing
        await settle(pilot)
        assert format_nik(NIK) not in screen.shown_text()
        assert len([e for e in store.history(signup.id) if e.action is AuditAction.REVEAL]) == 2


async def test_reveal_twice_quickly_is_one_reveal(app: FieldApp, store: Store) -> None:
    signup = make_signup(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_detail(app, pilot, RecordKind.SIGNUP, signup.id)
        await pilot.press("ctrl+r", "ctrl+r")
        await settle(pilot)
    assert len([e for e in store.history(signup.id) if e.action is AuditAction.REVEAL]) == 2


async def test_a_refused_reveal_keeps_the_nik_masked(
    app: FieldApp, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    signup = make_signup(store)

    def refuse(record_id: str, reason: str = "", *, field: str = "") -> AuditEntry:
        raise StoreReadOnly("store.error.read_only_mode")

    monkeypatch.setattr(store, "record_reveal", refuse)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_detail(app, pilot, RecordKind.SIGNUP, signup.id)
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert mask_nik(NIK) in screen.shown_text()
        assert format_nik(NIK) not in screen.shown_text()
        assert [n.severity for n in app._notifications] == ["error"]


async def test_delete_asks_a_reason_and_refuses_an_empty_one(app: FieldApp, store: Store) -> None:
    signup = make_signup(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_detail(app, pilot, RecordKind.SIGNUP, signup.id)
        await pilot.press("ctrl+d")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ReasonDialog)
        await pilot.press("enter")
        await settle(pilot)
        assert top(app) is dialog
        assert dialog.query_one("#field-reason", FormField).message == "Alasan wajib diisi."
        assert store.get_signup(signup.id).deleted_at is None
        await pilot.press(*"terdaftar dua kali", "enter")
        await settle(pilot)
        assert top(app) is screen
        stored = store.get_signup(signup.id)
        assert stored.deleted_at is not None and stored.deleted_reason == "terdaftar dua kali"
        text = screen.shown_text()
        assert "DIHAPUS" in text and "Alasan: terdaftar dua kali" in text
        assert "Wayan Sudarma · Dihapus" in text
        bindings = {b.binding.action for b in screen.active_bindings.values() if b.enabled}
        assert "delete" not in bindings and "edit" not in bindings


async def test_delete_cancelled_with_escape_changes_nothing(app: FieldApp, store: Store) -> None:
    signup = make_signup(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_detail(app, pilot, RecordKind.SIGNUP, signup.id)
        await pilot.press("ctrl+d")
        await settle(pilot)
        await pilot.press(*"salah", "escape")
        await settle(pilot)
        assert isinstance(app.screen, RecordDetailScreen)
    assert store.get_signup(signup.id).deleted_at is None


async def test_history_shows_the_field_diff_and_reason(app: FieldApp, store: Store) -> None:
    signup = make_signup(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_detail(app, pilot, RecordKind.SIGNUP, signup.id)
        # Saved while the screen is open (as another window would): it refreshes by itself.
        renamed = dataclasses.replace(
            signup, participant=dataclasses.replace(signup.participant, name="Ni Luh Ayu Lestari")
        )
        store.update_signup(
            dataclasses.replace(renamed, income_rp=2_000_000), reason="nama sesuai KTP"
        )
        await settle(pilot)
        text = screen.shown_text()
        assert "Pendaftaran · Ni Luh Ayu Lestari" in text
        assert "Wayan Sudarma · Diubah" in text
        assert "Alasan: nama sesuai KTP" in text
        assert "Nama: Ni Luh Ayu → Ni Luh Ayu Lestari" in text
        assert "Penghasilan: Rp1.500.000 → Rp2.000.000" in text
        # newest first
        assert text.index("· Diubah") < text.index("· Dibuat")


async def test_a_supervisors_flag_shows_at_once(app: FieldApp, store: Store) -> None:
    signup = make_signup(store)
    with acting_as(store, "sri"):  # the supervisor adds another supervisor
        store.create_officer(Officer(username="ayu", name="Made Ayu", role=Role.SUPERVISOR))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_detail(app, pilot, RecordKind.SIGNUP, signup.id)
        store.use_actor("ayu")
        store.review(RecordKind.SIGNUP, signup.id, ReviewState.HAS_ISSUES, "tanggal lahir salah")
        await settle(pilot)
        text = screen.shown_text()
        assert "Made Ayu · Ditinjau" in text and "Alasan: tanggal lahir salah" in text
        assert "Status tinjauan: Baru, belum ditinjau → Perlu perbaikan" in text
        assert "Status tinjauan  Perlu perbaikan" in text


async def test_a_save_by_another_process_shows_without_blocking(db_path: Path) -> None:
    # The poller applies the other handle's save while holding the store and waits for the UI
    # to take the change: the screen must read the record off the UI thread.
    mine = Store.open(db_path)
    mine.create_officer(Officer(username="wayan", name="Wayan Sudarma"))
    signup = make_signup(mine)
    other = Store.open(db_path, actor_username="wayan")
    app = make_app(mine, poll_seconds=0.05, fixed_today=dt.date(2026, 11, 24))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_detail(app, pilot, RecordKind.SIGNUP, signup.id)
        renamed = dataclasses.replace(signup.participant, name="Ni Luh Ayu Lestari")
        other.update_signup(dataclasses.replace(signup, participant=renamed), reason="KTP")
        for _ in range(100):
            await asyncio.sleep(0.05)
            await settle(pilot)
            if "Ni Luh Ayu Lestari" in screen.shown_text():
                break
        assert "Alasan: KTP" in screen.shown_text()
    other.close()
    mine.close()


async def test_nik_in_a_diff_is_masked_until_revealed(app: FieldApp, store: Store) -> None:
    signup = make_signup(store)
    other = make_nik("51.71.01", dt.date(1990, 8, 7), Sex.FEMALE, 2)
    fixed = dataclasses.replace(signup.participant, nik=other)
    store.update_signup(dataclasses.replace(signup, participant=fixed), reason="salah ketik")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_detail(app, pilot, RecordKind.SIGNUP, signup.id)
        assert f"NIK: {mask_nik(NIK)} → {mask_nik(other)}" in screen.shown_text()
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert f"NIK: {format_nik(NIK)} → {format_nik(other)}" in screen.shown_text()


async def test_visit_detail(app: FieldApp, store: Store) -> None:
    assert store.actor is not None
    visit = store.create_visit(
        Visit(
            officer_id=store.actor.id,
            desa_code=SESETAN,
            started_at=AT,
            visit_type=VisitType.BANJAR,
            counterpart_name="Made Sudira",
            counterpart_role="Kepala Lingkungan",
            attendees=35,
            follow_up_on=dt.date(2026, 12, 8),
        )
    )
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_detail(app, pilot, RecordKind.VISIT, visit.id)
        text = screen.shown_text()
        assert "Kunjungan · Sosialisasi banjar · Kel. Sesetan · 24 Nov 2026" in text
        assert "Made Sudira (Kepala Lingkungan)" in text and "35" in text
        assert "8 Des 2026" in text
        bindings = {b.binding.action for b in screen.active_bindings.values()}
        assert "reveal" not in bindings and "delete" in bindings
        await pilot.press("ctrl+d")
        await settle(pilot)
        await pilot.press(*"dobel", "enter")
        await settle(pilot)
    assert store.get_visit(visit.id).deleted_reason == "dobel"


async def test_unknown_record_says_so(app: FieldApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_detail(app, pilot, RecordKind.SIGNUP, "01NOSUCHRECORD")
        assert "Data tidak ditemukan: 01NOSUCHRECORD" in screen.shown_text()
        await pilot.press("ctrl+d")  # nothing to delete
        await settle(pilot)
        assert app.screen is screen
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, RecordDetailScreen)


async def test_edit_opens_the_form_and_reloads_on_return(
    app: FieldApp, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[SignUp] = []

    class FakeForm(FieldPage[None]):
        def __init__(self, signup: SignUp) -> None:
            super().__init__()
            opened.append(signup)

        def on_mount(self) -> None:
            changed = dataclasses.replace(signup, notes="pindah ke banjar Kelod")
            self.store.update_signup(changed, reason="catatan")
            self.dismiss(None)

    fake = types.ModuleType("fieldtui.screens.signup_form")
    fake.SignUpFormScreen = FakeForm  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "fieldtui.screens.signup_form", fake)
    signup = make_signup(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_detail(app, pilot, RecordKind.SIGNUP, signup.id)
        await pilot.press("ctrl+e")
        await settle(pilot)
        assert [s.id for s in opened] == [signup.id]
        assert app.screen is screen
        assert "pindah ke banjar Kelod" in screen.shown_text()


async def test_english_labels(app: FieldApp, store: Store) -> None:
    set_language("en")
    signup = make_signup(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_detail(app, pilot, RecordKind.SIGNUP, signup.id)
        text = screen.shown_text()
        assert "Sign-up · Ni Luh Ayu" in text
        assert "female, born 7 August 1990" in text
        assert "Monthly contribution" in text and "History" in text
        descriptions = {b.binding.description for b in screen.active_bindings.values()}
        assert {"Edit", "Delete", "Show/hide NIK"} <= descriptions


async def test_reason_dialog_is_reusable(app: FieldApp) -> None:
    results: list[str | None] = []
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(
            ReasonDialog("Kenapa ditandai?", title="Tandai", value="  tanggal  lahir  "),
            results.append,
        )
        await settle(pilot)
        assert app.screen.query_one("#reason-input", Input).value == "  tanggal  lahir  "
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert results == ["tanggal lahir"]


def test_detail_snapshot(
    snap_compare: Any, store: Store, app: FieldApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    signup = make_signup(store, id="01JDETAILSNAPSHOT000000000", created_at=AT, updated_at=AT)
    store.update_signup(
        dataclasses.replace(signup, income_rp=2_000_000, updated_at=AT), reason="salah ketik"
    )
    history = store.history

    def fixed_history(record_id: str) -> list[AuditEntry]:
        return [dataclasses.replace(e, at=AT) for e in history(record_id)]

    real_get = store.get_signup
    monkeypatch.setattr(store, "history", fixed_history)
    monkeypatch.setattr(
        store, "get_signup", lambda i: dataclasses.replace(real_get(i), updated_at=AT)
    )

    async def open_it(pilot: Pilot[None]) -> None:
        pilot.app.push_screen(RecordDetailScreen(RecordKind.SIGNUP, signup.id))
        await settle(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=open_it)


async def test_a_merge_conflict_is_shown_with_the_other_laptops_values() -> None:
    """Edited on two laptops and merged at the branch: the supervisor opening the record sees
    which values the other laptop had, beside the ones kept."""
    from tests.store.test_merge import _two_edits, merge

    target, a, b, signup_id = _two_edits()
    merge(target, a)
    merge(target, b)
    app = make_app(target, poll_seconds=0, fixed_today=dt.date(2026, 11, 24))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_detail(app, pilot, RecordKind.SIGNUP, signup_id)
        text = screen.shown_text(width=100)
        # Whichever laptop's version was kept, the other one's values stand beside it.
        assert "Konflik penggabungan" in text and "Versi laptop lain" in text
        conflict = text.split("Konflik penggabungan")[1].split("NIK ")[0]
        phone = next(line for line in conflict.splitlines() if line.startswith("Nomor HP"))
        assert "+62812*****890" in phone  # one laptop's phone, masked like every phone here
        income = next(line for line in conflict.splitlines() if line.startswith("Penghasilan"))
        assert "Rp2.000.000" in income and "Rp1.500.000" in income
        assert "Status tinjauan" not in conflict  # the merge's own flag is not a difference
