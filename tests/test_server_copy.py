"""copy-to both ways between a file and a server, and ``backup`` of a server: every row kept."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from exchange_helpers import file_sha
from test_server_workflow import fill, gx, ok

from gxdesk.store.server.copy import tables

pytestmark = pytest.mark.pg


def _norm(value: object) -> object:
    """One form for both back ends: timestamps parsed, booleans as 0/1."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str) and len(value) >= 19 and value[4] == "-" and value[10] == " ":
        try:
            return dt.datetime.fromisoformat(value)
        except ValueError:
            return value
    return value


def dump_file(path: Path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(path)
    try:
        return {
            t: [tuple(map(_norm, r)) for r in conn.execute(f'SELECT {", ".join(c)} FROM "{t}" ORDER BY 1')]
            for t, c, _s in tables()
        }
    finally:
        conn.close()


def dump_server(url: str) -> dict[str, list[tuple]]:
    import psycopg

    with psycopg.connect(url) as conn:
        return {
            t: [tuple(map(_norm, r)) for r in conn.execute(f'SELECT {", ".join(c)} FROM "{t}" ORDER BY 1')]
            for t, c, _s in tables()
        }


@pytest.fixture
def year(tmp_path: Path) -> Path:
    """A file with a plan, a calendar year, exported files, a merge and an undone merge."""
    from gxdesk.store.database import open_database
    from gxdesk.store.merge import undo_batch

    db = str(tmp_path / "year.sqlite")
    ok(db, "import-plan", str(Path(__file__).parent.parent / "data" / "plan2014-table.txt"),
       "--issued", "2014-09-26")  # fmt: skip
    ok(db, "calendar", "2015", "--holiday", "2015-10-01..2015-10-07", "--workday", "2015-10-10")
    out = tmp_path / "out"
    out.mkdir()
    ok(db, "export-units", str(out))
    files = sorted(out.glob("*.xlsx"))
    fill(files[0], "已完成", "第一份")
    fill(files[1], "推进中", "第二份")
    ok(db, "merge", str(files[0]))
    ok(db, "merge", str(files[1]))
    d = open_database(Path(db))
    try:
        undo_batch(d, 1)
    finally:
        d.close()
    return Path(db)


def test_copy_to_server_and_back_keeps_every_row(year: Path, pg_url: str, tmp_path: Path) -> None:
    original = dump_file(year)
    assert all(original[t] for t in ("task", "assignment", "progress", "merged_file",
                                      "merge_batch", "calendar_day", "export_record"))  # fmt: skip
    assert "已复制" in ok(str(year), "copy-to", pg_url)
    assert dump_server(pg_url) == original
    back = tmp_path / "back.sqlite"
    ok(pg_url, "copy-to", str(back))
    assert dump_file(back) == original
    assert "数据库完好" in ok(str(back), "check")
    # the copies answer as the original does
    listing = ok(str(year), "tasks", "--json", "--on", "2014-10-20")
    assert ok(pg_url, "tasks", "--json", "--on", "2014-10-20") == listing
    assert ok(str(back), "tasks", "--json", "--on", "2014-10-20") == listing


def test_backup_of_a_server_is_a_portable_file(year: Path, pg_url: str, tmp_path: Path) -> None:
    ok(str(year), "copy-to", pg_url)
    out = tmp_path / "服务器备份.sqlite"
    assert "已备份" in ok(pg_url, "backup", str(out))
    assert dump_file(out) == dump_file(year)
    again = ok(pg_url, "backup", str(out))  # a backup may replace the last one
    assert "已备份" in again


def test_the_ledger_survives_the_move(year: Path, pg_url: str, tmp_path: Path) -> None:
    """The file merged in the batch not undone is a duplicate on the server too."""
    ok(str(year), "copy-to", pg_url)
    out = sorted((year.parent / "out").glob("*.xlsx"))
    assert "已于第 2 批合并过" in ok(pg_url, "merge", str(out[1]))
    assert "已写入第 3 批" in ok(pg_url, "merge", str(out[0]))  # batch 1 was undone


def test_copy_refuses_a_target_with_data_and_writes_nothing(year: Path, pg_url: str, tmp_path: Path) -> None:
    ok(str(year), "copy-to", pg_url)
    before = dump_server(pg_url)
    r = gx(str(year), "copy-to", pg_url)
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1 and "已有数据" in r.stderr
    assert dump_server(pg_url) == before
    existing = tmp_path / "已有.sqlite"
    ok(pg_url, "copy-to", str(existing))
    digest = file_sha(existing)
    r = gx(pg_url, "copy-to", str(existing))
    assert r.returncode == 2 and "已存在" in r.stderr
    assert file_sha(existing) == digest
