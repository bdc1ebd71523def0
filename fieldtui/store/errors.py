"""Store errors: each carries an i18n key and fields, and translates itself with `message()`."""

from __future__ import annotations

from pathlib import Path

from fieldtui.i18n import t


class StoreError(Exception):
    """Base: every store error carries an i18n key + fields; ``message()`` translates it."""

    default_key = "store.error.generic"

    def __init__(self, key: str | None = None, /, **fields: object) -> None:
        self.key: str = key or self.default_key
        self.fields: dict[str, object] = dict(fields)
        super().__init__(self.key)

    def message(self) -> str:
        """The error in the current language, fields filled in."""
        try:
            return t(self.key, **self.fields)
        except (KeyError, IndexError, ValueError):
            # A field the message needs was not given: show the text rather than crash the UI.
            return t(self.key)

    def __str__(self) -> str:
        return self.message()


class StoreLocked(StoreError):
    """Another process held the store's lock longer than ``lock_timeout``."""

    default_key = "store.error.locked"


class StoreCorrupt(StoreError):
    """The snapshot or journal cannot be parsed (beyond a torn last line)."""

    default_key = "store.error.corrupt"

    def __init__(
        self, key: str | None = None, /, *, backup: Path | None = None, **fields: object
    ) -> None:
        if backup is not None:
            fields["backup"] = str(backup)
            key = key or "store.error.corrupt_backup"
        super().__init__(key, **fields)
        self.backup: Path | None = backup


class StoreTooNew(StoreError):
    """The store was written by a newer version of fieldtui than this one."""

    default_key = "store.error.too_new"


class StoreReadOnly(StoreError):
    """A write on a read-only store, a read-only directory, or a file we may not write."""

    default_key = "store.error.read_only"


class DiskFull(StoreError):
    """ENOSPC / EDQUOT while saving; nothing already acknowledged is lost."""

    default_key = "store.error.disk_full"


class PermissionDenied(StoreError):
    """A role rule forbids this action (raised by the repository)."""

    default_key = "store.error.permission_denied"


class ValidationFailed(StoreError):
    """Domain validation failed for a save (raised by the repository)."""

    default_key = "store.error.validation_failed"


class DuplicateNik(StoreError):
    """A live sign-up with that NIK already exists."""

    default_key = "store.error.duplicate_nik"

    def __init__(
        self, key: str | None = None, /, *, existing_id: str = "", **fields: object
    ) -> None:
        super().__init__(key, existing_id=existing_id, **fields)
        self.existing_id: str = existing_id


class NotFound(StoreError):
    """No record with that id."""

    default_key = "store.error.not_found"


class StoreWarning(StoreError):
    """Not an error: something the user should know, e.g. store files readable by others."""

    default_key = "store.warning.world_readable"
