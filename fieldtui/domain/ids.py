"""ULIDs: 26-character, time-sortable ids that never collide across laptops."""

from __future__ import annotations

import os
import threading
import time

_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32
_lock = threading.Lock()
_last_ms = -1
_last_rand = 0


_PAIRS = [a + b for a in _ALPHABET for b in _ALPHABET]  # ten bits -> two characters


def _encode(value: int, length: int) -> str:
    """The last ``length`` base32 digits of ``value``, two at a time (ULIDs use 10 and 16)."""
    even = length - length % 2
    pairs = "".join(_PAIRS[(value >> shift) & 1023] for shift in range(5 * even - 10, -1, -10))
    return _ALPHABET[(value >> (5 * even)) & 31] + pairs if length % 2 else pairs


def new_id(now_ms: int | None = None) -> str:
    """A new ULID. Ids made in one process are strictly increasing (monotonic within a ms)."""
    global _last_ms, _last_rand
    ms = int(time.time() * 1000) if now_ms is None else now_ms
    with _lock:
        if ms <= _last_ms:
            ms = _last_ms
            rand = _last_rand + 1
            if rand >= 1 << 80:  # 2^80 ids in one millisecond: move to the next one
                ms, rand = ms + 1, int.from_bytes(os.urandom(10), "big") >> 1
        else:
            rand = int.from_bytes(os.urandom(10), "big") >> 1  # headroom for increments
        _last_ms, _last_rand = ms, rand
    return _encode(ms, 10) + _encode(rand, 16)


def is_id(value: str) -> bool:
    """True when ``value`` looks like a ULID."""
    return len(value) == 26 and all(c in _ALPHABET for c in value) and value[0] <= "7"


def id_time_ms(value: str) -> int:
    """The millisecond timestamp inside a ULID."""
    result = 0
    for char in value[:10]:
        result = result * 32 + _ALPHABET.index(char)
    return result
