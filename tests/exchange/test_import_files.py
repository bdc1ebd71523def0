"""Importing real files: encodings, delimiters, XLSX, bad and huge files, the command, and an
export of fieldtui imported back."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import pytest
from openpyxl import Workbook

from fieldtui.cli import main
from fieldtui.domain.models import (
    Banjar,
    BpuCategory,
    Officer,
    Payment,
    PaymentMethod,
    Role,
    Sex,
    SignUp,
)
from fieldtui.domain.nik import make_nik
from fieldtui.exchange import readers
from fieldtui.exchange.columns import ExportKind
from fieldtui.exchange.importer import ImportReport, import_file
from fieldtui.exchange.readers import FileRefused
from fieldtui.i18n import Lang, set_language, t_in
from fieldtui.store.repository import Store
from tests.builders import SESETAN, acting_as, make_signup, make_visit

TODAY = dt.date(2026, 11, 24)
HEADER = "NIK;Nama;Pekerjaan;Desa;Penghasilan;Persetujuan"


def nik(serial: int) -> str:
    return make_nik("51.71.01", dt.date(1990, 8, 7), Sex.FEMALE, serial)


def line(serial: int, name: str = "Ni Luh Ayu") -> str:
    return f"{nik(serial)};{name};Pedagang pasar;Sesetan;1.500.000;ya\n"


@pytest.fixture
def store() -> Store:
    store = Store.memory()
    store.create_officer(Officer(username="sri", name="Sri Wahyuni", role=Role.SUPERVISOR))
    store.create_officer(Officer(username="wayan", name="Wayan Sudarma"))
    store.use_actor("wayan")
    return store


def run(store: Store, path: Path, **options: object) -> ImportReport:
    return import_file(store, path, today=TODAY, **options)  # type: ignore[arg-type]


def refusal(store: Store, path: Path) -> str:
    with pytest.raises(FileRefused) as caught:
        run(store, path)
    return caught.value.message()


# -- encodings and delimiters ---------------------------------------------------------------


def test_a_windows_code_page_file_is_refused_with_what_to_do(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes((HEADER + "\n" + line(1) + line(2, "Ni Luh Déwi")).encode("cp1252"))
    message = refusal(store, path)
    assert "bukan UTF-8" in message and "baris 3" in message and "CSV UTF-8" in message
    assert store.list_signups().total == 0


def test_utf16_is_refused(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "unicode.csv"
    path.write_bytes((HEADER + "\n" + line(1)).encode("utf-16"))
    assert "UTF-16" in refusal(store, path)


def test_utf8_with_a_bom_and_commas_imports(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "bom.csv"
    text = (HEADER + "\n" + line(1, "Ni Luh Déwi") + line(2)).replace(";", ",")
    text = text.replace("1.500.000", '"1.500.000"')
    path.write_bytes(text.encode("utf-8-sig"))
    report = run(store, path)
    assert (report.imported, report.rejected) == (2, [])
    found = store.find_by_nik(nik(1))
    assert found is not None and found.participant.name == "Ni Luh Déwi"


def test_an_excel_sep_line_sets_the_delimiter(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "sep.csv"
    text = "sep=|\n" + (HEADER + "\n" + line(1) + line(2, "")).replace(";", "|")
    path.write_text(text, encoding="utf-8")
    report = run(store, path)
    assert report.imported == 1
    assert [r.row for r in report.rejected] == [3]  # numbered as Excel shows them


def test_a_file_with_zero_bytes_is_not_text(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "binary.csv"
    path.write_bytes(b"NIK;Nama\n\x00\x01\x02")
    assert "byte nol" in refusal(store, path)


# -- size limits --------------------------------------------------------------------------


def test_a_100_mb_file_is_refused_before_reading(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "huge.csv"
    with path.open("wb") as out:
        out.write((HEADER + "\n").encode())
        out.truncate(100 * 1024 * 1024)  # sparse: no 100 MB written
    message = refusal(store, path)
    assert "terlalu besar" in message and "100" in message and "50 MB" in message


def test_too_many_rows_are_refused_up_front(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(readers, "MAX_ROWS", 3)
    path = tmp_path / "long.csv"
    path.write_text(HEADER + "\n" + "".join(line(i) for i in range(1, 6)), encoding="utf-8")
    assert "lebih dari 3 baris" in refusal(store, path)
    assert store.list_signups().total == 0
    book = tmp_path / "long.xlsx"
    _xlsx(book, [HEADER.split(";")] + [line(i).strip().split(";") for i in range(1, 6)])
    assert "lebih dari 3 baris" in refusal(store, book)


def test_a_broken_row_stops_the_import_after_whole_rows(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "broken.csv"
    huge = "x" * (readers.MAX_CELL_CHARS + 1)
    path.write_text(HEADER + "\n" + line(1) + line(2, huge) + line(3), encoding="utf-8")
    report = run(store, path, chunk_rows=1)
    assert report.imported == 1 and not report.ok
    assert report.stopped is not None and "baris 3" in report.stopped


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("old.xls", b"\xd0\xcf\x11\xe0", "Excel lama"),
        ("fake.xlsx", b"not a zip", "bukan buku kerja XLSX"),
        ("empty.csv", b"", "kosong"),
        ("notes.pdf", b"%PDF", "tidak dikenal"),
    ],
)
def test_files_that_are_not_spreadsheets(
    store: Store, tmp_path: Path, name: str, content: bytes, expected: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    assert expected in refusal(store, path)


def test_a_missing_file(store: Store, tmp_path: Path) -> None:
    assert "tidak ada" in refusal(store, tmp_path / "nowhere.csv")


# -- XLSX ---------------------------------------------------------------------------------


def _xlsx(path: Path, rows: Sequence[Sequence[object]]) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    book.save(path)


def test_an_xlsx_sheet_with_typed_cells(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "peserta.xlsx"
    _xlsx(
        path,
        [
            [
                "NIK",
                "Nama",
                "Tanggal Lahir",
                "Pekerjaan",
                "Desa",
                "Penghasilan",
                "Persetujuan",
                "Tanggal daftar",
                "JHT",
            ],
            [
                nik(1),
                "Ni Luh Ayu",
                dt.datetime(1990, 8, 7),
                "Petani",
                "Sesetan",
                1500000,
                True,
                dt.datetime(2026, 11, 2),
                1,
            ],
            [nik(2), "=1+1", None, "Petani", "Sesetan", 2500000.0, "ya", None, "tidak"],
            [None, None, None, None, None, None, None, None, None],
            [nik(3), "Ni Kadek", None, "Petani", "Sesetan", 1500000.5, "ya", None, None],
        ],
    )
    report = run(store, path)
    assert report.read == 3 and report.imported == 1
    signup = store.find_by_nik(nik(1))
    assert signup is not None
    assert (signup.registered_on, signup.income_rp, signup.jht) == (
        dt.date(2026, 11, 2),
        1500000,
        True,
    )
    rows = {r.row: r for r in report.rejected}
    assert set(rows) == {3, 5}  # the empty row 4 is skipped, the numbers stay Excel's
    assert rows[3].problems[0].column == "Nama"  # a formula has no value here: no name
    assert rows[5].problems[0].column == "Penghasilan"


def test_headers_under_a_title_row_are_found(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "daftar.xlsx"
    _xlsx(
        path,
        [
            ["DAFTAR PESERTA BPU - KEL. SESETAN"],
            [],
            ["No", "NIK", "Nama", "Pekerjaan", "Desa", "Penghasilan", "Persetujuan"],
            [1, nik(1), "Ni Luh Ayu", "Petani", "Sesetan", 1500000, "ya"],
            [2, nik(2), None, "Petani", "Sesetan", 1500000, "ya"],
        ],
    )
    report = run(store, path)
    assert report.imported == 1 and [r.row for r in report.rejected] == [5]
    assert report.headers[1:3] == ["NIK", "Nama"] and report.ignored_columns == ["No"]


# -- the command --------------------------------------------------------------------------


def test_the_command_reports_and_exits_by_outcome(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "peserta.csv"
    path.write_text(HEADER + "\n" + line(1) + line(2, "") + line(3), encoding="utf-8")
    assert main(["--db", str(db), "import", "--dry-run", str(path)]) == 1
    out = capsys.readouterr().out
    assert "Uji impor pendaftaran" in out
    assert "Dibaca 3 baris: 2 akan diimpor, 0 sudah ada, 1 ditolak." in out
    with Store.open(db, read_only=True) as store:
        assert store.list_signups().total == 0
    assert main(["--db", str(db), "import", str(path)]) == 1
    out = capsys.readouterr().out
    assert "Dibaca 3 baris: 2 diimpor, 0 sudah ada, 1 ditolak." in out
    assert "Nama peserta wajib diisi." in out and "peserta.ditolak.csv" in out
    assert (tmp_path / "peserta.ditolak.csv").exists()
    path.write_text(HEADER + "\n" + line(1) + line(3), encoding="utf-8")
    assert main(["--db", str(db), "--lang", "en", "import", str(path)]) == 0
    assert "Read 2 rows: 0 imported, 2 already present, 0 rejected." in capsys.readouterr().out


def test_the_command_shows_at_most_20_problems(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "peserta.csv"
    path.write_text(HEADER + "\n" + "".join(line(i, "") for i in range(1, 26)), encoding="utf-8")
    assert main(["--db", str(db), "import", str(path)]) == 1
    out = capsys.readouterr().out
    assert out.count("Nama peserta wajib diisi.") == 20
    assert "… dan 5 masalah lain" in out
    rejected = (tmp_path / "peserta.ditolak.csv").read_text(encoding="utf-8-sig")
    assert len(rejected.splitlines()) == 26  # the header and every refused row


def test_the_command_exits_2_for_an_unusable_file(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "peserta.csv"
    path.write_text("NIK;Nama\n1;A\n", encoding="utf-8")
    assert main(["--db", str(db), "import", str(path)]) == 2
    err = capsys.readouterr().err
    assert "tidak dapat diimpor" in err and "Penghasilan" in err


def test_the_command_does_not_run_read_only(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "peserta.csv"
    path.write_text(HEADER + "\n" + line(1), encoding="utf-8")
    assert main(["--db", str(db), "--read-only", "import", str(path)]) == 2
    assert "--dry-run" in capsys.readouterr().err


def test_the_command_refuses_an_unknown_login(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "store.json"
    with Store.open(db) as store:
        store.create_officer(Officer(username="somebody-else", name="Other"))
    path = tmp_path / "peserta.csv"
    path.write_text(HEADER + "\n" + line(1), encoding="utf-8")
    assert main(["--db", str(db), "import", str(path)]) == 1
    assert capsys.readouterr().err.strip()
    with Store.open(db, read_only=True) as store:
        assert store.list_signups().total == 0


# -- an export imported back ----------------------------------------------------------------


def _registered(store: Store) -> None:
    """Sign-ups and visits of every shape an export has to carry."""
    officer = store.actor
    assert officer is not None
    kaja = store.create_banjar(Banjar(desa_code=SESETAN, name="Banjar Kaja"))
    payment = Payment(
        months=3,
        amount_rp=50_400,
        period_start=dt.date(2026, 11, 1),
        paid_on=dt.date(2026, 11, 20),
        method=PaymentMethod.TRANSFER,
        receipt_no="=KW-1",
    )
    base = make_signup(officer.id, serial=1, registered_on=dt.date(2026, 11, 20))
    person = dataclasses.replace(
        base.participant,
        name="Ni Luh Putu Ayu",
        phone="+628123456789",
        occupation_code="pedagang_pasar",
        address="Jl. Raya Sesetan 1",
    )
    store.create_signup(
        dataclasses.replace(
            base,
            participant=person,
            category=BpuCategory.PEMBERI_KERJA,
            banjar_id=kaja.id,
            jht=True,
            monthly_contribution_rp=46_800,
            payments=(payment,),
            agent="Wadah Pedagang",
            notes="+ bayar di balai",
        )
    )
    second = make_signup(
        officer.id,
        serial=2,
        name="I Made Sudi",
        born=dt.date(1980, 3, 1),
        sex=Sex.MALE,
        registered_on=dt.date(2026, 10, 5),
    )
    person = dataclasses.replace(second.participant, occupation_code="ojek_online")
    store.create_signup(dataclasses.replace(second, participant=person, income_rp=2_750_000))
    store.create_visit(make_visit(officer.id, banjar_id=kaja.id, attendees=35, notes="balai"))


def _comparable(signup: SignUp) -> tuple[object, ...]:
    payments = tuple(
        (p.months, p.amount_rp, p.period_start, p.paid_on, p.method, p.receipt_no)
        for p in signup.payments
    )
    return (
        signup.participant,
        signup.desa_code,
        signup.income_rp,
        signup.registered_on,
        signup.category,
        signup.jht,
        signup.government_funded,
        payments,
        signup.agent,
        signup.notes,
        signup.consent.given,
    )


@pytest.mark.parametrize(("fmt", "lang"), [("csv", "id"), ("xlsx", "id"), ("csv", "en")])
def test_an_unmasked_export_imports_back_as_the_same_records(
    store: Store, tmp_path: Path, fmt: str, lang: Lang
) -> None:
    from fieldtui.exchange.export import ExportRequest, run_export
    from fieldtui.exchange.tabular import FileFormat

    _registered(store)
    signups_file = tmp_path / f"pendaftaran.{fmt}"
    visits_file = tmp_path / f"kunjungan.{fmt}"
    set_language(lang)  # the headers in English; the import runs in Indonesian
    try:
        with acting_as(store, "sri"):
            for kind, path in (
                (ExportKind.SIGNUPS, signups_file),
                (ExportKind.VISITS, visits_file),
            ):
                request = ExportRequest(kind=kind, fmt=FileFormat(fmt), path=path, unmask=True)
                run_export(store, request)
    finally:
        set_language("id")
    if fmt == "csv":
        header = signups_file.read_text(encoding="utf-8-sig").splitlines()[0]
        assert t_in(lang, "export.column.birth_date") in header

    fresh = Store.memory()
    fresh.create_officer(Officer(username="sri", name="Sri Wahyuni", role=Role.SUPERVISOR))
    fresh.create_officer(Officer(username="wayan", name="Wayan Sudarma"))
    fresh.use_actor("wayan")
    report = run(fresh, signups_file)
    assert (report.imported, report.rejected) == (2, []), report.rejected
    for original in store.list_signups().items:
        copy = fresh.find_by_nik(original.participant.nik)
        assert copy is not None
        assert _comparable(copy) == _comparable(original)
        copied = fresh.get_banjar(copy.banjar_id).name if copy.banjar_id else None
        assert copied == (store.get_banjar(original.banjar_id).name if original.banjar_id else None)
    visits = run(fresh, visits_file)
    assert (visits.kind, visits.imported, visits.rejected) == (ExportKind.VISITS, 1, [])
    (visit_copy,) = fresh.list_visits().items
    (visit,) = store.list_visits().items
    assert (
        visit_copy.started_at,
        visit_copy.attendees,
        visit_copy.notes,
        visit_copy.desa_code,
    ) == (
        visit.started_at,
        visit.attendees,
        visit.notes,
        visit.desa_code,
    )
    assert (
        visit_copy.banjar_id is not None
        and fresh.get_banjar(visit_copy.banjar_id).name == "Banjar Kaja"
    )
    again = run(fresh, signups_file)
    assert (again.imported, again.present) == (0, 2)


def test_a_masked_export_is_refused_row_by_row(store: Store, tmp_path: Path) -> None:
    from fieldtui.exchange.export import ExportRequest, run_export
    from fieldtui.exchange.tabular import FileFormat

    _registered(store)
    path = tmp_path / "pendaftaran.csv"
    run_export(store, ExportRequest(kind=ExportKind.SIGNUPS, fmt=FileFormat.CSV, path=path))
    fresh = Store.memory()
    fresh.create_officer(Officer(username="wayan", name="Wayan Sudarma"))
    report = run(fresh, path)
    assert report.imported == 0 and len(report.rejected) == 2
    assert all(
        any("NIK tersamar" in p.reason for p in rejection.problems) for rejection in report.rejected
    )
