"""A writer killed with SIGKILL at random instants and at chosen points of a commit or a
compaction: the store always opens, holds every acknowledged save and no half record."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
import zlib
from pathlib import Path

import pytest

from fieldtui.store.engine import JournalStorage

pytestmark = pytest.mark.slow

# The child saves forever: each transaction puts one sign-up AND its audit entry; every third
# save it then edits the sign-up in a second transaction. It prints "i N" / "e N" only after
# the commit returned (acknowledged). FIELDTUI_KILL_AT=point:nth makes it SIGKILL itself at a
# chosen point of the nth matching call, to hit the narrow windows for sure.
CHILD = r"""
import os, signal, sys, zlib
from fieldtui.store import journal as fmt
from fieldtui.store.engine import open_db

path, start = sys.argv[1], int(sys.argv[2])
point, _, nth = os.environ.get("FIELDTUI_KILL_AT", "none:0").partition(":")
count = [0]

def die():
    os.kill(os.getpid(), signal.SIGKILL)

def hit():
    count[0] += 1
    return count[0] == int(nth)

real_write_all, real_replace = fmt.write_all, os.replace

def write_all(fd, data):
    record = data.startswith(b'{"crc"') and b'"p":{"s"' in data
    if record and point == "mid-line" and hit():
        os.write(fd, data[: len(data) // 2])
        die()
    real_write_all(fd, data)
    if record and point == "before-fsync" and hit():
        die()

def replace(src, dst):
    target = "snapshot" if str(dst) == path else "journal"
    if point == f"before-{target}-replace" and hit():
        die()
    real_replace(src, dst)
    if point == f"after-{target}-replace" and hit():
        die()

fmt.write_all, os.replace = write_all, replace
db = open_db(path, compact_bytes=4000, compact_ratio=0)
signups, audit = db.table("signups"), db.table("audit")
out = sys.stdout
for n in range(start, start + 100000):
    pad = "x" * (n % 97)
    with db.storage.transaction():
        doc_id = signups.insert({"n": n, "pad": pad, "sum": zlib.crc32(pad.encode()) ^ n})
        audit.insert({"n": n})
    out.write(f"i {n}\n"); out.flush()
    if n % 3 == 0:
        signups.update({"edited": True}, doc_ids=[doc_id])
        out.write(f"e {n}\n"); out.flush()
"""

POINTS = [
    "mid-line",
    "before-fsync",
    "before-snapshot-replace",
    "after-snapshot-replace",
    "before-journal-replace",
    "after-journal-replace",
]


def _run_child(db_path: Path, start: int, kill_after: float | None, point: str = "") -> str:
    env = dict(os.environ, FIELDTUI_KILL_AT=point or "none:0")
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(db_path), str(start)],
        stdout=subprocess.PIPE,
        env=env,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert child.stdout is not None
    if kill_after is not None:
        first = child.stdout.readline()  # it is saving
        time.sleep(kill_after)
        child.send_signal(signal.SIGKILL)
        rest = child.stdout.read()
        output = (first + rest).decode()
    else:
        output = child.stdout.read().decode()
    child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL
    return output


def _check(db_path: Path, inserted: set[int], edited: set[int]) -> int:
    storage = JournalStorage(db_path, read_only=True)
    try:
        tables = storage.read() or {}
    finally:
        storage.close()
    signups = list(tables.get("signups", {}).values())
    numbers = [doc["n"] for doc in signups]
    assert len(numbers) == len(set(numbers)), "a save applied twice"
    for doc in signups:  # no half-written record
        assert doc["pad"] == "x" * (doc["n"] % 97)
        assert doc["sum"] == zlib.crc32(doc["pad"].encode()) ^ doc["n"]
    assert inserted <= set(numbers), f"lost: {sorted(inserted - set(numbers))[:5]}"
    assert {d["n"] for d in signups if d.get("edited")} >= edited
    assert {doc["n"] for doc in tables.get("audit", {}).values()} == set(numbers)
    return max(numbers, default=0)


def _acknowledged(output: str) -> tuple[set[int], set[int]]:
    inserted: set[int] = set()
    edited: set[int] = set()
    for line in output.splitlines(keepends=True):
        if line.endswith("\n"):  # a line cut by the kill was not acknowledged
            kind, number = line.split()
            (inserted if kind == "i" else edited).add(int(number))
    return inserted, edited


def test_sigkill_never_loses_an_acknowledged_save(db_path: Path) -> None:
    rng = random.Random(20260)
    inserted: set[int] = set()
    edited: set[int] = set()
    last = 0
    plan: list[tuple[float | None, str]] = [(rng.uniform(0.0, 0.12), "") for _ in range(28)]
    plan += [(None, f"{point}:{rng.randint(1, 3)}") for point in POINTS for _ in range(2)]
    rng.shuffle(plan)
    for kill_after, point in plan:
        output = _run_child(db_path, last + 1, kill_after, point)
        got_inserted, got_edited = _acknowledged(output)
        inserted |= got_inserted
        edited |= got_edited
        last = _check(db_path, inserted, edited)
    assert len(plan) == 40
    strays = [p for p in db_path.parent.iterdir() if ".tmp-" in p.name]
    assert len(strays) <= 3  # compaction sweeps up what killed compactions left
    assert len(inserted) > 200  # the kills really landed among many saves
