"""The layers point one way: domain imports neither textual nor tinydb; store never textual."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "fieldtui"

FORBIDDEN = {
    "domain": {"textual", "tinydb", "fieldtui.store", "fieldtui.screens", "fieldtui.widgets"},
    "store": {"textual", "fieldtui.screens", "fieldtui.widgets", "fieldtui.app"},
    "widgets": {"tinydb", "fieldtui.store"},
    "i18n": {"textual", "tinydb", "fieldtui.store"},
}


def imported_modules(path: Path) -> set[str]:
    """Every module a Python file imports, at any depth of the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def _violations(layer: str) -> list[str]:
    bad: list[str] = []
    for path in sorted((PACKAGE / layer).rglob("*.py")):
        for module in imported_modules(path):
            for banned in FORBIDDEN[layer]:
                if module == banned or module.startswith(banned + "."):
                    bad.append(f"{path.relative_to(PACKAGE)} imports {module}")
    return bad


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_layer_imports(layer: str) -> None:
    assert _violations(layer) == []


def test_checker_catches_a_violation(tmp_path: Path) -> None:
    """The checker itself must be able to fail."""
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    from textual.app import App\n", encoding="utf-8")
    assert "textual.app" in imported_modules(bad)


def test_only_store_imports_tinydb() -> None:
    offenders = [
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if "store" not in path.relative_to(PACKAGE).parts[:1]
        and any(m == "tinydb" or m.startswith("tinydb.") for m in imported_modules(path))
    ]
    assert offenders == []
