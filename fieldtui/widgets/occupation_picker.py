"""OccupationPicker: pick a kind of BPU work by typing part of it ("pedagang pasar", "ojol").

An input and, while the officer types, a short list of the best matches from the packaged
taxonomy (`fieldtui.domain.occupations.search`). Down moves into the list, Enter picks; the
input then shows the occupation's label and the widget posts `OccupationPicker.Selected`.
Typing again clears the choice until a new one is picked.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from fieldtui.domain import occupations

MAX_MATCHES = 6


class OccupationPicker(Vertical):
    """Search-as-you-type over the occupation taxonomy; ``code`` is the one picked."""

    DEFAULT_CSS = """
    OccupationPicker { height: auto; }
    OccupationPicker > OptionList { height: auto; max-height: 6; border: none; padding: 0; }
    OccupationPicker > OptionList.-hidden { display: none; }
    """
    BINDINGS = [Binding("down", "into_list", show=False)]

    @dataclass
    class Selected(Message):
        """An occupation was picked (``code``) or the choice was cleared (None)."""

        picker: OccupationPicker
        code: str | None

        @property
        def control(self) -> OccupationPicker:
            return self.picker

    def __init__(
        self, code: str | None = None, *, placeholder: str = "", id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self._code = code or None
        self._placeholder = placeholder

    def compose(self) -> ComposeResult:
        yield Input(value=self._describe(self._code), placeholder=self._placeholder)
        yield OptionList(classes="-hidden")

    @staticmethod
    def _describe(code: str | None) -> str:
        return occupations.label(code) if code else ""

    def focus(self, scroll_visible: bool = True) -> OccupationPicker:
        """Focus the input."""
        self.query_one(Input).focus(scroll_visible)
        return self

    @property
    def code(self) -> str | None:
        """The picked occupation's code, or None."""
        return self._code

    @code.setter
    def code(self, value: str | None) -> None:
        self._code = value or None
        if self.is_mounted:
            self.query_one(Input).value = self._describe(self._code)
            self.query_one(OptionList).add_class("-hidden")

    @property
    def text(self) -> str:
        """What is in the input now."""
        return self.query_one(Input).value

    @staticmethod
    def matches(text: str) -> list[tuple[str, str]]:
        """(code, "label · group") of the best occupations for ``text``."""
        if not text.strip():
            return []
        return [
            (o.code, f"{o.label} · {o.group_label}")
            for o in occupations.search(text, limit=MAX_MATCHES)
        ]

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        if self._code is not None and event.value == self._describe(self._code):
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
        if self._code is None and options.option_count and not options.has_class("-hidden"):
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
