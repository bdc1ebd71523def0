"""Sign-ups over memory and file stores: validation, NIK lookup, duplicates, search, paging."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from fieldtui.domain.models import Banjar, Consent, Officer, Payment, ReviewState, Sex
from fieldtui.store.base import InvalidRecord
from fieldtui.store.errors import DuplicateNik
from fieldtui.store.listing import RecordFilter
from fieldtui.store.repository import Store
from tests.store.conftest import SESETAN, UBUNG_KAJA, make_signup, make_visit


def test_register_and_find_by_nik(store: Store, officer: Officer) -> None:
    signup = store.create_signup(make_signup(officer.id))
    assert store.get_signup(signup.id) == signup
    assert store.find_by_nik(signup.participant.nik) == signup
    spaced = " ".join(signup.participant.nik[i : i + 4] for i in range(0, 16, 4))
    assert store.find_by_nik(spaced) == signup
    assert store.find_by_nik("5171014708900002") is None


def test_duplicate_nik_is_refused(store: Store, officer: Officer) -> None:
    first = store.create_signup(make_signup(officer.id))
    with pytest.raises(DuplicateNik) as info:
        store.create_signup(make_signup(officer.id, name="Someone Else"))
    assert info.value.existing_id == first.id
    assert first.id in info.value.message()
    assert store.list_signups().total == 1
    # once the first is deleted, the NIK may be registered again; restoring then clashes
    store.delete_signup(first.id, "registered twice")
    assert store.find_by_nik(first.participant.nik) is None
    second = store.create_signup(make_signup(officer.id))
    assert store.find_by_nik(first.participant.nik) == second
    with pytest.raises(DuplicateNik):
        store.restore_signup(first.id, "undo")


def test_editing_a_nik_into_a_duplicate_is_refused(store: Store, officer: Officer) -> None:
    a = store.create_signup(make_signup(officer.id, serial=1))
    b = store.create_signup(make_signup(officer.id, serial=2))
    with pytest.raises(DuplicateNik):
        store.update_signup(dataclasses.replace(b, participant=a.participant))
    # editing a record while keeping its own NIK is fine
    store.update_signup(dataclasses.replace(a, income_rp=2_000_000))
    assert store.find_by_nik(a.participant.nik).income_rp == 2_000_000  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("change", "code"),
    [
        (
            lambda s: dataclasses.replace(s, consent=Consent(given=False)),
            "repository.issue.consent_required",
        ),
        (
            lambda s: dataclasses.replace(
                s, participant=dataclasses.replace(s.participant, nik="51710147089")
            ),
            "nik.error.length",
        ),
        (
            lambda s: dataclasses.replace(
                s, participant=dataclasses.replace(s.participant, name="  ")
            ),
            "repository.issue.name_required",
        ),
        (lambda s: dataclasses.replace(s, visit_id="01NOVISIT"), "repository.issue.unknown_visit"),
        (
            lambda s: dataclasses.replace(
                s, participant=dataclasses.replace(s.participant, phone="0361 123")
            ),
            "phone.error.too_short",
        ),
        (
            lambda s: dataclasses.replace(
                s,
                payments=(
                    Payment(
                        months=2,
                        amount_rp=1,
                        period_start=dt.date(2026, 12, 1),
                        paid_on=dt.date(2026, 11, 24),
                    ),
                ),
            ),
            "repository.issue.bad_payment",
        ),
    ],
)
def test_invalid_signups_are_refused(
    store: Store, officer: Officer, change: object, code: str
) -> None:
    bad = change(make_signup(officer.id))  # type: ignore[operator]
    assert code in {issue.code for issue in store.validate_signup(bad)}
    with pytest.raises(InvalidRecord) as info:
        store.create_signup(bad)
    assert code in {issue.code for issue in info.value.issues}
    assert store.list_signups().total == 0


def test_likely_duplicates(store: Store, officer: Officer) -> None:
    born = dt.date(1985, 3, 2)
    a = store.create_signup(make_signup(officer.id, name="I Ketut  Arsa", born=born, sex=Sex.MALE))
    store.create_signup(
        make_signup(
            officer.id, serial=2, name="I Ketut Arsa", born=born, sex=Sex.MALE, desa_code=UBUNG_KAJA
        )
    )
    probe = dataclasses.replace(a.participant, name="i ketut arsa", nik="5171010203850099")
    assert store.likely_duplicates(probe, SESETAN) == [a]
    assert store.likely_duplicates(probe, SESETAN, exclude_id=a.id) == []
    other_day = dataclasses.replace(probe, birth_date=dt.date(1985, 3, 3))
    assert store.likely_duplicates(other_day, SESETAN) == []


def test_name_search_as_you_type(store: Store, officer: Officer) -> None:
    names = ["Ni Made Ayu", "I Made Sukra", "Made Wirawan", "Ni Luh Kemadean", "Ketut Arsa"]
    made = {
        name: store.create_signup(make_signup(officer.id, serial=i + 1, name=name))
        for i, name in enumerate(names)
    }
    found = [s.participant.name for s in store.search_signups("made")]
    # starts with, then a word starts with (newest first), then anywhere
    assert found == ["Made Wirawan", "I Made Sukra", "Ni Made Ayu", "Ni Luh Kemadean"]
    assert [s.participant.name for s in store.search_signups("MADÉ", limit=1)] == ["Made Wirawan"]
    nik = made["Ketut Arsa"].participant.nik
    assert [s.id for s in store.search_signups(nik)] == [made["Ketut Arsa"].id]
    assert len(store.search_signups(nik[:6])) == 5
    assert store.search_signups("   ") == []
    store.delete_signup(made["Made Wirawan"].id, "test")
    assert "Made Wirawan" not in [s.participant.name for s in store.search_signups("made")]


def test_list_signups_filters(store: Store, officer: Officer) -> None:
    banjar = store.create_banjar(Banjar(desa_code=SESETAN, name="Banjar Kaja"))
    visit = store.create_visit(make_visit(officer.id, banjar_id=banjar.id))
    payment = Payment(
        months=3, amount_rp=50_400, period_start=dt.date(2026, 12, 1), paid_on=dt.date(2026, 11, 24)
    )
    for i in range(12):
        store.create_signup(
            make_signup(
                officer.id,
                serial=i + 1,
                name=f"Peserta {i:02d}",
                registered_on=dt.date(2026, 11, 1) + dt.timedelta(days=i),
                banjar_id=banjar.id if i < 4 else None,
                visit_id=visit.id if i < 4 else None,
                payments=(payment,) if i % 3 == 0 else (),
            )
        )
    page = store.list_signups(limit=5)
    assert page.total == 12
    assert [s.participant.name for s in page.items] == [
        f"Peserta {i:02d}" for i in (11, 10, 9, 8, 7)
    ]
    assert store.list_signups(RecordFilter(banjar_id=banjar.id)).total == 4
    assert store.list_signups(RecordFilter(paid=True)).total == 4
    assert store.list_signups(RecordFilter(text="peserta 1")).total == 2
    window = RecordFilter(date_from=dt.date(2026, 11, 3), date_to=dt.date(2026, 11, 4))
    assert [s.participant.name for s in store.list_signups(window).items] == [
        "Peserta 03",
        "Peserta 02",
    ]
    paged = store.list_signups(RecordFilter(paid=False), offset=2, limit=3)
    assert paged.total == 8 and len(paged.items) == 3
    assert (
        store.list_signups(RecordFilter(review_states=frozenset({ReviewState.APPROVED}))).total == 0
    )
    first = page.items[0]
    store.delete_signup(first.id, "test")
    assert store.list_signups().total == 11
    assert store.list_signups(RecordFilter(include_deleted=True)).total == 12


def test_stored_nik_is_cleaned(store: Store, officer: Officer) -> None:
    signup = make_signup(officer.id)
    nik = signup.participant.nik
    spaced = dataclasses.replace(
        signup,
        participant=dataclasses.replace(
            signup.participant, nik=f"{nik[:6]} {nik[6:12]} {nik[12:]}"
        ),
    )
    spaced = dataclasses.replace(
        spaced, participant=dataclasses.replace(spaced.participant, phone="0812-3456-7890")
    )
    saved = store.create_signup(spaced)
    assert saved.participant.nik == nik
    assert saved.participant.phone == "+6281234567890"
    assert store.get_signup(saved.id).participant.nik == nik
