"""Export: column keys and headers, cell neutralising, CSV/XLSX files, masking and the audit."""

from __future__ import annotations

import pytest

from fieldtui.exchange.columns import (
    COLUMNS,
    ExportKind,
    fold_header,
    headers,
    key_for_header,
)
from fieldtui.i18n import LANGUAGES, catalog


@pytest.mark.parametrize("kind", list(ExportKind))
def test_column_keys_are_unique_and_translated(kind: ExportKind) -> None:
    keys = [column.key for column in COLUMNS[kind]]
    assert len(keys) == len(set(keys))
    for lang in LANGUAGES:
        assert all(f"export.column.{key}" in catalog(lang) for key in keys)
        folded = [fold_header(h) for h in headers(kind, lang)]
        assert len(folded) == len(set(folded)), f"two {lang} headers fold alike"


@pytest.mark.parametrize("kind", list(ExportKind))
def test_headers_in_either_language_map_back_to_keys(kind: ExportKind) -> None:
    for lang in LANGUAGES:
        for column, header in zip(COLUMNS[kind], headers(kind, lang), strict=True):
            assert key_for_header(kind, header) == column.key
            assert key_for_header(kind, f"  {header.upper()} ") == column.key
        assert key_for_header(kind, "no such column") is None


def test_headers_follow_the_language() -> None:
    assert headers(ExportKind.SIGNUPS, "id")[:3] == ["ID", "NIK", "Nama"]
    assert headers(ExportKind.SIGNUPS, "en")[:3] == ["ID", "NIK", "Name"]
    assert key_for_header(ExportKind.SIGNUPS, "Tanggal lahir") == "birth_date"
    assert key_for_header(ExportKind.SIGNUPS, "birth_date") == "birth_date"
    assert [c.key for c in COLUMNS[ExportKind.SIGNUPS] if c.personal] == ["nik", "phone"]
