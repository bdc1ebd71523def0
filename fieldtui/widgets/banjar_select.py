"""BanjarSelect: choose one of a desa's banjars, "no banjar", or ask to add a new one.

The screen gives the banjars (`show_banjars`) and handles the messages: `Chosen` when the
officer picks a banjar or none, `AddRequested` when they pick "add a banjar" (the screen then
asks for it and calls `show_banjars` with the new one chosen, or `cancel_add`). Options set from
code never post either message.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from textual import on
from textual.message import Message
from textual.widgets import Select

NONE = "-"
ADD = "+"


class BanjarSelect(Select[str]):
    """A Select over (id, name) banjars with "no banjar" first and "add a banjar" last."""

    @dataclass
    class Chosen(Message):
        """The officer chose a banjar (its id) or no banjar (None)."""

        select: BanjarSelect
        banjar_id: str | None

        @property
        def control(self) -> BanjarSelect:
            return self.select

    @dataclass
    class AddRequested(Message):
        """The officer chose "add a banjar"."""

        select: BanjarSelect

        @property
        def control(self) -> BanjarSelect:
            return self.select

    def __init__(self, *, none_label: str, add_label: str, id: str | None = None) -> None:
        super().__init__([(none_label, NONE), (add_label, ADD)], allow_blank=False, id=id)
        self.none_label, self.add_label = none_label, add_label
        self._names: dict[str, str] = {}
        self._acted = NONE  # the value last acted on (or set from code)
        self._before_add = NONE

    @property
    def banjar_id(self) -> str | None:
        """The chosen banjar's id, or None."""
        return self._acted if self._acted in self._names else None

    def show_banjars(self, banjars: Sequence[tuple[str, str]], choose: str | None = None) -> None:
        """Offer these (id, name) banjars and choose ``choose`` (no banjar when unknown)."""
        self._names = dict(banjars)
        value = choose if choose in self._names else NONE
        self._acted = value
        self.set_options(
            [
                (self.none_label, NONE),
                *((name, key) for key, name in banjars),
                (self.add_label, ADD),
            ]
        )
        self.value = value

    def begin_add(self) -> None:
        """Remember the choice to go back to if adding a banjar is cancelled."""
        if self._acted != ADD:
            self._before_add = self._acted

    def cancel_add(self) -> None:
        """Back to the choice made before "add a banjar"."""
        value = self._before_add if self._before_add in self._names else NONE
        self._acted = value
        self.value = value

    @on(Select.Changed)
    def _changed(self, event: Select.Changed) -> None:
        # set_options and code also change the value; act only on a value that is still the
        # current one and differs from the one last acted on.
        event.stop()
        if event.value != self.value or event.value == self._acted:
            return
        self.begin_add()
        self._acted = str(event.value)
        if self._acted == ADD:
            self.post_message(self.AddRequested(self))
        else:
            self.post_message(self.Chosen(self, self.banjar_id))
