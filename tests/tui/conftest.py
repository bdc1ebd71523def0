"""Fixtures for pilot tests: a memory store with a signed-in officer, and the app over it."""

from __future__ import annotations

import datetime as dt

import pytest

from fieldtui.app import FieldApp, make_app
from fieldtui.domain.models import Officer, Role
from fieldtui.store.repository import Store

TODAY = dt.date(2026, 11, 24)


@pytest.fixture
def store() -> Store:
    """A memory store with officer 'wayan' (signed in) and supervisor 'sri'.

    Sri is the store's first user: only a supervisor adds users and sets targets.
    """
    store = Store.memory()
    store.create_officer(Officer(username="sri", name="Sri Wahyuni", role=Role.SUPERVISOR))
    store.create_officer(Officer(username="wayan", name="Wayan Sudarma", role=Role.OFFICER))
    store.use_actor("wayan")
    return store


@pytest.fixture
def app(store: Store) -> FieldApp:
    """The app over ``store``, with today fixed to 24 Nov 2026 and no polling."""
    return make_app(store, poll_seconds=0, fixed_today=TODAY, prepare_lists=False)
