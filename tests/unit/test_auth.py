"""PIN hashing and role permissions."""

from __future__ import annotations

import pytest

from fieldtui.domain.auth import hash_pin, os_login_name, pin_problem, verify_pin
from fieldtui.domain.models import Role
from fieldtui.domain.permissions import ROLE_PERMISSIONS, Permission, can
from fieldtui.i18n import t


def test_hash_verifies_and_is_salted() -> None:
    first, second = hash_pin("4821"), hash_pin("4821")
    assert first != second  # salted
    assert "4821" not in first
    assert verify_pin("4821", first)
    assert not verify_pin("4822", first)


@pytest.mark.parametrize("stored", [None, "", "plain", "md5$1$2$3$x$y", "scrypt$x$8$1$AA==$AA=="])
def test_bad_stored_hashes_never_verify(stored: str | None) -> None:
    assert not verify_pin("4821", stored)


@pytest.mark.parametrize(
    ("pin", "problem"),
    [
        ("12a4", "auth.pin.digits_only"),
        ("123", "auth.pin.length"),
        ("1111", "auth.pin.too_simple"),
        ("1234", "auth.pin.too_simple"),
        ("4321", "auth.pin.too_simple"),
        ("4821", None),
    ],
)
def test_pin_rules(pin: str, problem: str | None) -> None:
    assert pin_problem(pin) == problem
    if problem:
        assert t(problem) != problem  # translated


def test_login_name_is_a_name() -> None:
    assert os_login_name()


def test_roles() -> None:
    assert can(Role.SUPERVISOR, Permission.REVIEW)
    assert not can(Role.OFFICER, Permission.REVIEW)
    assert can(Role.OFFICER, Permission.WRITE_OWN_RECORDS)
    assert not can(Role.SUPERVISOR, Permission.WRITE_OWN_RECORDS)
    assert ROLE_PERMISSIONS[Role.VIEWER] == {Permission.READ}
