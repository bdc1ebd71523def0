"""BanjarDialog: add a banjar on the spot (name, its head and the head's title) under a desa."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Input, Select, Static

from fieldtui.domain.banjars import (
    MAX_NAME_LENGTH,
    banjar_display_name,
    default_head_title,
    head_titles,
    validate_banjar,
)
from fieldtui.domain.models import Banjar
from fieldtui.domain.regions import gazetteer
from fieldtui.i18n import t
from fieldtui.screens.base import FieldModal
from fieldtui.store.errors import StoreError
from fieldtui.widgets.field import FormField, Tone
from fieldtui.widgets.key_footer import KeyFooter
from fieldtui.widgets.ordered_input import OrderedInput


class BanjarDialog(FieldModal[Banjar | None]):
    """Name ("br kaja" is kept as "Banjar Kaja"), head name and title, notes; returns the banjar.

    The name is checked against the banjars already recorded in the desa before saving (the
    store checks again inside its lock); Enter or Ctrl+S saves, Esc cancels.
    """

    BINDINGS = [
        Binding("ctrl+s", "save", "keys.save"),
        Binding("escape", "cancel", "keys.cancel"),
    ]
    DEFAULT_CSS = """
    BanjarDialog { align: center middle; }
    BanjarDialog > #banjar-box {
        width: 72; max-width: 100%; height: auto; max-height: 100%;
        border: round $primary; padding: 0 1; background: $surface;
    }
    BanjarDialog #banjar-title { text-style: bold; color: $accent; }
    """

    def __init__(self, desa_code: str, name: str = "") -> None:
        super().__init__()
        self.desa_code = desa_code
        self.initial_name = name

    def compose(self) -> ComposeResult:
        region = gazetteer().get(self.desa_code)
        desa = region.display_name if region is not None else self.desa_code
        titles = head_titles(self.desa_code)
        with VerticalScroll(id="banjar-box"):
            yield Static(t("visits.banjar.title", desa=desa), id="banjar-title", markup=False)
            yield FormField(
                t("visits.banjar.name"),
                OrderedInput(
                    self.initial_name,
                    placeholder=t("visits.banjar.name_hint"),
                    max_length=MAX_NAME_LENGTH,
                    id="banjar-name",
                ),
                required=True,
                id="field-banjar-name",
            )
            yield FormField(
                t("visits.banjar.head_name"),
                OrderedInput(max_length=80, id="banjar-head-name"),
                id="field-banjar-head-name",
            )
            yield FormField(
                t("visits.banjar.head_title"),
                Select(
                    [(title, title) for title in titles],
                    value=default_head_title(self.desa_code),
                    allow_blank=False,
                    id="banjar-head-title",
                ),
                id="field-banjar-head-title",
            )
            yield FormField(
                t("visits.banjar.notes"),
                OrderedInput(max_length=200, id="banjar-notes"),
                id="field-banjar-notes",
            )
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#banjar-name", Input).focus()

    @on(Input.Changed, "#banjar-name")
    def _name_typed(self, event: Input.Changed) -> None:
        tidy = banjar_display_name(event.value)
        field = self.query_one("#field-banjar-name", FormField)
        field.show(t("visits.banjar.will_be", name=tidy) if tidy else "", Tone.INFO)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def _value(self, selector: str) -> str:
        return " ".join(self.query_one(selector, Input).value.split())

    def action_save(self) -> None:
        """Check the name against the desa's banjars, then save it."""
        name = self._value("#banjar-name")
        field = self.query_one("#field-banjar-name", FormField)
        existing = [banjar.name for banjar in self.store.banjars(self.desa_code)]
        issues = validate_banjar(name, self.desa_code, existing)
        if issues:
            field.show(" ".join(issue.message() for issue in issues), Tone.ERROR)
            self.query_one("#banjar-name", Input).focus()
            return
        title = self.query_one("#banjar-head-title", Select).value
        banjar = Banjar(
            desa_code=self.desa_code,
            name=banjar_display_name(name),
            head_name=self._value("#banjar-head-name"),
            head_title=title if isinstance(title, str) else "",
            notes=self._value("#banjar-notes"),
        )
        try:  # on the UI thread, as the visit form saves (see VisitFormScreen._write)
            saved = self.store.create_banjar(banjar)
        except StoreError as exc:
            self._failed(exc)
        else:
            self._saved(saved)

    def _failed(self, exc: StoreError) -> None:
        self.query_one("#field-banjar-name", FormField).show(exc.message(), Tone.ERROR)

    def _saved(self, banjar: Banjar) -> None:
        self.notify(t("visits.banjar.saved", name=banjar.name), timeout=4)
        self.dismiss(banjar)

    def action_cancel(self) -> None:
        """Close without adding a banjar."""
        self.dismiss(None)
