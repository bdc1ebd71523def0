"""Rules for adding a store's users: the OS login name they are known by, and a new PIN typed twice.

Each check returns the i18n key of what is wrong (the caller translates it with the fields it
has), or None when the value is acceptable.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from fieldtui.domain.auth import pin_problem

MAX_USERNAME_LENGTH = 32  # what useradd accepts by default
# Portable POSIX login names as useradd makes them: lowercase, starting with a letter or "_".
_USERNAME = re.compile(r"[a-z_][a-z0-9_.-]*")


def username_problem(username: str, taken: Collection[str] = ()) -> str | None:
    """What is wrong with ``username`` as a new user's OS login name (None when fine)."""
    if not username:
        return "users.username.required"
    if any(ch.isspace() for ch in username):
        return "users.username.spaces"
    if username != username.lower():
        return "users.username.lowercase"
    if len(username) > MAX_USERNAME_LENGTH or not _USERNAME.fullmatch(username):
        return "users.username.format"
    if username in taken:
        return "users.username.taken"
    return None


def new_pin_problem(pin: str, again: str, *, required: bool = False) -> str | None:
    """What is wrong with a new PIN typed twice (None when fine).

    Both empty means "no PIN" (the user signs in only with their own OS login), unless
    ``required`` (a PIN reset, or a user who will be borrowed with ``--user``).
    """
    if not pin and not again:
        return "users.pin.required" if required else None
    problem = pin_problem(pin)
    if problem is not None:
        return problem
    if pin != again:
        return "users.pin.mismatch"
    return None
