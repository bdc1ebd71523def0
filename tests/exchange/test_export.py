"""Export: column keys and headers, cell neutralising, CSV/XLSX files, masking and the audit."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import re
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from fieldtui.cli import main, open_app
from fieldtui.domain import clock
from fieldtui.domain.models import (
    AuditAction,
    AuditEntry,
    Banjar,
    Officer,
    Payment,
    Period,
    RecordKind,
    ReviewState,
    Role,
    SignUp,
)
from fieldtui.domain.progress_rows import Level
from fieldtui.exchange.columns import (
    COLUMNS,
    ExportKind,
    fold_header,
    headers,
    key_for_header,
)
from fieldtui.exchange.export import ExportRequest, run_export
from fieldtui.exchange.tabular import FileExists, FileFormat, neutralise, unneutralise
from fieldtui.i18n import LANGUAGES, catalog, set_language
from fieldtui.store.errors import PermissionDenied, StoreReadOnly
from fieldtui.store.repository import Store
from tests.builders import SESETAN, acting_as, make_signup, make_visit

UBUNG_KAJA = "51.71.04.2008"


@pytest.mark.parametrize("kind", list(ExportKind))
def test_column_keys_are_unique_and_translated(kind: ExportKind) -> None:
    keys = [column.key for column in COLUMNS[kind]]
    assert len(keys) == len(set(keys))
    for lang in LANGUAGES:
        assert all(f"export.column.{key}" in catalog(lang) for key in keys)
        folded = [fold_header(h) for h in headers(kind, lang)]
        assert len(folded) == len(set(folded)), f"two {lang} headers fold alike"


@pytest.mark.parametrize("kind", list(ExportKind))
def test_headers_in_either_language_map_back_to_keys(kind: ExportKind) -> None:
    for lang in LANGUAGES:
        for column, header in zip(COLUMNS[kind], headers(kind, lang), strict=True):
            assert key_for_header(kind, header) == column.key
            assert key_for_header(kind, f"  {header.upper()} ") == column.key
        assert key_for_header(kind, "no such column") is None


def test_headers_follow_the_language() -> None:
    assert headers(ExportKind.SIGNUPS, "id")[:3] == ["ID", "NIK", "Nama"]
    assert headers(ExportKind.SIGNUPS, "en")[:3] == ["ID", "NIK", "Name"]
    assert key_for_header(ExportKind.SIGNUPS, "Tanggal lahir") == "birth_date"
    assert key_for_header(ExportKind.SIGNUPS, "birth_date") == "birth_date"
    assert [c.key for c in COLUMNS[ExportKind.SIGNUPS] if c.personal] == ["nik", "phone"]


# -- formula-safe cells -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "safe"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+6281234", "'+6281234"),
        ("-1+1", "'-1+1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("Ni Made Ayu", "Ni Made Ayu"),
        ("", ""),
        ("a=b", "a=b"),
    ],
)
def test_neutralise(text: str, safe: str) -> None:
    assert neutralise(text) == safe
    assert unneutralise(safe) == text


def test_unneutralise_leaves_ordinary_quotes() -> None:
    assert unneutralise("'Ni Made'") == "'Ni Made'"
    assert unneutralise("'") == "'"


# -- a small store ----------------------------------------------------------------------------

# Names the store keeps as typed (it tidies whitespace, so tab and CR go into addresses).
EVIL = ['=HYPERLINK("http://evil","klik")', "+Ni Luh", "-Made", "@Komang", "Ketut", "Putu"]
EVIL_ADDRESSES = {"Ketut": "\t=1+1", "Putu": "\r=1+1"}


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """A file store: supervisor kadek, officers wayan (acting) and made, eight sign-ups."""
    with Store.open(tmp_path / "store.fieldtui.json") as store:
        store.create_officer(Officer(username="kadek", name="Ni Kadek", role=Role.SUPERVISOR))
        store.use_actor("kadek")
        store.create_officer(Officer(username="wayan", name="I Wayan"))
        store.create_officer(Officer(username="made", name="I Made"))
        store.use_actor("wayan")
        wayan = store.actor
        assert wayan is not None
        banjar = store.create_banjar(Banjar(desa_code=SESETAN, name="Banjar Kaja"))
        for i, name in enumerate(EVIL, start=1):
            store.create_signup(_signup(wayan.id, i, name, banjar.id))
        store.create_signup(
            make_signup(
                wayan.id,
                serial=7,
                name="Ni Made <Ayu> & co",
                desa_code=UBUNG_KAJA,
                registered_on=dt.date(2025, 5, 1),
            )
        )
        store.create_visit(make_visit(wayan.id, event_name="=cmd|' /C calc'!A0", attendees=35))
        store.use_actor("made")
        made = store.actor
        assert made is not None
        store.create_signup(make_signup(made.id, serial=8, name="I Made Sudi"))
        store.use_actor("wayan")
        yield store


def _signup(officer_id: str, serial: int, name: str, banjar_id: str) -> SignUp:
    base = make_signup(
        officer_id,
        serial=serial,
        name=name,
        banjar_id=banjar_id,
        registered_on=dt.date(2026, 10, serial),
        monthly_contribution_rp=16_800,
        payments=(
            Payment(
                months=3,
                amount_rp=50_400,
                period_start=dt.date(2026, 10, 1),
                paid_on=dt.date(2026, 10, serial),
                receipt_no=f"KW-{serial}",
            ),
        ),
    )
    person = dataclasses.replace(
        base.participant, phone=f"08123456{serial:04d}", address=EVIL_ADDRESSES.get(name, "")
    )
    return dataclasses.replace(base, participant=person)


def _export(store: Store, path: Path, kind: ExportKind = ExportKind.SIGNUPS, **kw: Any) -> Any:
    fmt = FileFormat.XLSX if path.suffix == ".xlsx" else FileFormat.CSV
    return run_export(store, ExportRequest(kind=kind, fmt=fmt, path=path, **kw))


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def _exports(store: Store) -> list[AuditEntry]:
    return store.audit_log(action=AuditAction.EXPORT)


def _details(entry: AuditEntry) -> dict[str, object]:
    return {change.field: change.after for change in entry.changes}


# -- CSV ------------------------------------------------------------------------------------


def test_csv_masks_neutralises_and_is_private(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "out" / "pendaftaran.csv"
    path.parent.mkdir()
    result = _export(store, path)
    assert result.rows == 8 and not result.unmasked
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # a BOM: spreadsheets read UTF-8 right
    rows = _csv(path)
    assert list(rows[0])[:4] == ["ID", "NIK", "Nama", "Jenis kelamin"]
    assert len(rows) == 8
    for row in rows:
        assert re.fullmatch(r"\d{4}\*{8}\d{4}", row["NIK"]), row["NIK"]
        assert "3456" not in row["Nomor HP"]  # the middle digits are hidden
    names = [row["Nama"] for row in rows]
    for name in EVIL[:4]:
        assert "'" + name in names  # ' before = + - @ tab CR (OWASP)
    addresses = {row["Nama"]: row["Alamat"] for row in rows}
    assert addresses["Ketut"] == "'\t=1+1" and addresses["Putu"] == "'\r=1+1"
    assert "Ni Made <Ayu> & co" in names
    by_name = {row["Nama"]: row for row in rows}
    first = by_name["'" + EVIL[0]]
    assert first["Tanggal daftar"] == "2026-10-01"  # ISO dates
    assert first["Iuran per bulan (Rp)"] == "16800"  # plain integers
    assert first["Total dibayar (Rp)"] == "50400"
    assert first["Lunas sampai"] == "2027-01-01"
    assert first["Persetujuan"] == "1"
    assert first["Banjar"] == "Banjar Kaja" and first["Desa/Kelurahan"] == "Sesetan"
    assert first["Kecamatan"] == "Denpasar Selatan" and first["Petugas"] == "wayan"
    assert first["Pekerjaan"] == ""
    assert first["Nomor HP"].startswith("'+62812") and "*" in first["Nomor HP"]
    (entry,) = _exports(store)
    assert store.actor is not None and entry.actor_id == store.actor.id
    assert _details(entry) == {
        "kind": "signups",
        "filters": {"format": "csv"},
        "unmasked": False,
        "rows": 8,
    }


def test_refuses_to_overwrite_unless_forced(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "pendaftaran.csv"
    path.write_text("keep me")
    path.chmod(0o644)
    with pytest.raises(FileExists):
        _export(store, path)
    assert path.read_text() == "keep me"
    assert _exports(store) == []  # nothing exported, nothing recorded
    _export(store, path, force=True)
    assert len(_csv(path)) == 8
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert not any(p.name.endswith(".tmp") for p in tmp_path.iterdir())


def test_officer_may_not_unmask(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "pendaftaran.csv"
    with pytest.raises(PermissionDenied) as refused:
        _export(store, path, unmask=True)
    assert "supervisor" in refused.value.message().lower()
    assert not path.exists() and _exports(store) == []


def test_supervisor_unmasks_and_it_is_audited(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "pendaftaran.csv"
    with acting_as(store, "kadek") as kadek:
        result = _export(store, path, unmask=True, period=Period.year(2026))
    assert result.unmasked and result.rows == 7
    rows = _csv(path)
    assert all(re.fullmatch(r"\d{16}", row["NIK"]) for row in rows)
    assert {row["Nomor HP"] for row in rows} >= {"'+628123456" + "0001"}
    (entry,) = _exports(store)
    assert entry.actor_id == kadek.id and entry.record_kind is RecordKind.STORE
    details = _details(entry)
    assert details["unmasked"] is True and details["rows"] == 7
    assert details["filters"] == {"format": "csv", "period": "2026"}


def test_viewer_and_read_only_store_may_not_export(store: Store, tmp_path: Path) -> None:
    with acting_as(store, "kadek"):
        store.create_officer(Officer(username="putu", name="Putu", role=Role.VIEWER))
    with acting_as(store, "putu"), pytest.raises(PermissionDenied):
        _export(store, tmp_path / "a.csv")
    assert store.path is not None
    looking = Store.open(store.path, read_only=True, actor_username="wayan")
    with looking, pytest.raises(StoreReadOnly):
        _export(looking, tmp_path / "b.csv")
    assert not (tmp_path / "a.csv").exists() and not (tmp_path / "b.csv").exists()


def test_filters(store: Store, tmp_path: Path) -> None:
    made = store.officer_by_username("made")
    assert made is not None

    def names(**kw: Any) -> list[str]:
        path = tmp_path / f"f{len(list(tmp_path.iterdir()))}.csv"
        _export(store, path, **kw)
        return [row["Nama"] for row in _csv(path)]

    assert names(period=Period.year(2025)) == ["Ni Made <Ayu> & co"]
    assert names(region_code=UBUNG_KAJA) == ["Ni Made <Ayu> & co"]
    assert names(region_code="51.71") == names()  # everything under Kota Denpasar
    assert names(officer_id=made.id) == ["I Made Sudi"]
    assert names(period=Period.month(2026, 10), region_code=SESETAN) == [
        *("'" + name for name in EVIL[:4]),
        *EVIL[4:],
    ]  # oldest first
    with acting_as(store, "kadek"):
        signup = store.find_by_nik(make_signup("x", serial=8).participant.nik)
        assert signup is not None
        store.review(RecordKind.SIGNUP, signup.id, ReviewState.APPROVED)
    assert names(states=frozenset({ReviewState.APPROVED})) == ["I Made Sudi"]
    filters = _details(_exports(store)[0])["filters"]
    assert filters == {"format": "csv", "states": ["approved"]}


def test_english_headers(store: Store, tmp_path: Path) -> None:
    set_language("en")
    path = tmp_path / "signups.csv"
    _export(store, path)
    assert list(_csv(path)[0])[:4] == ["ID", "NIK", "Name", "Sex"]


def test_visits_csv(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "kunjungan.csv"
    assert _export(store, path, kind=ExportKind.VISITS).rows == 1
    (row,) = _csv(path)
    assert row["Nama acara"] == "'=cmd|' /C calc'!A0"
    assert row["Jumlah hadir"] == "35" and row["Jenis kunjungan"] == "banjar"
    assert row["Waktu kunjungan"] == "2026-11-24T19:00:00+08:00"
    assert row["Desa/Kelurahan"] == "Sesetan" and row["Petugas"] == "wayan"
    assert _details(_exports(store)[0])["kind"] == "visits"


# -- XLSX -----------------------------------------------------------------------------------


def test_xlsx_typed_cells_strings_never_formulas(store: Store, tmp_path: Path) -> None:
    import openpyxl

    path = tmp_path / "pendaftaran.xlsx"
    assert _export(store, path).rows == 8
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    book = openpyxl.load_workbook(path)
    sheet = book.active
    assert sheet is not None
    assert sheet.title == "Pendaftaran" and sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:AL9"
    head = [cell.value for cell in sheet[1]]
    assert head == headers(ExportKind.SIGNUPS, "id")
    col = {key: i for i, key in enumerate(c.key for c in COLUMNS[ExportKind.SIGNUPS])}
    rows = list(sheet.iter_rows(min_row=2))
    by_name = {row[col["name"]].value: row for row in rows}
    assert set(EVIL) <= set(by_name)  # as typed: no quote added, and...
    for name in EVIL:
        cell = by_name[name][col["name"]]
        assert cell.data_type == "s"  # ...a string cell, never a formula
    assert by_name["Ketut"][col["address"]].value == "\t=1+1"
    assert by_name["Putu"][col["address"]].data_type == "s"
    first = by_name[EVIL[0]]
    assert first[col["registered_on"]].value == dt.datetime(2026, 10, 1)
    assert first[col["registered_on"]].is_date
    assert first[col["monthly_contribution_rp"]].value == 16_800
    assert "Rp" in first[col["monthly_contribution_rp"]].number_format
    assert first[col["jht"]].value is False and first[col["consent"]].value is True
    assert first[col["created_at"]].is_date
    assert re.fullmatch(r"\d{4}\*{8}\d{4}", first[col["nik"]].value)
    assert by_name["Ni Made <Ayu> & co"][col["desa"]].value == "Ubung Kaja"
    assert first[col["banjar_id"]].value is not None and first[col["visit_id"]].value is None


def test_xlsx_slow_path_writes_the_same(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import openpyxl

    from fieldtui.exchange import xlsx

    fast, slow = tmp_path / "fast.xlsx", tmp_path / "slow.xlsx"
    _export(store, fast)
    monkeypatch.setattr(xlsx, "_fast_path_available", lambda: False)
    _export(store, slow)

    def values(path: Path) -> list[tuple[object, ...]]:
        sheet = openpyxl.load_workbook(path).active
        assert sheet is not None
        return [tuple(row) for row in sheet.iter_rows(values_only=True)]

    assert values(fast) == values(slow)


def test_progress_export_matches_the_report(store: Store, tmp_path: Path) -> None:
    import openpyxl

    with acting_as(store, "kadek"):
        store.set_target(SESETAN, Period.year(2026), 10)
    path = tmp_path / "capaian.xlsx"
    result = _export(store, path, kind=ExportKind.PROGRESS, by=Level.DESA, period=Period.year(2026))
    sheet = openpyxl.load_workbook(path).active
    assert sheet is not None
    rows = [row for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert result.rows == len(rows) == 3  # Sesetan, Ubung Kaja (registered in 2025), the total
    sesetan, ubung_kaja, total = rows
    keys = [c.key for c in COLUMNS[ExportKind.PROGRESS]]
    line = dict(zip(keys, sesetan, strict=True))
    assert line["region_code"] == SESETAN and line["target"] == 10
    assert line["participants"] == 7 and line["pct_of_target"] == pytest.approx(0.7)
    assert ubung_kaja[1] == UBUNG_KAJA and ubung_kaja[keys.index("new_signups")] == 0
    assert dict(zip(keys, total, strict=True))["level"] == "total"
    assert _details(_exports(store)[0])["filters"] == {
        "format": "xlsx",
        "period": "2026",
        "by": "desa",
    }


# -- the command ------------------------------------------------------------------------------


@pytest.fixture
def login(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Pretend the OS login is ``name`` (the CLI signs in as the app does)."""

    def as_login(name: str) -> None:
        monkeypatch.setattr(open_app, "os_login_name", lambda: name)

    as_login("wayan")
    return as_login


