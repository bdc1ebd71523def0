"""Scene 3 over a real SSH connection: the supervisor approves an officer's sign-up at 80x24."""

from __future__ import annotations

import shlex
import time
from pathlib import Path

import pytest

from fieldtui.domain.auth import os_login_name
from fieldtui.domain.models import Officer, ReviewState, Role
from fieldtui.store.repository import Store
from tests.builders import make_signup
from tests.e2e.sshd import SshServer
from tests.e2e.tmux import Tmux

pytestmark = pytest.mark.slow


def test_supervisor_approves_over_ssh(
    tmp_path: Path, fieldtui_bin: Path, sshd: SshServer, tmux_sessions: list[Tmux]
) -> None:
    db = tmp_path / "branch.fieldtui.json"
    with Store.open(db) as store:
        # The supervisor is the login that sshd authenticates; as the first user, they add wayan.
        store.create_officer(Officer(username=os_login_name(), name="Kadek", role=Role.SUPERVISOR))
        officer = store.create_officer(Officer(username="wayan", name="Wayan Sudarma"))
        store.use_actor("wayan")
        signup = store.create_signup(make_signup(officer.id, serial=5, name="Ni Luh Sekar"))
    remote = (
        f"env XDG_DATA_HOME={shlex.quote(str(tmp_path / 'data'))} "
        f"XDG_CONFIG_HOME={shlex.quote(str(tmp_path / 'config'))} TERM=xterm "
        + shlex.join([str(fieldtui_bin), "--db", str(db), "--low-bandwidth"])
    )
    session = Tmux(sshd.ssh_command(remote), env={"TERM": "xterm"})
    tmux_sessions.append(session)
    session.wait_for("Periode: Tahun", timeout=30)
    session.send("F7")
    session.wait_for("Ni Luh Sekar", timeout=15)
    session.send("a")
    deadline = time.monotonic() + 10
    state = None
    while time.monotonic() < deadline:
        with Store.open(db, read_only=True) as look:  # another process's view of the store
            state = look.get_signup(signup.id).review_state
        if state is ReviewState.APPROVED:
            break
        time.sleep(0.2)
    assert state is ReviewState.APPROVED
    session.send("C-q")
    session.wait_for("__EXIT=0", timeout=15)
