"""Two handles (and two real processes) on one store file: each sees the other's saves."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from fieldtui.domain.models import Officer, RecordKind, ReviewState
from fieldtui.store.engine import Change
from fieldtui.store.errors import DuplicateNik
from fieldtui.store.repository import Store
from tests.store.conftest import make_signup, supervisor


@pytest.fixture
def pair(db_path: Path) -> tuple[Store, Store]:
    officer_side = Store.open(db_path)
    officer_side.create_officer(supervisor())  # the first user adds the officer
    wayan = officer_side.create_officer(Officer(username="wayan", name="I Wayan"))
    officer_side.use_actor("wayan")
    supervisor_side = Store.open(db_path, actor_username="kadek")
    assert officer_side.actor == wayan
    return officer_side, supervisor_side


def test_other_handle_sees_saves_after_refresh(pair: tuple[Store, Store]) -> None:
    mine, theirs = pair
    seen: list[frozenset[RecordKind]] = []
    theirs.on_change(seen.append)
    assert theirs.refresh() is False
    assert mine.actor is not None
    signup = mine.create_signup(make_signup(mine.actor.id))
    assert theirs.refresh() is True
    assert seen == [frozenset({RecordKind.SIGNUP})]
    assert theirs.find_by_nik(signup.participant.nik) == signup
    assert theirs.list_signups().total == 1
    assert [s.id for s in theirs.search_signups("ayu")] == [signup.id]
    # the supervisor flags it; the officer's side sees the flag and the history
    theirs.review(RecordKind.SIGNUP, signup.id, ReviewState.HAS_ISSUES, "tanggal lahir?")
    assert mine.refresh() is True
    assert mine.get_signup(signup.id).review_state is ReviewState.HAS_ISSUES
    assert [e.reason for e in mine.history(signup.id)][-1] == "tanggal lahir?"
    mine.close()
    theirs.close()


def test_duplicate_nik_is_caught_under_the_lock(pair: tuple[Store, Store]) -> None:
    mine, theirs = pair
    assert mine.actor is not None
    first = mine.create_signup(make_signup(mine.actor.id))
    theirs.use_actor("wayan")
    # `theirs` has not refreshed: its index does not know the NIK yet, the write lock does
    with pytest.raises(DuplicateNik) as info:
        theirs.create_signup(make_signup(mine.actor.id))
    assert info.value.existing_id == first.id
    mine.close()
    theirs.close()


def test_full_reload_rebuilds_the_indexes(pair: tuple[Store, Store]) -> None:
    mine, theirs = pair
    assert mine.actor is not None
    signup = mine.create_signup(make_signup(mine.actor.id))
    theirs.refresh()
    theirs._on_changes([Change("*", 0, None)])
    assert theirs.find_by_nik(signup.participant.nik) == signup
    edited = dataclasses.replace(signup, notes="after reload")
    mine.update_signup(edited)
    theirs.refresh()
    assert theirs.get_signup(signup.id).notes == "after reload"
    mine.close()
    theirs.close()


_WRITER = textwrap.dedent(
    """
    import sys
    from fieldtui.store.errors import DuplicateNik
    from fieldtui.store.repository import Store
    from tests.store.conftest import make_signup

    store = Store.open(sys.argv[1], actor_username="wayan")
    won = 0
    for serial in range(1, 21):
        try:
            store.create_signup(make_signup(store.actor.id, serial=serial, name=sys.argv[2]))
            won += 1
        except DuplicateNik:
            pass
    store.close()
    print(won)
    """
)


@pytest.mark.slow
def test_two_processes_never_register_one_nik_twice(db_path: Path) -> None:
    with Store.open(db_path) as store:
        store.create_officer(Officer(username="wayan", name="I Wayan"))
    root = Path(__file__).resolve().parents[2]
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _WRITER, str(db_path), name],
            cwd=root,
            stdout=subprocess.PIPE,
            text=True,
        )
        for name in ("Proses A", "Proses B")
    ]
    wins = [int(p.communicate(timeout=120)[0]) for p in procs]
    assert all(p.returncode == 0 for p in procs)
    assert sum(wins) == 20
    with Store.open(db_path) as store:
        page = store.list_signups(limit=100)
        assert page.total == 20
        assert len({s.participant.nik for s in page.items}) == 20
        assert len(store.audit_log(limit=1000)) == 21  # 20 creations + the officer
