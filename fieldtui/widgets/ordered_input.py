"""OrderedInput: a text box whose keys take effect in the order they were pressed.

Textual's `Input` inserts a typed character as soon as its key arrives, but a key bound to an
action (Backspace, Delete, the arrows, Home/End, Ctrl+W...) first travels up to the app, which
then runs the action. Keys that arrive together (a burst over a slow SSH link, a machine busy
opening a store, a fast typist) are therefore applied out of order: "way", three Backspaces and
"5171" became "wa51", then "wa5171" with the Backspaces landing at the end (Textual issue
#6605, open). In a NIK that is a different, still valid-looking, number. Here the box runs its
own bindings itself, in turn with the characters; keys it does not bind go up as before.
"""

from __future__ import annotations

from textual import events
from textual.widgets import Input


class OrderedInput(Input):
    """A Textual `Input` that applies its bound keys in order with the typed characters."""

    async def _on_key(self, event: events.Key) -> None:
        if event.is_printable:
            return  # Input._on_key (called next) inserts it
        for binding in self._bindings.key_to_bindings.get(event.key, ()):
            if not binding.priority and await self.app.run_action(binding.action, self):
                # Handled here and now: neither Input's handler nor the app runs it again.
                event.stop()
                event.prevent_default()
                self._restart_blink()  # (what Input's handler, skipped, does first)
                return
