"""Per-user preferences (language, colour theme, stale-visit threshold) kept in a small JSON file.

The file lives in the per-user config folder (``settings.json``), readable by its owner only,
and is replaced atomically so a crash mid-save leaves the old file or the new one, never half of
either. A missing, unreadable or corrupt file gives the defaults and is left alone until the
user saves again. Unknown keys (from a newer version) are ignored; bad values fall back one by
one. Preferences are not part of the store: they belong to the person at this machine.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, TypeGuard

from fieldtui.i18n import Lang, parse_lang

DEFAULT_THEME = "textual-dark"
DEFAULT_STALE_WEEKS = 4
MIN_STALE_WEEKS = 1
MAX_STALE_WEEKS = 52
FILE_NAME = "settings.json"


@dataclass(frozen=True, slots=True, kw_only=True)
class Settings:
    """What the user chose; ``language`` None means "not chosen" (the default language)."""

    language: Lang | None = None
    theme: str = DEFAULT_THEME
    stale_weeks: int = DEFAULT_STALE_WEEKS  # villages not visited for this long are flagged


def settings_path() -> Path:
    """``<user config folder>/fieldtui/settings.json`` (platformdirs; honours XDG_CONFIG_HOME)."""
    from platformdirs import user_config_path

    return user_config_path("fieldtui", appauthor=False) / FILE_NAME


def valid_stale_weeks(value: object) -> TypeGuard[int]:
    """True for a whole number of weeks in the accepted range."""
    return (
        isinstance(value, int)
        and not isinstance(value, bool)
        and MIN_STALE_WEEKS <= value <= MAX_STALE_WEEKS
    )


def _from_dict(data: dict[str, Any]) -> Settings:
    # Each value is checked on its own: one bad entry does not throw away the others.
    language: Lang | None = None
    raw_lang = data.get("language")
    if isinstance(raw_lang, str):
        try:
            language = parse_lang(raw_lang)
        except ValueError:
            language = None
    theme = data.get("theme")
    weeks = data.get("stale_weeks")
    return Settings(
        language=language,
        theme=theme if isinstance(theme, str) and theme.strip() else DEFAULT_THEME,
        stale_weeks=weeks if valid_stale_weeks(weeks) else DEFAULT_STALE_WEEKS,
    )


def load_settings(path: Path | None = None) -> Settings:
    """The saved preferences, or the defaults when there is no readable, valid file."""
    target = path or settings_path()
    try:
        data = json.loads(target.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return Settings()
    if not isinstance(data, dict):
        return Settings()
    return _from_dict(data)


def save_settings(settings: Settings, path: Path | None = None) -> None:
    """Write the preferences atomically (temp file, fsync, rename) with mode 0600.

    OSError (read-only folder, disk full) is left to the caller to show.
    """
    target = path or settings_path()
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    text = json.dumps(asdict(settings), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    fd, temp_name = tempfile.mkstemp(prefix=".settings-", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            os.fchmod(handle.fileno(), 0o600)  # mkstemp already makes it 0600; be explicit
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp_name, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise
    with contextlib.suppress(OSError):
        # The rename is durable only once the folder entry is on disk.
        dir_fd = os.open(target.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def preferred_language(path: Path | None = None) -> Lang | None:
    """The language the user saved in the settings screen, or None when none was chosen.

    The command line calls this only when neither ``--lang`` nor $FIELDTUI_LANG is given.
    """
    return load_settings(path).language
