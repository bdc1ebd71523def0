"""FormField shows one message under its input, in a tone."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Input

from fieldtui.widgets.field import FormField, Tone


class FieldApp(App[None]):
    def compose(self) -> ComposeResult:
        yield FormField("NIK", Input(id="nik"), required=True, id="f")


async def test_message_and_tone() -> None:
    app = FieldApp()
    async with app.run_test(size=(60, 20)):
        field = app.query_one(FormField)
        assert field.message == "" and field.tone is None
        field.show("NIK harus 16 angka", Tone.ERROR)
        assert field.message == "NIK harus 16 angka" and field.tone is Tone.ERROR
        field.show("ok", Tone.OK)
        assert field.tone is Tone.OK
        field.show("")
        assert field.tone is None
