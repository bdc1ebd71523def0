"""The codec round-trips every model through JSON, checks types, and diffs field by field."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import typing
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fieldtui.domain import models
from fieldtui.domain.clock import WITA
from fieldtui.domain.models import (
    AuditEntry,
    Consent,
    FieldChange,
    Participant,
    Payment,
    Period,
    Sex,
    SignUp,
    Target,
    Visit,
)
from fieldtui.store.codec import CodecError, decode, diff, encode

MODELS: list[type[Any]] = [
    obj
    for obj in vars(models).values()
    if isinstance(obj, type) and dataclasses.is_dataclass(obj) and obj.__module__ == models.__name__
]

_text = st.text(st.characters(exclude_categories=["Cs"]), max_size=12)
_aware = st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2200, 1, 1)).flatmap(
    lambda d: st.sampled_from([dt.UTC, dt.timezone(dt.timedelta(hours=8)), WITA]).map(
        lambda tz: d.replace(tzinfo=tz)
    )
)
_json_leaf = st.none() | st.booleans() | st.integers() | _text
_json = st.recursive(
    _json_leaf,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_text, inner, max_size=3),
    max_leaves=6,
)
_periods = st.tuples(st.dates(), st.dates()).map(lambda p: Period(start=min(p), end=max(p)))


def _strategy(tp: Any) -> st.SearchStrategy[Any]:
    origin = typing.get_origin(tp)
    if origin is not None and type(None) in typing.get_args(tp):
        (inner,) = [a for a in typing.get_args(tp) if a is not type(None)]
        return st.none() | _strategy(inner)
    if origin is tuple:
        return st.lists(_strategy(typing.get_args(tp)[0]), max_size=3).map(tuple)
    if tp is object:
        return _json
    if tp is dt.datetime:
        return _aware
    if tp is str:
        return _text
    if tp is Period:
        return _periods
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return _model(tp)
    return st.from_type(tp)


def _model(cls: type[Any]) -> st.SearchStrategy[Any]:
    hints = typing.get_type_hints(cls)
    return st.builds(cls, **{f.name: _strategy(hints[f.name]) for f in dataclasses.fields(cls)})


def test_every_model_is_covered() -> None:
    names = {cls.__name__ for cls in MODELS}
    assert {"SignUp", "Visit", "Officer", "Banjar", "Target", "Review", "AuditEntry"} <= names


@pytest.mark.parametrize("cls", MODELS, ids=lambda c: c.__name__)
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_round_trip_through_json(cls: type[Any], data: st.DataObject) -> None:
    record = data.draw(_strategy(cls))
    stored = json.loads(json.dumps(encode(record)))
    assert decode(cls, stored) == record


def _signup() -> SignUp:
    wita = WITA
    return SignUp(
        officer_id="01OFFICER",
        desa_code="51.71.01.1003",
        participant=Participant(
            nik="5171014708900001",
            name="Ni Made Ayu",
            birth_date=dt.date(1990, 8, 7),
            sex=Sex.FEMALE,
        ),
        income_rp=1_500_000,
        registered_on=dt.date(2026, 11, 24),
        consent=Consent(given=True, at=dt.datetime(2026, 11, 24, 19, 5, tzinfo=wita)),
        payments=(
            Payment(
                months=3,
                amount_rp=50_400,
                period_start=dt.date(2026, 12, 1),
                paid_on=dt.date(2026, 11, 24),
            ),
        ),
    )


def test_encoded_shape() -> None:
    doc = encode(_signup())
    assert doc["registered_on"] == "2026-11-24"
    assert doc["consent"]["at"] == "2026-11-24T19:05:00+08:00"
    assert doc["participant"]["sex"] == "P"
    assert type(doc["participant"]["sex"]) is str  # not the StrEnum: JSON gives back a str
    assert doc["payments"][0]["method"] == "cash"
    assert isinstance(doc["payments"], list)
    target = Target(region_code="51.71", period=Period.year(2017), number=22_964)
    assert encode(target)["period"] == {"start": "2017-01-01", "end": "2017-12-31"}


def test_naive_datetime_is_stored_as_wita() -> None:
    visit = Visit(officer_id="o", desa_code="d", started_at=dt.datetime(2026, 11, 24, 19, 0))
    assert encode(visit)["started_at"] == "2026-11-24T19:00:00+08:00"


@pytest.mark.parametrize(
    ("mutate", "path"),
    [
        (lambda d: d["participant"].update(sex="X"), "SignUp.participant.sex"),
        (lambda d: d.update(income_rp="1500000"), "SignUp.income_rp"),
        (lambda d: d.update(income_rp=True), "SignUp.income_rp"),
        (lambda d: d.update(registered_on="24-11-2026"), "SignUp.registered_on"),
        (lambda d: d["participant"].pop("nik"), "SignUp.participant.nik"),
        (lambda d: d.update(payments={}), "SignUp.payments"),
        (lambda d: d["payments"][0].update(months=None), "SignUp.payments.0.months"),
    ],
)
def test_decode_names_the_broken_field(mutate: Any, path: str) -> None:
    doc = encode(_signup())
    mutate(doc)
    with pytest.raises(CodecError) as info:
        decode(SignUp, doc)
    assert info.value.path == path


def test_unknown_keys_are_ignored_and_defaults_fill_gaps() -> None:
    signup = _signup()
    doc = encode(signup)
    doc["from_the_future"] = 1
    del doc["notes"]
    assert decode(SignUp, doc) == signup


def test_bad_period_is_a_codec_error() -> None:
    doc = encode(Target(region_code="51", period=Period.year(2017), number=1))
    doc["period"] = {"start": "2017-12-31", "end": "2017-01-01"}
    with pytest.raises(CodecError):
        decode(Target, doc)


def test_audit_entry_keeps_raw_values() -> None:
    entry = AuditEntry(
        actor_id="a",
        action=models.AuditAction.UPDATE,
        record_kind=models.RecordKind.SIGNUP,
        record_id="r",
        changes=(FieldChange(field="participant.name", before="Ayu", after={"x": [1]}),),
    )
    assert decode(AuditEntry, json.loads(json.dumps(encode(entry)))) == entry


def test_diff_flattens_nested_fields() -> None:
    old = _signup()
    new = dataclasses.replace(
        old,
        participant=dataclasses.replace(old.participant, name="Ni Made Ayu Lestari"),
        income_rp=2_000_000,
        updated_at=old.updated_at + dt.timedelta(hours=1),
    )
    changes = diff(encode(old), encode(new))
    assert changes == (
        FieldChange(field="participant.name", before="Ni Made Ayu", after="Ni Made Ayu Lestari"),
        FieldChange(field="income_rp", before=1_500_000, after=2_000_000),
    )


def test_diff_of_lists_and_creation() -> None:
    old = _signup()
    extra = dataclasses.replace(old.payments[0], receipt_no="R-2")
    new = dataclasses.replace(old, payments=(*old.payments, extra))
    changes = {c.field: (c.before, c.after) for c in diff(encode(old), encode(new))}
    assert changes["payments.1.receipt_no"] == (None, "R-2")
    assert changes["payments.1.months"] == (None, 3)
    created = {c.field: c.after for c in diff(None, encode(old))}
    assert created["participant.nik"] == "5171014708900001"
    assert "updated_at" not in created
    assert diff(encode(old), encode(old)) == ()


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=3),
        lambda inner: (
            st.lists(inner, max_size=3)
            | st.dictionaries(st.sampled_from(["a", "b", "updated_at"]), inner, max_size=3)
        ),
        max_leaves=12,
    )
)
def test_creation_diff_is_the_diff_against_nothing(value: object) -> None:
    """The short way `diff(None, doc)` takes gives what the general walk gives from {}."""
    from fieldtui.store.codec import _diff_into

    doc = {"x": value, "updated_at": "t", "y": [value, None]}
    general: list[FieldChange] = []
    _diff_into(general, "", {}, doc, frozenset({"updated_at"}))
    assert diff(None, doc) == tuple(general)


def test_diff_sees_type_changes() -> None:
    assert diff({"a": 1}, {"a": True}) == (FieldChange(field="a", before=1, after=True),)


def test_created_entry_is_the_encoded_audit_entry() -> None:
    """The creation's audit entry written straight as a document is the entry `encode` gives."""
    from fieldtui.store.base import created_entry

    doc = encode(_signup())
    fast = created_entry("officer-1", models.RecordKind.SIGNUP, "r1", doc, "import x.csv")
    entry = AuditEntry(
        actor_id="officer-1",
        action=models.AuditAction.CREATE,
        record_kind=models.RecordKind.SIGNUP,
        record_id="r1",
        changes=diff(None, doc),
        reason="import x.csv",
        id=fast["id"],
        at=decode(AuditEntry, fast).at,
    )
    assert fast == encode(entry)
    assert list(fast) == list(encode(entry))  # the same keys in the same order, as stored
    assert decode(AuditEntry, fast) == entry


def test_plain_subclasses_are_stored_as_plain_values() -> None:
    """A str or int subclass becomes a plain str or int (what the journal gives back)."""

    class Name(str):
        pass

    class Count(int):
        pass

    assert type(encode(Name("Made"))) is str and encode(Name("Made")) == "Made"
    assert type(encode(Count(3))) is int and encode(Count(3)) == 3
    assert encode([Name("a"), Count(1)]) == ["a", 1]
    assert all(type(v) in (str, int) for v in encode([Name("a"), Count(1)]))
