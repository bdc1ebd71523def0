"""What the record detail screen shows about a record, as translated text: its field rows.

Pure formatting over the domain's records; names of officers, banjars and visits come through
`Names` (the screen reads them from the store), so this module is tested without Textual.
NIKs and phone numbers are masked unless ``revealed``. The history is `record_history`'s.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from rich.table import Table
from rich.text import Text

from fieldtui.domain import occupations
from fieldtui.domain.models import (
    Payment,
    SignUp,
    Visit,
)
from fieldtui.domain.nik import format_nik, mask_nik, parse_nik
from fieldtui.domain.phone import format_phone, mask_phone
from fieldtui.domain.regions import gazetteer
from fieldtui.i18n import fmt_date, fmt_datetime, fmt_money, fmt_number, t

Row = tuple[str, str]  # label, value
SEX_KEYS = {"L": "nik.sex.male", "P": "nik.sex.female"}  # Sex value -> catalog key


@dataclass(frozen=True)
class Names:
    """How ids become names: officers, banjars and visits (the screen reads the store)."""

    officer: Callable[[str], str]
    banjar: Callable[[str], str]
    visit: Callable[[str], str]


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
    summary = t("nik.summary", sex=t(SEX_KEYS[p.sex.value]), date=fmt_date(p.birth_date, long=True))
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


def fields_table(rows: list[Row]) -> Table:
    """Label and value in two columns; long values wrap under themselves."""
    width = max((len(label) for label, _ in rows), default=10)
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True, min_width=width)
    table.add_column(ratio=1, overflow="fold")
    for label, value in rows:
        table.add_row(Text(label), Text(value))
    return table
