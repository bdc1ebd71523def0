"""Importing sign-ups and visits row by row: mapping, the form's rules, skipping, reporting."""

from __future__ import annotations

import datetime as dt
import stat
from pathlib import Path

import pytest

from fieldtui.domain.models import AuditAction, Officer, PaymentMethod, Role, Sex, VisitType
from fieldtui.domain.nik import make_nik
from fieldtui.exchange import import_signups, import_values
from fieldtui.exchange.columns import ExportKind
from fieldtui.exchange.header_map import guess_kind, map_headers
from fieldtui.exchange.import_report import write_rejected
from fieldtui.exchange.importer import ImportReport, import_file
from fieldtui.exchange.readers import FileRefused
from fieldtui.i18n import set_language
from fieldtui.store.errors import PermissionDenied
from fieldtui.store.import_rows import create_imported_signup
from fieldtui.store.listing import RecordFilter
from fieldtui.store.repository import Store
from tests.builders import SESETAN, acting_as, make_signup

TODAY = dt.date(2026, 11, 24)
HEADER_ID = (
    "No KTP;Nama Lengkap;Tgl Lahir;No HP;Pekerjaan;"
    "Desa/Kelurahan;Banjar;Penghasilan;JHT;Persetujuan"
)


def nik(serial: int, born: dt.date = dt.date(1990, 8, 7), sex: Sex = Sex.FEMALE) -> str:
    return make_nik("51.71.01", born, sex, serial)


@pytest.fixture
def store() -> Store:
    """Supervisor 'sri' and officer 'wayan' (signed in)."""
    store = Store.memory()
    store.create_officer(Officer(username="sri", name="Sri Wahyuni", role=Role.SUPERVISOR))
    store.create_officer(Officer(username="wayan", name="Wayan Sudarma"))
    store.use_actor("wayan")
    return store


