"""TickBox: a checkbox whose mark says its state without colour (✓ when ticked, blank when not).

Textual's Checkbox draws the same "X" either way and shows the state by colour alone, which is
lost with NO_COLOR or a 16-colour palette over SSH.
"""

from __future__ import annotations

from textual.widgets import Checkbox


class TickBox(Checkbox):
    """A Checkbox drawn as ▐✓▌ when ticked and ▐ ▌ when not."""

    @property
    def BUTTON_INNER(self) -> str:  # type: ignore[override]  # the name ToggleButton reads
        """The mark inside the box."""
        return "✓" if self.value else " "
