"""Shared by the recovery tests: a real 2014 database, the CLI in-process, file hashes."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest

from gxdesk.cli import main

#: A child that dies in the middle of a large transaction: its pages spill into
#: the file before the commit (cache_size=1), so the -journal it leaves is hot.
KILLED_IN_COMMIT = r"""
import os, sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
conn.execute("PRAGMA cache_size=1")
conn.execute("UPDATE task SET name = name || '（被中断的修改）'")
conn.execute("CREATE TABLE crash_filler(x)")
conn.executemany("INSERT INTO crash_filler VALUES (?)", [("x" * 500,) for _ in range(3000)])
os._exit(9)
"""


def sha(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def run_cli(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    """The command line in this process: (exit code, stdout, stderr)."""
    capsys.readouterr()
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def one_chinese_line(err: str) -> str:
    """The stderr of a refusal: exactly one line, in Chinese, no traceback."""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    assert any("\u4e00" <= ch <= "\u9fff" for ch in lines[0]), err
    return lines[0]


def crash_in_commit(db_path: Path) -> None:
    subprocess.run([sys.executable, "-c", KILLED_IN_COMMIT, str(db_path)], check=False)
    assert db_path.with_name(db_path.name + "-journal").exists()
