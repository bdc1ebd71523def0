"""`fieldtui check`: a plain, translated report; exit 0 when fine, 1 with problems, 2 on usage."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pytest

from fieldtui.cli import main
from fieldtui.domain.models import Officer
from fieldtui.store import indexes as ix
from fieldtui.store.backend import EngineBackend
from fieldtui.store.check import check_store
from fieldtui.store.codec import encode
from fieldtui.store.repository import Store
from tests.store.conftest import make_signup

GOOD_NIK = "5171014708900001"


def _good_store(db_path: Path) -> Officer:
    with Store.open(db_path) as store:
        wayan = store.create_officer(Officer(username="wayan", name="I Wayan"))
        store.create_signup(make_signup(wayan.id))
    return wayan


def _insert_raw(db_path: Path, table: str, doc: dict[str, object]) -> None:
    """Write a document past the repository's rules, as a damaged or merged store might hold."""
    backend = EngineBackend(db_path)
    with backend.transaction():
        backend.insert(table, doc)
    backend.close()


def _files(db_path: Path) -> dict[str, bytes]:
    return {
        str(p): p.read_bytes()
        for p in sorted(db_path.parent.rglob("*"))
        if p.is_file() and not p.name.endswith(".lock")
    }


def test_good_store(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _good_store(db_path)
    before = _files(db_path)
    assert main(["--db", str(db_path), "check"]) == 0
    out = capsys.readouterr().out
    assert f"Memeriksa {db_path}" in out and "Semua baik" in out
    assert "Pendaftaran" in out
    assert _files(db_path) == before  # checking writes nothing


def test_db_after_the_command_and_english(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _good_store(db_path)
    assert main(["--lang", "en", "check", "--db", str(db_path)]) == 0
    assert "All good" in capsys.readouterr().out


def test_missing_store_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["check", "--db", str(tmp_path / "nothing.json")])
    assert info.value.code == 2
    assert "tidak ada" in capsys.readouterr().err


def test_duplicate_live_niks(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    wayan = _good_store(db_path)
    _insert_raw(db_path, ix.SIGNUPS, encode(make_signup(wayan.id, name="Again")))
    assert main(["--db", str(db_path), "check"]) == 1
    out = capsys.readouterr().out
    assert "5171********0001" in out and GOOD_NIK not in out
    assert "2 kali" in out


def test_duplicate_niks_flagged_for_review_are_a_warning(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A merge keeps both registrations of one person and flags one for a supervisor: known
    and waiting for a decision, so `check` warns (exit 0) instead of reporting damage."""
    from fieldtui.domain.models import ReviewState

    wayan = _good_store(db_path)
    again = dataclasses.replace(
        make_signup(wayan.id, name="Again"), review_state=ReviewState.HAS_ISSUES
    )
    _insert_raw(db_path, ix.SIGNUPS, encode(again))
    assert main(["--db", str(db_path), "check"]) == 0
    out = capsys.readouterr().out
    assert "dihitung sekali" in out and "5171********0001" in out


def test_broken_references_and_documents(db_path: Path) -> None:
    wayan = _good_store(db_path)
    orphan = make_signup("01NOBODY", serial=2, banjar_id="01NOBANJAR", visit_id="01NOVISIT")
    _insert_raw(db_path, ix.SIGNUPS, encode(dataclasses.replace(orphan, desa_code="51.99.99.9999")))
    broken = encode(make_signup(wayan.id, serial=3))
    broken["income_rp"] = "banyak"
    _insert_raw(db_path, ix.SIGNUPS, broken)
    report = check_store(db_path)
    codes = sorted(f.issue.code for f in report.errors)
    assert codes == ["check.bad_document"] + ["check.missing_ref"] * 3 + ["check.unknown_desa"]
    bad = next(f for f in report.errors if f.issue.code == "check.bad_document")
    assert "income_rp" in bad.issue.message()


def test_corrupt_store_points_to_backup(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _good_store(db_path)
    db_path.write_bytes(b'{"signups": {"1": ')
    assert main(["--db", str(db_path), "check"]) == 1
    out = capsys.readouterr().out
    assert "tidak dapat dibaca" in out and ".backups" in out


def test_too_new_schema(db_path: Path) -> None:
    _good_store(db_path)
    backend = EngineBackend(db_path)
    with backend.transaction():
        backend.replace(ix.META, 1, {"schema_version": 99})
    backend.close()
    report = check_store(db_path)
    assert [f.issue.code for f in report.errors] == ["check.too_new"]


def test_world_readable_files_warn(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _good_store(db_path)
    os.chmod(db_path, 0o644)
    assert main(["--db", str(db_path), "check"]) == 0  # a warning, not a failure
    out = capsys.readouterr().out
    assert "PERINGATAN" in out and "chmod 600" in out
    os.chmod(db_path, 0o640)
    assert [f.issue.code for f in check_store(db_path).findings] == ["check.group_readable"]
