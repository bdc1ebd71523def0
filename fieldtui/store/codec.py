"""Dataclass <-> JSON-safe dict for every domain model, and field-level diffs for the audit trail.

Generic over dataclass fields and their type hints: dates and datetimes as ISO text (datetimes
always with their UTC offset), enums by value, nested dataclasses as dicts (a `Period` becomes
``{"start", "end"}``), tuples as lists. Decoding checks types strictly, so `fieldtui check` can
tell a damaged document from a good one; unknown keys are ignored (a newer minor version may add
fields), missing keys take the field's default.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import types
import typing
from collections.abc import Callable, Mapping
from enum import Enum
from functools import cache
from typing import Any, TypeVar

from fieldtui.domain import clock
from fieldtui.domain.models import FieldChange

T = TypeVar("T")
Json = Any  # None | bool | int | str | list[Json] | dict[str, Json]
_Decoder = Callable[[Any], Any]


class CodecError(ValueError):
    """A stored document does not match the model it should decode to."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path, self.problem = path, problem


def encode(value: Any) -> Json:
    """A JSON-safe form of a model (or of any value a model field may hold)."""
    kind = type(value)
    if kind in _PLAIN:
        return value
    encoder = _ENCODERS.get(kind)
    if encoder is None:
        encoder = _ENCODERS[kind] = _encoder_for(kind)
    return encoder(value)


# Exact types that are already JSON-safe (a StrEnum or a bool subclass is not among them).
_PLAIN = frozenset({str, int, bool, float, type(None)})
# One encoder per type, found once: saving a sign-up encodes it and its audit entry, hundreds
# of values, so the type tests are not repeated for every value (3x faster than testing each).
_ENCODERS: dict[type, Callable[[Any], Json]] = {}


def _encoder_for(kind: type) -> Callable[[Any], Json]:
    if issubclass(kind, Enum):  # first: a StrEnum is also a str
        return lambda value: value.value
    # A subclass of a plain type (not an Enum) is stored as the plain value: documents go into
    # the store without a copy, and must hold what reading the journal back would give.
    if issubclass(kind, str):
        return str.__str__
    if issubclass(kind, int):
        return int.__int__
    if issubclass(kind, float):
        return float.__float__
    if issubclass(kind, dt.datetime):  # before date: a datetime is a date
        return lambda value: (
            clock.to_wita(value).isoformat() if value.tzinfo is None else value.isoformat()
        )
    if issubclass(kind, dt.date):
        return lambda value: value.isoformat()
    if dataclasses.is_dataclass(kind):
        names = tuple(f.name for f in dataclasses.fields(kind))
        plain = _PLAIN
        # Most fields are plain already: no call for them (a save encodes ~70 values).
        return lambda value: {
            name: item if type(item := getattr(value, name)) in plain else encode(item)
            for name in names
        }
    if issubclass(kind, tuple | list):
        return lambda value: [item if type(item) in _PLAIN else encode(item) for item in value]
    if issubclass(kind, Mapping):
        return lambda value: {str(k): encode(v) for k, v in value.items()}
    raise TypeError(f"cannot encode {kind.__name__}")


def decode(cls: type[T], data: Any, *, path: str = "") -> T:
    """The model ``cls`` from its JSON-safe form; CodecError says where it does not fit."""
    result: T = _decoder_for(cls)(data, path or cls.__name__)
    return result


# -- decoders, built once per type from the type hints -------------------------------------------


def _decoder_for(tp: Any) -> Callable[[Any, str], Any]:
    return _build(tp)


@cache
def _build(tp: Any) -> Callable[[Any, str], Any]:
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        return _union([_build(arg) for arg in typing.get_args(tp) if arg is not type(None)])
    if origin is tuple:
        args = typing.get_args(tp)
        if len(args) != 2 or args[1] is not Ellipsis:
            raise TypeError(f"only tuple[X, ...] is supported, not {tp}")
        return _tuple(_build(args[0]))
    if tp is object or tp is Any:
        return lambda value, path: value
    if isinstance(tp, type):
        if dataclasses.is_dataclass(tp):
            return _dataclass(tp)
        if issubclass(tp, Enum):
            return _enum(tp)
        if tp is dt.datetime:
            return _datetime
        if tp is dt.date:
            return _date
        if tp is bool:
            return _exact(bool)
        if tp is int:
            return _int
        if tp is float:
            return _float
        if tp is str:
            return _exact(str)
    raise TypeError(f"no decoder for {tp!r}")


def _union(options: list[Callable[[Any, str], Any]]) -> Callable[[Any, str], Any]:
    # Models only use "X | None": a None is None, anything else must fit X.
    (inner,) = options

    def decode_optional(value: Any, path: str) -> Any:
        return None if value is None else inner(value, path)

    return decode_optional


def _tuple(item: Callable[[Any, str], Any]) -> Callable[[Any, str], Any]:
    def decode_tuple(value: Any, path: str) -> Any:
        if not isinstance(value, list | tuple):
            raise CodecError(path, "expected a list")
        return tuple(item(v, f"{path}.{i}") for i, v in enumerate(value))

    return decode_tuple


def _exact(kind: type) -> Callable[[Any, str], Any]:
    def decode_exact(value: Any, path: str) -> Any:
        if type(value) is not kind:
            raise CodecError(path, f"expected {kind.__name__}, got {type(value).__name__}")
        return value

    return decode_exact


def _int(value: Any, path: str) -> int:
    if type(value) is not int:
        raise CodecError(path, f"expected int, got {type(value).__name__}")
    return value


def _float(value: Any, path: str) -> float:
    if type(value) not in (int, float):  # (not a bool)
        raise CodecError(path, f"expected a number, got {type(value).__name__}")
    return float(value)


