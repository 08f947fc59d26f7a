"""Several clerks at once on one server: parallel merges, the ledger as a constraint, changes seen."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from exchange_helpers import ON, ROOT, SEED, columns, data_rows, file_sha, open_for_edit, type_text

from gxdesk.core.plan import build_plan
from gxdesk.exchange.plan_text import read_plan_text
from gxdesk.store.plans import save_plan
from gxdesk.store.server.database import open_server

pytestmark = pytest.mark.pg


@pytest.fixture
def server(pg_url: str, tmp_path: Path):  # type: ignore[no-untyped-def]
    """A server database holding the 2014 plan, and every unit's workbook, filled in."""
    from gxdesk.ops.exchange import export_units

    db = open_server(pg_url)
    draft = build_plan(
        read_plan_text(SEED.read_text(encoding="utf-8")), year=2014, issued=dt.date(2014, 9, 26)
    )
    with db.transaction() as session:
        save_plan(session, draft, source_name=SEED.name)
    out = tmp_path / "out"
    out.mkdir()
    files = {f.unit: f.path for f in export_units(db, out, on=ON)}
    for unit, path in files.items():
        wb = open_for_edit(path)
        ws = wb.worksheets[0]
        cols, rows = columns(ws), data_rows(ws)
        for row in rows.values():
            ws.cell(row, cols["进展状态"]).value = "推进中"
            type_text(ws.cell(row, cols["进展情况"]), f"{unit}正在推进")
        wb.save(path)
    yield db, files
    db.close()


def _merge(url: str, *paths: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "gxdesk", "--db", url, "merge", *map(str, paths)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8", cwd=ROOT,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )  # fmt: skip


def _finish(proc: subprocess.Popen[str]) -> tuple[int, str, str]:
    out, err = proc.communicate(timeout=180)
    return proc.returncode, out, err


def _admin(db):  # type: ignore[no-untyped-def]
    import psycopg

    return psycopg.connect(db.url, autocommit=True)


def test_two_clerks_merge_different_units_at_once_both_land(server) -> None:  # type: ignore[no-untyped-def]
    db, files = server
    a, b = _merge(db.url, files["市审计局"]), _merge(db.url, files["市财政局"])
    for proc in (a, b):
        out, err = proc.communicate(timeout=180)
        assert proc.returncode == 0, err
        assert "已写入第" in out
    with _admin(db) as conn:
        units = conn.execute(
            "SELECT u.name, count(*) FROM progress p JOIN unit u ON u.id = p.unit_id"
            " GROUP BY u.name ORDER BY u.name"
        ).fetchall()
        batches = conn.execute("SELECT count(*) FROM merge_batch").fetchone()[0]
    expected = {
        unit: sum(1 for _ in data_rows(open_for_edit(files[unit]).worksheets[0]))
        for unit in ("市审计局", "市财政局")
    }
    assert dict(units) == expected
    assert batches == 2


def test_same_file_merged_twice_at_once_is_written_once(server) -> None:  # type: ignore[no-untyped-def]
    db, files = server
    path = files["市审计局"]
    procs = [_merge(db.url, path) for _ in range(3)]
    results = [_finish(p) for p in procs]
    written = [r for r in results if r[0] == 0 and "已写入第" in r[1]]
    assert len(written) == 1, results
    for code, out, err in results:
        if (code, out, err) in written:
            continue
        # the others saw it merged: either at preview, or when they came to write
        assert "已于第 1 批合并过" in out or "已在另一批中合并" in err, (code, out, err)
        assert not err or len(err.strip().splitlines()) == 1
    with _admin(db) as conn:
        ledger = conn.execute(
            "SELECT count(*) FROM merged_file WHERE sha256 = %s", (file_sha(path),)
        ).fetchone()[0]
        reports = conn.execute("SELECT count(*) FROM progress").fetchone()[0]
    assert ledger == 1
    assert reports == sum(1 for _ in data_rows(open_for_edit(path).worksheets[0]))


def test_ledger_is_a_constraint_even_for_hand_written_sql(server) -> None:  # type: ignore[no-untyped-def]
    import psycopg

    db, files = server
    assert _finish(_merge(db.url, files["市审计局"]))[0] == 0
    with _admin(db) as conn:
        conn.execute("INSERT INTO merge_batch (created_at, note) VALUES (now(), '手工')")
        with pytest.raises(psycopg.errors.UniqueViolation):
            conn.execute(
                "INSERT INTO merged_file (batch_id, sha256, export_id, unit_id, file_name,"
                " merged_at) SELECT (SELECT max(id) FROM merge_batch), sha256, export_id,"
                " unit_id, file_name, now() FROM merged_file"
            )
        # once the batch is undone its files leave the ledger and may come again
        conn.execute("UPDATE merge_batch SET undone_at = now() WHERE id = 1")
        conn.execute(
            "INSERT INTO merged_file (batch_id, sha256, export_id, unit_id, file_name,"
            " merged_at) SELECT 2, sha256, export_id, unit_id, file_name, now()"
            " FROM merged_file WHERE batch_id = 1"
        )
        # and batch 1 cannot come back while its file is in batch 2
        with pytest.raises(psycopg.errors.UniqueViolation):
            conn.execute("UPDATE merge_batch SET undone_at = NULL WHERE id = 1")


def test_an_open_program_sees_another_clerks_merge(server) -> None:  # type: ignore[no-untyped-def]
    from gxdesk.store import queries

    db, files = server
    plan_id = queries.current_plan(db).id
    before = db.change_counter()
    assert not any(r.latest_text for r in queries.list_tasks(db, plan_id, on=ON))
    assert db.change_counter() == before  # reading changes nothing
    assert _finish(_merge(db.url, files["市审计局"]))[0] == 0
    assert db.change_counter() > before
    assert any("市审计局正在推进" in r.latest_text for r in queries.list_tasks(db, plan_id, on=ON))
