"""Store benchmark (by hand): JournalStorage vs stock TinyDB JSONStorage at 1k/10k/100k sign-ups.

    python bench/store_bench.py [--sizes 1000,10000,100000] [--keep DIR]

Builds one store per size and engine (sign-ups of ~510 bytes + a visit per 5 sign-ups), then
measures each store in a fresh subprocess, so open time and RSS start from a clean process:
durable save (median, p95), NIK lookup, name search, open time, RSS. Ours looks NIKs up in a
dict and searches names in a lowercase list built from the data at open, as the repository
does; stock TinyDB can only scan with a Query (and re-reads its file for every query). Stock
TinyDB is slow at 100k, so it gets a handful of operations there, not hundreds.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

FIRST = ["I Wayan", "I Made", "I Nyoman", "I Ketut", "Ni Luh", "Ni Made", "Ni Komang", "Ni Ketut"]
FIRST += ["Gede", "Putu", "Kadek", "Komang"]
LAST = ["Sudarsana", "Artawan", "Suarjana", "Wirawan", "Ariani", "Sukerti", "Mahendra"]
LAST += ["Budiarta", "Astawa", "Yasa", "Parwati", "Suryani", "Dharma", "Wijaya", "Sudiartha"]
B32 = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def _ulid(rng: random.Random) -> str:
    return "01K" + "".join(rng.choice(B32) for _ in range(23))


def signup(i: int, rng: random.Random) -> dict[str, Any]:
    """A sign-up document shaped like the repository's (~510 bytes as JSON)."""
    day = dt.date(2016, 1, 1) + dt.timedelta(days=rng.randint(0, 3500))
    stamp = f"{day.isoformat()}T{rng.randint(8, 17):02d}:{rng.randint(0, 59):02d}:00+08:00"
    payments = [
        {"months": m, "amount_rp": 16800 * m, "period_start": day.replace(day=1).isoformat()}
        for m in rng.sample([1, 3, 6, 12], rng.randint(0, 2))
    ]
    return {
        "id": _ulid(rng),
        "officer_id": _ulid(rng),
        "desa_code": f"51.71.0{rng.randint(1, 4)}.10{rng.randint(1, 40):02d}",
        "nik": f"51{rng.randint(1, 9):02d}{rng.randint(1, 9):02d}{rng.randint(10101, 311299):06d}"
        f"{i % 10000:04d}",
        "name": f"{rng.choice(FIRST)} {rng.choice(LAST)} {rng.choice(LAST)}",
        "birth_date": f"19{rng.randint(50, 99)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        "sex": rng.choice("MF"),
        "phone": f"+6281{rng.randint(0, 10**9 - 1):09d}",
        "income_rp": rng.randint(10, 60) * 100000,
        "registered_on": day.isoformat(),
        "jht": rng.random() < 0.3,
        "payments": payments,
        "review_state": "new",
        "created_at": stamp,
        "updated_at": stamp,
        "deleted_at": None,
    }


def visit(rng: random.Random) -> dict[str, Any]:
    """A visit document (~300 bytes)."""
    day = dt.date(2016, 1, 1) + dt.timedelta(days=rng.randint(0, 3500))
    return {
        "id": _ulid(rng),
        "officer_id": _ulid(rng),
        "desa_code": f"51.71.0{rng.randint(1, 4)}.10{rng.randint(1, 40):02d}",
        "started_at": f"{day.isoformat()}T09:00:00+08:00",
        "visit_type": "banjar",
        "counterpart_name": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
        "attendees": rng.randint(3, 80),
        "notes": "Sosialisasi BPU di balai banjar",
        "review_state": "new",
    }


