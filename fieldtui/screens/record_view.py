"""What the record detail screen shows, as translated text: field rows and history lines.

Pure formatting over the domain's records; names of officers, banjars and visits come through
`Names` (the screen reads them from the store), so this module is tested without Textual.
NIKs and phone numbers are masked unless ``revealed`` — in the rows and in the history diffs.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace

from fieldtui.domain import occupations
from fieldtui.domain.models import (
    AuditAction,
    AuditEntry,
    FieldChange,
    Payment,
    PaymentMethod,
    SignUp,
    Visit,
)
from fieldtui.domain.nik import format_nik, mask_nik, parse_nik
from fieldtui.domain.phone import format_phone, mask_phone
from fieldtui.domain.regions import gazetteer
from fieldtui.i18n import fmt_date, fmt_datetime, fmt_money, fmt_number, t

Row = tuple[str, str]  # label, value

# Dotted field paths (as in audit diffs) -> the label key of the field.
_LABELS = {
    "id": "id",
    "participant.nik": "nik",
    "participant.name": "name",
    "participant.birth_date": "birth_date",
    "participant.sex": "sex",
    "participant.phone": "phone",
    "participant.occupation_code": "occupation",
    "participant.address": "address",
    "desa_code": "desa",
    "banjar_id": "banjar",
    "visit_id": "visit",
    "income_rp": "income",
    "category": "category",
    "jht": "jht",
    "government_funded": "government_funded",
    "monthly_contribution_rp": "monthly",
    "payments": "payments",
    "agent": "agent",
    "notes": "notes",
    "consent.given": "consent",
    "consent.at": "consent_at",
    "consent.recorded_by": "consent_by",
    "review_state": "review",
    "officer_id": "officer",
    "registered_on": "registered_on",
    "created_at": "created",
    "updated_at": "updated",
    "deleted_at": "deleted_at",
    "deleted_reason": "deleted_reason",
    "visit_type": "visit_type",
    "started_at": "started_at",
    "event_name": "event_name",
    "counterpart_name": "counterpart_name",
    "counterpart_role": "counterpart_role",
    "attendees": "attendees",
    "follow_up_on": "follow_up_on",
}
_PAYMENT = re.compile(r"^payments\.(\d+)(?:\.(\w+))?$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T")
# Enumerated values and the catalog section that names them.
_ENUMS = {
    "category": "detail.category",
    "review_state": "detail.review",
    "visit_type": "detail.visit_type",
    "method": "detail.method",
}
_SEX = {"L": "nik.sex.male", "P": "nik.sex.female"}
# Diffs not shown: a delete or restore says when and why in the entry's own head and reason.
_SKIPPED = {
    AuditAction.DELETE: frozenset({"deleted_at", "deleted_reason"}),
    AuditAction.RESTORE: frozenset({"deleted_at", "deleted_reason"}),
}


@dataclass(frozen=True)
class Names:
    """How ids become names: officers, banjars and visits (the screen reads the store)."""

    officer: Callable[[str], str]
    banjar: Callable[[str], str]
    visit: Callable[[str], str]


@dataclass(frozen=True)
class HistoryLine:
    """One audit entry as shown: a head (when · who · what), the reason, the changes."""

    head: str
    reason: str = ""
    changes: list[str] = field(default_factory=list)


def none() -> str:
    """The sign for an empty value."""
    return t("detail.none")


def yes_no(value: bool) -> str:
    """'Ya' / 'Tidak'."""
    return t("detail.yes") if value else t("detail.no")


def desa_name(code: str) -> str:
    """'Kel. Sesetan, Denpasar Selatan, Kota Denpasar' (the code itself when unknown)."""
    return gazetteer().describe(code)


def desa_short(code: str) -> str:
    """'Kel. Sesetan'."""
    region = gazetteer().get(code)
    return region.display_name if region is not None else code


def nik_text(nik: str, *, revealed: bool) -> str:
    """The NIK masked (5171********0001) or, once revealed, in groups of four."""
    return format_nik(nik) if revealed else mask_nik(nik)


def phone_text(phone: str | None, *, revealed: bool) -> str:
    """The mobile number masked or, once revealed, as officers write it."""
    if not phone:
        return none()
    return format_phone(phone) if revealed else mask_phone(phone)


def payment_text(p: Payment) -> str:
    """'3 bln · Rp25.200 · tunai · dibayar 24 Nov 2026 · masa 1 Nov 2026 s.d. 31 Jan 2027'."""
    text = t(
        "detail.payment.line",
        months=p.months,
        amount=fmt_money(p.amount_rp),
        method=t(f"detail.method.{p.method.value}"),
        paid_on=fmt_date(p.paid_on),
        start=fmt_date(p.period_start),
        end=fmt_date(p.covered_until - dt.timedelta(days=1)),
    )
    if p.receipt_no:
        text += " · " + t("detail.payment.receipt", receipt=p.receipt_no)
    return text


def _sex_birth(s: SignUp, today: dt.date) -> str:
    p = s.participant
    summary = t("nik.summary", sex=t(_SEX[p.sex.value]), date=fmt_date(p.birth_date, long=True))
    from_nik = parse_nik(p.nik, today=today)
    if from_nik.ok and (from_nik.birth_date, from_nik.sex) != (p.birth_date, p.sex):
        return t("detail.nik_differs", summary=summary, nik_summary=from_nik.summary())
    return summary


def signup_rows(s: SignUp, names: Names, *, revealed: bool, today: dt.date) -> list[Row]:
    """Every field of a sign-up, formatted for the current language."""
    p = s.participant

    def label(key: str) -> str:
        return t(f"detail.field.{key}")

    programmes = "JKK + JKM" + (" + JHT" if s.jht else "")
    rows: list[Row] = [
        (label("nik"), nik_text(p.nik, revealed=revealed)),
        (label("name"), p.name),
        (label("sex_birth"), _sex_birth(s, today)),
        (label("phone"), phone_text(p.phone, revealed=revealed)),
        (
            label("occupation"),
            occupations.label(p.occupation_code) if p.occupation_code else none(),
        ),
    ]
    if p.address:
        rows.append((label("address"), p.address))
    rows += [
        (label("desa"), desa_name(s.desa_code)),
        (label("banjar"), names.banjar(s.banjar_id) if s.banjar_id else none()),
        (label("visit"), names.visit(s.visit_id) if s.visit_id else none()),
        (label("income"), fmt_money(s.income_rp)),
        (label("category"), t(f"detail.category.{s.category.value}")),
        (label("programmes"), programmes),
    ]
    if s.government_funded:
        rows.append((label("government_funded"), yes_no(True)))
    rows.append(
        (
            label("monthly"),
            t(
                "detail.signup_date",
                amount=fmt_money(s.monthly_contribution_rp),
                date=fmt_date(s.registered_on),
            ),
        )
    )
    for n, payment in enumerate(s.payments, start=1):
        rows.append((t("detail.field.payment", n=n), payment_text(payment)))
    paid_until = s.paid_until
    rows.append(
        (
            label("paid_until"),
            t("detail.paid_until", date=fmt_date(paid_until - dt.timedelta(days=1)))
            if paid_until is not None
            else t("detail.not_paid"),
        )
    )
    if s.agent:
        rows.append((label("agent"), s.agent))
    rows.append((label("consent"), _consent(s, names)))
    if s.notes:
        rows.append((label("notes"), s.notes))
    rows.append((label("registered_on"), fmt_date(s.registered_on)))
    rows += _common_rows(s.review_state.value, s.officer_id, s.created_at, s.updated_at, names)
    return rows


def _consent(s: SignUp, names: Names) -> str:
    consent = s.consent
    if not consent.given:
        return t("detail.consent_no")
    if consent.at is None:
        return yes_no(True)
    officer = names.officer(consent.recorded_by) if consent.recorded_by else none()
    return t("detail.consent_given", when=fmt_datetime(consent.at), officer=officer)


def _common_rows(
    review: str, officer_id: str, created: dt.datetime, updated: dt.datetime, names: Names
) -> list[Row]:
    return [
        (t("detail.field.review"), t(f"detail.review.{review}")),
        (t("detail.field.officer"), names.officer(officer_id)),
        (t("detail.field.created"), fmt_datetime(created)),
        (t("detail.field.updated"), fmt_datetime(updated)),
    ]


def visit_rows(v: Visit, names: Names) -> list[Row]:
    """Every field of a visit, formatted for the current language."""

    def label(key: str) -> str:
        return t(f"detail.field.{key}")

    counterpart = v.counterpart_name or none()
    if v.counterpart_name and v.counterpart_role:
        counterpart = t("detail.counterpart", name=v.counterpart_name, role=v.counterpart_role)
    rows: list[Row] = [
        (label("visit_type"), t(f"detail.visit_type.{v.visit_type.value}")),
        (label("started_at"), fmt_datetime(v.started_at)),
        (label("desa"), desa_name(v.desa_code)),
        (label("banjar"), names.banjar(v.banjar_id) if v.banjar_id else none()),
        (label("event_name"), v.event_name or none()),
        (label("counterpart"), counterpart),
        (label("attendees"), fmt_number(v.attendees)),
        (label("follow_up_on"), fmt_date(v.follow_up_on) if v.follow_up_on else none()),
    ]
    if v.notes:
        rows.append((label("notes"), v.notes))
    rows += _common_rows(v.review_state.value, v.officer_id, v.created_at, v.updated_at, names)
    return rows


def visit_title(v: Visit) -> str:
    """'Kunjungan · Sosialisasi banjar · Kel. Sesetan · 24 Nov 2026'."""
    return t(
        "detail.title_visit",
        type=t(f"detail.visit_type.{v.visit_type.value}"),
        desa=desa_short(v.desa_code),
        date=fmt_date(v.started_at.date()),
    )


# -- history ---------------------------------------------------------------------------------


def field_label(path: str) -> str:
    """A dotted field path in words: 'participant.name' -> 'Nama', 'payments.0.amount_rp' ->
    'Pembayaran 1 · Jumlah'; an unknown path shows as itself."""
    match = _PAYMENT.match(path)
    if match is not None:
        head = t("detail.field.payment", n=int(match.group(1)) + 1)
        leaf = match.group(2)
        return f"{head} · {t(f'detail.payment.{leaf}')}" if leaf else head
    key = _LABELS.get(path)
    return t(f"detail.field.{key}") if key else path


def value_text(path: str, value: object, names: Names, *, revealed: bool) -> str:
    """A value from an audit diff (JSON as stored), formatted for the current language."""
    if value is None or value == "":
        return none()
    leaf = path.rsplit(".", 1)[-1]
    if isinstance(value, bool):
        return yes_no(value)
    if isinstance(value, Mapping):
        if _PAYMENT.match(path):
            return _payment_json(value)
        return ", ".join(f"{k}={v}" for k, v in value.items())
    if leaf == "nik":
        return nik_text(str(value), revealed=revealed)
    if leaf == "phone":
        return phone_text(str(value), revealed=revealed)
    if isinstance(value, int) and leaf.endswith("_rp"):
        return fmt_money(value)
    if isinstance(value, int):
        return fmt_number(value)
    text = str(value)
    return _named(path, leaf, text, names)


def _named(path: str, leaf: str, text: str, names: Names) -> str:
    if leaf in _ENUMS:
        key = f"{_ENUMS[leaf]}.{text}"
        translated = t(key)
        return translated if translated != key else text
    if path == "participant.sex" and text in _SEX:
        return t(_SEX[text])
    if leaf == "desa_code":
        return desa_short(text)
    if leaf == "banjar_id":
        return names.banjar(text)
    if leaf == "visit_id":
        return names.visit(text)
    if leaf in ("officer_id", "recorded_by"):
        return names.officer(text)
    if leaf == "occupation_code":
        return occupations.label(text)
    if _DATETIME.match(text):
        try:
            return fmt_datetime(dt.datetime.fromisoformat(text))
        except ValueError:
            return text
    if _DATE.match(text):
        try:
            return fmt_date(dt.date.fromisoformat(text))
        except ValueError:
            return text
    return text


def _payment_json(value: Mapping[str, object]) -> str:
    try:
        payment = Payment(
            months=int(str(value["months"])),
            amount_rp=int(str(value["amount_rp"])),
            period_start=dt.date.fromisoformat(str(value["period_start"])),
            paid_on=dt.date.fromisoformat(str(value["paid_on"])),
            method=PaymentMethod(str(value.get("method", PaymentMethod.CASH.value))),
            receipt_no=str(value.get("receipt_no", "")),
        )
    except (KeyError, ValueError):
        return ", ".join(f"{k}={v}" for k, v in value.items())
    return payment_text(payment)


def change_text(change: FieldChange, names: Names, *, revealed: bool) -> str:
    """'Nama: Ni Luh Ayu → Ni Luh Ayu Lestari'."""
    return t(
        "detail.entry.change",
        field=field_label(change.field),
        before=value_text(change.field, change.before, names, revealed=revealed),
        after=value_text(change.field, change.after, names, revealed=revealed),
    )


def history_line(entry: AuditEntry, names: Names, *, revealed: bool) -> HistoryLine:
    """One audit entry in words. A creation lists no fields (they are all above)."""
    head = t(
        "detail.entry.head",
        when=fmt_datetime(entry.at),
        who=names.officer(entry.actor_id),
        action=t(f"detail.action.{entry.action.value}"),
    )
    reason = t("detail.entry.reason", reason=entry.reason) if entry.reason else ""
    changes: list[str] = []
    if entry.action is AuditAction.REVEAL:
        fields = ", ".join(field_label(c.field) for c in entry.changes)
        changes.append(t("detail.entry.revealed", fields=fields))
    elif entry.action is not AuditAction.CREATE:
        skipped = _SKIPPED.get(entry.action, frozenset())
        changes = [
            change_text(c, names, revealed=revealed)
            for c in entry.changes
            if c.field not in skipped
        ]
    return HistoryLine(head=head, reason=reason, changes=changes)


def history_lines(entries: list[AuditEntry], names: Names, *, revealed: bool) -> list[HistoryLine]:
    """The history newest first; one reveal of NIK and phone together shows as one entry."""
    merged: list[AuditEntry] = []
    for entry in entries:
        last = merged[-1] if merged else None
        if (
            last is not None
            and entry.action is AuditAction.REVEAL
            and last.action is AuditAction.REVEAL
            and entry.actor_id == last.actor_id
            and entry.reason == last.reason
            and abs((entry.at - last.at).total_seconds()) < 60
        ):
            merged[-1] = replace(last, changes=last.changes + entry.changes)
        else:
            merged.append(entry)
    return [history_line(entry, names, revealed=revealed) for entry in reversed(merged)]
