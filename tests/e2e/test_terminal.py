"""The installed fieldtui in a real terminal (tmux) at 80x24."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.e2e.tmux import Tmux

pytestmark = pytest.mark.slow


def _env(tmp_path: Path) -> dict[str, str]:
    return {
        "TERM": "xterm-256color",
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "HOME": str(tmp_path),
        "PATH": os.environ.get("PATH", ""),
    }


def test_opens_and_quits_in_a_real_terminal(
    tmp_path: Path, fieldtui_bin: Path, tmux_sessions: list[Tmux]
) -> None:
    term = Tmux([str(fieldtui_bin), "--db", str(tmp_path / "s.json")], env=_env(tmp_path))
    tmux_sessions.append(term)
    screen = term.wait_for("siapa Anda?")  # a new store asks who is starting it
    assert "Nama lengkap" in screen and "Peran" in screen
    term.send("C-q")
    term.wait_for("__EXIT=0")
