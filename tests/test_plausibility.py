"""Rows that can be so but seldom are (已完成 at 80%, a 完成时间 not yet come, a 完成时间
for a task 未启动): held for the clerk to accept, in the merge and the unit's window."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest
from exchange_helpers import (
    ON,
    ROOT,
    columns,
    data_rows,
    export_all,
    file_sha,
    latest_of_unit,
    open_for_edit,
)

from gxdesk.core.model import Status
from gxdesk.core.row_verdict import implausible
from gxdesk.core.workbook_data import UnitReport
from gxdesk.exchange.unit_copy import read_unit_copy, row_warnings
from gxdesk.ops.exchange import preview_merge
from gxdesk.store.merge import Outcome, apply_merge

UNIT = "市审计局"
DONE_AT_80 = "进展状态为已完成，完成进度却只有 80%"
NOT_YET = "完成时间 2014-12-31 晚于 2014-10-20，尚未到来"
NOT_STARTED = "进展状态为未启动，却填写了完成时间"


def test_the_rule() -> None:
    on = dt.date(2014, 10, 20)
    assert implausible(UnitReport(Status.DONE, 80), on) == (DONE_AT_80,)
    assert implausible(UnitReport(Status.IN_PROGRESS, 50, done_on=dt.date(2014, 12, 31)), on) == (
        NOT_YET,
    )
    assert implausible(UnitReport(Status.NOT_STARTED, done_on=dt.date(2014, 9, 1)), on) == (
        NOT_STARTED,
    )
    both = UnitReport(Status.NOT_STARTED, done_on=dt.date(2015, 1, 1))
    assert len(implausible(both, on)) == 2
    for fine in (
        UnitReport(Status.DONE, 100, done_on=on),
        UnitReport(Status.DONE),  # no percent given
        UnitReport(Status.IN_PROGRESS, 80, done_on=dt.date(2014, 9, 30)),
        UnitReport(Status.NOT_STARTED, 0),
    ):
        assert implausible(fine, on) == ()


@pytest.fixture()
def filled(tmp_path: Path):  # type: ignore[no-untyped-def]
    """市审计局's file: three rows that look wrong, one that does not."""
    db, files = export_all(tmp_path)
    path = files[UNIT]
    wb = open_for_edit(path)
    ws = wb.worksheets[0]
    cols, rows = columns(ws), data_rows(ws)
    keys = list(rows)
    for key, status, percent, done in (
        (keys[0], "已完成", 0.8, None),
        (keys[1], "推进中", 0.5, dt.date(2014, 12, 31)),
        (keys[2], "未启动", None, dt.date(2014, 9, 30)),
        (keys[3], "已完成", 1, dt.date(2014, 9, 30)),
    ):
        ws.cell(rows[key], cols["进展状态"]).value = status
        ws.cell(rows[key], cols["完成进度%"]).value = percent
        ws.cell(rows[key], cols["完成时间"]).value = done
    wb.save(path)
    yield db, path, [int(k[1:]) for k in keys[:4]]
    db.close()


def test_preview_holds_them_until_the_clerk_accepts(filled) -> None:  # type: ignore[no-untyped-def]
    db, path, tasks = filled
    plan = preview_merge(db, [path], on=ON)
    by_task = {r.task_id: r for r in plan.files[0].rows}
    assert [by_task[t].outcome for t in tasks] == [Outcome.WARNING] * 3 + [Outcome.APPLIED]
    assert by_task[tasks[0]].reason == f"请核实：{DONE_AT_80}"
    assert by_task[tasks[1]].warnings == (NOT_YET,)
    assert by_task[tasks[2]].warnings == (NOT_STARTED,)
    assert plan.counts()["warnings"] == 3 and plan.counts()["applied"] == 1
    row_json = {r["task"]: r for r in plan.files[0].as_json()["rows"]}
    assert row_json[tasks[0]]["outcome"] == "warning"
    assert row_json[tasks[0]]["warnings"] == [DONE_AT_80]

    # not accepted: only the plausible row is written
    assert apply_merge(db, plan).applied == 1
    latest = latest_of_unit(db, UNIT)
    assert tasks[3] in latest and not set(tasks[:3]) & set(latest)


