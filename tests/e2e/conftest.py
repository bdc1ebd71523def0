"""Fixtures for end-to-end tests in a real terminal."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.sshd import SshServer, start_sshd
from tests.e2e.tmux import Tmux


@pytest.fixture
def fieldtui_bin() -> Path:
    """The installed console script of this venv."""
    path = Path(sys.executable).parent / "fieldtui"
    if not path.exists():
        pytest.skip(f"fieldtui is not installed in this venv ({path})")
    return path


@pytest.fixture
def tmux_sessions() -> Iterator[list[Tmux]]:
    """Sessions started by a test, closed after it."""
    if not Tmux.available():
        pytest.skip("tmux is not installed (.ci/run installs it with apt-get)")
    sessions: list[Tmux] = []
    yield sessions
    for session in sessions:
        session.close()


@pytest.fixture
def sshd(tmp_path: Path) -> Iterator[SshServer]:
    """A throwaway sshd on 127.0.0.1; skipped, with the reason printed, when it can't start."""
    try:
        server = start_sshd(tmp_path / "sshd")
    except (RuntimeError, OSError, subprocess.CalledProcessError) as exc:
        print(f"SKIP REASON: {exc}")
        pytest.skip(f"cannot start sshd: {exc}")
    yield server
    server.stop()