def write(tmp_path: Path, text: str, name: str = "peserta.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def run(store: Store, path: Path, **options: object) -> ImportReport:
    return import_file(store, path, today=TODAY, **options)  # type: ignore[arg-type]


def reasons(report: ImportReport) -> dict[int, list[tuple[str, str]]]:
    return {r.row: [(p.column, p.reason) for p in r.problems] for r in report.rejected}


# -- sign-ups -------------------------------------------------------------------------------


def test_an_indonesian_sheet_imports_with_the_forms_values(store: Store, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        f"{HEADER_ID}\n"
        f"{nik(1)};Ni Made  Ayu;07-08-1990;0812 3456 789;Pedagang pasar;Sesetan;Br. Kaja;"
        "Rp1.500.000;ya;ya\n",
    )
    report = run(store, path)
    assert (report.read, report.imported, report.present, report.rejected) == (1, 1, 0, [])
    assert report.banjars_created == [(SESETAN, "Banjar Kaja")]
    signup = store.find_by_nik(nik(1))
    assert signup is not None
    person = signup.participant
    assert (person.name, person.birth_date, person.sex) == (
        "Ni Made Ayu",
        dt.date(1990, 8, 7),
        Sex.FEMALE,
    )
    assert person.phone == "+628123456789"
    assert person.occupation_code == "pedagang_pasar"
    assert (signup.desa_code, signup.income_rp, signup.jht) == (SESETAN, 1_500_000, True)
    assert signup.registered_on == TODAY
    assert signup.monthly_contribution_rp > 0
    assert signup.consent.given and signup.officer_id == store.actor.id  # type: ignore[union-attr]
    assert signup.banjar_id is not None
    assert store.get_banjar(signup.banjar_id).name == "Banjar Kaja"
    assert store.history(signup.banjar_id)[0].reason == "Impor dari peserta.csv baris 2"
    created = store.history(signup.id)[0]
    assert created.action is AuditAction.CREATE
    assert created.reason == "Impor dari peserta.csv baris 2"
    log = store.audit_log(action=AuditAction.IMPORT)
    assert len(log) == 1 and {c.field: c.after for c in log[0].changes}["imported"] == 1


def test_english_headers_and_other_spellings(store: Store, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "NIK,Full Name,Date of birth,Sex,Phone,Occupation,Village,Income,JHT,Consent,"
        "Registration date,Months paid,Payment method,Receipt no\n"
        f"{nik(2, dt.date(1985, 1, 2), Sex.MALE)},I Wayan Sudi,1985-01-02,L,+62 812-3456-7890,"
        "ojek online,Kel. Sesetan,1500000,no,yes,20/11/2026,3,tunai,KW-7\n",
    )
    report = run(store, path)
    assert report.imported == 1, reasons(report)
    signup = store.find_by_nik(nik(2, dt.date(1985, 1, 2), Sex.MALE))
    assert signup is not None
    assert signup.participant.sex is Sex.MALE and signup.jht is False
    assert signup.registered_on == dt.date(2026, 11, 20)
    (payment,) = signup.payments
    assert (payment.months, payment.method, payment.receipt_no) == (3, PaymentMethod.CASH, "KW-7")
    assert payment.paid_on == dt.date(2026, 11, 20) and payment.amount_rp > 0


def test_a_birth_date_other_than_the_niks_is_imported_with_a_warning(
    store: Store, tmp_path: Path
) -> None:
    path = write(
        tmp_path,
        f"{HEADER_ID}\n{nik(1)};Ayu;08-08-1990;;Pedagang pasar;Sesetan;;1000000;;ya\n",
    )
    report = run(store, path)
    assert report.imported == 1
    ((row, problems),) = [(w.row, w.problems) for w in report.warnings]
    assert row == 2 and problems[0].column == "Tgl Lahir"
    assert "berbeda" in problems[0].reason
    signup = store.find_by_nik(nik(1))
    assert signup is not None and signup.participant.birth_date == dt.date(1990, 8, 8)


def test_importing_the_same_file_twice_adds_nothing(store: Store, tmp_path: Path) -> None:
    rows = "".join(
        f"{nik(i)};Peserta {i};;;Pedagang pasar;Sesetan;Br. Kaja;1.000.000;tidak;ya\n"
        for i in range(1, 6)
    )
    path = write(tmp_path, HEADER_ID + "\n" + rows)
    first = run(store, path, chunk_rows=2)
    assert (first.imported, first.present) == (5, 0)
    second = run(store, path, chunk_rows=2)
    assert (second.read, second.imported, second.present, second.rejected) == (5, 0, 5, [])
    assert second.banjars_created == []
    assert store.list_signups().total == 5
    assert len(store.banjars(SESETAN)) == 1


def test_a_nik_already_registered_by_a_colleague_is_present(store: Store, tmp_path: Path) -> None:
    with acting_as(store, "sri"):
        store.create_officer(Officer(username="kadek", name="Kadek"))
    with acting_as(store, "kadek") as kadek:
        store.create_signup(make_signup(kadek.id, serial=1))
    path = write(
        tmp_path, f"{HEADER_ID}\n{nik(1)};Ni Made Ayu;;;Pedagang pasar;Sesetan;;1000000;;ya\n"
    )
    report = run(store, path)
    assert (report.imported, report.present) == (0, 1)


def test_a_nik_repeated_in_the_file_is_refused_the_second_time(
    store: Store, tmp_path: Path
) -> None:
    line = f"{nik(1)};Ni Made Ayu;;;Pedagang pasar;Sesetan;;1000000;;ya\n"
    report = run(store, write(tmp_path, HEADER_ID + "\n" + line + line))
    assert report.imported == 1
    assert reasons(report) == {3: [("No KTP", "NIK ini sudah ada di baris 2 berkas ini")]}


def test_masked_niks_and_phones_are_refused(store: Store, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        f"{HEADER_ID}\n"
        "5171********0001;Ni Made Ayu;;;Pedagang pasar;Sesetan;;1000000;;ya\n"
        f"{nik(2)};Ni Made Ayu;;+62812****789;Pedagang pasar;Sesetan;;1000000;;ya\n",
    )
    found = reasons(run(store, path))
    assert found[2] == [
        ("No KTP", "NIK tersamar (ekspor tanpa --unmask tidak dapat diimpor ulang)")
    ]
    assert found[3][0][0] == "No HP" and "tersamar" in found[3][0][1]
    assert store.list_signups().total == 0


def test_every_problem_of_a_row_is_named_with_its_column(store: Store, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        f"{HEADER_ID}\n5171011308900000;;31-02-1990;081;tukang sulap;Atlantis;;abc;;tidak\n",
    )
    report = run(store, path)
    columns = [column for column, _ in reasons(report)[2]]
    assert set(columns) == {
        "No KTP",
        "Nama Lengkap",
        "Tgl Lahir",
        "No HP",
        "Pekerjaan",
        "Desa/Kelurahan",
        "Penghasilan",
        "Persetujuan",
    }
    assert store.list_signups().total == 0


def test_a_row_whose_only_fault_is_its_phone_names_the_phone(store: Store, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        f"{HEADER_ID}\n"
        f"{nik(1)};Ayu;;0812;Pedagang pasar;Sesetan;;1000000;;ya\n"
        f"{nik(2)};Sari;;021 555 1234;Pedagang pasar;Sesetan;;1000000;;ya\n",
    )
    for dry_run in (True, False):
        found = reasons(run(store, path, dry_run=dry_run))
        assert [column for column, _ in found[2]] == ["No HP"]
        assert [column for column, _ in found[3]] == ["No HP"]
    assert store.list_signups().total == 0


def test_formula_cells_are_refused_and_neutralised_in_the_report(
    store: Store, tmp_path: Path
) -> None:
    path = write(
        tmp_path,
        f"{HEADER_ID}\n"
        f'{nik(1)};"=HYPERLINK(""http://x"";""klik"")";;;Pedagang pasar;Sesetan;;1000000;;ya\n'
        f"{nik(2)};-2+3;;;Pedagang pasar;Sesetan;;1000000;;ya\n"
        f"{nik(3)};@SUM(A1);;;Pedagang pasar;Sesetan;;1000000;;ya\n",
    )
    report = run(store, path)
    assert sorted(reasons(report)) == [2, 3, 4]
    assert all("rumus" in problems[0][1] for problems in reasons(report).values())
    rejected = write_rejected(report)
    assert rejected is not None
    lines = rejected.read_text(encoding="utf-8-sig").splitlines()
    assert lines[1].split(";")[1].startswith("\"'=HYPERLINK")
    assert lines[2].split(";")[1] == "'-2+3"


def test_the_rejected_file_is_private_and_keeps_the_original_columns(
    store: Store, tmp_path: Path
) -> None:
    path = write(tmp_path, f"{HEADER_ID}\n{nik(1)};;;;Pedagang pasar;Sesetan;;1000000;;ya\n")
    rejected = write_rejected(run(store, path))
    assert rejected == tmp_path / "peserta.ditolak.csv"
    assert stat.S_IMODE(rejected.stat().st_mode) == 0o600
    header, row = rejected.read_text(encoding="utf-8-sig").splitlines()
    assert header == HEADER_ID + ";baris;kolom;alasan"
    assert row.endswith(";2;Nama Lengkap;Nama peserta wajib diisi.")


def test_the_rejected_file_is_named_in_english(store: Store, tmp_path: Path) -> None:
    set_language("en")
    try:
        path = write(tmp_path, f"{HEADER_ID}\n{nik(1)};;;;Pedagang pasar;Sesetan;;1000000;;ya\n")
        rejected = write_rejected(run(store, path))
    finally:
        set_language("id")
    assert rejected == tmp_path / "peserta.rejected.csv"
    assert rejected.read_text(encoding="utf-8-sig").startswith(HEADER_ID + ";row;column;reason")


def test_ambiguous_desa_names_list_the_candidates(store: Store, tmp_path: Path) -> None:
    header = "NIK;Nama;Pekerjaan;Desa;Kecamatan;Penghasilan;Persetujuan"
    path = write(
        tmp_path,
        f"{header}\n"
        f"{nik(1)};A;Petani;Kekeran;;1000000;ya\n"
        f"{nik(2)};B;Petani;Kekeran;Mengwi;1000000;ya\n"
        f"{nik(3)};C;Petani;Sesetn;;1000000;ya\n",
    )
    report = run(store, path)
    found = reasons(report)
    assert "51.03.02.2010" in found[2][0][1] and "51.08.03.2010" in found[2][0][1]
    assert "Sesetan" in found[4][0][1]  # "did you mean"
    imported = store.find_by_nik(nik(2))
    assert imported is not None and imported.desa_code == "51.03.02.2010"


def test_desa_by_code_and_occupation_by_code(store: Store, tmp_path: Path) -> None:
    header = "NIK;Nama;Kode pekerjaan;Kode desa;Penghasilan;Persetujuan"
    path = write(
        tmp_path,
        f"{header}\n{nik(1)};A;pkl;5171011003;1000000;1\n{nik(2)};B;petani;;1000000;1\n",
    )
    report = run(store, path)
    assert report.imported == 1
    assert reasons(report) == {
        3: [
            ("Kode pekerjaan", 'pekerjaan "petani" tidak dikenal'),
            ("Kode desa", "desa/kelurahan kosong"),
        ]
    }
    signup = store.find_by_nik(nik(1))
    assert signup is not None
    assert (signup.desa_code, signup.participant.occupation_code) == (SESETAN, "pkl")


def test_a_refused_row_adds_no_banjar(store: Store, tmp_path: Path) -> None:
    path = write(
        tmp_path, f"{HEADER_ID}\n{nik(1)};Ayu;;;Pedagang pasar;Sesetan;Br. Baru;1000000;;tidak\n"
    )
    report = run(store, path)
    assert len(report.rejected) == 1 and report.banjars_created == []
    assert store.banjars(SESETAN) == []


def test_a_dry_run_writes_nothing(store: Store, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        f"{HEADER_ID}\n"
        f"{nik(1)};Ayu;;;Pedagang pasar;Sesetan;Br. Kaja;1000000;;ya\n"
        f"{nik(2)};Sari;;;Pedagang pasar;Sesetan;Br. Kaja;1000000;;ya\n"
        f"{nik(2)};Sari;;;Pedagang pasar;Sesetan;Br. Kaja;1000000;;ya\n",
    )
    report = run(store, path, dry_run=True)
    assert (report.imported, len(report.rejected)) == (2, 1)
    assert report.banjars_created == [(SESETAN, "Banjar Kaja")]  # once: the second row reuses it
    assert store.list_signups().total == 0 and store.banjars() == []
    assert store.audit_log(action=AuditAction.IMPORT) == []


def test_missing_required_columns_refuse_the_file(store: Store, tmp_path: Path) -> None:
    path = write(tmp_path, f"NIK;Nama\n{nik(1)};Ayu\n")
    with pytest.raises(FileRefused) as caught:
        run(store, path)
    message = caught.value.message()
    for column in ("Pekerjaan", "Desa/Kelurahan", "Penghasilan", "Persetujuan"):
        assert column in message


def test_only_users_who_may_write_sign_ups_import(store: Store, tmp_path: Path) -> None:
    path = write(tmp_path, f"{HEADER_ID}\n{nik(1)};Ayu;;;Pedagang pasar;Sesetan;;1000000;;ya\n")
    store.use_actor("sri")
    with pytest.raises(PermissionDenied):
        run(store, path)
    assert store.list_signups().total == 0


def test_a_failing_write_rolls_back_its_chunk_only(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = "".join(
        f"{nik(i)};Peserta {i};;;Pedagang pasar;Sesetan;;1000000;;ya\n" for i in range(1, 6)
    )
    path = write(tmp_path, HEADER_ID + "\n" + rows)
    calls = {"n": 0}

    def failing(store: Store, signup: object, *, reason: str) -> object:
        calls["n"] += 1
        if calls["n"] == 4:
            raise OSError("disk gone")
        return create_imported_signup(store, signup, reason=reason)  # type: ignore[arg-type]

    monkeypatch.setattr(import_signups, "create_imported_signup", failing)
    with pytest.raises(OSError):
        run(store, path, chunk_rows=2)
    # Rows 2-3 (first chunk) are saved; the chunk holding the failure (rows 4-5) is not.
    assert sorted(s.participant.name for s in store.list_signups().items) == [
        "Peserta 1",
        "Peserta 2",
    ]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("24-11-2026", dt.date(2026, 11, 24)),
        ("24/11/2026", dt.date(2026, 11, 24)),
        ("24.11.2026", dt.date(2026, 11, 24)),
        ("2026-11-24", dt.date(2026, 11, 24)),
        ("2026-11-24T19:05:00+08:00", dt.date(2026, 11, 24)),
        (dt.datetime(2026, 11, 24, 0, 0), dt.date(2026, 11, 24)),
        (46350, dt.date(2026, 11, 24)),  # an Excel serial
        ("", None),
    ],
)
def test_dates_as_spreadsheets_hold_them(cell: object, expected: dt.date | None) -> None:
    assert import_values.date_value("birth_date", cell) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("Rp1.500.000", 1_500_000),
        ("1.500.000", 1_500_000),
        ("1500000", 1_500_000),
        ("1,5jt", 1_500_000),
        (1500000.0, 1_500_000),
        ("", None),
    ],
)
def test_money_as_spreadsheets_hold_it(cell: object, expected: int | None) -> None:
    assert import_values.money("income_rp", cell) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize("cell", ["31-02-2026", "besok", "2026/13/01", 1990])
