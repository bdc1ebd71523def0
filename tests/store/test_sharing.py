"""`fieldtui share`: group access is deliberate, reported, and never world-readable."""

from __future__ import annotations

import grp
import os
import stat
from pathlib import Path

import pytest

from fieldtui.cli import main
from fieldtui.store.sharing import file_mode_for, share_store, world_accessible


def _store(tmp_path: Path) -> Path:
    folder = tmp_path / "store"
    folder.mkdir(mode=0o700)
    db = folder / "s.json"
    for name in ("s.json", "s.json.journal", "s.json.lock"):
        (folder / name).write_text("{}")
        (folder / name).chmod(0o600)
    (folder / "s.json.backups").mkdir(mode=0o700)
    (folder / "s.json.backups" / "b1.json").write_text("{}")
    (folder / "s.json.backups" / "b1.json").chmod(0o600)
    (folder / "other.txt").write_text("not ours")
    return db


def _own_group() -> str:
    return grp.getgrgid(os.getgid()).gr_name


def test_private_by_default(tmp_path: Path) -> None:
    db = _store(tmp_path)
    assert file_mode_for(db.parent) == 0o600
    assert world_accessible(db) == []


def test_share_sets_group_modes_and_setgid(tmp_path: Path) -> None:
    db = _store(tmp_path)
    report = share_store(db, _own_group())
    folder_mode = db.parent.stat().st_mode
    assert folder_mode & stat.S_ISGID and stat.S_IMODE(folder_mode) == 0o2770
    for name in ("s.json", "s.json.journal", "s.json.lock", "s.json.backups/b1.json"):
        assert stat.S_IMODE((db.parent / name).stat().st_mode) == 0o660, name
    assert stat.S_IMODE((db.parent / "other.txt").stat().st_mode) != 0o660  # not ours
    assert file_mode_for(db.parent) == 0o660
    assert world_accessible(db) == []
    assert len(report.changed) == 6


def test_world_readable_is_detected(tmp_path: Path) -> None:
    db = _store(tmp_path)
    db.chmod(0o644)
    assert world_accessible(db) == [db]


def test_cli_unknown_group_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = _store(tmp_path)
    with pytest.raises(SystemExit) as exc:
        main(["--db", str(db), "share", "--group", "no-such-group-xyz"])
    assert exc.value.code == 2
    assert "Grup 'no-such-group-xyz' tidak ada" in capsys.readouterr().err


def test_cli_reports_what_changed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = _store(tmp_path)
    assert main(["--db", str(db), "share", "--group", _own_group()]) == 0
    out = capsys.readouterr().out
    assert "setgid" in out and "0660" in out and "02770" in out
