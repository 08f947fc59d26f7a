"""Hundreds of SIGKILLs at random moments of plan imports, exports and merges.

After each kill the next start must open the database (a hot journal rolled
back), ``integrity_check`` must pass, every merge must be wholly there or
wholly absent, the ledger of merged files must agree with the reports, every
plan must be whole, no workbook under its final name may be unknown to the
database, and the program's own leftovers must be gone.
"""

from __future__ import annotations

import json
import os
import random
import select
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from exchange_helpers import make_db

from gxdesk.store.database import open_database
from gxdesk.store.litter import orphan_merge_backups

KILLS = int(os.environ.get("GXDESK_CRASH_KILLS", "200"))
HERE = Path(__file__).resolve().parent

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not hasattr(os, "fork"), reason="the fork server needs os.fork"),
]


class Server:
    """The fork server of tests/crash_child.py."""

    def __init__(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, str(HERE / "crash_child.py")],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            bufsize=1,
        )

    def send(self, line: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()

    def line(self, timeout: float) -> str | None:
        assert self.proc.stdout is not None
        ready, _, _ = select.select([self.proc.stdout], [], [], timeout)
        if not ready:
            return None
        text = self.proc.stdout.readline().strip()
        if text.startswith("E "):
            raise AssertionError("the worker failed: " + text.replace(" | ", "\n"))
        return text

    def wait_for(self, prefix: str) -> str:
        while True:
            text = self.line(120)
            assert text is not None, f"no {prefix!r} from the fork server"
            if text.startswith(prefix):
                return text

    def close(self) -> None:
        self.send("quit")
        self.proc.wait(timeout=30)
        for stream in (self.proc.stdin, self.proc.stdout):
            if stream is not None:
                stream.close()


def _verify(path: Path, root: Path) -> None:
    db = open_database(path)  # the next start: rolls back, cleans the litter
    db.close()
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        tasks_per_plan = conn.execute(
            "SELECT p.id, count(t.id) FROM plan p LEFT JOIN task t ON t.plan_id = p.id GROUP BY p.id"
        ).fetchall()
        assert {n for _p, n in tasks_per_plan} == {34}, tasks_per_plan
        merged = conn.execute("SELECT batch_id, sha256 FROM merged_file").fetchall()
        per_batch: dict[int, int] = {}
        for batch, sha in merged:
            want = root / "expect" / f"{sha}.json"
            assert want.exists(), f"merged file {sha} was never planned"
            per_batch[batch] = per_batch.get(batch, 0) + json.loads(want.read_text())
        reports = dict(
            conn.execute("SELECT batch_id, count(*) FROM progress GROUP BY batch_id").fetchall()
        )
        batches = {b for (b,) in conn.execute("SELECT id FROM merge_batch")}
        assert set(per_batch) == batches, "a batch without its files, or files without a batch"
        assert reports == per_batch, "a merge is not whole"
        known = {r[0] for r in conn.execute("SELECT export_id FROM export_record")}
    finally:
        conn.close()
    _check_exports(root, known)
    leftovers = [p for p in root.rglob("*") if p.name.endswith((".part", ".part.xlsx"))]
    assert not [p for p in leftovers if "exports" not in p.parts], leftovers
    assert orphan_merge_backups(path) == []


_seen_exports: set[Path] = set()


def _check_exports(root: Path, known: set[str]) -> None:
    """Each workbook under its final name carries an export id the database knows."""
    from gxdesk.exchange.workbook_reader import read_returned_workbook

    for f in sorted((root / "exports").glob("*/*.xlsx")):
        if f in _seen_exports or f.name.startswith("."):
            continue
        book = read_returned_workbook(f)
        assert book.meta is not None and book.meta.export_id in known, f
        _seen_exports.add(f)


def _enough(path: Path, hot: int) -> bool:
    """Did the kills so far land among real work? On a loaded machine a merge takes
    longer than the random wait, so fewer of them finish between kills: the loop then
    goes on (up to three times as many kills) instead of failing for want of merges."""
    conn = sqlite3.connect(path)
    try:
        batches = conn.execute("SELECT count(*) FROM merge_batch").fetchone()[0]
    finally:
        conn.close()
    return batches >= KILLS // 20 and hot >= KILLS // 10


def test_hundreds_of_kills_lose_nothing(tmp_path: Path) -> None:
    db = make_db(tmp_path)
    db.close()
    (tmp_path / "expect").mkdir()
    (tmp_path / "exports").mkdir()
    rng = random.Random(20141020)
    server = Server()
    hot = aimed = 0
    try:
        n = 0
        while n < KILLS or (n < 3 * KILLS and not _enough(db.path, hot)):
            server.send(f"run {db.path} {n}")
            pid = int(server.wait_for("pid ").split()[1])
            if n % 3 == 0:  # aimed at a commit: killed as soon as one begins
                aimed += 1
                deadline = time.monotonic() + 20
                while server.line(max(deadline - time.monotonic(), 0)) not in ("C", None):
                    pass
                if rng.random() < 0.5:
                    time.sleep(rng.uniform(0, 0.004))
            else:
                time.sleep(rng.uniform(0.0, 1.2))
            os.kill(pid, signal.SIGKILL)
            server.send(f"reap {pid}")
            server.wait_for(f"reaped {pid}")
            if db.path.with_name(db.path.name + "-journal").exists():
                hot += 1
            _verify(db.path, tmp_path)
            n += 1
    finally:
        server.close()
    conn = sqlite3.connect(db.path)
    batches = conn.execute("SELECT count(*) FROM merge_batch").fetchone()[0]
    plans = conn.execute("SELECT count(*) FROM plan").fetchone()[0]
    conn.close()
    print(f"\n{n} kills ({aimed} aimed at a commit), {hot} left a journal; "
          f"{batches} merges and {plans} plans survived whole")
    assert batches >= KILLS // 20  # the loop did real work between the kills
    assert hot >= KILLS // 10  # and many kills hit a transaction with its journal
