"""The columns of exported files: one stable key per column, its cell type and its header.

Export writes the headers in the current language (Bahasa Indonesia by default); import reads
files with headers in either language, or the bare keys, and maps them back with
`key_for_header`. The keys never change meaning: they are the contract between the two.
Headers live in the i18n catalogs as ``export.column.<key>`` (locales/*/export.toml).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from functools import cache

from fieldtui.i18n import LANGUAGES, Lang, get_language, t_in


class ExportKind(StrEnum):
    """What can be exported (and imported)."""

    SIGNUPS = "signups"
    VISITS = "visits"
    PROGRESS = "progress"


class CellType(StrEnum):
    """How a column's values are written: CSV as plain text, XLSX as typed cells."""

    TEXT = "text"
    INT = "int"
    MONEY = "money"  # whole rupiah, an integer
    DATE = "date"  # ISO yyyy-mm-dd in CSV
    DATETIME = "datetime"  # ISO with offset in CSV (WITA)
    BOOL = "bool"  # 1 / 0 in CSV
    PERCENT = "percent"  # a ratio (0.336 for 33.6%)


@dataclass(frozen=True, slots=True)
class Column:
    """One exported column."""

    key: str
    type: CellType = CellType.TEXT
    personal: bool = False  # masked unless the export is explicitly unmasked (UU 27/2022)
    width: int = 14  # XLSX column width, in characters

    def header(self, lang: Lang | None = None) -> str:
        """The column's header in ``lang`` (default: the language in use)."""
        return t_in(lang or get_language(), f"export.column.{self.key}")


_T, _I, _M, _D, _DT, _B, _P = (
    CellType.TEXT,
    CellType.INT,
    CellType.MONEY,
    CellType.DATE,
    CellType.DATETIME,
    CellType.BOOL,
    CellType.PERCENT,
)

SIGNUP_COLUMNS: tuple[Column, ...] = (
    Column("id", _T, width=28),
    Column("nik", _T, personal=True, width=18),
    Column("name", _T, width=28),
    Column("sex", _T, width=6),  # L / P as on the KTP
    Column("birth_date", _D, width=12),
    Column("phone", _T, personal=True, width=16),
    Column("address", _T, width=28),
    Column("occupation_code", _T, width=16),
    Column("occupation", _T, width=24),
    Column("kabkota", _T, width=18),
    Column("kecamatan", _T, width=18),
    Column("desa_code", _T, width=14),
    Column("desa", _T, width=20),
    Column("banjar_id", _T, width=28),
    Column("banjar", _T, width=20),
    Column("officer", _T, width=16),  # the officer's username
    Column("registered_on", _D, width=12),
    Column("category", _T, width=18),  # BpuCategory value
    Column("income_rp", _M, width=14),
    Column("jht", _B, width=6),
    Column("government_funded", _B, width=8),
    Column("monthly_contribution_rp", _M, width=14),
    Column("payments", _I, width=8),  # how many payments were recorded
    Column("paid_total_rp", _M, width=14),
    Column("last_paid_on", _D, width=12),
    Column("last_payment_months", _I, width=8),
    Column("last_payment_rp", _M, width=14),
    Column("last_payment_method", _T, width=12),  # PaymentMethod value
    Column("last_receipt_no", _T, width=14),
    Column("paid_until", _D, width=12),  # first day no payment covers
    Column("agent", _T, width=18),
    Column("visit_id", _T, width=28),
    Column("consent", _B, width=8),
    Column("consent_at", _DT, width=18),
    Column("review_state", _T, width=12),  # ReviewState value
    Column("notes", _T, width=30),
    Column("created_at", _DT, width=18),
    Column("updated_at", _DT, width=18),
)

VISIT_COLUMNS: tuple[Column, ...] = (
    Column("id", _T, width=28),
    Column("started_at", _DT, width=18),
    Column("visit_type", _T, width=14),  # VisitType value
    Column("kabkota", _T, width=18),
    Column("kecamatan", _T, width=18),
    Column("desa_code", _T, width=14),
    Column("desa", _T, width=20),
    Column("banjar_id", _T, width=28),
    Column("banjar", _T, width=20),
    Column("officer", _T, width=16),
    Column("event_name", _T, width=24),
    Column("counterpart_name", _T, width=22),
    Column("counterpart_role", _T, width=18),
    Column("attendees", _I, width=8),
    Column("follow_up_on", _D, width=12),
    Column("review_state", _T, width=12),
    Column("notes", _T, width=30),
    Column("created_at", _DT, width=18),
    Column("updated_at", _DT, width=18),
)

PROGRESS_COLUMNS: tuple[Column, ...] = (
    Column("level", _T, width=12),  # branch, kabkota, kecamatan, desa, banjar, total
    Column("region_code", _T, width=16),
    Column("region", _T, width=28),
    Column("parent_code", _T, width=16),
    Column("period", _T, width=12),  # '2017', '2026-11', 'start..end' or 'all'
    Column("target", _I, width=10),
    Column("participants", _I, width=10),  # live sign-ups registered up to the period's end
    Column("pct_of_target", _P, width=10),
    Column("new_signups", _I, width=10),  # registered within the period
    Column("paid", _I, width=10),
    Column("paid_pct", _P, width=10),
    Column("nonaktif", _I, width=10),
    Column("visits", _I, width=10),  # visits within the period
    Column("last_visit", _D, width=12),
)

COLUMNS: dict[ExportKind, tuple[Column, ...]] = {
    ExportKind.SIGNUPS: SIGNUP_COLUMNS,
    ExportKind.VISITS: VISIT_COLUMNS,
    ExportKind.PROGRESS: PROGRESS_COLUMNS,
}


def columns(kind: ExportKind) -> tuple[Column, ...]:
    """The columns of one kind of export, in file order."""
    return COLUMNS[kind]


def headers(kind: ExportKind, lang: Lang | None = None) -> list[str]:
    """The header row of one kind of export in ``lang`` (default: the language in use)."""
    return [column.header(lang) for column in COLUMNS[kind]]


def fold_header(text: str) -> str:
    """A header as compared: lower case, no accents, no punctuation, single spaces.

    "%" is kept as the word "pct": "% target" must not fold into "Target".
    """
    plain = unicodedata.normalize("NFKD", text.replace("%", " pct "))
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch)).casefold()
    return " ".join("".join(ch if ch.isalnum() else " " for ch in plain).split())


@cache
def header_keys(kind: ExportKind) -> dict[str, str]:
    """Every folded header (id, en, and the key itself) of ``kind`` -> its column key."""
    found: dict[str, str] = {}
    for column in COLUMNS[kind]:
        found.setdefault(fold_header(column.key), column.key)
        for lang in LANGUAGES:
            found.setdefault(fold_header(column.header(lang)), column.key)
    return found


def key_for_header(kind: ExportKind, header: str) -> str | None:
    """The column key a header names (in Indonesian, English or as the key), or None."""
    return header_keys(kind).get(fold_header(header))