def test_dates_that_are_not(cell: object) -> None:
    with pytest.raises(import_values.CellRefused):
        import_values.date_value("birth_date", cell)  # type: ignore[arg-type]


def test_headers_map_in_either_language_and_guess_the_kind() -> None:
    columns = map_headers(ExportKind.SIGNUPS, ["No. KTP", "NAMA LENGKAP", "Tgl. Lahir", "foo"])
    assert columns.index == {"nik": 0, "name": 1, "birth_date": 2}
    assert columns.ignored == ["foo"]
    assert guess_kind(["Tanggal", "Desa", "Jam"]) is ExportKind.VISITS
    assert guess_kind(["NIK", "Nama"]) is ExportKind.SIGNUPS


# -- visits ---------------------------------------------------------------------------------

VISIT_HEADER = "Tanggal;Jam;Jenis;Desa;Banjar;Ditemui;Jabatan;Peserta;Tindak lanjut;Catatan"


def test_visits_import_and_a_second_import_adds_nothing(store: Store, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        f"{VISIT_HEADER}\n"
        "24-11-2026;19.00;Sosialisasi banjar;Sesetan;Br. Kaja;Pak Made;Kepala Lingkungan;35;"
        "01-12-2026;di balai banjar\n"
        "25-11-2026;09:30;booth;Sesetan;;;;120;;\n",
        name="kunjungan.csv",
    )
    report = run(store, path)
    assert report.kind is ExportKind.VISITS
    assert (report.imported, report.rejected) == (2, []), reasons(report)
    visits = sorted(store.list_visits().items, key=lambda v: v.started_at)
    first = visits[0]
    assert first.started_at == dt.datetime(2026, 11, 24, 19, 0, tzinfo=first.started_at.tzinfo)
    assert first.started_at.utcoffset() == dt.timedelta(hours=8)
    assert (first.visit_type, first.attendees) == (VisitType.BANJAR, 35)
    assert (first.counterpart_name, first.counterpart_role) == ("Pak Made", "Kepala Lingkungan")
    assert first.follow_up_on == dt.date(2026, 12, 1) and first.banjar_id is not None
    assert visits[1].visit_type is VisitType.BOOTH
    assert store.history(first.id)[0].reason == "Impor dari kunjungan.csv baris 2"
    again = run(store, path)
    assert (again.imported, again.present) == (0, 2)
    assert store.list_visits(RecordFilter()).total == 2