def build(folder: Path, size: int, visit_every: int = 5) -> tuple[Path, Path]:
    """Our store and a stock TinyDB file with the same data."""
    from fieldtui.store.engine import open_db

    rng = random.Random(size)
    signups = [signup(i, rng) for i in range(size)]
    visits = [visit(rng) for _ in range(size // visit_every if visit_every else 0)]
    ours, stock = folder / f"ours-{size}.json", folder / f"stock-{size}.json"
    db = open_db(ours)
    for start in range(0, size, 5000):
        db.table("signups").insert_multiple(signups[start : start + 5000])
    db.table("visits").insert_multiple(visits)
    db.close()
    data = {
        "signups": {str(i + 1): d for i, d in enumerate(signups)},
        "visits": {str(i + 1): d for i, d in enumerate(visits)},
    }
    stock.write_text(json.dumps(data))  # what TinyDB's JSONStorage writes
    return ours, stock


def _rss_mb() -> tuple[float, float]:
    status = Path("/proc/self/status").read_text()
    field = {k: v for k, _, v in (line.partition(":") for line in status.splitlines())}
    return int(field["VmRSS"].split()[0]) / 1024, int(field["VmHWM"].split()[0]) / 1024


def _timed(fn: Any, times: int) -> list[float]:
    out = []
    for _ in range(times):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def measure(engine: str, path: Path, size: int) -> dict[str, Any]:
    """Run in a fresh process: open, then time saves, lookups and searches."""
    from tinydb import Query, TinyDB

    rng = random.Random(7)
    query = Query()
    many = engine == "ours" or size <= 1000
    result: dict[str, Any] = {}
    from fieldtui.store.engine import open_db  # imported before the clock starts, as in the app

    start = time.perf_counter()
    if engine == "ours":
        db: TinyDB = open_db(path)
        tables = db.storage.read() or {}
        result["open"] = time.perf_counter() - start
        result["rss_engine"] = _rss_mb()[0]
        # The repository's indexes: NIK -> doc id, and lowercase names for as-you-type search,
        # built in one pass over the documents, as the repository does (a big table's documents
        # are parsed as they are read: fieldtui.store.rawtable).
        by_nik: dict[str, int] = {}
        names: list[tuple[str, int]] = []
        for key, doc in tables["signups"].items():
            by_nik[doc["nik"]] = int(key)
            names.append((doc["name"].lower(), int(key)))
        result["open_indexed"] = time.perf_counter() - start
    else:
        db = TinyDB(path)
        db.table("signups").get(doc_id=1)  # JSONStorage reads the file on first use
        result["open"] = result["open_indexed"] = time.perf_counter() - start
        result["rss_engine"] = _rss_mb()[0]
    result["rss"], result["peak_rss"] = _rss_mb()
    signups = db.table("signups")
    sample = [signups.get(doc_id=rng.randint(1, size)) for _ in range(20)]
    niks = [d["nik"] for d in sample if d]
    saves = 200 if many else (20 if size <= 10000 else 5)
    counter = iter(range(10**9))

    def save() -> None:
        signups.insert(signup(size + next(counter), rng))

    result["save"] = _timed(save, saves)
    if engine == "ours":

        def edit_with_audit() -> None:
            doc_id = rng.randint(1, size)
            with db.storage.transaction():
                signups.update(
                    lambda d: d["payments"].append({"months": 1, "amount_rp": 16800}),
                    doc_ids=[doc_id],
                )
                db.table("audit").insert({"record": doc_id, "action": "update", "by": "x"})

        result["edit_audit"] = _timed(edit_with_audit, saves)
        result["refresh"] = _timed(db.storage.refresh, 1000)
    lookups = 1000 if many else (10 if size <= 10000 else 3)
    if engine == "ours":

        def nik_lookup() -> None:
            nik = rng.choice(niks)
            signups.get(doc_id=by_nik[nik])

        def name_search() -> None:
            needle = rng.choice(["wayan sud", "ni luh", "artawan", "komang y"])
            hits = [doc_id for name, doc_id in names if needle in name]
            [signups.get(doc_id=h) for h in hits[:50]]  # the first page of results
    else:

        def nik_lookup() -> None:
            signups.get(query.nik == rng.choice(niks))

        def name_search() -> None:
            needle = rng.choice(["wayan sud", "ni luh", "artawan", "komang y"])
            signups.search(query.name.test(lambda v: needle in v.lower()))

    result["nik"] = _timed(nik_lookup, lookups)
    result["search"] = _timed(name_search, min(lookups, 200))
    if engine == "ours":
        result["compact"] = _timed(db.storage.compact, 1)[0]
    return result


def fsync_cost(folder: Path) -> list[float]:
    """What one fsync of a ~600-byte append costs on this disk."""
    fd = os.open(folder / "fsync-probe", os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    times = []
    for _ in range(300):
        os.write(fd, b"x" * 600 + b"\n")
        start = time.perf_counter()
        os.fsync(fd)
        times.append(time.perf_counter() - start)
    os.close(fd)
    return times


def _ms(values: list[float], q: float = 0.5) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def _row(label: str, ours: float, stock: float | None, unit: str = "ms") -> str:
    ratio = " " * 11
    if stock is not None and ours > 0:
        value = stock / ours
        ratio = f"{value:10.0f}x" if value >= 10 else f"{value:10.2f}x"
    stock_text = f"{stock:12.3f}" if stock is not None else " " * 12
    return f"  {label:<34}{ours:12.3f}{stock_text}{ratio}  {unit}"


def report(size: int, visits: int, ours: dict[str, Any], stock: dict[str, Any]) -> str:
    """One size's table: ours, stock, stock/ours."""
    lines = [
        f"{size:,} sign-ups (+{visits:,} visits)    file: ours {ours['mb']:.1f} MB,"
        f" stock {stock['mb']:.1f} MB",
        f"  {'':<34}{'ours':>12}{'stock':>12}{'stock/ours':>11}",
        _row("save: insert 1, median", _ms(ours["save"]), _ms(stock["save"])),
        _row("save: insert 1, p95", _ms(ours["save"], 0.95), _ms(stock["save"], 0.95)),
        _row("save: edit + audit txn, median", _ms(ours["edit_audit"]), None),
        _row("save: edit + audit txn, p95", _ms(ours["edit_audit"], 0.95), None),
        _row("NIK lookup, median", _ms(ours["nik"]), _ms(stock["nik"])),
        _row("name search, median", _ms(ours["search"]), _ms(stock["search"])),
        _row("open (engine)", ours["open"] * 1000, stock["open"] * 1000),
        _row("open + NIK/name indexes", ours["open_indexed"] * 1000, stock["open"] * 1000),
        _row("refresh, nothing new, median", _ms(ours["refresh"]), None),
        _row("compaction (rare; inside one save)", ours["compact"] * 1000, None),
        _row("RSS after open (engine)", ours["rss_engine"], stock["rss_engine"], "MB"),
        _row("RSS after open + indexes", ours["rss"], stock["rss"], "MB"),
        _row("peak RSS", ours["peak_rss"], stock["peak_rss"], "MB"),
        f"  (stock runs: {len(stock['save'])} saves, {len(stock['nik'])} lookups, "
        f"{len(stock['search'])} searches; stock saves are not fsync'd)",
    ]
    return "\n".join(lines)


def main() -> None:
    """Build, measure in subprocesses, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument(
        "--visit-every", type=int, default=5, help="one visit per N sign-ups (0: none)"
    )
    parser.add_argument("--keep", type=Path, help="build the stores here and keep them")
    parser.add_argument("--child", nargs=3, metavar=("ENGINE", "PATH", "SIZE"), help="internal")
    args = parser.parse_args()
    if args.child:
        engine, path, size = args.child
        print(json.dumps(measure(engine, Path(path), int(size))))
        return
    folder = args.keep or Path(tempfile.mkdtemp(prefix="store-bench-", dir=Path.cwd()))
    folder.mkdir(parents=True, exist_ok=True)
    probe = fsync_cost(folder)
    print(
        f"fsync of a 600-byte append on this disk: median {_ms(probe):.3f} ms,"
        f" p95 {_ms(probe, 0.95):.3f} ms"
    )
    for size in (int(s) for s in args.sizes.split(",")):
        built = time.perf_counter()
        ours_path, stock_path = build(folder, size, args.visit_every)
        built = time.perf_counter() - built
        results = {}
        for engine, path in (("ours", ours_path), ("stock", stock_path)):
            mb = sum(p.stat().st_size for p in folder.glob(path.name + "*")) / 1e6
            out = subprocess.run(
                [sys.executable, __file__, "--child", engine, str(path), str(size)],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            results[engine] = {**json.loads(out), "mb": mb}
        print()
        visits = size // args.visit_every if args.visit_every else 0
        print(report(size, visits, results["ours"], results["stock"]))
        print(f"  (built in {built:.1f} s)")
    if not args.keep:
        for path in folder.iterdir():
            path.unlink()
        folder.rmdir()


if __name__ == "__main__":
    main()
