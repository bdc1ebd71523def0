"""Fixtures shared by the exchange tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from fieldtui.domain.auth import os_login_name
from fieldtui.domain.models import Officer
from fieldtui.store.repository import Store


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A store on disk whose officer is this process's login (for the CLI commands)."""
    path = tmp_path / "store.json"
    with Store.open(path) as store:
        store.create_officer(Officer(username=os_login_name(), name="Wayan Sudarma"))
    return path
