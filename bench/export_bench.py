"""Export benchmark (by hand): CSV and XLSX exports of a store of 100k sign-ups.

    python bench/export_bench.py [--size 100000] [--keep DIR]

Builds the store as `bench/ui_bench.py` does (sign-ups shaped as the repository writes them),
then times `fieldtui.exchange.export.run_export` for all sign-ups, masked, to CSV and to XLSX
(the audit entry included; opening the store not), best of ``--runs``. Targets on this 2-core
machine: <= 3 s CSV, <= 20 s XLSX for 100k sign-ups. Figures vary with the machine's load.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from ui_bench import build

from fieldtui.exchange.columns import ExportKind
from fieldtui.exchange.export import ExportRequest, run_export
from fieldtui.exchange.tabular import FileFormat
from fieldtui.store.repository import Store


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--keep", type=Path, help="build (or reuse) the store in this folder")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="fieldtui-export-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"export-{args.size}.fieldtui.json"
    if not path.exists():
        started = time.perf_counter()
        build(path, args.size)
        print(f"built {args.size:,} sign-ups in {time.perf_counter() - started:.1f} s")
    with Store.open(path, actor_username="bench") as store:
        for fmt in (FileFormat.CSV, FileFormat.XLSX):
            times = []
            for run in range(args.runs):
                out = folder / f"out-{run}.{fmt.value}"
                request = ExportRequest(kind=ExportKind.SIGNUPS, fmt=fmt, path=out, force=True)
                started = time.perf_counter()
                result = run_export(store, request)
                times.append(time.perf_counter() - started)
            size = out.stat().st_size / 1e6
            print(
                f"{fmt.value:5} {result.rows:,} rows: best {min(times):.2f} s "
                f"(runs: {', '.join(f'{t:.2f}' for t in times)}), {size:.0f} MB"
            )


if __name__ == "__main__":
    main()
