"""Repository fixtures: every `store` test runs over a memory store AND a real file store."""

from __future__ import annotations

import datetime as dt
import importlib.util
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from fieldtui.domain.models import Consent, Officer, Participant, Role, Sex, SignUp, Visit
from fieldtui.domain.nik import make_nik
from fieldtui.store.repository import Store

SESETAN = "51.71.01.1003"
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
    """A fresh store whose first user (an officer) is the actor."""
    store: Store = make_store()
    store.create_officer(Officer(username="wayan", name="I Wayan Sudarma"))
    return store


@pytest.fixture
def officer(store: Store) -> Officer:
    """The acting officer of `store`."""
    assert store.actor is not None
    return store.actor


def supervisor() -> Officer:
    """A supervisor user (not yet saved)."""
    return Officer(username="kadek", name="Ni Kadek Sari", role=Role.SUPERVISOR)


def make_signup(
    officer_id: str,
    *,
    serial: int = 1,
    name: str = "Ni Made Ayu",
    born: dt.date = dt.date(1990, 8, 7),
    sex: Sex = Sex.FEMALE,
    desa_code: str = SESETAN,
    registered_on: dt.date = dt.date(2026, 11, 24),
    **fields: Any,
) -> SignUp:
    """A valid sign-up with a NIK from Denpasar Selatan."""
    return SignUp(
        officer_id=officer_id,
        desa_code=desa_code,
        participant=Participant(
            nik=make_nik("51.71.01", born, sex, serial), name=name, birth_date=born, sex=sex
        ),
        income_rp=1_500_000,
        registered_on=registered_on,
        consent=Consent(given=True),
        **fields,
    )


def make_visit(officer_id: str, *, day: int = 24, desa_code: str = SESETAN, **fields: Any) -> Visit:
    """A banjar visit in Sesetan on a November 2026 evening."""
    started = dt.datetime(2026, 11, day, 19, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    return Visit(officer_id=officer_id, desa_code=desa_code, started_at=started, **fields)
