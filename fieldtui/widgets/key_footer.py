"""KeyFooter: Textual's footer, rebuilt only when the keys it shows change.

Textual's `Footer` recomposes (removes and mounts every key, then lays out the screen) on each
bindings update, and a screen's bindings are updated whenever focus moves or a key is handled:
every Tab in the registration form rebuilt the footer twice (~30 ms of a ~100 ms Tab). Most
updates change nothing the footer shows; this one compares what it would show with what it
shows, and recomposes only on a difference (a key enabled or disabled, another focused widget's
keys, a language switch).
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer


class KeyFooter(Footer):
    """A `Footer` that skips rebuilds showing the same keys."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._shown: tuple[object, ...] | None = None

    def _what_it_shows(self) -> tuple[object, ...]:
        """Everything `Footer.compose` reads, in order."""
        app = self.app
        shown: list[object] = [self.show_command_palette, app.ENABLE_COMMAND_PALETTE]
        for key, (_node, binding, enabled, tooltip) in self.screen.active_bindings.items():
            if binding.show or key == app.COMMAND_PALETTE_BINDING:
                shown.append(
                    (
                        key,
                        binding.key,
                        app.get_key_display(binding),
                        binding.action,
                        binding.description,
                        binding.tooltip,
                        binding.group,
                        binding.show,
                        enabled,
                        tooltip,
                    )
                )
        return tuple(shown)

    def compose(self) -> ComposeResult:
        if self._bindings_ready:
            self._shown = self._what_it_shows()
        yield from super().compose()

    def bindings_changed(self, screen: Screen[Any]) -> None:
        if (
            self._bindings_ready
            and self.is_attached
            and screen is self.screen
            and self._shown is not None
            and self._shown == self._what_it_shows()
        ):
            return  # the same keys: nothing to rebuild
        super().bindings_changed(screen)