def _enum(cls: type[Enum]) -> Callable[[Any, str], Any]:
    def decode_enum(value: Any, path: str) -> Any:
        try:
            return cls(value)
        except ValueError:
            raise CodecError(path, f"{value!r} is not a {cls.__name__}") from None

    return decode_enum


def _datetime(value: Any, path: str) -> dt.datetime:
    if not isinstance(value, str):
        raise CodecError(path, "expected an ISO datetime")
    try:
        return dt.datetime.fromisoformat(value)
    except ValueError:
        raise CodecError(path, f"{value!r} is not an ISO datetime") from None


def _date(value: Any, path: str) -> dt.date:
    if not isinstance(value, str) or len(value) != 10:
        raise CodecError(path, "expected an ISO date")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CodecError(path, f"{value!r} is not an ISO date") from None


def _dataclass(cls: type) -> Callable[[Any, str], Any]:
    hints = typing.get_type_hints(cls)
    plan: list[tuple[str, Callable[[Any, str], Any], bool]] = []
    for f in dataclasses.fields(cls):
        has_default = (
            f.default is not dataclasses.MISSING or f.default_factory is not dataclasses.MISSING
        )
        plan.append((f.name, _build(hints[f.name]), has_default))

    def decode_dataclass(value: Any, path: str) -> Any:
        if not isinstance(value, Mapping):
            raise CodecError(path, f"expected an object for {cls.__name__}")
        kwargs: dict[str, Any] = {}
        for name, decoder, has_default in plan:
            if name in value:
                kwargs[name] = decoder(value[name], f"{path}.{name}")
            elif not has_default:
                raise CodecError(f"{path}.{name}", "missing")
        try:
            return cls(**kwargs)
        except (TypeError, ValueError) as exc:  # e.g. a Period that ends before it starts
            raise CodecError(path, str(exc)) from None

    return decode_dataclass


# -- field-level diff -------------------------------------------------------------------------

_NOT_DIFFED = frozenset({"updated_at"})  # changes with every save: noise in a history
_SCALARS = frozenset({str, int, float, bool, type(None)})


def diff(
    before: Mapping[str, Json] | None,
    after: Mapping[str, Json] | None,
    *,
    ignore: frozenset[str] = _NOT_DIFFED,
) -> tuple[FieldChange, ...]:
    """Field-level changes between two encoded records, as flat dotted paths.

    Nested objects are followed (``participant.name``); lists are compared item by item
    (``payments.1.amount_rp``), an added or removed item appears whole (``payments.2``).
    A creation is ``diff(None, doc)`` and a removal ``diff(doc, None)``.
    """
    changes: list[FieldChange] = []
    if before is None and after is not None:
        _created_into(changes, "", after, ignore)  # every save of a new record: the short way
    else:
        _diff_into(changes, "", dict(before or {}), dict(after or {}), ignore)
    return tuple(changes)


def created_changes(doc: Mapping[str, Json], *, ignore: frozenset[str] = _NOT_DIFFED) -> Json:
    """`encode(diff(None, doc))` made directly: the stored changes of a new record's audit
    entry (every save of a new record writes one; an import writes thousands).

    For an encoded record (``encode(record)``: string keys, JSON leaves), which is all it is
    given; tests compare it with the general walk."""
    out: list[Json] = []
    _created_into(out, "", doc, ignore, _change_doc)
    return out


def _change_doc(path: str, value: Json) -> Json:
    return {"field": path, "before": None, "after": value}


def _change(path: str, value: Json) -> FieldChange:
    return FieldChange(field=path, before=None, after=value)


def _created_into(
    out: list[Any],
    prefix: str,
    after: Mapping[str, Json],
    ignore: frozenset[str],
    make: Callable[[str, Json], Any] = _change,
) -> None:
    # What `_diff_into` gives against nothing, in the same order: every non-null leaf.
    for key, value in after.items():
        path = prefix + key
        if path not in ignore:
            _created_value(out, path, value, ignore, make)


def _created_value(
    out: list[Any], path: str, value: Json, ignore: frozenset[str], make: Callable[[str, Json], Any]
) -> None:
    kind = type(value)
    if value is None:
        return
    if kind is dict:
        _created_into(out, path + ".", value, ignore, make)
    elif kind is list:
        for i, item in enumerate(value):
            _created_value(out, f"{path}.{i}", item, ignore, make)
    else:
        out.append(make(path, value))


def _diff_into(
    out: list[FieldChange], prefix: str, before: Json, after: Json, ignore: frozenset[str]
) -> None:
    # Encoded records hold plain dicts and lists: exact type checks (isinstance against the
    # Mapping ABC cost a third of a save).
    before_type, after_type = type(before), type(after)
    if before_type in _SCALARS and after_type in _SCALARS:
        if before != after or before_type is not after_type:
            out.append(FieldChange(field=prefix.rstrip("."), before=before, after=after))
        return
    # A nested object or list that appears or disappears is shown field by field.
    if before is None and isinstance(after, dict | list):
        before = {} if isinstance(after, dict) else []
    elif after is None and isinstance(before, dict | list):
        after = {} if isinstance(before, dict) else []
    if isinstance(before, dict) and isinstance(after, dict):
        keys = list(before) + [k for k in after if k not in before]
        for key in keys:
            path = f"{prefix}{key}"
            if path in ignore:
                continue
            _diff_into(out, path + ".", before.get(key), after.get(key), ignore)
        return
    if isinstance(before, list) and isinstance(after, list):
        for i in range(max(len(before), len(after))):
            old = before[i] if i < len(before) else None
            new = after[i] if i < len(after) else None
            _diff_into(out, f"{prefix}{i}.", old, new, ignore)
        return
    if before != after or type(before) is not type(after):
        out.append(FieldChange(field=prefix.rstrip("."), before=before, after=after))
