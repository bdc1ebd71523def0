"""Real processes on one store: no lost update, no shared doc id, saves seen by refresh()."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from fieldtui.store.engine import Change, open_db

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]

# Each worker adds 1 to a shared counter and inserts one sign-up per transaction (a lost update
# would show as a short count), plus some saves outside explicit transactions; some compact
# often so others must reload mid-run. It prints the doc ids it was given.
WORKER = r"""
import json, sys
from fieldtui.store.engine import open_db

path, who, rounds, compact = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
db = open_db(path, compact_bytes=compact, compact_ratio=0, lock_timeout=30)
counter, signups = db.table("counter"), db.table("signups")
ids = []
for i in range(rounds):
    if i % 4 == 3:
        ids.append(signups.insert({"who": who, "i": i}))
        db.storage.refresh()
        counter.update(lambda d: d.update(count=d["count"] + 1), doc_ids=[1])
        continue
    with db.storage.transaction():
        count = counter.get(doc_id=1)["count"]
        counter.update({"count": count + 1}, doc_ids=[1])
        ids.append(signups.insert({"who": who, "i": i}))
print(json.dumps(ids))
"""

# Waits for commands on stdin; answers one JSON line each.
PEER = r"""
import json, sys
from fieldtui.store.engine import open_db

db = open_db(sys.argv[1], compact_bytes=int(sys.argv[2]), compact_ratio=0)
seen = []
db.storage.add_listener(lambda changes: seen.extend([c.table, c.doc_id] for c in changes))
for line in sys.stdin:
    cmd, _, arg = line.strip().partition(" ")
    if cmd == "insert":
        answer = db.table("t").insert(json.loads(arg))
    elif cmd == "refresh":
        db.storage.refresh()
        answer = {"docs": {d.doc_id: d for d in db.table("t").all()}, "seen": seen[:]}
        seen.clear()
    else:
        break
    print(json.dumps(answer), flush=True)
"""


def test_concurrent_writers_lose_nothing(db_path: Path) -> None:
    db = open_db(db_path)
    db.table("counter").insert({"count": 0})
    workers, rounds = 4, 60
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(db_path), str(w), str(rounds), str(c)],
            stdout=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        for w, c in zip(range(workers), [3000, 1 << 30, 5000, 1 << 30], strict=True)
    ]
    given: list[int] = []
    for proc in procs:
        out, _ = proc.communicate(timeout=120)
        assert proc.returncode == 0
        given.extend(json.loads(out))
    assert len(given) == len(set(given)) == workers * rounds  # no doc id handed out twice
    final = open_db(db_path, read_only=True)
    assert final.table("counter").get(doc_id=1) == {"count": workers * rounds}
    docs = {d.doc_id: (d["who"], d["i"]) for d in final.table("signups").all()}
    assert set(docs) == set(given)
    assert sorted(docs.values()) == [(w, i) for w in range(workers) for i in range(rounds)]
    assert db.storage.refresh()  # and the first handle catches up without reopening
    assert db.table("counter").get(doc_id=1) == {"count": workers * rounds}


class Peer:
    """A second process driven line by line."""

    def __init__(self, db_path: Path, compact: int) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-c", PEER, str(db_path), str(compact)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )

    def ask(self, line: str) -> Any:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()
        return json.loads(self.proc.stdout.readline())

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait(timeout=30)


def test_other_process_saves_show_up_on_refresh(db_path: Path) -> None:
    db = open_db(db_path)
    seen: list[Change] = []
    db.storage.add_listener(seen.extend)
    peer = Peer(db_path, compact=1500)
    try:
        doc_id = peer.ask('insert {"who": "peer"}')
        assert db.table("t").all() == []
        assert db.storage.refresh() == [Change("t", doc_id, {"who": "peer"})]
        assert db.table("t").get(doc_id=doc_id) == {"who": "peer"}
        for i in range(20):  # enough for the peer to compact: we must reload
            peer.ask("insert " + json.dumps({"i": i, "pad": "y" * 100}))
        generation = db.storage.generation
        assert db.storage.refresh() == [Change("*", 0, None)]
        assert db.storage.generation != generation
        assert len(db.table("t")) == 21
        assert db.table("t").insert({"who": "me"}) == 22
        answer = peer.ask("refresh")
        assert answer["docs"]["22"] == {"who": "me"}
        assert answer["seen"] == [["t", i] for i in range(1, 23)]  # its own saves, then ours
        assert seen[0] == Change("t", doc_id, {"who": "peer"})
    finally:
        peer.close()
