"""OccupationPicker: pick a kind of BPU work by typing part of it ("pedagang pasar", "ojol").

The best matches come from the packaged taxonomy (`fieldtui.domain.occupations.search`); a
picked occupation reads as its label.
"""

from __future__ import annotations

from dataclasses import dataclass

from fieldtui.domain import occupations
from fieldtui.widgets.search_picker import MAX_MATCHES, SearchPicker


class OccupationPicker(SearchPicker):
    """Search-as-you-type over the occupation taxonomy; ``code`` is the one picked."""

    @dataclass
    class Selected(SearchPicker.Selected):
        """An occupation was picked (``code``) or the choice was cleared (None)."""

    def describe(self, code: str) -> str:
        """The occupation's label in the current language."""
        return occupations.label(code)

    def matches(self, text: str) -> list[tuple[str, str]]:
        """(code, "label · group") of the best occupations for ``text``."""
        if not text.strip():
            return []
        return [
            (o.code, f"{o.label} · {o.group_label}")
            for o in occupations.search(text, limit=MAX_MATCHES)
        ]
