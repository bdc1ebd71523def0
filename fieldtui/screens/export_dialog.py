"""ExportDialog (Ctrl+E): export sign-ups, visits or progress to a CSV or XLSX file.

What, the format, the period and the file (a default under ~/fieldtui-ekspor/ that follows the
choices until the user types their own); the "show NIKs in full" tick box is offered only to
users the store lets unmask. The export runs in a worker (`fieldtui.exchange.export`), with a
progress bar, and the dialog then says where the file went, how many rows, and whether NIKs were
unmasked (which the store recorded in the audit trail). Esc closes, returning the last result.
"""

from __future__ import annotations

from pathlib import Path

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, ProgressBar, Select, Static

from fieldtui.domain.models import Period
from fieldtui.domain.progress_rows import Level
from fieldtui.exchange.columns import ExportKind
from fieldtui.exchange.export import (
    ExportRequest,
    ExportResult,
    default_path,
    may_unmask,
    run_export,
)
from fieldtui.exchange.tabular import FileExists, FileFormat
from fieldtui.i18n import fmt_number, t
from fieldtui.screens.base import FieldModal
from fieldtui.store.errors import StoreError
from fieldtui.widgets.field import FormField, Tone
from fieldtui.widgets.key_footer import KeyFooter
from fieldtui.widgets.ordered_input import OrderedInput
from fieldtui.widgets.tick_box import TickBox

# The app's modes and what their Ctrl+E exports by default.
KIND_OF_MODE = {"capaian": ExportKind.PROGRESS, "kunjungan": ExportKind.VISITS}


def summary(result: ExportResult) -> str:
    """'1.718 baris ditulis ke … (NIK dan nomor HP disamarkan)' or '… — NIK DITAMPILKAN …'."""
    key = "export.done_unmasked" if result.unmasked else "export.done_masked"
    return t(key, rows=fmt_number(result.rows), path=str(result.path))


