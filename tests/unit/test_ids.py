"""ULIDs: Crockford base32, time first, increasing within a process."""

from __future__ import annotations

import time

from hypothesis import given
from hypothesis import strategies as st

from fieldtui.domain.ids import _ALPHABET, _encode, id_time_ms, is_id, new_id


def _digits(value: int, length: int) -> str:
    chars = []
    for _ in range(length):
        value, rem = divmod(value, 32)
        chars.append(_ALPHABET[rem])
    return "".join(reversed(chars))


@given(st.integers(min_value=0, max_value=(1 << 80) - 1), st.integers(min_value=1, max_value=17))
def test_encode_is_base32_digit_by_digit(value: int, length: int) -> None:
    assert _encode(value, length) == _digits(value, length)


def test_new_ids_are_valid_increasing_and_carry_their_time() -> None:
    now_ms = int(time.time() * 1000)
    ids = [new_id() for _ in range(50)] + [new_id(now_ms=now_ms - 60_000)]  # a clock set back
    assert all(is_id(i) for i in ids)
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    assert abs(id_time_ms(ids[0]) - now_ms) < 5_000
