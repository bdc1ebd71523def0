"""Shared fixtures: a fixed language per test and an isolated data folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

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
    monkeypatch.delenv("FIELDTUI_DB", raising=False)
    monkeypatch.delenv("FIELDTUI_LANG", raising=False)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """A store path in a fresh temporary folder."""
    return tmp_path / "store.fieldtui.json"
