"""Data-exchange benchmark (by hand): export, import and merge at branch scale.

    python bench/exchange_bench.py [--size 100000] [--import-rows 10000] [--runs 3] [--keep DIR]

Prints, on this machine:

- CSV and XLSX export of every sign-up of a ``--size`` store (masked; the audit entry included),
  as `fieldtui export signups` runs it (`fieldtui.exchange.export.run_export`);
- import of a ``--import-rows`` CSV sheet (Indonesian headers, ``;``) into a store on disk, as
  `fieldtui import` runs it (`fieldtui.exchange.importer.import_file`), and the same file again
  (everything already present: nothing added);
- merge of two stores of ``--size / 2`` sign-ups each: writing one as a bundle
  (`fieldtui bundle`), then reading it and merging it into the other (`fieldtui merge`).

Targets on this 2-core machine at 100k: CSV <= 3 s, XLSX <= 20 s, import of 10k rows <= 5 s,
merge of two 50k stores <= 10 s. Stores are built as `bench/ui_bench.py` builds them (sign-ups
shaped as the repository writes them, a visit per ten). Figures vary with the machine's load:
each export and import runs ``--runs`` times and the best is compared with its target, every
run's time printed beside it; CPU seconds are printed beside wall seconds for the same reason.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from import_bench import write_csv
from ui_bench import build

from fieldtui.domain.models import Officer
from fieldtui.exchange.columns import ExportKind
from fieldtui.exchange.export import ExportRequest, run_export
from fieldtui.exchange.importer import import_file
from fieldtui.exchange.tabular import FileFormat
from fieldtui.store.bundle import read_bundle
from fieldtui.store.repository import Store

T = TypeVar("T")


def timed(work: Callable[[], T]) -> tuple[T, float, float]:
    """``work()``, its wall seconds and its CPU seconds."""
    start, cpu = time.perf_counter(), time.process_time()
    result = work()
    return result, time.perf_counter() - start, time.process_time() - cpu


def line(label: str, wall: float, cpu: float, target: float | None, extra: str = "") -> None:
    goal = (
        "" if target is None else f"target <= {target:g} s  " + ("ok" if wall <= target else "OVER")
    )
    print(f"{label:38} {wall:6.2f} s  (CPU {cpu:5.2f} s)  {goal:20}  {extra}")


def ensure(path: Path, size: int, seed: int | None = None) -> None:
    if not path.exists():
        start = time.perf_counter()
        build(path, size, seed=seed)
        print(f"built {size:,} sign-ups in {time.perf_counter() - start:.1f} s: {path}")


def best_of(runs: int, work: Callable[[], T]) -> tuple[T, float, float, list[float]]:
    """``work()`` run ``runs`` times: the last result, the best wall and CPU seconds, and every
    run's wall seconds (the spread: other work on the machine moves single runs a lot)."""
    walls, cpus = [], []
    result = None
    for _ in range(max(1, runs)):
        result, wall, cpu = timed(work)
        walls.append(wall)
        cpus.append(cpu)
    assert result is not None
    return result, min(walls), min(cpus), walls


def _spread(walls: list[float]) -> str:
    if len(walls) == 1:
        return ""
    return f"best of {len(walls)}: " + ", ".join(f"{w:.2f}" for w in walls) + "; "


def exports(folder: Path, size: int, runs: int) -> None:
    path = folder / f"exchange-{size}.fieldtui.json"
    ensure(path, size)
    with Store.open(path, actor_username="bench") as store:
        for fmt, target in ((FileFormat.CSV, 3.0), (FileFormat.XLSX, 20.0)):
            out = folder / f"export.{fmt.value}"
            request = ExportRequest(kind=ExportKind.SIGNUPS, fmt=fmt, path=out, force=True)
            result, wall, cpu, walls = best_of(runs, partial(run_export, store, request))
            size_mb = out.stat().st_size / 1e6
            line(
                f"export {fmt.value.upper()} {result.rows:,} sign-ups",
                wall,
                cpu,
                target,
                f"{_spread(walls)}{size_mb:.0f} MB",
            )


def imports(folder: Path, rows: int, runs: int) -> None:
    sheet = folder / f"import-{rows}.csv"
    write_csv(sheet, rows)
    path = folder / f"import-{rows}.fieldtui.json"

    def fresh_store() -> Store:
        for leftover in folder.glob(f"import-{rows}.fieldtui.json*"):
            if leftover.is_file():
                leftover.unlink()
        store = Store.open(path)
        store.create_officer(Officer(username="wayan", name="Wayan Sudarma"))
        return store

    walls, cpus = [], []
    for _ in range(max(1, runs) - 1):  # each into a new store; the last one is kept below
        with fresh_store() as store:
            _, wall, cpu = timed(lambda: import_file(store, sheet))
            walls.append(wall)
            cpus.append(cpu)
    with fresh_store() as store:
        report, wall, cpu = timed(lambda: import_file(store, sheet))
        walls.append(wall)
        cpus.append(cpu)
        line(
            f"import {rows:,} rows",
            min(walls),
            min(cpus),
            5.0,
            f"{_spread(walls)}imported {report.imported:,}, rejected {len(report.rejected):,}",
        )
        again, wall, cpu = timed(lambda: import_file(store, sheet))
        line(
            "the same file again",
            wall,
            cpu,
            5.0,
            f"imported {again.imported:,}, already present {again.present:,}",
        )


def merges(folder: Path, size: int) -> None:
    half = size // 2
    ours, theirs = (
        folder / f"merge-a-{half}.fieldtui.json",
        folder / f"merge-b-{half}.fieldtui.json",
    )
    fresh = folder / f"merge-target-{half}.fieldtui.json"
    ensure(ours, half, seed=1)
    ensure(theirs, half, seed=2)
    for leftover in folder.glob(f"merge-target-{half}.fieldtui.json*"):
        if leftover.is_file():
            leftover.unlink()
    for suffix in ("", ".journal"):  # merge into a copy: the built store stays as built
        source = ours.with_name(ours.name + suffix)
        if source.exists():
            copy = fresh.with_name(fresh.name + suffix)
            copy.write_bytes(source.read_bytes())
            copy.chmod(0o600)
    bundle_file = folder / f"merge-b-{half}.fieldtui-bundle"
    with Store.open(theirs, actor_username="bench") as store:
        (_, size_bytes), wall, cpu = timed(lambda: store.write_bundle(bundle_file))
    line(f"bundle {half:,} sign-ups (other laptop)", wall, cpu, None, f"{size_bytes / 1e6:.0f} MB")
    with Store.open(fresh, actor_username="kepala") as store:  # the branch's supervisor
        bundle, read_wall, read_cpu = timed(lambda: read_bundle(bundle_file))
        summary, wall, cpu = timed(lambda: store.merge_from(bundle))
        line(
            f"merge {half:,} into {half:,} (read + merge)",
            read_wall + wall,
            read_cpu + cpu,
            10.0,
            f"read {read_wall:.2f} s + merge {wall:.2f} s; {summary.new:,} new",
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--import-rows", type=int, default=10_000)
    parser.add_argument("--keep", type=Path, help="folder to build in (kept; stores reused)")
    parser.add_argument("--runs", type=int, default=3, help="runs of each export and import")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="exchange-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    print(f"fieldtui data exchange, {args.size:,} sign-ups (folder {folder})")
    exports(folder, args.size, args.runs)
    imports(folder, args.import_rows, args.runs)
    merges(folder, args.size)


if __name__ == "__main__":
    main()
