"""The refused rows of an import, written beside the input so they can be fixed and imported.

``<stem>.ditolak.csv`` (``<stem>.rejected.csv`` in English): the file's own columns plus
"baris", "kolom" and "alasan", UTF-8 with a BOM (Excel opens it right), ``;`` or ``,`` as the
input had. It holds personal data, so it is created 0600; a cell that a spreadsheet would run as
a formula is written with a leading ``'`` (the OWASP advice).
"""

from __future__ import annotations

import csv
import os
import tempfile
from pathlib import Path

from fieldtui.exchange.importer import ImportReport
from fieldtui.exchange.readers import FORMULA_START
from fieldtui.i18n import t


def rejected_path(source: Path) -> Path:
    """Where the refused rows of ``source`` go: beside it, named in the language in use."""
    return source.with_name(f"{source.stem}.{t('import.rejected_suffix')}.csv")


def neutralise(cell: str) -> str:
    """A cell a spreadsheet will show as text, never run as a formula."""
    return "'" + cell if cell.startswith(FORMULA_START) else cell


def write_rejected(report: ImportReport) -> Path | None:
    """Write the refused rows (None when there are none); replaces an earlier such file."""
    if not report.rejected:
        return None
    target = rejected_path(report.path)
    extra = [
        t("import.rejected_column.row"),
        t("import.rejected_column.column"),
        t("import.rejected_column.reason"),
    ]
    width = len(report.headers)
    fd, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8-sig", newline="") as out:
            writer = csv.writer(out, delimiter=report.delimiter)
            writer.writerow([neutralise(h) for h in report.headers] + extra)
            for rejection in report.rejected:
                cells = list(rejection.cells[:width]) + [""] * (width - len(rejection.cells))
                columns = "; ".join(dict.fromkeys(p.column for p in rejection.problems if p.column))
                reasons = "; ".join(p.reason for p in rejection.problems)
                row = [*cells, str(rejection.row), columns, reasons]
                writer.writerow([neutralise(c) for c in row])
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return target
