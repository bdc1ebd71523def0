"""Preferences applied to the running app: theme, stale-visit threshold, language relabelling.

The preferences themselves (load/save) are in `fieldtui.settings`, which knows nothing of
Textual; this module puts them into effect on the app's screens.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import partial
from typing import Any

from textual.app import App
from textual.screen import Screen
from textual.theme import Theme

from fieldtui.i18n import t
from fieldtui.screens.dashboard import DashboardScreen
from fieldtui.settings import Settings, load_settings, save_settings


def apply_preferences(app: App[Any], settings: Settings | None = None) -> Settings:
    """Apply the saved theme and stale-visit threshold to a running app; return the settings.

    Call it once the app is running (``FieldApp.on_mount``). The language is not set here:
    the command line decides it before the app is built
    (``--lang`` and $FIELDTUI_LANG beat the saved choice; see `fieldtui.settings`).
    """
    settings = settings or load_settings()
    if settings.theme in app.available_themes:
        app.theme = settings.theme
    apply_stale_weeks(app, settings.stale_weeks)
    # A theme picked anywhere (the palette's theme switch too) is remembered.
    app.theme_changed_signal.subscribe(app, partial(_remember_theme, app))
    return settings


def _remember_theme(app: App[Any], theme: Theme) -> None:
    saved = load_settings()
    if saved.theme == theme.name:
        return
    try:
        save_settings(replace(saved, theme=theme.name))
    except OSError as exc:
        app.notify(t("settings.prefs_not_saved", error=exc.strerror or str(exc)), severity="error")


def mode_screens(app: App[Any]) -> list[Any]:
    """Every screen of every main screen's stack (modes not opened yet have none)."""
    screens: list[Any] = []
    for mode in app.MODES:
        try:
            screens.extend(app.get_screen_stack(mode))
        except KeyError:
            continue  # a mode not opened yet builds its screen in the current language
    return screens


def apply_stale_weeks(app: App[Any], weeks: int) -> None:
    """Give the dashboards the stale-visit threshold (they re-read when it changes)."""
    for screen in mode_screens(app):
        if isinstance(screen, DashboardScreen) and screen.stale_weeks != weeks:
            screen.stale_weeks = weeks
            if screen.is_mounted:
                screen.load()  # a screen still starting reads with the new value anyway


def _with_preferences(factory: Callable[[], Screen[Any]], settings: Settings) -> Screen[Any]:
    screen = factory()
    if isinstance(screen, DashboardScreen):
        screen.stale_weeks = settings.stale_weeks
    return screen


async def rebuild_other_modes(app: App[Any], settings: Settings) -> None:
    """After a language switch, let the other main screens be built again in the new language.

    A mode showing just its main screen is dropped and re-added: pressing its F-key builds a
    fresh screen (the safe way, whatever the screen sets up in on_mount). A mode with a form
    or dialog open on top is left alone so nothing typed is lost; its footer follows at once
    (bindings are translated when drawn), its labels when the form is closed and reopened.
    """
    for mode, factory in app.MODES.items():
        if mode == app.current_mode:
            continue
        try:
            stack = app.get_screen_stack(mode)
        except KeyError:
            continue  # not opened yet: it will be built in the new language
        if len(stack) == 1:
            await app.remove_mode(mode)
            if isinstance(factory, str):
                app.add_mode(mode, factory)
            else:
                app.add_mode(mode, partial(_with_preferences, factory, settings))
        else:
            for screen in stack:
                screen.refresh_bindings()
