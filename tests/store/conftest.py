"""Repository fixtures: every `store` test runs over a memory store AND a real file store."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from fieldtui.domain.models import Officer, Role
from fieldtui.store.repository import Store
from tests.builders import SESETAN as SESETAN
from tests.builders import make_signup as make_signup
from tests.builders import make_visit as make_visit

UBUNG_KAJA = "51.71.04.2008"
HAVE_ENGINE = importlib.util.find_spec("fieldtui.store.engine") is not None


@pytest.fixture(params=["memory", "file"])
def store_kind(request: pytest.FixtureRequest) -> str:
    """Which storage a test runs on."""
    kind: str = request.param
    if kind == "file" and not HAVE_ENGINE:
        pytest.skip("fieldtui.store.engine has not landed yet")
    return kind


@pytest.fixture
def make_store(store_kind: str, tmp_path: Path) -> Iterator[Any]:
    """Open (or re-open) the test's store; memory stores are one object for the whole test."""
    opened: list[Store] = []
    memory: list[Store] = []

    def factory(**kwargs: Any) -> Store:
        if store_kind == "memory":
            if not memory:
                memory.append(Store.memory(**kwargs))
            return memory[0]
        store = Store.open(tmp_path / "store.fieldtui.json", **kwargs)
        opened.append(store)
        return store

    yield factory
    for store in opened:
        store.close()


@pytest.fixture
def store(make_store: Any) -> Store:
    """A fresh store with an officer (wayan, the actor) and a supervisor (`supervisor()`).

    The supervisor is the store's first user: only a supervisor may add the others.
    """
    store: Store = make_store()
    store.create_officer(supervisor())
    store.create_officer(Officer(username="wayan", name="I Wayan Sudarma"))
    store.use_actor("wayan")
    return store


@pytest.fixture
def officer(store: Store) -> Officer:
    """The acting officer of `store`."""
    assert store.actor is not None
    return store.actor


def supervisor() -> Officer:
    """The supervisor user kadek (as created; the `store` fixture saves one)."""
    return Officer(username="kadek", name="Ni Kadek Sari", role=Role.SUPERVISOR)
