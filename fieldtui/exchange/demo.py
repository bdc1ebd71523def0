"""The demo store: Cabang Bali Denpasar's BPU drive as it stood in August 2017, synthetic people.

`build_demo(store)` fills an empty store (one batch: one transaction, one fsync);
`create_demo_store(path)` makes the file, refusing to touch a store holding real data;
`ensure_demo_store(path)` is what ``fieldtui --demo`` calls. The demo users' PINs are public on
purpose (the app's demo banner shows them); the store keeps only their hashes.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from pathlib import Path

from fieldtui.domain.auth import hash_pin
from fieldtui.domain.models import Officer, Period, Role
from fieldtui.exchange.demo_drive import (
    BRANCH_CODE,
    BRANCH_TARGET,
    PARTICIPANTS_BY_JULY,
    YEAR,
    Drive,
    Officers,
)
from fieldtui.exchange.demo_signups import DEMO_DAY
from fieldtui.store.errors import StoreError
from fieldtui.store.repository import Store

__all__ = [
    "BRANCH_CODE",
    "BRANCH_TARGET",
    "DEMO_DAY",
    "DEMO_OFFICER",
    "DEMO_OFFICER_2",
    "DEMO_SUPERVISOR",
    "DEMO_USERS",
    "PARTICIPANTS_BY_JULY",
    "DemoRefused",
    "DemoSummary",
    "DemoUser",
    "build_demo",
    "create_demo_store",
    "demo_summary",
    "ensure_demo_store",
]

DEFAULT_SEED = 2017


@dataclass(frozen=True, slots=True, kw_only=True)
class DemoUser:
    """A user of the demo store, with the PIN the demo banner shows."""

    username: str
    name: str
    pin: str
    role: Role = Role.OFFICER
    phone: str | None = None


DEMO_OFFICER = DemoUser(
    username="wayan.demo", name="I Wayan Sudarsana", pin="2017", phone="+6281237081701"
)
DEMO_OFFICER_2 = DemoUser(
    username="kadek.demo", name="Ni Kadek Ayu Lestari", pin="1708", phone="+6281337081702"
)
DEMO_SUPERVISOR = DemoUser(
    username="nyoman.demo",
    name="I Nyoman Widiana",
    pin="5171",
    role=Role.SUPERVISOR,
    phone="+6285237081703",
)
DEMO_USERS = (DEMO_OFFICER, DEMO_OFFICER_2, DEMO_SUPERVISOR)  # the first one signs in
_SUPERVISOR_FIRST = (DEMO_SUPERVISOR, DEMO_OFFICER, DEMO_OFFICER_2)  # the order they are created


class DemoRefused(StoreError):
    """The path holds a store with real data: the demo will not overwrite it."""

    default_key = "demo.error.not_demo"


@dataclass(frozen=True, slots=True)
class DemoSummary:
    """What a demo store holds, for the command line and the app's banner."""

    path: Path | None
    signups: int
    visits: int
    banjars: int
    target: int | None  # the branch's target for 2017
    users: tuple[DemoUser, ...]
    created: bool  # False when an existing demo store was found and kept
    seconds: float = 0.0  # how long building took (0 when nothing was built)


def demo_summary(store: Store, *, created: bool = False, seconds: float = 0.0) -> DemoSummary:
    """Count what ``store`` holds (a demo store, normally)."""
    target = store.get_target(BRANCH_CODE, Period.year(YEAR))
    return DemoSummary(
        path=store.path,
        signups=store.list_signups(limit=1).total,
        visits=store.list_visits(limit=1).total,
        banjars=len(store.banjars()),
        target=target.number if target is not None else None,
        users=tuple(u for u in DEMO_USERS if store.officer_by_username(u.username) is not None),
        created=created,
        seconds=seconds,
    )


def build_demo(store: Store, *, seed: int = DEFAULT_SEED) -> DemoSummary:
    """Fill an empty ``store`` with the demo drive; the first demo officer becomes the actor.

    The same seed gives the same records (ids and creation times aside). A store that is
    already a demo store is left as it is; one holding other data raises `DemoRefused`.
    """
    started = time.perf_counter()
    rng = random.Random(seed)
    with store.batch():
        # Inside the batch's lock: a second process building at the same time finds ours.
        if store.is_demo:
            return demo_summary(store)
        if not store.is_empty:
            raise DemoRefused(path=str(store.path or ":memory:"))
        # The supervisor is the store's first user (who creates themself) and adds the others.
        ids = {user.username: _create_user(store, user) for user in _SUPERVISOR_FIRST}
        officers = Officers(
            first=ids[DEMO_OFFICER.username],
            second=ids[DEMO_OFFICER_2.username],
            supervisor=ids[DEMO_SUPERVISOR.username],
        )
        Drive(store, rng, officers).run()
        store.mark_demo(seed=seed, branch=BRANCH_CODE)
    store.use_actor(DEMO_OFFICER.username)
    return demo_summary(store, created=True, seconds=time.perf_counter() - started)


def _create_user(store: Store, user: DemoUser) -> str:
    officer = Officer(
        username=user.username,
        name=user.name,
        role=user.role,
        phone=user.phone,
        pin_hash=hash_pin(user.pin),  # scrypt: slow on purpose, so once per user
    )
    return store.create_officer(officer).id


def create_demo_store(path: Path, *, force: bool = False) -> DemoSummary:
    """Create the demo store at ``path``; an existing demo store is kept unless ``force``.

    Raises `DemoRefused` when ``path`` holds a store with real data, with or without ``force``.
    An empty store there (say, from a build that was interrupted) is filled.
    """
    path = Path(path)
    if path.exists():
        with Store.open(path, read_only=True) as existing:
            is_demo, is_empty = existing.is_demo, existing.is_empty
            if is_demo and not force:
                return demo_summary(existing)
        if not is_demo and not is_empty:
            raise DemoRefused(path=str(path))
        if is_demo:
            _remove_store(path)
    with Store.open(path) as store:
        return build_demo(store)


def ensure_demo_store(path: Path) -> Path:
    """The demo store at ``path``, created on first use (`DemoRefused` for a real store)."""
    create_demo_store(path)
    return path


def _remove_store(path: Path) -> None:
    """Delete a demo store's data files (its lock file and backups stay)."""
    for file in (path.with_name(path.name + ".journal"), path):
        file.unlink(missing_ok=True)
