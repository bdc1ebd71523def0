"""Shared fixtures: a fixed language per test and an isolated data folder."""

from __future__ import annotations

import fcntl
import pickle
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from fieldtui.exchange.demo import DemoSummary, create_demo_store
from fieldtui.i18n import set_language


@pytest.fixture(autouse=True)
def _indonesian_by_default() -> Iterator[None]:
    set_language("id")
    yield
    set_language("id")


@pytest.fixture(autouse=True)
def _isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keep every test away from the real per-user data and settings folders and $FIELDTUI_DB."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.delenv("FIELDTUI_DB", raising=False)
    monkeypatch.delenv("FIELDTUI_LANG", raising=False)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """A store path in a fresh temporary folder."""
    return tmp_path / "store.fieldtui.json"


@pytest.fixture(scope="session")
def demo_master(
    tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> tuple[Path, DemoSummary]:
    """The demo store, built ONCE for the whole run (all xdist workers: ~10 s each saved) and
    the summary of that build. Modules take a copy (`copy_demo`), never the master itself."""
    base = tmp_path_factory.getbasetemp()
    root = base.parent if hasattr(request.config, "workerinput") else base
    folder = root / "demo-master"
    with (root / "demo-master.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one worker builds, the others wait for it
        done = folder / "summary.pickle"
        if not done.exists():
            folder.mkdir(exist_ok=True)
            summary = create_demo_store(folder / "demo.fieldtui.json")
            done.write_bytes(pickle.dumps(summary))
        built: DemoSummary = pickle.loads(done.read_bytes())
    return folder / "demo.fieldtui.json", built


def copy_demo(master: Path, folder: Path) -> Path:
    """A private copy of the demo store (snapshot and journal) in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for file in master.parent.glob(master.name + "*"):
        if file.is_file() and not file.name.endswith(".lock"):
            shutil.copy2(file, folder / file.name)
    return folder / master.name
