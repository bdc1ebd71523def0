"""SearchPicker: pick one thing from a list by typing part of its name.

An input and, while the officer types, a short list of the best matches. Down moves into the
list, Enter picks; the input then shows the thing's description and the widget posts its
``Selected`` message. Typing again clears the choice until a new one is picked. Subclasses say
what to search (`matches`) and how a picked code reads (`describe`), and each declares its own
``Selected`` (a subclass of `SearchPicker.Selected`) so that a screen can tell pickers apart.
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

from fieldtui.widgets.ordered_input import OrderedInput

MAX_MATCHES = 6


class SearchPicker(Vertical):
    """An input with suggestions as you type; ``code`` is the one picked (or None)."""

    DEFAULT_CSS = """
    SearchPicker { height: auto; }
    SearchPicker > OptionList { height: auto; max-height: 6; border: none; padding: 0; }
    SearchPicker > OptionList.-hidden { display: none; }
    """
    BINDINGS = [Binding("down", "into_list", show=False)]

    @dataclass
    class Selected(Message):
        """Something was picked (``code``) or the choice was cleared (None)."""

        picker: SearchPicker
        code: str | None

        @property
        def control(self) -> SearchPicker:
            return self.picker

    def __init__(
        self, code: str | None = None, *, placeholder: str = "", id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self._code = code or None
        self._placeholder = placeholder

    def describe(self, code: str) -> str:
        """How a picked ``code`` reads in the input."""
        raise NotImplementedError

    def matches(self, text: str) -> list[tuple[str, str]]:
        """(code, text shown) of the best matches for ``text``, best first."""
        raise NotImplementedError

    def compose(self) -> ComposeResult:
        yield OrderedInput(value=self._shown(self._code), placeholder=self._placeholder)
        yield OptionList(classes="-hidden")

    def _shown(self, code: str | None) -> str:
        return self.describe(code) if code else ""

    def focus(self, scroll_visible: bool = True) -> SearchPicker:
        """Focus the input."""
        self.query_one(Input).focus(scroll_visible)
        return self

    @property
    def code(self) -> str | None:
        """The picked code, or None."""
        return self._code

    @code.setter
    def code(self, value: str | None) -> None:
        self._code = value or None
        if self.is_mounted:
            self.query_one(Input).value = self._shown(self._code)
            self.query_one(OptionList).add_class("-hidden")

    @property
    def text(self) -> str:
        """What is in the input now."""
        return self.query_one(Input).value

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        if self._code is not None and event.value == self._shown(self._code):
            return  # we filled it in
        options = self.query_one(OptionList)
        options.clear_options()
        found = self.matches(event.value) if event.value.strip() else []
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
