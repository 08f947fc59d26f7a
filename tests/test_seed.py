"""data/seed.sqlite is exactly what scripts/build_seed.py makes from the seed text."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, SEED_COPY, SEED_TEXT


def content(path: Path) -> list[tuple]:
    """Schema, version and every row of every table, in a stable order."""
    conn = sqlite3.connect(path)
    try:
        out: list[tuple] = [("user_version", conn.execute("PRAGMA user_version").fetchone()[0])]
        out.append(("application_id", conn.execute("PRAGMA application_id").fetchone()[0]))
        tables = [
            r[0]
            for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")
        ]
        out += [
            tuple(r)
            for r in conn.execute("SELECT type, name, sql FROM sqlite_master ORDER BY type, name")
        ]
        for table in tables:
            out += [(table, *r) for r in conn.execute(f'SELECT * FROM "{table}" ORDER BY 1, 2')]
        return out
    finally:
        conn.close()


def test_seed_rebuilds_identically(tmp_path: Path) -> None:
    out = tmp_path / "seed.sqlite"
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "build_seed.py"), str(out)],
        check=True,
        capture_output=True,
    )
    shipped = content(ROOT / "data" / "seed.sqlite")
    assert len(shipped) > 100
    assert content(out) == shipped


def test_seed_text_in_repo_is_the_shared_one() -> None:
    if SEED_TEXT.exists():  # the shared folder sits beside the checkout on our machines
        assert SEED_COPY.read_bytes() == SEED_TEXT.read_bytes()
    assert SEED_COPY.read_text(encoding="utf-8").startswith(
        "2014年政府信息公开工作要点分解细化方案"
    )
