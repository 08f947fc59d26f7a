"""A year the calendar package does not know: an error first, then the clerk's schedule."""

from __future__ import annotations

import json
from pathlib import Path

from test_cli import gx

PLAN_2027 = (
    "2027年政府信息公开工作要点分解方案\n"
    "\t类别\n\t工作任务\n\t工作要求\n\t完成时限\n\t责任单位\n\n"
    "\t一、推进公开\n\t预算公开\n\t公开预算。\n\t文件下发3个工作日内\n\t市财政局牵头\n\n"
    "\t\n\t决算公开\n\t公开决算。\n\t3月底前\n\t市财政局牵头\n"
)


def test_unknown_year_is_said_then_entered(tmp_path: Path) -> None:
    plan = tmp_path / "plan2027.txt"
    plan.write_text(PLAN_2027, encoding="utf-8")
    db = str(tmp_path / "d.sqlite")
    r = gx("--db", db, "import-plan", str(plan), "--issued", "2027-09-29")
    assert r.returncode == 0, r.stderr

    rows = json.loads(gx("--db", db, "tasks", "--json", "--on", "2027-09-29").stdout)
    budget = rows[0]["deadline"]
    assert budget["kind"] == "relative" and budget["due"] is None
    assert "2027年" in budget["note"] and "未知" in budget["note"]
    assert rows[1]["deadline"]["due"] == "2027-03-31"  # a fixed date needs no calendar
    assert _missing_years(db) == [2027, None]  # the year itself, for the window to point at

    r = gx("--db", db, "calendar", "2027")
    assert r.returncode == 2 and "2027" in r.stderr

    r = gx("--db", db, "calendar", "2027", "--holiday", "2027-10-01..2027-10-07",
           "--workday", "2027-09-26", "--note", "国庆节")  # fmt: skip
    assert r.returncode == 0, r.stderr
    rows = json.loads(gx("--db", db, "tasks", "--json", "--on", "2027-09-29").stdout)
    # 9-30 (Thu), then the holiday week, then 10-08 (Fri) and 10-11 (Mon).
    assert rows[0]["deadline"]["due"] == "2027-10-11"
    assert rows[0]["deadline"]["note"] == ""
    assert _missing_years(db) == [None, None]
    assert "2027" in gx("--db", db, "calendar").stdout


def test_calendar_input_is_checked(tmp_path: Path) -> None:
    db = str(tmp_path / "d.sqlite")
    r = gx("--db", db, "calendar", "2027", "--holiday", "2028-01-01")
    assert r.returncode == 2 and "不在 2027 年内" in r.stderr
    r = gx("--db", db, "calendar", "2027", "--holiday", "2027-10-07..2027-10-01")
    assert r.returncode == 2 and "颠倒" in r.stderr
    r = gx("--db", db, "calendar", "2027", "--holiday", "2027-10-01", "--workday", "2027-10-01")
    assert r.returncode == 2
    assert "已录入：无" in gx("--db", db, "calendar").stdout


def _missing_years(db: str) -> list[int | None]:
    import datetime as dt

    from gxdesk.store import queries
    from gxdesk.store.database import open_database

    database = open_database(Path(db))
    try:
        plan = queries.current_plan(database)
        rows = queries.list_tasks(database, plan.id, on=dt.date(2027, 9, 29))
        return [r.missing_year for r in rows]
    finally:
        database.close()
