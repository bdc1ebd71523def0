"""What the record detail screen says about fields and history entries (no Textual)."""

from __future__ import annotations

import datetime as dt

from fieldtui.domain.clock import WITA
from fieldtui.domain.models import AuditAction, AuditEntry, FieldChange, RecordKind, Sex
from fieldtui.domain.nik import format_nik, make_nik, mask_nik
from fieldtui.i18n import set_language
from fieldtui.screens.record_history import change_text, field_label, history_lines, value_text
from fieldtui.screens.record_view import Names

NAMES = Names(
    officer=lambda i: {"o1": "Wayan Sudarma"}.get(i, i),
    banjar=lambda i: {"b1": "Banjar Kaja"}.get(i, i),
    visit=lambda i: i,
)
NIK = make_nik("51.71.01", dt.date(1990, 8, 7), Sex.FEMALE, 1)
AT = dt.datetime(2026, 11, 24, 19, 5, tzinfo=WITA)


def test_field_labels() -> None:
    assert field_label("participant.name") == "Nama"
    assert field_label("payments.0.amount_rp") == "Pembayaran 1 · Jumlah"
    assert field_label("payments.2") == "Pembayaran 3"
    assert field_label("something.new") == "something.new"
    set_language("en")
    assert field_label("income_rp") == "Income"


def test_values_are_formatted_and_personal_data_masked() -> None:
    assert value_text("participant.nik", NIK, NAMES, revealed=False) == mask_nik(NIK)
    assert value_text("participant.nik", NIK, NAMES, revealed=True) == format_nik(NIK)
    assert value_text("participant.phone", "+6281234567890", NAMES, revealed=False) == (
        "+62812*****890"
    )
    assert value_text("income_rp", 1_500_000, NAMES, revealed=False) == "Rp1.500.000"
    assert value_text("registered_on", "2026-11-24", NAMES, revealed=False) == "24 Nov 2026"
    assert value_text("jht", True, NAMES, revealed=False) == "Ya"
    assert value_text("notes", "", NAMES, revealed=False) == "–"
    assert value_text("review_state", "has_issues", NAMES, revealed=False) == "Perlu perbaikan"
    assert value_text("participant.sex", "P", NAMES, revealed=False) == "perempuan"
    assert value_text("banjar_id", "b1", NAMES, revealed=False) == "Banjar Kaja"
    assert value_text("desa_code", "51.71.01.1003", NAMES, revealed=False) == "Kel. Sesetan"
    payment = {
        "months": 3,
        "amount_rp": 25200,
        "period_start": "2026-11-01",
        "paid_on": "2026-11-24",
        "method": "transfer",
        "receipt_no": "",
    }
    text = value_text("payments.1", payment, NAMES, revealed=False)
    assert text.startswith("3 bln · Rp25.200 · transfer")


def test_change_text() -> None:
    change = FieldChange(field="participant.name", before="Ni Luh", after="Ni Luh Ayu")
    assert change_text(change, NAMES, revealed=False) == "Nama: Ni Luh → Ni Luh Ayu"


def _entry(action: AuditAction, *changes: FieldChange, seconds: int = 0) -> AuditEntry:
    return AuditEntry(
        actor_id="o1",
        action=action,
        record_kind=RecordKind.SIGNUP,
        record_id="s1",
        changes=changes,
        at=AT + dt.timedelta(seconds=seconds),
    )


def test_history_newest_first_with_one_line_per_reveal() -> None:
    created = _entry(
        AuditAction.CREATE, FieldChange(field="participant.name", before=None, after="A")
    )
    nik = _entry(AuditAction.REVEAL, FieldChange(field="participant.nik", before=None, after=None))
    phone = _entry(
        AuditAction.REVEAL, FieldChange(field="participant.phone", before=None, after=None)
    )
    deleted = AuditEntry(
        actor_id="o1",
        action=AuditAction.DELETE,
        record_kind=RecordKind.SIGNUP,
        record_id="s1",
        changes=(FieldChange(field="deleted_reason", before="", after="dobel"),),
        reason="dobel",
        at=AT,
    )
    lines = history_lines([created, nik, phone, deleted], NAMES, revealed=False)
    assert [line.head for line in lines] == [
        "24 Nov 2026 19.05 · Wayan Sudarma · Dihapus",
        "24 Nov 2026 19.05 · Wayan Sudarma · NIK/HP dibuka",
        "24 Nov 2026 19.05 · Wayan Sudarma · Dibuat",
    ]
    assert lines[0].reason == "Alasan: dobel" and lines[0].changes == []
    assert lines[1].changes == ["Dibuka: NIK, Nomor HP"]
    assert lines[2].changes == []  # a creation's fields are all shown above
