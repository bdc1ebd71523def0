"""fieldtui over a real SSH connection, in a real terminal, at 80x24."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest

from tests.e2e.sshd import SshServer
from tests.e2e.tmux import Tmux

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("term", ["xterm-256color", "xterm"])
def test_app_over_ssh(
    tmp_path: Path, fieldtui_bin: Path, sshd: SshServer, tmux_sessions: list[Tmux], term: str
) -> None:
    remote = f"env XDG_DATA_HOME={shlex.quote(str(tmp_path / 'data'))} TERM={term} " + shlex.join(
        [str(fieldtui_bin), "--db", str(tmp_path / "s.json")]
    )
    session = Tmux(sshd.ssh_command(remote), env={"TERM": term})
    tmux_sessions.append(session)
    session.wait_for("Kantor Cabang Bali Denpasar", timeout=30)
    session.send("C-q")
    session.wait_for("__EXIT=0", timeout=15)
