"""The registration form, typed like an officer would: Tab between fields, Enter saves."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Checkbox, Input, Static

from fieldtui.app import FieldApp
from fieldtui.domain.contributions import contribution_for
from fieldtui.domain.models import AuditAction, BpuCategory, Payment, PaymentMethod, Sex
from fieldtui.domain.nik import make_nik
from fieldtui.i18n import fmt_money, set_language
from fieldtui.screens.record_detail import RecordDetailScreen
from fieldtui.screens.signup_form import SignUpFormScreen
from fieldtui.screens.signups import SignUpsScreen
from fieldtui.store.errors import StoreLocked
from fieldtui.store.repository import Store
from fieldtui.widgets.field import FormField, Tone
from fieldtui.widgets.occupation_picker import OccupationPicker
from fieldtui.widgets.village_picker import VillagePicker
from tests.builders import SESETAN, make_signup, make_visit
from tests.tui.conftest import TODAY

NIK = "5171014708900001"  # perempuan, 7 Aug 1990, Denpasar Selatan


async def open_form(app: FieldApp, pilot: Pilot[None]) -> SignUpFormScreen:
    await pilot.press("f4")
    await pilot.pause()
    await pilot.press("ctrl+n")
    await pilot.pause()
    assert isinstance(app.screen, SignUpFormScreen)
    return app.screen


def message(form: SignUpFormScreen, name: str) -> str:
    return form.query_one(f"#field-{name}", FormField).message


async def type_person(pilot: Pilot[None], *, nik: str = NIK, income: str = "1500000") -> None:
    """NIK, name, (birth date and sex come from the NIK), mobile, occupation, desa, income."""
    await pilot.press(*nik, "tab")
    await pilot.press(*"Ni Kadek Sari", "tab")
    await pilot.press("tab", "tab")  # birth date and sex: filled in from the NIK
    await pilot.press(*"0812 3456 7890", "tab")
    await pilot.press(*"pedagang pasar", "enter", "tab")
    await pilot.press("tab")  # category: pekerja mandiri
    await pilot.press(*"sesetan", "enter", "tab")
    await pilot.press("tab")  # banjar: none
    await pilot.press("tab")  # JHT: no
    await pilot.press(*income)
    await pilot.pause()


async def fill(form: SignUpFormScreen, pilot: Pilot[None], *, nik: str = NIK) -> None:
    """The same person as `type_person`, set straight into the widgets (faster than typing)."""
    form.query_one("#signup-nik", Input).value = nik
    await pilot.pause()
    form.query_one("#signup-name", Input).value = "Ni Kadek Sari"
    form.query_one("#signup-phone", Input).value = "0812 3456 7890"
    form.query_one(OccupationPicker).code = "pedagang_pasar"
    form.query_one(VillagePicker).code = SESETAN
    form.query_one("#signup-income", Input).value = "1500000"
    await pilot.pause()


async def tick_consent(form: SignUpFormScreen, pilot: Pilot[None]) -> None:
    form.query_one("#signup-consent", Checkbox).focus()
    await pilot.press("space")
    await pilot.pause()


async def test_register_a_trader_by_typing(app: FieldApp, store: Store) -> None:
    before = store.progress_of(SESETAN).participants
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(app, pilot)
        await pilot.press(*NIK)
        await pilot.pause()
        assert message(form, "nik") == "perempuan, lahir 7 Agustus 1990"
        await pilot.press("tab")
        await type_person_rest(pilot)
        await tick_consent(form, pilot)
        await pilot.press("enter")  # Enter on a valid form saves
        await pilot.pause()
        saved = store.find_by_nik(NIK)
        assert saved is not None
        assert saved.participant.name == "Ni Kadek Sari"
        assert saved.participant.sex is Sex.FEMALE
        assert saved.participant.birth_date == dt.date(1990, 8, 7)
        assert saved.participant.phone == "+6281234567890"
        assert saved.participant.occupation_code == "pedagang_pasar"
        assert saved.desa_code == SESETAN and saved.income_rp == 1_500_000
        assert saved.consent.given and saved.registered_on == TODAY
        assert store.actor is not None and saved.officer_id == store.actor.id
        expected = contribution_for(1_500_000, on=TODAY, sector="other")
        assert saved.monthly_contribution_rp == expected.monthly_rp
        # The form is empty again for the next person, the place kept.
        assert form.query_one("#signup-nik", Input).value == ""
        assert form.values().desa == SESETAN
        assert form.focused is form.query_one("#signup-nik", Input)
    assert store.progress_of(SESETAN).participants == before + 1


async def type_person_rest(pilot: Pilot[None]) -> None:
    await pilot.press(*"Ni Kadek Sari", "tab", "tab", "tab")
    await pilot.press(*"0812 3456 7890", "tab")
    await pilot.press(*"pedagang pasar", "enter", "tab", "tab")
    await pilot.press(*"sesetan", "enter", "tab", "tab", "tab")
    await pilot.press(*"1500000")
    await pilot.pause()


async def test_invalid_nik_is_explained_and_nothing_saved(app: FieldApp, store: Store) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(app, pilot)
        await fill(form, pilot, nik="517101470890000")  # 15 digits
        await tick_consent(form, pilot)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert message(form, "nik") == "NIK harus 16 angka; yang diketik 15 angka."
        assert form.query_one("#field-nik", FormField).tone is Tone.ERROR
        nik = form.query_one("#signup-nik", Input)
        nik.value = "5171017208900001"  # day 32: no such date
        await pilot.pause()
        assert "bukan tanggal yang ada" in message(form, "nik")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert form.focused is nik  # sent back to the field at fault
    assert store.list_signups().total == 0


async def test_phone_checked_when_leaving_the_field(app: FieldApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(app, pilot)
        form.query_one("#signup-phone", Input).focus()
        await pilot.press(*"0812", "tab")
        await pilot.pause()
        assert message(form, "phone").startswith("Nomor HP terlalu pendek.")
        assert form.query_one("#field-phone", FormField).tone is Tone.ERROR
        form.query_one("#signup-phone", Input).value = "0812 3456 7890"
        await pilot.pause()
        assert message(form, "phone") == "0812-3456-7890"


async def test_nik_from_outside_bali_warns_but_saves(app: FieldApp, store: Store) -> None:
    jakarta = "3171014708900001"
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(app, pilot)
        await fill(form, pilot, nik=jakarta)
        assert "luar Bali" in message(form, "nik")
        assert form.query_one("#field-nik", FormField).tone is Tone.WARNING
        await tick_consent(form, pilot)
        await pilot.press("enter")
        await pilot.pause()
    assert store.find_by_nik(jakarta) is not None


async def test_employer_must_take_jht(app: FieldApp, store: Store) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(app, pilot)
        await fill(form, pilot)
        form.query_one("#signup-category").value = BpuCategory.PEMBERI_KERJA  # type: ignore[attr-defined]
        await pilot.pause()
        jht = form.query_one("#signup-jht", Checkbox)
        assert jht.value and jht.disabled
        expected = contribution_for(1_500_000, on=TODAY, category=BpuCategory.PEMBERI_KERJA)
        shown = str(form.query_one("#signup-contribution", Static).content)
        assert fmt_money(expected.monthly_rp) in shown and "JHT" in shown
        await tick_consent(form, pilot)
        await pilot.press("ctrl+s")
        await pilot.pause()
    saved = store.find_by_nik(NIK)
    assert saved is not None and saved.jht and saved.category is BpuCategory.PEMBERI_KERJA
    assert saved.monthly_contribution_rp == expected.monthly_rp


async def test_duplicate_nik_shows_the_record_and_blocks(app: FieldApp, store: Store) -> None:
    assert store.actor is not None
    existing = store.create_signup(
        make_signup(store.actor.id, name="Ni Luh Sekar", registered_on=dt.date(2025, 6, 2))
    )
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(app, pilot)
        await pilot.press(*existing.participant.nik)
        await pilot.pause()
        shown = message(form, "nik")
        assert "Sudah terdaftar: Ni Luh Sekar" in shown and "Ctrl+O" in shown
        assert "2 Jun 2025" in shown
        keys = {b.binding.action for b in form.active_bindings.values()}
        assert "open_existing" in keys
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert isinstance(app.screen, RecordDetailScreen)
        assert app.screen.record_id == existing.id
        await pilot.press("escape")
        await pilot.pause()
        back: object = app.screen
        assert back is form
        await fill(form, pilot, nik=existing.participant.nik)
        await tick_consent(form, pilot)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "NIK" in str(form.query_one("#signup-status", Static).content)
        # A NIK no longer taken: the footer stops offering Ctrl+O (it kept it before).
        assert "Buka data itu" in _footer_labels(form)
        form.query_one("#signup-nik", Input).focus()
        await pilot.press("end", "backspace")
        await pilot.pause()
        await pilot.pause()
        assert "Buka data itu" not in _footer_labels(form)
    assert store.list_signups().total == 1


def _footer_labels(screen: SignUpFormScreen) -> list[str]:
    from textual.widgets._footer import FooterKey

    return [str(key.description) for key in screen.query(FooterKey)]


async def test_contribution_shown_live_with_discount(app: FieldApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(app, pilot)
        await fill(form, pilot)
        form.query_one("#signup-months").value = 3  # type: ignore[attr-defined]
        await pilot.pause()
        expected = contribution_for(1_500_000, on=TODAY, sector="other", months=3)
        assert expected.monthly_discount_rp > 0  # PP 50/2025 in force on 24 Nov 2026
        shown = str(form.query_one("#signup-contribution", Static).content)
        assert fmt_money(expected.monthly_rp) in shown
        assert fmt_money(expected.period_rp) in shown
        assert "Diskon 50%" in shown and "31 Des 2026" in shown
        assert fmt_money(expected.period_rp) in message(form, "months")


async def test_consent_is_required(app: FieldApp, store: Store) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(app, pilot)
        await fill(form, pilot)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert message(form, "consent") == "Persetujuan peserta wajib dicatat sebelum menyimpan."
        assert form.focused is form.query_one("#signup-consent", Checkbox)
        assert form.query_one("#signup-nik", Input).value == NIK  # everything typed is kept
    assert store.find_by_nik(NIK) is None


async def test_store_error_is_shown_and_the_form_kept(
    app: FieldApp, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    def locked(signup: object) -> None:
        raise StoreLocked()

    monkeypatch.setattr(store, "create_signup", locked)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(app, pilot)
        await fill(form, pilot)
        await tick_consent(form, pilot)
        await pilot.press("ctrl+s")
        await pilot.pause()
        status = str(form.query_one("#signup-status", Static).content)
        assert status == StoreLocked().message()
        assert form.query_one("#signup-nik", Input).value == NIK
        assert form.query_one("#signup-name", Input).value == "Ni Kadek Sari"
        assert form.values().consent


async def test_paid_now_records_the_payment(app: FieldApp, store: Store) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(app, pilot)
        await fill(form, pilot)
        form.query_one("#signup-months").value = 3  # type: ignore[attr-defined]
        form.query_one("#signup-paid", Checkbox).value = True
        await pilot.pause()
        form.query_one("#signup-receipt", Input).value = "KW-0042"
        await tick_consent(form, pilot)
        await pilot.press("ctrl+s")
        await pilot.pause()
    saved = store.find_by_nik(NIK)
    assert saved is not None
    due = contribution_for(1_500_000, on=TODAY, sector="other", months=3).period_rp
    assert saved.payments == (
        Payment(
            months=3,
            amount_rp=due,
            period_start=dt.date(2026, 11, 1),
            paid_on=TODAY,
            method=PaymentMethod.CASH,
            receipt_no="KW-0042",
        ),
    )


async def test_current_visit_sets_the_place(app: FieldApp, store: Store) -> None:
    assert store.actor is not None
    visit = store.create_visit(make_visit(store.actor.id))
    app.current_visit = visit
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(app, pilot)
        assert form.values().desa == SESETAN
        form.query_one("#signup-nik", Input).value = NIK
        form.query_one("#signup-name", Input).value = "Ni Kadek Sari"
        form.query_one(OccupationPicker).code = "pedagang_pasar"
        form.query_one("#signup-income", Input).value = "1500000"
        await pilot.pause()
        await tick_consent(form, pilot)
        await pilot.press("ctrl+s")
        await pilot.pause()
    saved = store.find_by_nik(NIK)
    assert saved is not None and saved.visit_id == visit.id and saved.desa_code == SESETAN


async def test_edit_with_reason_goes_into_history(app: FieldApp, store: Store) -> None:
    assert store.actor is not None
    signup = make_signup(store.actor.id, name="Ni Made Ayu")
    person = dataclasses.replace(signup.participant, occupation_code="pedagang_pasar")
    signup = store.create_signup(dataclasses.replace(signup, participant=person))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f4")
        await pilot.pause()
        results: list[object] = []
        app.push_screen(SignUpFormScreen(signup), results.append)
        await pilot.pause()
        form = app.screen
        assert isinstance(form, SignUpFormScreen)
        assert form.query_one("#signup-name", Input).value == "Ni Made Ayu"
        assert "Sudah terdaftar" not in message(form, "nik")  # its own NIK is no duplicate
        name = form.query_one("#signup-name", Input)
        name.focus()
        name.value = "Ni Made Ayu Lestari"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press(*"nama lengkap sesuai KTP", "enter")
        await pilot.pause()
        assert isinstance(app.screen, SignUpsScreen)
    assert store.get_signup(signup.id).participant.name == "Ni Made Ayu Lestari"
    edit = store.history(signup.id)[-1]
    assert edit.action is AuditAction.UPDATE and edit.reason == "nama lengkap sesuai KTP"
    change = next(c for c in edit.changes if c.field == "participant.name")
    assert (change.before, change.after) == ("Ni Made Ayu", "Ni Made Ayu Lestari")


async def test_escape_asks_before_losing_typed_work(app: FieldApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(app, pilot)
        await pilot.press(*"5171")
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is not form  # the question
        await pilot.press("escape")  # keep editing
        await pilot.pause()
        assert app.screen is form and form.query_one("#signup-nik", Input).value == "5171"
        await pilot.press("escape", "y")
        await pilot.pause()
        assert isinstance(app.screen, SignUpsScreen)


async def test_likely_duplicate_warns(app: FieldApp, store: Store) -> None:
    assert store.actor is not None
    other = make_signup(store.actor.id, name="Ni Kadek Sari")
    other = dataclasses.replace(
        other,
        participant=dataclasses.replace(
            other.participant, nik=make_nik("51.71.02", dt.date(1990, 8, 7), Sex.FEMALE, 9)
        ),
    )
    store.create_signup(other)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(app, pilot)
        await fill(form, pilot)
        assert "Mungkin orang yang sama" in message(form, "name")
        assert form.query_one("#field-name", FormField).tone is Tone.WARNING


async def test_english_labels(app: FieldApp) -> None:
    set_language("en")
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(app, pilot)
        assert form.query_one("#field-name", FormField).label_text == "Name (KTP)"
        await pilot.press(*NIK)
        await pilot.pause()
        assert message(form, "nik").startswith("female")
        descriptions = {b.binding.description for b in form.active_bindings.values()}
        assert "Save" in descriptions and "Back" in descriptions


def _steady(form: SignUpFormScreen) -> None:
    for field in form.query(Input):
        field.cursor_blink = False  # a steady cursor, so the picture does not depend on time


async def _open_empty(pilot: Pilot[None]) -> None:
    form = await open_form(pilot.app, pilot)  # type: ignore[arg-type]
    _steady(form)
    await pilot.pause()


async def _open_filled(pilot: Pilot[None]) -> None:
    form = await open_form(pilot.app, pilot)  # type: ignore[arg-type]
    await fill(form, pilot)
    await tick_consent(form, pilot)
    form.query_one("#signup-income", Input).focus()
    _steady(form)
    await pilot.pause()


def test_snapshot_form_empty(snap_compare: Any, app: FieldApp) -> None:
    assert snap_compare(app, terminal_size=(80, 24), run_before=_open_empty)


def test_snapshot_form_filled(snap_compare: Any, app: FieldApp) -> None:
    assert snap_compare(app, terminal_size=(80, 24), run_before=_open_filled)


async def test_keys_arriving_in_a_burst_land_in_the_field_tabbed_to(app: FieldApp) -> None:
    """Over a slow SSH link keystrokes arrive in bursts: a Tab and the name typed after it
    reach the app together. The name must land in the name field, not in the NIK field the
    Tab was leaving (Textual forwards keys to the focused widget before a Tab binding bubbles
    up, so Tab is handled first, as a priority key)."""
    from textual import events

    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(app, pilot)
        await pilot.press(*NIK)
        await pilot.pause()
        burst = ["tab", *"Ni Made Ayu"]
        for key in burst:  # all queued before the app handles the first
            char = key if len(key) == 1 else ("\t" if key == "tab" else None)
            app.post_message(events.Key(key, char))
        await pilot.pause()
        await pilot.pause()
        assert form.query_one("#signup-nik", Input).value == NIK
        assert form.query_one("#signup-name", Input).value == "Ni Made Ayu"


async def test_keys_arriving_in_a_burst_after_enter_go_to_the_next_field(app: FieldApp) -> None:
    """Enter on an incomplete form moves to the next field; the keys right behind it (a burst)
    must follow it there."""
    from textual import events

    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(app, pilot)
        await pilot.press(*NIK)
        await pilot.pause()
        for key in ["enter", *"Ni Made Ayu"]:
            app.post_message(events.Key(key, "\r" if key == "enter" else key))
        await pilot.pause()
        await pilot.pause()
        assert form.query_one("#signup-nik", Input).value == NIK
        assert form.query_one("#signup-name", Input).value == "Ni Made Ayu"
