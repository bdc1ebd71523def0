"""A throwaway OpenSSH server on 127.0.0.1 for end-to-end tests over a real SSH connection.

It listens on a spare loopback port with a host key and a client key pair made for the run,
accepts only that key, and is stopped when the test ends. Nothing outside the test's temporary
folder is changed except, when running as root, the privilege-separation folder sshd requires.
"""

from __future__ import annotations

import getpass
import os
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

SSHD_CANDIDATES = ("/usr/sbin/sshd", "/usr/local/sbin/sshd")


def find_sshd() -> str | None:
    """The sshd binary, if installed."""
    for candidate in SSHD_CANDIDATES:
        if os.access(candidate, os.X_OK):
            return candidate
    return shutil.which("sshd")


def spare_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class SshServer:
    """A running sshd and the client options that reach it."""

    process: subprocess.Popen[bytes]
    port: int
    user: str
    client_key: Path
    known_hosts: Path
    log: Path

    def ssh_command(self, *remote: str) -> list[str]:
        """An ssh command line that logs in as the test user and runs ``remote``."""
        return [
            "ssh", "-tt", "-p", str(self.port), "-i", str(self.client_key),
            "-o", "BatchMode=yes", "-o", f"UserKnownHostsFile={self.known_hosts}",
            "-o", "StrictHostKeyChecking=yes", "-o", "LogLevel=ERROR",
            f"{self.user}@127.0.0.1", *remote,
        ]  # fmt: skip

    def stop(self) -> None:
        """Stop the server and wait for it."""
        self.process.terminate()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def start_sshd(folder: Path, *, force_command: str | None = None) -> SshServer:
    """Start sshd on a spare loopback port; raise RuntimeError with the reason if it can't."""
    sshd = find_sshd()
    if sshd is None:
        raise RuntimeError("sshd is not installed (.ci/run installs openssh-server)")
    folder.mkdir(parents=True, exist_ok=True)
    os.chmod(folder, 0o700)
    host_key, client_key = folder / "host_ed25519", folder / "client_ed25519"
    for key in (host_key, client_key):
        subprocess.run(
            ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)],
            check=True,
            capture_output=True,
        )
    authorized = folder / "authorized_keys"
    authorized.write_text(client_key.with_suffix(".pub").read_text())
    authorized.chmod(0o600)
    port = spare_port()
    known_hosts = folder / "known_hosts"
    host_pub = host_key.with_suffix(".pub").read_text().split()
    known_hosts.write_text(f"[127.0.0.1]:{port} {host_pub[0]} {host_pub[1]}\n")
    user = getpass.getuser()
    lines = [
        "ListenAddress 127.0.0.1",
        f"Port {port}",
        f"HostKey {host_key}",
        f"AuthorizedKeysFile {authorized}",
        f"PidFile {folder / 'sshd.pid'}",
        f"AllowUsers {user}",
        "PasswordAuthentication no",
        "KbdInteractiveAuthentication no",
        "PubkeyAuthentication yes",
        "PermitRootLogin prohibit-password",
        "StrictModes no",
        "UsePAM no",
        "PrintMotd no",
        "PrintLastLog no",
        "AcceptEnv LANG LC_* TERM",
        "PermitUserEnvironment no",
    ]
    if force_command:
        lines.append(f"ForceCommand {force_command}")
    config = folder / "sshd_config"
    config.write_text("\n".join(lines) + "\n")
    if os.geteuid() == 0:
        Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)  # privilege separation
    log = folder / "sshd.log"
    process = subprocess.Popen([sshd, "-D", "-e", "-f", str(config), "-E", str(log)])
    server = SshServer(process, port, user, client_key, known_hosts, log)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"sshd exited: {log.read_text() if log.exists() else ''}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return server
        time.sleep(0.05)
    server.stop()
    raise RuntimeError("sshd did not start listening within 10 s")
