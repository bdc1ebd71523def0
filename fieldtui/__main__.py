"""Entry point: ``fieldtui`` and ``python -m fieldtui``."""

from __future__ import annotations

import sys

from fieldtui.cli import main as _main


def main(argv: list[str] | None = None) -> int:
    """Run the command line and return its exit code."""
    return _main(sys.argv[1:] if argv is None else argv)


if __name__ == "__main__":
    raise SystemExit(main())
