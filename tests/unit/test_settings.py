"""Per-user preferences: round trip, owner-only file, atomic replace, bad files give defaults."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from fieldtui.settings import (
    DEFAULT_STALE_WEEKS,
    DEFAULT_THEME,
    Settings,
    load_settings,
    preferred_language,
    save_settings,
    settings_path,
)


@pytest.fixture(autouse=True)
def _config_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "config"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home))
    return home


def test_path_is_in_the_user_config_folder(tmp_path: Path) -> None:
    assert settings_path() == tmp_path / "config" / "fieldtui" / "settings.json"


def test_defaults_without_a_file() -> None:
    assert load_settings() == Settings()
    assert Settings().stale_weeks == DEFAULT_STALE_WEEKS == 4
    assert Settings().theme == DEFAULT_THEME
    assert preferred_language() is None


def test_round_trip() -> None:
    chosen = Settings(language="en", theme="nord", stale_weeks=6)
    save_settings(chosen)
    assert load_settings() == chosen
    assert preferred_language() == "en"


def test_explicit_path(tmp_path: Path) -> None:
    path = tmp_path / "elsewhere" / "prefs.json"
    save_settings(Settings(stale_weeks=8), path)
    assert load_settings(path).stale_weeks == 8
    assert not settings_path().exists()


def test_file_is_owner_only_and_replaced_atomically() -> None:
    save_settings(Settings(theme="gruvbox"))
    path = settings_path()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    before = path.stat().st_ino
    save_settings(Settings(theme="nord"))
    assert path.stat().st_ino != before  # a new file renamed over the old one
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in path.parent.iterdir()] == ["settings.json"]  # no temp file left


@pytest.mark.parametrize(
    "content",
    [b"{not json", b"", b"[1, 2]", b"\xff\xfe\x00garbage", b'"just a string"'],
)
def test_corrupt_file_gives_defaults_and_is_left_alone(content: bytes) -> None:
    path = settings_path()
    path.parent.mkdir(parents=True)
    path.write_bytes(content)
    assert load_settings() == Settings()
    assert preferred_language() is None
    assert path.read_bytes() == content  # not overwritten until the user saves


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_unreadable_file_gives_defaults() -> None:
    save_settings(Settings(language="en"))
    path = settings_path()
    path.chmod(0)
    try:
        assert load_settings() == Settings()
    finally:
        path.chmod(0o600)


def test_unknown_keys_ignored_and_bad_values_fall_back_one_by_one() -> None:
    path = settings_path()
    path.parent.mkdir(parents=True)
    data = {"language": "xx", "theme": "nord", "stale_weeks": 0, "colour": "pink", "v": 2}
    path.write_text(json.dumps(data), encoding="utf-8")
    assert load_settings() == Settings(language=None, theme="nord", stale_weeks=4)
    data = {"language": "EN", "theme": 3, "stale_weeks": True}
    path.write_text(json.dumps(data), encoding="utf-8")
    assert load_settings() == Settings(language="en", theme=DEFAULT_THEME, stale_weeks=4)


def test_a_folder_in_the_way_gives_defaults_and_a_save_error() -> None:
    path = settings_path()
    (path / "something").mkdir(parents=True)  # settings.json is a non-empty folder
    assert load_settings() == Settings()
    with pytest.raises(OSError):
        save_settings(Settings(theme="gruvbox"))
    assert sorted(p.name for p in path.parent.iterdir()) == ["settings.json"]  # temp removed
