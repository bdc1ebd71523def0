"""Base screens whose key bindings are shown translated in the footer, help and palette.

Bindings are declared with an i18n key as their description (``Binding("f2", "...",
"keys.dashboard")``); `active_bindings` translates them at render time, so a language switch
takes effect without rebuilding any class.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any, TypeVar, cast

from textual.binding import ActiveBinding
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen

from fieldtui.domain.models import RecordKind
from fieldtui.domain.permissions import Permission, can
from fieldtui.i18n import t
from fieldtui.screens.frames import PromptFrames

if TYPE_CHECKING:
    from fieldtui.app import FieldApp
    from fieldtui.store.repository import Store

ResultT = TypeVar("ResultT")


# Textual's own bindings that reach our footers, by their English description.
_TEXTUAL_KEYS = {"palette": "keys.palette", "Dismiss menu": "keys.dismiss_menu"}


def translate_bindings(bindings: dict[str, ActiveBinding]) -> dict[str, ActiveBinding]:
    """Replace i18n-key descriptions and tooltips with their text in the current language."""
    out: dict[str, ActiveBinding] = {}
    for key, active in bindings.items():
        binding = active.binding
        if binding.description in _TEXTUAL_KEYS:
            binding = dataclasses.replace(
                binding, description=_TEXTUAL_KEYS[binding.description], tooltip=""
            )
        if binding.description.startswith("keys."):
            binding = dataclasses.replace(
                binding,
                description=t(binding.description),
                tooltip=t(binding.tooltip) if binding.tooltip.startswith("keys.") else "",
            )
        out[key] = ActiveBinding(active.node, binding, active.enabled, binding.tooltip)
    return out


def compact_footers(screen: Screen[Any]) -> None:
    """Footers without padding between keys: 80 columns hold a screen's keys and F1/Ctrl+Q."""
    from textual.widgets import Footer

    for footer in screen.query(Footer):
        footer.compact = True


def field_app(node: DOMNode) -> FieldApp:
    """The running `FieldApp`, typed (screens reach the store and the user through it)."""
    return cast("FieldApp", node.app)


class AppAccess:
    """Typed access to the app's store for screens (widgets never touch the store)."""

    @property
    def field_app(self) -> FieldApp:
        """The running app."""
        return field_app(cast(DOMNode, self))

    @property
    def store(self) -> Store:
        """The open store."""
        return self.field_app.store

    def may(self, permission: Permission) -> bool:
        """True when the signed-in user's role allows ``permission`` on a writable store (the
        store enforces the rules; screens use this only to not offer what it would refuse)."""
        app = self.field_app
        user = app.user
        if user is None or not app.store_ready:
            return False  # still opening: nothing is offered that the store would have to do
        return not self.store.read_only and can(user.role, permission)


class FieldScreen(AppAccess, PromptFrames, Screen[None]):
    """A full screen of the app (a mode: its NavBar shows where the user is)."""

    _changed_while_hidden = False

    def hidden_now(self, kinds: frozenset[RecordKind]) -> bool:
        """True, and remembered, when this screen is not the one shown: a list reads a store
        change when it is shown again (`changed_while_hidden`) rather than behind another
        screen at every save, where its read would slow the screen being looked at.

        Every kind at once (another user signed in, or the whole store read again) is read at
        once all the same: a list must not show one user's rows to the next, even briefly."""
        if self.is_current or len(kinds) == len(RecordKind):
            return False
        self._changed_while_hidden = True
        return True

    def changed_while_hidden(self) -> bool:
        """Whether a store change waits to be read now that the screen is shown (asking clears
        it)."""
        changed, self._changed_while_hidden = self._changed_while_hidden, False
        return changed

    def on_mount(self) -> None:
        compact_footers(self)

    def on_screen_resume(self) -> None:
        from fieldtui.widgets.nav_bar import NavBar

        for bar in self.query(NavBar):
            bar.refresh()

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        return translate_bindings(super().active_bindings)


class FieldModal(AppAccess, PromptFrames, ModalScreen[ResultT]):
    """A dialog that returns a typed result with `dismiss`."""

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        return translate_bindings(super().active_bindings)


class FieldPage(AppAccess, PromptFrames, Screen[ResultT]):
    """A full screen pushed on top of a main screen (a form, a record) that returns a result."""

    def on_mount(self) -> None:
        compact_footers(self)

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        return translate_bindings(super().active_bindings)
