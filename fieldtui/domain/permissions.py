"""What each role may do, as data. The store enforces it; the UI only hides what is refused."""

from __future__ import annotations

from enum import StrEnum

from fieldtui.domain.models import Role


class Permission(StrEnum):
    """Things a user can attempt."""

    READ = "read"
    WRITE_OWN_RECORDS = "write_own_records"  # create/edit/delete own visits and sign-ups
    WRITE_BANJARS = "write_banjars"
    REVIEW = "review"  # approve, flag, reject, comment
    SET_TARGETS = "set_targets"
    MANAGE_USERS = "manage_users"
    REVEAL_NIK = "reveal_nik"
    EXPORT = "export"
    EXPORT_UNMASKED = "export_unmasked"
    IMPORT = "import"
    MERGE = "merge"


ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.OFFICER: frozenset(
        {
            Permission.READ,
            Permission.WRITE_OWN_RECORDS,
            Permission.WRITE_BANJARS,
            Permission.REVEAL_NIK,
            Permission.EXPORT,
            Permission.IMPORT,
        }
    ),
    Role.SUPERVISOR: frozenset(
        {
            Permission.READ,
            Permission.WRITE_BANJARS,
            Permission.REVIEW,
            Permission.SET_TARGETS,
            Permission.MANAGE_USERS,
            Permission.REVEAL_NIK,
            Permission.EXPORT,
            Permission.EXPORT_UNMASKED,
            Permission.IMPORT,
            Permission.MERGE,
        }
    ),
    Role.VIEWER: frozenset({Permission.READ}),
}


def can(role: Role, permission: Permission) -> bool:
    """True when ``role`` grants ``permission``."""
    return permission in ROLE_PERMISSIONS[role]
