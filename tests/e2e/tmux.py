"""A tiny driver for a real terminal: run a command in tmux, type, and read the screen."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import time
import uuid
from collections.abc import Mapping, Sequence
from pathlib import Path


class TmuxTimeout(AssertionError):
    """The expected text did not appear on the screen in time."""


class Tmux:
    """One detached tmux session running one command at a fixed size."""

    def __init__(
        self,
        command: Sequence[str],
        *,
        width: int = 80,
        height: int = 24,
        env: Mapping[str, str] | None = None,
        cwd: Path | None = None,
    ) -> None:
        self.name = f"fieldtui-test-{uuid.uuid4().hex[:8]}"
        self.socket = f"fieldtui-{os.getpid()}"
        environment = " ".join(f"{k}={shlex.quote(v)}" for k, v in (env or {}).items())
        shell_command = f"env {environment} {shlex.join(command)}; echo __EXIT=$?; sleep 30"
        self._tmux(
            "new-session", "-d", "-s", self.name, "-x", str(width), "-y", str(height),
            *(["-c", str(cwd)] if cwd else []), shell_command,
        )  # fmt: skip

    @staticmethod
    def available() -> bool:
        """True when tmux is installed."""
        return shutil.which("tmux") is not None

    def _tmux(self, *args: str) -> str:
        out = subprocess.run(
            ["tmux", "-L", self.socket, *args], capture_output=True, text=True, check=True
        )
        return out.stdout

    def screen(self) -> str:
        """The visible screen as plain text."""
        return self._tmux("capture-pane", "-p", "-t", self.name)

    def send(self, *keys: str) -> None:
        """Send tmux key names ("Enter", "C-q", "F2") or literal text."""
        for key in keys:
            self._tmux("send-keys", "-t", self.name, key)

    def type(self, text: str) -> None:
        """Type literal text."""
        self._tmux("send-keys", "-t", self.name, "-l", text)

    def wait_for(self, text: str, timeout: float = 20.0) -> str:
        """Wait until ``text`` is on the screen and return the screen."""
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.1)
        raise TmuxTimeout(f"{text!r} not on screen after {timeout}s:\n{screen}")

    def close(self) -> None:
        """Kill the session and its server."""
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True)
