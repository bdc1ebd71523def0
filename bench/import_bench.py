"""Import benchmark (by hand): `fieldtui import` of a 10k-row sign-up CSV into a store on disk.

    python bench/import_bench.py [--rows 10000] [--chunk 1000] [--profile]

Writes a CSV as an officer's spreadsheet would hold it (Indonesian headers, ``;``, phones as
typed, occupations and villages by name, a few banjars per village), opens a fresh file store
with one officer, and times a dry run, the import itself, and a second import of the same file
(everything already present). The importer's own figures are printed next to the store's part.
"""

from __future__ import annotations

import argparse
import cProfile
import dataclasses
import datetime as dt
import pstats
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fieldtui.domain.ids import new_id
from fieldtui.domain.models import Banjar, Officer, Sex, SignUp
from fieldtui.domain.nik import make_nik
from fieldtui.domain.regions import gazetteer
from fieldtui.exchange.importer import import_file
from fieldtui.store.repository import Store

VILLAGES = ["51.71.01.1003", "51.71.04.2001", "51.71.04.2008", "51.71.01.1001", "51.71.01.1004"]
JOBS = ["Pedagang pasar", "Petani", "Nelayan", "Ojek online (ojol)", "Tukang bangunan", "PKL"]
BANJARS = ["Br. Kaja", "Br. Kelod", "Br. Tengah", "Br. Kangin"]
FIRST = ["I Wayan", "I Made", "Ni Luh", "Ni Made", "I Ketut", "Ni Komang"]
LAST = ["Sudarsana", "Artawan", "Ariani", "Sukerti", "Mahendra", "Parwati"]


def write_csv(path: Path, rows: int, seed: int = 2017) -> None:
    """An officer's sign-up sheet with ``rows`` distinct people."""
    rng = random.Random(seed)
    places = gazetteer()
    lines = ["NIK;Nama;Tgl Lahir;No HP;Pekerjaan;Desa;Kecamatan;Banjar;Penghasilan;JHT;Setuju"]
    for i in range(rows):
        sex = Sex.FEMALE if i % 2 else Sex.MALE
        born = dt.date(1960 + i % 45, 1 + i % 12, 1 + i % 28)
        nik = make_nik("51.71.01", born, sex, 1 + i // 540)
        code = VILLAGES[i % len(VILLAGES)]
        kec = places.require(code[:8]).name
        phone = f"0812 {rng.randrange(1000, 9999)} {rng.randrange(1000, 9999)}"
        income = rng.choice(["1.000.000", "Rp1.500.000", "2500000", "3.750.000"])
        lines.append(
            f"{nik};{rng.choice(FIRST)} {rng.choice(LAST)};{born:%d-%m-%Y};{phone};"
            f"{JOBS[i % len(JOBS)]};{places.require(code).name};{kec};{BANJARS[i % 4]};"
            f"{income};{'ya' if i % 3 else 'tidak'};ya"
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    """Build the file and the store, time the imports, print the figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--chunk", type=int, default=1_000)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        csv_path = Path(tmp) / "peserta.csv"
        write_csv(csv_path, args.rows)
        size = csv_path.stat().st_size / 1024 / 1024
        print(f"{args.rows:,} rows, {size:.1f} MB CSV")
        with Store.open(Path(tmp) / "store.json") as store:
            store.create_officer(Officer(username="wayan", name="Wayan Sudarma"))
            for label, dry_run in (("dry run", True), ("import", False), ("again", False)):
                profiler = cProfile.Profile() if args.profile and label == "import" else None
                start, cpu = time.perf_counter(), time.process_time()
                if profiler is not None:
                    profiler.enable()
                report = import_file(store, csv_path, dry_run=dry_run, chunk_rows=args.chunk)
                if profiler is not None:
                    profiler.disable()
                seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
                print(
                    f"{label:8} {seconds:6.2f} s (CPU {cpu:.2f} s, "
                    f"{seconds / max(1, report.read) * 1000:.3f} ms/row)  "
                    f"imported {report.imported:,}, present {report.present:,}, "
                    f"rejected {len(report.rejected):,}, banjars {len(report.banjars_created)}"
                )
                if profiler is not None:
                    pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
            signups = store.list_signups(limit=args.rows).items
            banjars = store.banjars()
        _store_only(Path(tmp) / "plain.json", signups, banjars, args.chunk)


def _store_only(path: Path, signups: list[SignUp], banjars: list[Banjar], chunk: int) -> None:
    """The same records written with `Store.create_signup` alone: the store's share."""
    with Store.open(path) as store:
        officer = store.create_officer(Officer(username="wayan", name="Wayan Sudarma"))
        with store.batch():
            for banjar in banjars:
                store.create_banjar(dataclasses.replace(banjar, created_by=officer.id))
        fresh = [dataclasses.replace(s, id=new_id(), officer_id=officer.id) for s in signups]
        start, cpu = time.perf_counter(), time.process_time()
        for first in range(0, len(fresh), chunk):
            with store.batch():
                for signup in fresh[first : first + chunk]:
                    store.create_signup(signup)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        print(f"store    {seconds:6.2f} s (CPU {cpu:.2f} s): create_signup alone, same records")


if __name__ == "__main__":
    main()