class ExportDialog(FieldModal[ExportResult | None]):
    """Choose, export in a worker, report; Ctrl+S (or Enter in a field) exports, Esc closes."""

    CSS_PATH = "export_dialog.tcss"
    BINDINGS = [
        Binding("ctrl+s", "export", "keys.export_run"),
        Binding("escape", "close", "keys.close"),
    ]

    def __init__(self, kind: ExportKind = ExportKind.SIGNUPS) -> None:
        super().__init__()
        self.kind = kind
        self.result: ExportResult | None = None
        self.running = False
        self._auto_path = ""  # the default path last filled in (replaced while not edited)

    def compose(self) -> ComposeResult:
        with Vertical(id="export-box"):
            yield Static(t("export.dialog.title"), id="export-title")
            kinds = [(t(f"export.dialog.kind.{k.value}"), k.value) for k in ExportKind]
            yield FormField(
                t("export.dialog.what"),
                Select(kinds, value=self.kind.value, allow_blank=False, id="export-kind"),
            )
            formats = [(f.value.upper(), f.value) for f in FileFormat]
            yield FormField(
                t("export.dialog.format"),
                Select(formats, value=FileFormat.CSV.value, allow_blank=False, id="export-format"),
            )
            yield FormField(
                t("export.dialog.period"),
                OrderedInput(placeholder=t("export.dialog.period_hint"), id="export-period"),
                id="field-period",
            )
            yield FormField(
                t("export.dialog.file"), OrderedInput(id="export-path"), id="field-path"
            )
            if may_unmask(self.store):
                yield TickBox(t("export.dialog.unmask"), id="export-unmask")
            yield TickBox(t("export.dialog.force"), id="export-force")
            yield ProgressBar(id="export-progress", show_eta=False)
            yield Static("", id="export-status", markup=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        self._fill_defaults()
        self.query_one("#export-progress", ProgressBar).display = False

    # -- the choices ----------------------------------------------------------------------

    def _choice(self, selector: str) -> str:
        value = self.query_one(selector, Select).value
        return value if isinstance(value, str) else ""

    @property
    def chosen_kind(self) -> ExportKind:
        """What is to be exported."""
        return ExportKind(self._choice("#export-kind") or self.kind.value)

    @property
    def chosen_format(self) -> FileFormat:
        """The file format."""
        return FileFormat(self._choice("#export-format") or FileFormat.CSV.value)

    def _fill_defaults(self) -> None:
        kind, fmt = self.chosen_kind, self.chosen_format
        path_input = self.query_one("#export-path", Input)
        if path_input.value in ("", self._auto_path):
            self._auto_path = str(default_path(kind, fmt, self.field_app.today()))
            path_input.value = self._auto_path
        period = self.query_one("#export-period", Input)
        if kind is ExportKind.PROGRESS and not period.value:
            period.value = str(self.field_app.today().year)

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        if self.is_mounted:
            self._fill_defaults()

    def _period(self) -> Period | str | None:
        """The period typed (None: all), or the error message."""
        text = self.query_one("#export-period", Input).value.strip()
        if not text or text.lower() in ("all", "semua"):
            return None
        try:
            return Period.parse(text)
        except ValueError:
            return t("export.bad_period", value=text)

    def request(self) -> ExportRequest | None:
        """The export asked for, or None (with the reason shown under its field)."""
        period = self._period()
        if isinstance(period, str):
            self.query_one("#field-period", FormField).show(period, Tone.ERROR)
            return None
        self.query_one("#field-period", FormField).show("")
        text = self.query_one("#export-path", Input).value.strip()
        if not text:
            self.query_one("#field-path", FormField).show(t("export.dialog.no_file"), Tone.ERROR)
            return None
        path = Path(text).expanduser()
        unmask = bool(
            self.query("#export-unmask") and self.query_one("#export-unmask", TickBox).value
        )
        return ExportRequest(
            kind=self.chosen_kind,
            fmt=self.chosen_format,
            path=path,
            unmask=unmask,
            force=self.query_one("#export-force", TickBox).value,
            period=period,
            by=Level.DESA,
        )

    # -- exporting ------------------------------------------------------------------------

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_export()

    def action_export(self) -> None:
        """Start the export (once at a time)."""
        if self.running:
            return
        request = self.request()
        if request is None:
            return
        self.query_one("#field-path", FormField).show("")
        self.running = True
        bar = self.query_one("#export-progress", ProgressBar)
        bar.update(total=None, progress=0)
        bar.display = True
        self._status(t("export.dialog.running"), "")
        self._export(request)

    @work(thread=True, exclusive=True, group="export")
    def _export(self, request: ExportRequest) -> None:
        def progress(done: int, total: int) -> None:
            self.app.call_from_thread(self._progress, done, total)

        try:
            # A folder that does not exist yet is made private (0700), like ~/fieldtui-ekspor/.
            request.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            result = run_export(self.store, request, progress=progress)
        except FileExists as exc:
            self.app.call_from_thread(self._failed, t("export.dialog.exists", path=str(exc.path)))
        except StoreError as exc:
            self.app.call_from_thread(self._failed, exc.message())
        except OSError as exc:
            detail = exc.strerror or str(exc)
            message = t("export.io_error", path=str(request.path), detail=detail)
            self.app.call_from_thread(self._failed, message)
        else:
            self.app.call_from_thread(self._done, result)

    def _progress(self, done: int, total: int) -> None:
        self.query_one("#export-progress", ProgressBar).update(total=max(total, 1), progress=done)

    def _done(self, result: ExportResult) -> None:
        self.running = False
        self.result = result
        self.query_one("#export-progress", ProgressBar).display = False
        self._status(summary(result), "-unmasked" if result.unmasked else "-done")
        self.notify(summary(result), severity="warning" if result.unmasked else "information")

    def _failed(self, message: str) -> None:
        self.running = False
        self.query_one("#export-progress", ProgressBar).display = False
        self._status(message, "-error")

    def _status(self, text: str, tone: str) -> None:
        status = self.query_one("#export-status", Static)
        status.update(text)
        status.set_classes(tone)

    @property
    def status(self) -> str:
        """The status line's text (what happened last)."""
        return str(self.query_one("#export-status", Static).content)

    def action_close(self) -> None:
        """Close the dialog (an export still running finishes in the background)."""
        self.dismiss(self.result)