def test_cli_exports_masked(
    store: Store, tmp_path: Path, login: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "pendaftaran.xlsx"  # the format follows the suffix
    db = str(store.path)
    assert main(["--db", db, "export", "signups", "-o", str(path), "--period", "2026"]) == 0
    out = capsys.readouterr().out
    assert out.strip() == f"7 baris ditulis ke {path} (NIK dan nomor HP disamarkan)"
    assert path.read_bytes()[:2] == b"PK"  # a zip: XLSX
    store.refresh()
    (entry,) = _exports(store)
    assert _details(entry)["filters"] == {"format": "xlsx", "period": "2026"}
    assert main(["--db", db, "export", "signups", "-o", str(path)]) == 1
    assert "Berkas sudah ada" in capsys.readouterr().err
    assert main(["--db", db, "export", "signups", "-o", str(path), "--force"]) == 0
    assert "8 baris" in capsys.readouterr().out


def test_cli_unmask_only_for_supervisors(
    store: Store, tmp_path: Path, login: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "pendaftaran.csv"
    db = str(store.path)
    assert main(["--db", db, "export", "signups", "-o", str(path), "--unmask"]) == 1
    assert "supervisor" in capsys.readouterr().err.lower() and not path.exists()
    login("kadek")
    assert main(["--db", db, "export", "signups", "-o", str(path), "--unmask"]) == 0
    out = capsys.readouterr().out
    assert "NIK DITAMPILKAN (tercatat di jejak audit)" in out and "8 baris" in out
    assert all(re.fullmatch(r"\d{16}", row["NIK"]) for row in _csv(path))
    store.refresh()
    (entry,) = _exports(store)
    assert _details(entry)["unmasked"] is True
    set_language("en")
    other = tmp_path / "visits.csv"
    assert main(["--lang", "en", "--db", db, "export", "visits", "-o", str(other), "--unmask"]) == 0
    assert "NIKs SHOWN (recorded in the audit trail)" in capsys.readouterr().out


def test_cli_default_file_filters_and_refusals(
    store: Store,
    tmp_path: Path,
    login: Any,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    db = str(store.path)
    args = ["--db", db, "export", "signups", "--officer", "made", "--state", "new"]
    assert main([*args, "--region", SESETAN]) == 0
    folder = tmp_path / "home" / "fieldtui-ekspor"
    (written,) = folder.iterdir()
    assert written.name == f"pendaftaran-{clock.today().isoformat()}.csv"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert [row["Nama"] for row in _csv(written)] == ["I Made Sudi"]
    assert "1 baris" in capsys.readouterr().out
    for bad in (
        ["--period", "2026-13"],
        ["--period", "2026", "--from", "2026-01-01"],
        ["--region", "99.99"],
        ["--officer", "nobody"],
    ):
        with pytest.raises(SystemExit) as exit_:
            main(["--db", db, "export", "visits", "-o", str(tmp_path / "x.csv"), *bad])
        assert exit_.value.code == 2
    login("nobody")
    assert main(["--db", db, "export", "visits", "-o", str(tmp_path / "y.csv")]) == 1
    assert "nobody" in capsys.readouterr().err
    assert not (tmp_path / "x.csv").exists() and not (tmp_path / "y.csv").exists()


def test_cli_progress_bar_on_a_terminal(
    store: Store,
    tmp_path: Path,
    login: Any,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from rich.console import Console

    from fieldtui.cli import export as export_cli

    seen: list[tuple[int, int]] = []
    real = export_cli._with_progress_bar

    def spy(store_: Store, request: Any, export: Any) -> Any:
        def counting(*args: Any, progress: Any = None) -> Any:
            def both(done: int, total: int) -> None:
                seen.append((done, total))
                progress(done, total)

            return export(*args, progress=both)

        return real(store_, request, counting)

    monkeypatch.setattr(Console, "is_terminal", property(lambda self: True))
    monkeypatch.setattr(export_cli, "_BAR_FROM", 1)
    monkeypatch.setattr(export_cli, "_with_progress_bar", spy)
    path = tmp_path / "pendaftaran.csv"
    assert main(["--db", str(store.path), "export", "signups", "-o", str(path)]) == 0
    assert seen == [(8, 8)]  # one batch
    assert "8 baris ditulis" in capsys.readouterr().out


def test_cli_a_branch_region_exports_what_lies_in_its_kabupaten(
    store: Store, tmp_path: Path, login: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    """A branch code is every kab/kota of the branch (the store's filter matched none of it)."""
    besan = "51.05.04.2012"  # Kab. Klungkung: outside Cabang Denpasar
    wayan = store.actor
    assert wayan is not None
    store.create_signup(make_signup(wayan.id, serial=9, name="Di Klungkung", desa_code=besan))
    store.create_visit(make_visit(wayan.id, desa_code=besan, event_name="Di Klungkung"))
    db = str(store.path)
    path, visits = tmp_path / "cabang.csv", tmp_path / "kunjungan.csv"
    args = ["--db", db, "export", "signups", "-o", str(path), "--region", "KC-BALI-DENPASAR"]
    assert main(args) == 0
    assert "8 baris" in capsys.readouterr().out
    names = [row["Nama"] for row in _csv(path)]
    assert len(names) == 8 and "Di Klungkung" not in names
    args = ["--db", db, "export", "visits", "-o", str(visits), "--region", "KC-BALI-DENPASAR"]
    assert main(args) == 0
    assert "1 baris" in capsys.readouterr().out
    store.refresh()
    assert _details(_exports(store)[0])["filters"]["region"] == "KC-BALI-DENPASAR"  # type: ignore[index]
