"""Progress reports: appended as history, latest shown, status derived, undo by withdrawal."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from conftest import ROOT

from gxdesk.core.model import Light, Status
from gxdesk.core.workbook_data import UnitReport
from gxdesk.store import queries
from gxdesk.store.database import Database, open_database
from gxdesk.store.progress import ReportInput, add_reports, restore_reports, withdraw_reports

ON = dt.date(2014, 10, 8)


@pytest.fixture
def db(tmp_path: Path) -> Database:
    path = tmp_path / "seed.sqlite"
    shutil.copyfile(ROOT / "data" / "seed.sqlite", path)
    database = open_database(path)
    yield database
    database.close()


def task_named(db: Database, name: str):  # type: ignore[no-untyped-def]
    plan = queries.current_plan(db)
    return next(r for r in queries.list_tasks(db, plan.id, on=ON) if r.name == name)


def test_a_lead_units_report_changes_status_light_and_latest(db: Database) -> None:
    task = task_named(db, "财政预算执行和其它财政收支审计信息公开")  # 9月底前, 市审计局牵头
    assert task.light is Light.RED and task.status is Status.NOT_STARTED
    (a,) = queries.assignments(db, [task.id])[task.id]
    when = dt.datetime(2014, 10, 8, 10, 0)
    with db.transaction() as s:
        add_reports(
            s,
            [
                ReportInput(
                    a.id, a.unit_id, UnitReport(Status.IN_PROGRESS, 60, "已公告"), reported_at=when
                )
            ],
        )
    task = task_named(db, task.name)
    assert task.status is Status.IN_PROGRESS and task.light is Light.RED
    assert (task.latest_text, task.latest_unit, task.latest_at) == ("已公告", "市审计局", when)
    with db.transaction() as s:
        ids = add_reports(
            s,
            [ReportInput(a.id, a.unit_id,
                         UnitReport(Status.DONE, 100, "整改情况已公开", done_on=dt.date(2014, 10, 8)),
                         reported_at=when + dt.timedelta(hours=1))],
        )  # fmt: skip
    task = task_named(db, task.name)
    assert task.status is Status.DONE and task.light is Light.GREEN
    history = queries.progress_history(db, task.id)
    assert [p.text for p in history] == ["整改情况已公开", "已公告"]  # nothing overwritten

    with db.transaction() as s:
        withdraw_reports(s, ids)
    task = task_named(db, task.name)
    assert task.status is Status.IN_PROGRESS and task.latest_text == "已公告"
    with db.transaction() as s:
        restore_reports(s, ids)
    assert task_named(db, task.name).status is Status.DONE


def test_a_group_task_is_done_only_when_every_member_says_so(db: Database) -> None:
    task = task_named(db, "依申请公开")  # 市级各部门负责
    (group,) = queries.assignments(db, [task.id])[task.id]
    assert group.is_group
    members = next(u for u in queries.units(db) if u.id == group.unit_id).members
    assert len(members) > 5
    with db.transaction() as s:
        add_reports(s, [ReportInput(group.id, m, UnitReport(Status.DONE)) for m in members[:-1]])
    assert task_named(db, task.name).status is Status.IN_PROGRESS
    with db.transaction() as s:
        add_reports(s, [ReportInput(group.id, members[-1], UnitReport(Status.DONE))])
    assert task_named(db, task.name).status is Status.DONE
    latest = queries.latest_progress(db, [task.id])[task.id]
    assert sorted(p.unit_id for p in latest) == sorted(members)


def test_a_report_for_an_unknown_assignment_changes_nothing(db: Database) -> None:
    before = db.path.read_bytes()
    with pytest.raises(ValueError), db.transaction() as s:
        add_reports(s, [ReportInput(999_999, 1, UnitReport(Status.DONE))])
    assert db.path.read_bytes() == before
