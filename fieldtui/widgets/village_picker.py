"""VillagePicker: pick a desa/kelurahan by typing part of its name ("sesetan", "ubung kaja").

The best matches come from the packaged gazetteer (desa/kelurahan only, within the branch's
area when given); a picked village reads "Kel. Sesetan, Denpasar Selatan, Kota Denpasar".
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from fieldtui.domain.regions import Level, gazetteer
from fieldtui.widgets.search_picker import MAX_MATCHES, SearchPicker


class VillagePicker(SearchPicker):
    """Search-as-you-type over the villages of the gazetteer; ``code`` is the one picked."""

    @dataclass
    class Selected(SearchPicker.Selected):
        """A village was picked (``code``) or the choice was cleared (None)."""

    def __init__(
        self,
        code: str | None = None,
        *,
        within: Collection[str] | None = None,
        placeholder: str = "",
        id: str | None = None,
    ) -> None:
        super().__init__(code, placeholder=placeholder, id=id)
        self.within = tuple(within or ())

    def describe(self, code: str) -> str:
        """'Kel. Sesetan, Denpasar Selatan, Kota Denpasar'."""
        return gazetteer().describe(code)

    def matches(self, text: str) -> list[tuple[str, str]]:
        """(code, description) of the best villages for ``text``."""
        if not text.strip():
            return []
        found = gazetteer().search(
            text, limit=MAX_MATCHES, within=self.within or None, level=Level.DESA_KELURAHAN
        )
        return [(region.code, gazetteer().describe(region.code)) for region in found]
