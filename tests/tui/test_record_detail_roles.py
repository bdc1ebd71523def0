"""A record's keys follow what the store would allow the signed-in user to do with it."""

from __future__ import annotations

from fieldtui.app import FieldApp
from fieldtui.domain.models import Officer, RecordKind, Role
from fieldtui.screens.record_detail import RecordDetailScreen
from fieldtui.store.repository import Store
from tests.builders import acting_as, make_signup


def _keys(app: FieldApp) -> set[str]:
    return {a.binding.action for a in app.screen.active_bindings.values() if a.enabled}


async def _open(app: FieldApp, signup_id: str) -> set[str]:
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(RecordDetailScreen(RecordKind.SIGNUP, signup_id))
        await app.workers.wait_for_complete()
        await pilot.pause()
        return _keys(app)


async def test_the_officer_who_owns_it_may_edit_delete_and_reveal(
    store: Store, app: FieldApp
) -> None:
    actor = store.actor
    assert actor is not None
    signup = store.create_signup(make_signup(actor.id, serial=4))
    assert {"edit", "delete", "reveal"} <= await _open(app, signup.id)


async def test_a_supervisor_reveals_but_never_edits(store: Store, app: FieldApp) -> None:
    actor = store.actor
    assert actor is not None
    signup = store.create_signup(make_signup(actor.id, serial=4))
    store.use_actor("sri")
    keys = await _open(app, signup.id)
    assert "reveal" in keys and not {"edit", "delete"} & keys


async def test_a_viewer_only_looks(store: Store, app: FieldApp) -> None:
    actor = store.actor
    assert actor is not None
    signup = store.create_signup(make_signup(actor.id, serial=4))
    with acting_as(store, "sri"):
        store.create_officer(Officer(username="tut", name="Tut", role=Role.VIEWER))
    store.use_actor("tut")
    assert not {"edit", "delete", "reveal"} & await _open(app, signup.id)


async def test_lists_offer_new_records_only_to_officers(store: Store, app: FieldApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        for key, action in (("f3", "new_visit"), ("f4", "new_signup")):
            await pilot.press(key)
            await pilot.pause()
            assert action in _keys(app)  # wayan, an officer
        store.use_actor("sri")  # a supervisor (Ctrl+U in the app)
        app._user_switched(store.actor)
        await pilot.pause()
        assert "new_signup" not in _keys(app)
        await pilot.press("f3")
        await pilot.pause()
        assert "new_visit" not in _keys(app) and "edit" not in _keys(app)
