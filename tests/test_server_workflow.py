"""The whole command-line workflow on both back ends: a SQLite file and a PostgreSQL server.

Each step runs the real ``gxdesk`` in a subprocess; the answers (what it prints,
its JSON) are collected and must be the same on the server as on the file.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from exchange_helpers import ROOT, SEED, columns, data_rows, open_for_edit, type_text

from gxdesk.store.database import open_database
from gxdesk.store.merge import batches, undo_batch
from gxdesk.store.server.database import open_server

ANSWERS: dict[str, dict[str, object]] = {}


def gx(db: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "gxdesk", "--db", db, *args],
        capture_output=True, text=True, encoding="utf-8", cwd=ROOT, timeout=120,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )  # fmt: skip


def ok(db: str, *args: str) -> str:
    r = gx(db, *args)
    assert r.returncode == 0, r.stderr
    return r.stdout


def fill(path: Path, status: str, text: str) -> None:
    wb = open_for_edit(path)
    ws = wb.worksheets[0]
    cols, rows = columns(ws), data_rows(ws)
    row = rows[next(iter(rows))]
    ws.cell(row, cols["进展状态"]).value = status
    type_text(ws.cell(row, cols["进展情况"]), text)
    wb.save(path)


def merge_json(db: str, *files: Path) -> list[dict]:
    out = json.loads(ok(db, "merge", "--json", *map(str, files)))
    for f in out:
        f["file"] = Path(f["file"]).name
    return out


def workflow(db: str, folder: Path) -> dict[str, object]:
    """Import, list, export, merge, merge again, a conflict, undo; every answer kept."""
    a: dict[str, object] = {}
    a["import"] = ok(db, "import-plan", str(SEED), "--issued", "2014-09-26")
    a["tasks"] = json.loads(ok(db, "tasks", "--json", "--on", "2014-10-20"))
    a["tasks_unit"] = ok(db, "tasks", "--unit", "市审计局", "--on", "2014-10-20")
    out = folder / "out"
    out.mkdir()
    listed = ok(db, "export-units", str(out), "--unit", "市审计局", "--unit", "市财政局")
    a["export"] = sorted(line.split("\t")[0] for line in listed.splitlines() if "\t" in line)
    audit, finance = (next(out.glob(f"*{u}*.xlsx")) for u in ("市审计局", "市财政局"))
    fill(audit, "已完成", "审计公告已公开")
    a["dry_run"] = ok(db, "merge", "--dry-run", str(audit)).replace(str(audit.parent), "")
    a["merge"] = merge_json(db, audit)
    a["merge_again"] = ok(db, "merge", str(audit)).strip().split("\t", 1)[1]
    a["after_merge"] = json.loads(ok(db, "tasks", "--json", "--on", "2014-10-20"))
    fill(finance, "推进中", "预算公开进行中")
    task_id = int(next(iter(data_rows(open_for_edit(finance).worksheets[0])))[1:])
    d = open_server(db) if "://" in db else open_database(Path(db))
    try:  # the lead office edits the task after the export: the file is now stale
        with d.transaction() as s:
            s.connection().exec_driver_sql(
                "UPDATE task SET requirement = requirement || '（补充）', version = version + 1"
                " WHERE id = ?",
                (task_id,),
            )
        a["conflict"] = merge_json(db, finance)
        first = batches(d)[-1].id
        a["undone"] = undo_batch(d, first)
        a["batches"] = [(b.id, b.files, b.reports, b.undone_at is not None) for b in batches(d)]
    finally:
        d.close()
    a["after_undo"] = json.loads(ok(db, "tasks", "--json", "--on", "2014-10-20"))
    a["merge_after_undo"] = merge_json(db, audit)
    return a


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.pg)])
def target(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[str, str]:
    if request.param == "sqlite":
        return "sqlite", str(tmp_path / "gx.sqlite")
    return "postgresql", request.getfixturevalue("pg_url")


def answers(kind: str, db: str, folder: Path) -> dict[str, object]:
    if kind not in ANSWERS:
        ANSWERS[kind] = workflow(db, folder)
    return ANSWERS[kind]


def _no_stamps(value: object) -> object:
    """Report times are 'now': equal answers differ only in them."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return re.sub(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", "<time>", text)


def test_workflow_answers(target: tuple[str, str], tmp_path_factory) -> None:  # type: ignore[no-untyped-def]
    kind, db = target
    a = answers(kind, db, tmp_path_factory.mktemp(kind))
    assert "34 项任务" in str(a["import"])
    assert len(a["tasks"]) == 34  # type: ignore[arg-type]
    assert a["export"] == ["市审计局", "市财政局"]
    assert "未写入数据库" in str(a["dry_run"])
    merged = a["merge"][0]  # type: ignore[index]
    assert merged["applied"] == 1 and merged["unit"] == "市审计局"
    assert "已于第 1 批合并过" in str(a["merge_again"])
    changed = [u for t, u in zip(a["tasks"], a["after_merge"], strict=True) if t != u]  # type: ignore[call-overload]
    assert len(changed) == 1 and "审计公告已公开" in json.dumps(changed, ensure_ascii=False)
    conflict = a["conflict"][0]  # type: ignore[index]
    assert conflict["conflicts"] == 1 and conflict["applied"] == 0
    assert a["undone"] == 1
    assert a["batches"] == [(1, 1, 1, True)]
    after_undo = a["after_undo"]
    assert all(t["progress"] == [] for t in after_undo)  # type: ignore[attr-defined]
    edited = [u["id"] for t, u in zip(a["tasks"], after_undo, strict=True) if t != u]  # type: ignore[call-overload]
    assert len(edited) == 1 and "（补充）" in after_undo[edited[0] - 1]["requirement"]  # type: ignore[index]
    again = a["merge_after_undo"][0]  # type: ignore[index]
    # no longer a duplicate once undone; its task was edited since, so a conflict again
    assert again["duplicate_of_batch"] is None and again["conflicts"] == 1, again
    if kind == "postgresql":
        sqlite = answers("sqlite", str(tmp_path_factory.mktemp("s") / "gx.sqlite"),
                         tmp_path_factory.mktemp("sqlite"))  # fmt: skip
        for key, value in a.items():
            assert _no_stamps(value) == _no_stamps(sqlite[key]), key
