"""NavBar: the top line of every main screen — the F-keys to the screens, the current one
highlighted, and who is signed in.

The footer then has room for the screen's own actions. The bar reads the app's ``nav_items``
(key, label, mode) and ``nav_status`` (name · role · DEMO); it shortens itself on narrow
terminals: first the status goes, then the spacing, then the labels of the screens not shown.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widget import Widget

from fieldtui.i18n import t

NavItem = tuple[str, str, str]  # key display ("F2"), i18n label key, mode name


class NavBar(Widget):
    """One line: F2 Capaian  F3 Kunjungan  ...                 Wayan Sudarma · petugas."""

    DEFAULT_CSS = """
    NavBar { dock: top; height: 1; background: $panel; color: $text; }
    NavBar > .navbar--key { color: $accent; text-style: bold; }
    NavBar > .navbar--current { background: $primary; color: $text; text-style: bold; }
    NavBar > .navbar--status { color: $text-muted; }
    """
    COMPONENT_CLASSES = {"navbar--key", "navbar--current", "navbar--status"}

    def render(self) -> Text:
        items: Sequence[NavItem] = getattr(self.app, "nav_items", ())
        status: str = getattr(self.app, "nav_status", "")
        current = self.app.current_mode
        width = self.size.width
        for layout in ("roomy", "tight", "keys"):
            line = self._line(items, current, layout=layout)
            if line.cell_len <= width:
                break
        room = width - line.cell_len - 2
        if status and room >= 8:
            shown = status if len(status) <= room else status[: room - 1] + "…"
            line.append(" " * (width - line.cell_len - len(shown)))
            line.append(shown, style=self.get_component_rich_style("navbar--status"))
        return line

    def _line(self, items: Sequence[NavItem], current: str, *, layout: str) -> Text:
        """``roomy``: two spaces between screens; ``tight``: one; ``keys``: only the current
        screen keeps its label."""
        key_style = self.get_component_rich_style("navbar--key")
        current_style = self.get_component_rich_style("navbar--current")
        gap = "  " if layout == "roomy" else " "
        line = Text(no_wrap=True, overflow="crop")
        for index, (key, label, mode) in enumerate(items):
            if index:
                line.append(gap)
            if mode == current:
                line.append(f" {key} {t(label)} ", style=current_style)
            elif layout == "keys":
                line.append(key, style=key_style)
            else:
                line.append(key if index else f" {key}", style=key_style)
                line.append(f" {t(label)}")
        return line
