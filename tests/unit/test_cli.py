"""The command line: help, version, language, bad arguments."""

from __future__ import annotations

import subprocess
import sys

import pytest

from fieldtui import __version__
from fieldtui.cli import build_parser, main, resolve_db


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0
    assert __version__ in capsys.readouterr().out


def test_help_is_indonesian_by_default(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "petugas BPJS Ketenagakerjaan" in capsys.readouterr().out


def test_help_in_english(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--lang", "en", "--help"])
    assert "field officers" in capsys.readouterr().out


def test_bad_language_exits_2_without_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--lang", "fr"])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "Bahasa tidak dikenal: fr" in err
    assert "Traceback" not in err


def test_db_resolution(monkeypatch: pytest.MonkeyPatch) -> None:
    parser = build_parser()
    monkeypatch.setenv("FIELDTUI_DB", "/tmp/x.json")
    assert str(resolve_db(parser.parse_args([]))) == "/tmp/x.json"
    assert str(resolve_db(parser.parse_args(["--db", "/tmp/y.json"]))) == "/tmp/y.json"
    monkeypatch.delenv("FIELDTUI_DB")
    assert resolve_db(parser.parse_args([])).name == "fieldtui.json"


def test_python_dash_m_runs() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "fieldtui", "--version"], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == f"fieldtui {__version__}"


def test_argparse_own_words_are_translated(capsys: pytest.CaptureFixture[str]) -> None:
    """Not only our help texts: argparse's headings and its errors speak the language too."""
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert out.startswith("pemakaian: fieldtui") and "\npilihan:\n" in out
    assert "tampilkan bantuan ini" in out and "show this help" not in out
    with pytest.raises(SystemExit) as info:
        main(["export"])
    assert info.value.code == 2
    assert "argumen berikut wajib diisi: kind" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["--lang", "en", "export", "xx"])
    assert "invalid choice: 'xx'" in capsys.readouterr().err
