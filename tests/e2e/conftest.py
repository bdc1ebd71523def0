"""Fixtures for end-to-end tests in a real terminal."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

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
