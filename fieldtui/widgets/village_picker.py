"""VillagePicker: pick a desa/kelurahan by typing part of its name ("sesetan", "ubung kaja").

An input and, while the officer types, a short list of the best matches from the packaged
gazetteer (desa/kelurahan only, within the branch's area when given). Down moves into the list,
Enter picks; the input then shows "Kel. Sesetan, Denpasar Selatan, Kota Denpasar" and the widget
posts `VillagePicker.Selected`. Typing again clears the choice until a new one is picked.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from fieldtui.domain.regions import Level, gazetteer

MAX_MATCHES = 6


class VillagePicker(Vertical):
    """Search-as-you-type over the villages of the gazetteer; ``code`` is the one picked."""

    DEFAULT_CSS = """
    VillagePicker { height: auto; }
    VillagePicker > OptionList { height: auto; max-height: 6; border: none; padding: 0; }
    VillagePicker > OptionList.-hidden { display: none; }
    """
    BINDINGS = [Binding("down", "into_list", show=False)]

    @dataclass
    class Selected(Message):
        """A village was picked (``code``) or the choice was cleared (None)."""

        picker: VillagePicker
        code: str | None

        @property
        def control(self) -> VillagePicker:
            return self.picker

    def __init__(
        self,
        code: str | None = None,
        *,
        within: Collection[str] | None = None,
        placeholder: str = "",
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.within = tuple(within or ())
        self._code = code
        self._placeholder = placeholder

    def compose(self) -> ComposeResult:
        yield Input(
            value=gazetteer().describe(self._code) if self._code else "",
            placeholder=self._placeholder,
        )
        yield OptionList(classes="-hidden")

    def focus(self, scroll_visible: bool = True) -> VillagePicker:
        """Focus the input."""
        self.query_one(Input).focus(scroll_visible)
        return self

    @property
    def code(self) -> str | None:
        """The picked village's code, or None."""
        return self._code

    @code.setter
    def code(self, value: str | None) -> None:
        self._code = value
        if self.is_mounted:
            self._fill(gazetteer().describe(value) if value else "")

    @property
    def text(self) -> str:
        """What is in the input now."""
        return self.query_one(Input).value

    def _fill(self, text: str) -> None:
        self.query_one(Input).value = text
        self.query_one(OptionList).add_class("-hidden")

    def matches(self, text: str) -> list[tuple[str, str]]:
        """(code, description) of the best villages for ``text``."""
        if not text.strip():
            return []
        found = gazetteer().search(
            text, limit=MAX_MATCHES, within=self.within or None, level=Level.DESA_KELURAHAN
        )
        return [(region.code, gazetteer().describe(region.code)) for region in found]

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        if self._code is not None and event.value == gazetteer().describe(self._code):
            return  # we filled it in
        options = self.query_one(OptionList)
        options.clear_options()
        found = self.matches(event.value)
        options.add_options([Option(text, id=code) for code, text in found])
        options.set_class(not found, "-hidden")
        if self._code is not None:
            self._code = None
            self.post_message(self.Selected(self, None))

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        options = self.query_one(OptionList)
        if self._code is None and options.option_count:
            event.stop()
            self._pick(options.get_option_at_index(options.highlighted or 0).id)

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._pick(event.option.id)
        self.query_one(Input).focus()

    def _pick(self, code: str | None) -> None:
        if code is None:
            return
        self.code = code
        self.post_message(self.Selected(self, code))

    def action_into_list(self) -> None:
        """Down from the input moves into the matches."""
        options = self.query_one(OptionList)
        if options.option_count and not options.has_class("-hidden"):
            options.focus()
            options.highlighted = 0
        else:
            self.screen.focus_next()
