"""Which column of a spreadsheet holds what: headers in Indonesian or English mapped to keys.

Exports of fieldtui name their columns after `fieldtui.exchange.columns` (either language, or
the bare keys) and map back through it; the spellings officers use in their own spreadsheets
("No KTP", "Tgl Lahir", "No HP", "Desa/Kelurahan"...) are the aliases below. Headers are
compared folded: case, accents, spaces and punctuation do not matter.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from fieldtui.exchange.columns import ExportKind, fold_header, key_for_header

SIGNUP_ALIASES: dict[str, tuple[str, ...]] = {
    "nik": ("nik", "no ktp", "nomor ktp", "no nik", "nomor nik", "ktp", "nik ktp", "id number"),
    "name": ("nama", "nama lengkap", "nama peserta", "nama sesuai ktp", "name", "full name"),
    "birth_date": (
        "tanggal lahir",
        "tgl lahir",
        "tgl. lahir",
        "lahir",
        "date of birth",
        "birth date",
        "dob",
    ),
    "sex": ("jenis kelamin", "kelamin", "jk", "l/p", "sex", "gender"),
    "phone": (
        "hp",
        "no hp",
        "nomor hp",
        "no. hp",
        "telepon",
        "telp",
        "no telp",
        "nomor telepon",
        "handphone",
        "whatsapp",
        "no wa",
        "phone",
        "mobile",
        "phone number",
    ),
    "address": ("alamat", "address"),
    "occupation": ("pekerjaan", "jenis pekerjaan", "profesi", "occupation", "job"),
    "occupation_code": ("kode pekerjaan", "occupation code"),
    "kabkota": ("kabupaten", "kota", "kab/kota", "kabupaten/kota", "regency", "city"),
    "kecamatan": ("kecamatan", "kec", "district"),
    "desa": ("desa", "kelurahan", "desa/kelurahan", "desa/kel", "village"),
    "desa_code": ("kode desa", "kode wilayah", "kode desa/kelurahan", "village code"),
    "banjar": ("banjar", "br", "banjar dinas", "lingkungan", "dusun"),
    "registered_on": (
        "tanggal daftar",
        "tgl daftar",
        "tanggal pendaftaran",
        "registered on",
        "registration date",
    ),
    "category": ("kategori", "kategori bpu", "category"),
    "income_rp": (
        "penghasilan",
        "penghasilan per bulan",
        "pendapatan",
        "upah",
        "income",
        "monthly income",
    ),
    "jht": ("jht", "ikut jht", "program jht", "jaminan hari tua"),
    "government_funded": ("dibiayai pemerintah", "apbn/apbd", "government funded"),
    "last_payment_months": ("bulan bayar", "jumlah bulan", "lama bayar", "months paid"),
    "last_payment_rp": ("jumlah bayar", "dibayar", "nominal bayar", "amount paid"),
    "last_paid_on": ("tanggal bayar", "tgl bayar", "paid on", "payment date"),
    "last_payment_method": ("cara bayar", "metode bayar", "payment method"),
    "last_receipt_no": ("no kuitansi", "nomor kuitansi", "kuitansi", "kwitansi", "receipt no"),
    "agent": ("agen", "agen perisai", "perisai", "wadah", "agent"),
    "notes": ("catatan", "keterangan", "ket", "notes", "remarks"),
    "consent": ("persetujuan", "setuju", "izin data", "consent"),
}

VISIT_ALIASES: dict[str, tuple[str, ...]] = {
    "started_at": ("tanggal", "tanggal kunjungan", "tgl kunjungan", "waktu", "date", "visit date"),
    "time": ("jam", "pukul", "time"),
    "visit_type": ("jenis", "jenis kunjungan", "kegiatan", "type", "visit type"),
    "kabkota": SIGNUP_ALIASES["kabkota"],
    "kecamatan": SIGNUP_ALIASES["kecamatan"],
    "desa": SIGNUP_ALIASES["desa"],
    "desa_code": SIGNUP_ALIASES["desa_code"],
    "banjar": SIGNUP_ALIASES["banjar"],
    "event_name": ("acara", "nama acara", "event"),
    "counterpart_name": ("ditemui", "narasumber", "yang ditemui", "counterpart", "contact person"),
    "counterpart_role": ("jabatan", "jabatan yang ditemui", "role"),
    "attendees": ("peserta", "jumlah peserta", "jumlah hadir", "hadir", "attendees"),
    "follow_up_on": ("tindak lanjut", "tanggal tindak lanjut", "follow up", "follow-up date"),
    "notes": SIGNUP_ALIASES["notes"],
}

ALIASES: dict[ExportKind, dict[str, tuple[str, ...]]] = {
    ExportKind.SIGNUPS: SIGNUP_ALIASES,
    ExportKind.VISITS: VISIT_ALIASES,
}

# Columns a file must have (any one of each group): without them no row can be imported.
REQUIRED: dict[ExportKind, tuple[tuple[str, ...], ...]] = {
    ExportKind.SIGNUPS: (
        ("nik",),
        ("name",),
        ("occupation", "occupation_code"),
        ("desa", "desa_code"),
        ("income_rp",),
        ("consent",),
    ),
    ExportKind.VISITS: (("started_at",), ("desa", "desa_code")),
}


# Either column of a pair can hold the value (see REQUIRED): a problem with one is shown
# against the other when the file has only that one.
_STAND_INS = {
    "desa": "desa_code",
    "desa_code": "desa",
    "occupation": "occupation_code",
    "occupation_code": "occupation",
}


@dataclass(frozen=True)
class HeaderMap:
    """Column key -> index in the row, the header as written, and what was left unused."""

    kind: ExportKind
    index: dict[str, int]
    headers: list[str]
    ignored: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)

    def header(self, key: str) -> str:
        """The header as written in the file for ``key`` (or for the column standing in for it:
        a village code for the village name...); the key itself when there is none."""
        for name in (key, _STAND_INS.get(key, key)):
            position = self.index.get(name)
            if position is not None:
                return self.headers[position]
        return key

    def missing(self) -> list[tuple[str, ...]]:
        """The required column groups of which the file has none."""
        return [group for group in REQUIRED[self.kind] if not any(k in self.index for k in group)]


@cache
def _alias_keys(kind: ExportKind) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, names in ALIASES[kind].items():
        for name in names:
            out.setdefault(fold_header(name), key)
    return out


def key_of(kind: ExportKind, header: str) -> str | None:
    """The column key a header names: fieldtui's own headers first, then the aliases."""
    key = key_for_header(kind, header)
    if key is not None:
        return key
    return _alias_keys(kind).get(fold_header(header))


def map_headers(kind: ExportKind, headers: list[str]) -> HeaderMap:
    """Map a file's header row; the first column of a key wins, later ones are reported."""
    index: dict[str, int] = {}
    ignored: list[str] = []
    duplicates: list[str] = []
    for position, header in enumerate(headers):
        key = key_of(kind, header) if header.strip() else None
        if key is None:
            if header.strip():
                ignored.append(header)
        elif key in index:
            duplicates.append(header)
        else:
            index[key] = position
    return HeaderMap(kind, index, list(headers), ignored, duplicates)


def guess_kind(headers: list[str]) -> ExportKind:
    """Sign-ups when a NIK column is there, visits when a visit date is and no NIK."""
    if any(key_of(ExportKind.SIGNUPS, h) == "nik" for h in headers):
        return ExportKind.SIGNUPS
    if any(key_of(ExportKind.VISITS, h) == "started_at" for h in headers):
        return ExportKind.VISITS
    return ExportKind.SIGNUPS
