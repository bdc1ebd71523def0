"""Who is using the app: the OS login name, and PINs kept only as slow salted hashes.

The OS (or sshd) has already authenticated the login, so an officer working as themself needs
no PIN. Acting as another user of the store (``--user NAME``, e.g. on a shared branch account)
needs that user's PIN, checked against a scrypt hash.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import pwd

# scrypt parameters: ~50 ms per check here, 16 MiB of memory; stored with the hash so they can
# be raised later without breaking existing hashes.
_N, _R, _P = 2**14, 8, 1
_PREFIX = "scrypt"
MIN_PIN_LENGTH = 4
MAX_PIN_LENGTH = 12


def os_login_name() -> str:
    """The login name of this process's real user (not $USER, which anyone can set)."""
    return pwd.getpwuid(os.getuid()).pw_name


def pin_problem(pin: str) -> str | None:
    """The i18n key of what is wrong with a new PIN, or None when it is acceptable."""
    if not pin.isdigit():
        return "auth.pin.digits_only"
    if not MIN_PIN_LENGTH <= len(pin) <= MAX_PIN_LENGTH:
        return "auth.pin.length"
    if len(set(pin)) == 1 or pin in "0123456789012" or pin in "9876543210987":
        return "auth.pin.too_simple"
    return None


def hash_pin(pin: str, *, salt: bytes | None = None) -> str:
    """A self-describing scrypt hash: 'scrypt$N$r$p$salt$hash' (base64 parts)."""
    salt = os.urandom(16) if salt is None else salt
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    b64 = base64.b64encode
    return f"{_PREFIX}${_N}${_R}${_P}${b64(salt).decode()}${b64(digest).decode()}"


def verify_pin(pin: str, stored: str | None) -> bool:
    """True when ``pin`` matches the stored hash; constant-time; False for a missing hash."""
    if not stored:
        return False
    try:
        prefix, n, r, p, salt_b64, digest_b64 = stored.split("$")
        if prefix != _PREFIX:
            return False
        salt, expected = base64.b64decode(salt_b64), base64.b64decode(digest_b64)
        actual = hashlib.scrypt(
            pin.encode(), salt=salt, n=int(n), r=int(r), p=int(p), dklen=len(expected)
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)
