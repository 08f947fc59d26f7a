"""End to end: the real command line in a subprocess, on real files."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, SEED_COPY


def gx(*args: str, home: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    if home:
        env["GXDESK_HOME"] = str(home)
    return subprocess.run(
        [sys.executable, "-m", "gxdesk", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        cwd=ROOT,
        timeout=120,
    )


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def plan_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("cli") / "plan.sqlite"
    r = gx("--db", str(db), "import-plan", str(SEED_COPY), "--issued", "2014-09-26")
    assert r.returncode == 0, r.stderr
    assert "34 项任务" in r.stdout and "8 个类别" in r.stdout
    return db


def tasks(db: Path, *args: str) -> list[dict]:
    r = gx("--db", str(db), "tasks", "--json", *args)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def test_relative_deadline_counts_holidays_and_adjusted_weekends(plan_db: Path) -> None:
    rows = tasks(plan_db)
    assert len(rows) == 34
    approval = next(t for t in rows if t["name"] == "行政审批信息公开")
    assert approval["deadline"] == {
        "text": "文件下发20个工作日内",
        "kind": "relative",
        "due": "2014-10-29",
        "inferred": False,
        "needs_review": False,
        "note": "",
    }
    assert approval["units"]["leads"] == ["市编办", "市政府法制办"]
    mining = next(t for t in rows if t["name"] == "矿业权出让信息公开")
    assert mining["deadline"]["inferred"] is True and mining["units"]["inferred"] is True
    assert mining["units"]["leads"] == ["市国土资源局"]


def test_json_has_the_documented_fields(plan_db: Path) -> None:
    row = tasks(plan_db)[0]
    assert {
        "id",
        "category",
        "seq",
        "name",
        "requirement",
        "deadline",
        "units",
        "status",
        "light",
        "progress",
    } <= set(row)
    assert {"seq", "title"} <= set(row["category"])
    assert {"text", "kind", "due", "inferred"} <= set(row["deadline"])
    assert {"text", "inferred", "leads", "cooperating", "groups"} <= set(row["units"])
    assert row["status"] == "未启动" and row["progress"] == []


def test_lights_as_of_a_date(plan_db: Path) -> None:
    red = tasks(plan_db, "--on", "2014-10-08", "--light", "red")
    assert {t["name"] for t in red} == {
        "信息解读工作",
        "建立健全政务舆情收集、研判、处置和回应机制",
        "政府信息公开平台建设",
        "财政预算执行和其它财政收支审计信息公开",
        "依申请公开",
        "加强信息公开保密审查制度建设",
    }
    yellow = tasks(plan_db, "--on", "2014-10-23", "--light", "yellow")
    assert {t["deadline"]["due"] for t in yellow} == {"2014-10-29"}
    assert len(yellow) == 6  # the six 文件下发20个工作日内 tasks
    assert tasks(plan_db, "--on", "2014-10-20", "--light", "yellow") == []


def test_unit_filter_includes_the_units_groups(plan_db: Path) -> None:
    names = {t["name"] for t in tasks(plan_db, "--unit", "市财政局")}
    assert {"预算和决算公开", "“三公”经费公开", "政府采购信息公开"} <= names
    assert "依申请公开" in names  # 市级各部门负责: every 市… unit reports for itself
    assert "征地信息公开" not in names


def test_plain_listing(plan_db: Path) -> None:
    r = gx("--db", str(plan_db), "tasks", "--on", "2014-10-08")
    assert r.returncode == 0
    assert len(r.stdout.strip().splitlines()) == 34
    assert "红灯" in r.stdout


@pytest.mark.parametrize(
    "name,content,needle",
    [
        ("plan.xlsx", b"just some text, not a workbook", ""),
        ("plan.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, ".xls"),
        ("plan.txt", "随便写的一段文字\n没有表格\n".encode(), ""),
        ("plan.docx", b"PK\x03\x04" + b"\0" * 40, ""),
        ("empty.txt", b"", ""),
    ],
)
def test_bad_input_one_line_exit_2_database_unchanged(
    plan_db: Path, tmp_path: Path, name: str, content: bytes, needle: str
) -> None:
    bad = tmp_path / name
    bad.write_bytes(content)
    before = sha(plan_db)
    r = gx("--db", str(plan_db), "import-plan", str(bad))
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("gxdesk: ")
    assert "Traceback" not in r.stderr
    assert needle in lines[0]
    assert sha(plan_db) == before


def test_missing_file_and_bad_arguments(plan_db: Path) -> None:
    before = sha(plan_db)
    r = gx("--db", str(plan_db), "import-plan", "/nonexistent/plan.txt")
    assert r.returncode == 2 and "文件不存在" in r.stderr
    r = gx("--db", str(plan_db), "tasks", "--on", "2014-13-01")
    assert r.returncode == 2 and "没有这个日期" in r.stderr
    r = gx("--db", str(plan_db), "tasks", "--unit", "市不存在局")
    assert r.returncode == 2 and "市不存在局" in r.stderr
    assert sha(plan_db) == before


def test_newer_database_refused_untouched(tmp_path: Path) -> None:
    db = tmp_path / "newer.sqlite"
    shutil.copyfile(ROOT / "data" / "seed.sqlite", db)
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA user_version=99")
    conn.close()
    before = sha(db)
    r = gx("--db", str(db), "tasks")
    assert r.returncode == 2 and "更新版本" in r.stderr
    assert sha(db) == before


def test_default_database_is_a_copy_of_the_seed(tmp_path: Path) -> None:
    r = gx("tasks", "--json", home=tmp_path)
    assert r.returncode == 0, r.stderr
    assert len(json.loads(r.stdout)) == 34
    assert (tmp_path / "gxdesk.sqlite").exists()


def test_check_backup_restore(plan_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "work.sqlite"
    shutil.copyfile(plan_db, db)
    assert gx("--db", str(db), "check").returncode == 0
    out = tmp_path / "b.sqlite"
    assert gx("--db", str(db), "backup", str(out)).returncode == 0
    conn = sqlite3.connect(db)
    conn.execute("DELETE FROM progress")
    conn.execute("UPDATE task SET name = '被改坏了'")
    conn.commit()
    conn.close()
    assert gx("--db", str(db), "restore", str(out)).returncode == 0
    assert tasks(db)[0]["name"] == "清理《条例》施行前政府信息（尚未移交国家档案管理部门）"


def test_recurring_task_seen_years_later_keeps_the_plan_years_due(plan_db: Path) -> None:
    first = tasks(plan_db, "--on", "2026-11-26")[0]
    assert first["deadline"]["kind"] == "recurring"
    assert first["deadline"]["due"] == "2014-12-31"
    assert first["light"] == "red"
