"""A record's history as translated text: who did what when, why, and which fields changed.

Field paths of the audit diffs ("participant.name", "payments.0.amount_rp") are put in words,
values formatted for the language (money, dates, names for ids), and NIKs and phone numbers
masked unless ``revealed``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from rich.console import Group, RenderableType
from rich.text import Text

from fieldtui.domain import occupations
from fieldtui.domain.models import AuditAction, AuditEntry, FieldChange, Payment, PaymentMethod
from fieldtui.i18n import fmt_date, fmt_datetime, fmt_money, fmt_number, t
from fieldtui.screens.record_view import (
    SEX_KEYS,
    Names,
    desa_short,
    nik_text,
    none,
    payment_text,
    phone_text,
    yes_no,
)

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
# Diffs not shown: a delete or restore says when and why in the entry's own head and reason.
_SKIPPED = {
    AuditAction.DELETE: frozenset({"deleted_at", "deleted_reason"}),
    AuditAction.RESTORE: frozenset({"deleted_at", "deleted_reason"}),
}


@dataclass(frozen=True)
class HistoryLine:
    """One audit entry as shown: a head (when · who · what), the reason, the changes."""

    head: str
    reason: str = ""
    changes: list[str] = field(default_factory=list)


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
    if path == "participant.sex" and text in SEX_KEYS:
        return t(SEX_KEYS[text])
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


def history_group(lines: list[HistoryLine]) -> RenderableType:
    """Newest first: a bold head per entry, then its reason and the changed fields."""
    if not lines:
        return Text(t("detail.history_empty"), style="italic")
    parts: list[RenderableType] = []
    for line in lines:
        parts.append(Text(line.head, style="bold"))
        if line.reason:
            parts.append(Text("  " + line.reason, style="italic"))
        parts.extend(Text("  • " + change) for change in line.changes)
        parts.append(Text(""))
    return Group(*parts[:-1])
