"""What lives as long as the store is frozen out of the collector's way, before it runs again."""

from __future__ import annotations

import gc
import weakref
from pathlib import Path

import pytest

from fieldtui.domain.models import Officer, Role
from fieldtui.store import gcpause
from fieldtui.store.repository import Store
from tests.builders import make_signup


def test_big_loads_are_frozen_while_the_collector_is_still_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "g.fieldtui.json"
    with Store.open(path) as store:
        store.create_officer(Officer(username="sri", name="Sri", role=Role.SUPERVISOR))
        wayan = store.create_officer(Officer(username="wayan", name="Wayan"))
        store.use_actor("wayan")
        for serial in range(1, 6):
            store.create_signup(make_signup(wayan.id, serial=serial))

    frozen_with_gc_on: list[bool] = []
    monkeypatch.setattr(gcpause, "FREEZE_AT", 5)  # as if this were a big store
    monkeypatch.setattr(gc, "freeze", lambda: frozen_with_gc_on.append(gc.isenabled()))
    assert gc.isenabled()
    with Store.open(path, actor_username="wayan") as store:
        # The engine's documents, then the indexes and progress facts.
        assert len(frozen_with_gc_on) == 2
        store.warm_up()  # the search indexes
        assert len(frozen_with_gc_on) == 3
    # Frozen before the collector was on again: its first pass would walk them all (0.2 s at
    # 100k sign-ups, holding up the app's keys).
    assert frozen_with_gc_on == [False, False, False]
    assert gc.isenabled()


def test_small_stores_are_not_frozen(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    frozen: list[bool] = []
    monkeypatch.setattr(gc, "freeze", lambda: frozen.append(True))
    with Store.open(tmp_path / "s.fieldtui.json") as store:
        store.warm_up()
    assert frozen == []


def test_a_closed_store_is_freed_although_frozen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A process opening stores one after another (the demo, tests, benches) gets the memory
    of each closed one back: its reference cycles are broken at close."""
    path = tmp_path / "f.fieldtui.json"
    with Store.open(path) as store:
        store.create_officer(Officer(username="sri", name="Sri", role=Role.SUPERVISOR))
        wayan = store.create_officer(Officer(username="wayan", name="Wayan"))
        store.use_actor("wayan")
        store.create_signup(make_signup(wayan.id, serial=1))
    monkeypatch.setattr(gcpause, "FREEZE_AT", 1)
    try:
        store = Store.open(path, actor_username="wayan")
        store.warm_up()
        assert store.search_signups("Ni") is not None
        assert gc.get_freeze_count() > 0
        store.close()
        gone = weakref.ref(store)
        del store
        gc.collect()
        assert gone() is None
    finally:
        gc.unfreeze()