def test_visit_rows_follow_the_forms_rules(store: Store, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        f"{VISIT_HEADER}\n"
        "24-11-2026;;banjar;Sesetan;;;;;;\n"
        "24-11-2026;19:00;banjar;Sesetan;;;;;01-11-2026;\n"
        "24-11-2026;19:00;piknik;Sesetan;;;;lima;;\n",
    )
    found = reasons(run(store, path, kind=ExportKind.VISITS))
    assert found[2][0][0] == "Tanggal" and "jam" in found[2][0][1]
    assert found[3] == [
        ("Tindak lanjut", "Tanggal tindak lanjut tidak boleh sebelum tanggal kunjungan.")
    ]
    assert {column for column, _ in found[4]} == {"Jenis", "Peserta"}
    assert store.list_visits().total == 0


# -- the command: what it prints and writes --------------------------------------------------


def test_the_command_prints_cells_as_text(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Cells with square brackets are text, not Rich markup ("[/]" crashed the table)."""
    from fieldtui.cli import main

    path = write(
        tmp_path,
        f"{HEADER_ID}\n"
        f"{nik(1)};Ayu;;;Pedagang pasar;Desa [/];Br. Kaja;1000000;;ya\n"
        f"{nik(2)};Sari;;;Pedagang pasar;[red]Sesetan;Br. Kaja;1000000;;ya\n",
    )
    assert main(["--db", str(db), "import", "--dry-run", str(path)]) == 1
    out = capsys.readouterr().out
    assert 'desa "Desa [/]" tidak ditemukan' in out and '"[red]Sesetan"' in out


def test_the_command_says_when_the_refused_rows_cannot_be_written(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The import is done (committed): a failing report file is one line and exit 1."""
    from fieldtui.cli import main

    path = write(
        tmp_path,
        f"{HEADER_ID}\n"
        f"{nik(1)};Ayu;;;Pedagang pasar;Sesetan;Br. Kaja;1000000;;ya\n"
        f"{nik(2)};;;;Pedagang pasar;Sesetan;Br. Kaja;1000000;;ya\n",
    )
    (tmp_path / "peserta.ditolak.csv").mkdir()
    assert main(["--db", str(db), "import", str(path)]) == 1
    captured = capsys.readouterr()
    assert "1 diimpor" in captured.out  # the summary is still printed
    assert "peserta.ditolak.csv" in captured.err and "Traceback" not in captured.err
    assert len(captured.err.strip().splitlines()) == 1
    with Store.open(db, read_only=True) as store:
        assert store.list_signups().total == 1
