"""Opening a sign-up for editing shows its NIK and phone whole: that is an audited reveal."""

from __future__ import annotations

from dataclasses import replace

from fieldtui.app import FieldApp
from fieldtui.domain.models import AuditAction
from fieldtui.screens.signup_form import SignUpFormScreen
from fieldtui.store.repository import Store
from tests.builders import make_signup


async def test_the_edit_form_records_a_reveal(store: Store, app: FieldApp) -> None:
    actor = store.actor
    assert actor is not None
    signup = make_signup(actor.id, serial=3)
    person = replace(signup.participant, phone="+6281234567890")
    signup = store.create_signup(replace(signup, participant=person))
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(SignUpFormScreen(signup=store.get_signup(signup.id)))
        await pilot.pause()
        reveals = [e for e in store.history(signup.id) if e.action is AuditAction.REVEAL]
        assert {e.changes[0].field for e in reveals} == {"participant.nik", "participant.phone"}
        assert all(e.reason == "dibuka untuk diubah" and e.actor_id == actor.id for e in reveals)


async def test_a_new_registration_reveals_nothing(store: Store, app: FieldApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(SignUpFormScreen())
        await pilot.pause()
    assert store.audit_log(action=AuditAction.REVEAL) == []
