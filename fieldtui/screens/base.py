"""Base screens whose key bindings are shown translated in the footer, help and palette.

Bindings are declared with an i18n key as their description (``Binding("f2", "...",
"keys.dashboard")``); `active_bindings` translates them at render time, so a language switch
takes effect without rebuilding any class.
"""

from __future__ import annotations

import dataclasses
from typing import TypeVar

from textual.binding import ActiveBinding
from textual.screen import ModalScreen, Screen

from fieldtui.i18n import t

ResultT = TypeVar("ResultT")


def translate_bindings(bindings: dict[str, ActiveBinding]) -> dict[str, ActiveBinding]:
    """Replace i18n-key descriptions and tooltips with their text in the current language."""
    out: dict[str, ActiveBinding] = {}
    for key, active in bindings.items():
        binding = active.binding
        if binding.description.startswith("keys."):
            binding = dataclasses.replace(
                binding,
                description=t(binding.description),
                tooltip=t(binding.tooltip) if binding.tooltip.startswith("keys.") else "",
            )
        out[key] = ActiveBinding(active.node, binding, active.enabled, binding.tooltip)
    return out


class FieldScreen(Screen[None]):
    """A full screen of the app."""

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        return translate_bindings(super().active_bindings)


class FieldModal(ModalScreen[ResultT]):
    """A dialog that returns a typed result with `dismiss`."""

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        return translate_bindings(super().active_bindings)