def test_accepted_rows_are_written(filled) -> None:  # type: ignore[no-untyped-def]
    db, path, tasks = filled
    plan = preview_merge(db, [path], on=ON)
    accepted = plan.rows_to_verify()
    assert len(accepted) == 3
    assert apply_merge(db, plan, take_conflicts=accepted).applied == 4
    latest = latest_of_unit(db, UNIT)
    assert latest[tasks[0]].status is Status.DONE and latest[tasks[0]].percent == 80


def _cli(db_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "gxdesk", "--db", str(db_path), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        timeout=120,
    )


def test_cli_prints_each_row_and_holds_the_file_until_accepted(filled) -> None:  # type: ignore[no-untyped-def]
    db, path, _tasks = filled
    db.close()
    before = file_sha(db.path)
    run = _cli(db.path, "merge", str(path))
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    # the command line judges on today: the 2014 dates have come, the other two rules hold
    assert any("待核实" in line and DONE_AT_80 in line for line in lines)
    assert any("待核实" in line and NOT_STARTED in line for line in lines)
    assert any("整个文件暂未写入" in line and "--accept-warnings" in line for line in lines)
    assert file_sha(db.path) == before  # held whole, so it can be merged again
    shown = _cli(db.path, "merge", str(path), "--json", "--dry-run")
    (report,) = json.loads(shown.stdout)
    assert report["warnings"] == 2 and report["held"] is True
    assert {r["outcome"] for r in report["rows"]} >= {"warning", "applied"}
    taken = _cli(db.path, "merge", str(path), "--accept-warnings")
    assert taken.returncode == 0, taken.stderr
    assert "已写入第 1 批：4 条进展" in taken.stdout


def test_merge_dialog_shows_them_and_has_an_accept_step(qtbot, filled) -> None:  # type: ignore[no-untyped-def]
    from gxdesk.ui.merge_dialog import MergeDialog
    from gxdesk.ui.qt import Qt, QtWidgets

    db, path, _tasks = filled
    plan = preview_merge(db, [path], on=ON)
    dialog = MergeDialog(plan)
    qtbot.addWidget(dialog)
    labels = [w.text() for w in dialog.findChildren(QtWidgets.QLabel)]
    assert any("待核实 3" in t and "勾选“采用”后才写入" in t for t in labels)
    dialog.filter.setCurrentIndex(dialog.filter.findData(Outcome.WARNING.value))
    model = dialog.model
    assert model.rowCount() == 3
    assert model.data(model.index(0, 4)) == "待核实"
    assert model.data(model.index(0, 5)).startswith("请核实：")
    dialog.table.selectRow(0)
    assert "勾选“采用”" in dialog.detail.toPlainText()
    index = model.index(0, 6)
    assert model.flags(index) & Qt.ItemFlag.ItemIsUserCheckable
    assert model.data(index, Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Unchecked
    assert dialog.taken_conflicts == set()
    accept_all = next(b for b in dialog.buttons.buttons() if b.text().startswith("全部采用"))
    qtbot.mouseClick(accept_all, Qt.MouseButton.LeftButton)
    assert dialog.taken_conflicts == plan.rows_to_verify()
    assert model.data(index, Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    assert apply_merge(db, plan, take_conflicts=dialog.taken_conflicts).applied == 4


def test_the_units_window_warns_in_the_same_words(qtbot, filled) -> None:  # type: ignore[no-untyped-def]
    from gxdesk.ui.jobs import JobRunner
    from gxdesk.ui.unit_fill_dialog import UnitFillDialog
    from gxdesk.ui.unit_fill_model import column_of

    _db, path, _tasks = filled
    copy = read_unit_copy(path)
    first, second, third = copy.rows[:3]
    assert row_warnings(first, first.values, ON) == [DONE_AT_80]
    assert row_warnings(second, second.values, ON) == [NOT_YET]
    assert row_warnings(third, third.values, ON) == [NOT_STARTED]
    dialog = UnitFillDialog(copy, JobRunner(synchronous=True).start)
    qtbot.addWidget(dialog)
    model = dialog.model
    check = model.data(model.index(0, column_of("check")))
    assert check == f"请核实：{DONE_AT_80}"
    assert "项请核实" in dialog.summary.text() and DONE_AT_80 in dialog.summary.text()
