"""Valid records for tests: sign-ups and visits in Sesetan, ready to save."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from fieldtui.domain.models import Consent, Officer, Participant, Sex, SignUp, Visit
from fieldtui.domain.nik import make_nik
from fieldtui.store.repository import Store

SESETAN = "51.71.01.1003"


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


@contextmanager
def acting_as(store: Store, username: str) -> Iterator[Officer]:
    """Act as ``username`` inside the block (a supervisor setting targets, say), then as before."""
    before = store.actor
    try:
        yield store.use_actor(username)
    finally:
        if before is not None:
            store.use_actor(before.username)
