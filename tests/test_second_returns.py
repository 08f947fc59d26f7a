"""Two returns of the same export by the same unit: a correction when saved later,
otherwise a conflict the clerk decides — merged one after the other or together."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
import sys
import zipfile
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
from gxdesk.exchange.workbook_reader import read_returned_workbook
from gxdesk.ops.exchange import preview_merge
from gxdesk.store.merge import Outcome, apply_merge

UNIT = "市审计局"
EARLY = dt.datetime(2014, 10, 21, 9, 0)
LATE = dt.datetime(2014, 10, 22, 16, 30)


def set_saved_at(path: Path, when: dt.datetime | None) -> None:
    """Give the workbook its own saved time (docProps/core.xml), as Excel writes it."""
    with zipfile.ZipFile(path) as zf:
        parts = {i: zf.read(i) for i in zf.infolist()}
    out = {}
    for info, data in parts.items():
        if info.filename == "docProps/core.xml":
            xml = data.decode("utf-8")
            xml = re.sub(r"<dcterms:modified[^>]*>[^<]*</dcterms:modified>", "", xml)
            if when is not None:
                stamp = f"{when:%Y-%m-%dT%H:%M:%S}Z"
                xml = xml.replace(
                    "</cp:coreProperties>",
                    '<dcterms:modified xmlns:dcterms="http://purl.org/dc/terms/"'
                    ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
                    f' xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>'
                    "</cp:coreProperties>",
                )
            data = xml.encode("utf-8")
        out[info] = data
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for info, data in out.items():
            zf.writestr(info, data)


def _fill(path: Path, first: tuple[str, float], second: str, saved: dt.datetime | None) -> None:
    """First task: (status, percent); second task: a 进展情况 both returns share."""
    wb = open_for_edit(path)
    ws = wb.worksheets[0]
    cols, rows = columns(ws), data_rows(ws)
    keys = list(rows)
    ws.cell(rows[keys[0]], cols["进展状态"]).value = first[0]
    ws.cell(rows[keys[0]], cols["完成进度%"]).value = first[1]
    ws.cell(rows[keys[1]], cols["进展状态"]).value = "推进中"
    ws.cell(rows[keys[1]], cols["进展情况"]).value = second
    wb.save(path)
    set_saved_at(path, saved)


@pytest.fixture()
def returns(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Two copies of one export of 市审计局's workbook: ``done`` reports 已完成 on the
    first task, ``stale`` 推进中; both the same on the second. Saved times per test."""
    db, files = export_all(tmp_path)
    sent = files[UNIT]
    done = tmp_path / "回复_已完成.xlsx"
    stale = tmp_path / "回复_推进中.xlsx"
    shutil.copy(sent, done)
    shutil.copy(sent, stale)
    first_task = int(next(iter(data_rows(open_for_edit(sent).worksheets[0])))[1:])
    yield db, done, stale, first_task
    db.close()


def _rows(plan, path: Path) -> dict[int | None, object]:  # type: ignore[no-untyped-def]
    f = next(f for f in plan.files if f.path == str(path))
    return {r.task_id: r for r in f.rows}


def test_the_saved_time_is_the_workbooks_own(returns) -> None:  # type: ignore[no-untyped-def]
    _db, done, _stale, _task = returns
    _fill(done, ("已完成", 1), "已部署", LATE)
    assert read_returned_workbook(done).saved_at == LATE
    set_saved_at(done, None)
    assert read_returned_workbook(done).saved_at is None


def test_a_later_saved_second_return_corrects_the_first(returns) -> None:  # type: ignore[no-untyped-def]
    db, done, stale, task = returns
    _fill(stale, ("推进中", 0.5), "已部署", EARLY)
    _fill(done, ("已完成", 1), "已部署", LATE)
    assert apply_merge(db, preview_merge(db, [stale], on=ON)).applied == 2
    plan = preview_merge(db, [done], on=ON)
    f = plan.files[0]
    assert "替换第 1 批合并的“回复_推进中.xlsx”" in f.replaces
    row = _rows(plan, done)[task]
    assert row.outcome is Outcome.APPLIED and row.reason.startswith("更正：")
    assert "晚于第 1 批合并的“回复_推进中.xlsx”" in row.reason
    assert f.counts()["unchanged"] >= 1  # the second task: the same in both
    assert apply_merge(db, plan).applied == 1
    assert latest_of_unit(db, UNIT)[task].status is Status.DONE


def test_an_earlier_saved_second_return_is_a_conflict_not_applied(returns) -> None:  # type: ignore[no-untyped-def]
    db, done, stale, task = returns
    _fill(done, ("已完成", 1), "已部署", LATE)
    _fill(stale, ("推进中", 0.5), "已部署", EARLY)
    assert apply_merge(db, preview_merge(db, [done], on=ON)).applied == 2
    plan = preview_merge(db, [stale], on=ON)
    row = _rows(plan, stale)[task]
    assert row.outcome is Outcome.CONFLICT
    assert "本文件并非更晚保存" in row.reason
    assert row.other[:2] == ("已完成", "100") and row.values.as_text()[:2] == ("推进中", "50")
    assert row.other_source == "第 1 批“回复_已完成.xlsx”"
    assert apply_merge(db, plan).applied == 0  # a conflict is written only when chosen
    assert latest_of_unit(db, UNIT)[task].status is Status.DONE


def test_without_saved_times_the_second_return_is_a_conflict(returns) -> None:  # type: ignore[no-untyped-def]
    db, done, stale, task = returns
    _fill(done, ("已完成", 1), "已部署", None)
    _fill(stale, ("推进中", 0.5), "已部署", None)
    apply_merge(db, preview_merge(db, [done], on=ON))
    assert _rows(preview_merge(db, [stale], on=ON), stale)[task].outcome is Outcome.CONFLICT


@pytest.mark.parametrize("done_saved_later", [True, False])
def test_both_in_one_merge_the_later_saved_wins(returns, done_saved_later: bool) -> None:  # type: ignore[no-untyped-def]
    db, done, stale, task = returns
    _fill(done, ("已完成", 1), "已部署", LATE if done_saved_later else EARLY)
    _fill(stale, ("推进中", 0.5), "已部署", EARLY if done_saved_later else LATE)
    plan = preview_merge(db, [done, stale], on=ON)
    winner, loser = (done, stale) if done_saved_later else (stale, done)
    assert _rows(plan, winner)[task].outcome is Outcome.APPLIED
    assert _rows(plan, winner)[task].reason.startswith("更正：")
    assert _rows(plan, loser)[task].outcome is Outcome.REJECTED
    assert winner.name in _rows(plan, loser)[task].reason
    # the row both say the same is written once
    shared = [t for t in _rows(plan, done) if t != task and _rows(plan, done)[t].report]
    outcomes = {_rows(plan, p)[shared[0]].outcome for p in (done, stale)}
    assert outcomes == {Outcome.APPLIED, Outcome.UNCHANGED}
    assert all(f.replaces for f in plan.files)
    assert apply_merge(db, plan).applied == 2
    expected = Status.DONE if done_saved_later else Status.IN_PROGRESS
    assert latest_of_unit(db, UNIT)[task].status is expected


def test_both_in_one_merge_without_saved_times_both_rows_are_conflicts(returns) -> None:  # type: ignore[no-untyped-def]
    db, done, stale, task = returns
    _fill(done, ("已完成", 1), "已部署", None)
    _fill(stale, ("推进中", 0.5), "已部署", None)
    plan = preview_merge(db, [done, stale], on=ON)
    a, b = _rows(plan, done)[task], _rows(plan, stale)[task]
    assert a.outcome is Outcome.CONFLICT and b.outcome is Outcome.CONFLICT
    assert a.other == b.values.as_text() and b.other == a.values.as_text()
    assert apply_merge(db, plan).applied == 1  # the shared row only


def _cli(db_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "gxdesk", "--db", str(db_path), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        timeout=120,
    )


def test_cli_says_what_it_replaces_and_does_not_apply_the_conflict(returns) -> None:  # type: ignore[no-untyped-def]
    db, done, stale, task = returns
    _fill(done, ("已完成", 1), "已部署", LATE)
    _fill(stale, ("推进中", 0.5), "已部署", EARLY)
    db.close()
    first = _cli(db.path, "merge", str(done))
    assert first.returncode == 0, first.stderr
    before = file_sha(db.path)
    second = _cli(db.path, "merge", str(stale))
    assert second.returncode == 0, second.stderr
    assert "替换第 1 批合并的“回复_已完成.xlsx”" in second.stdout
    assert re.search(r"第\d+行\t冲突\t与第 1 批合并的同一导出文件", second.stdout)
    assert file_sha(db.path) == before  # nothing to write: the conflict waits for the window
    shown = json.loads(_cli(db.path, "merge", str(stale), "--json", "--dry-run").stdout)
    assert shown[0]["replaces"].startswith("同一次导出的第二份回收文件")
    assert shown[0]["conflicts"] == 1
    correction = _cli(db.path, "merge", str(done), str(stale), "--dry-run")
    assert "已于第 1 批合并过" in correction.stdout  # the same file again: a duplicate


def test_window_shows_both_returns_side_by_side_and_takes_one(qtbot, returns) -> None:  # type: ignore[no-untyped-def]
    from gxdesk.ui.merge_dialog import MergeDialog
    from gxdesk.ui.qt import Qt

    db, done, stale, task = returns
    _fill(done, ("已完成", 1), "已部署", None)
    _fill(stale, ("推进中", 0.5), "已部署", None)
    plan = preview_merge(db, [done, stale], on=ON)
    dialog = MergeDialog(plan)
    qtbot.addWidget(dialog)
    assert "无法判断哪份更晚保存" in dialog.second_returns.text()
    dialog.filter.setCurrentIndex(dialog.filter.findData(Outcome.CONFLICT.value))
    model = dialog.model
    assert model.rowCount() == 2
    dialog.table.selectRow(0)
    shown = dialog.detail.toPlainText()
    assert "本文件" in shown and "本批“回复_推进中.xlsx”" in shown
    assert "已完成" in shown and "推进中" in shown and "100%" in shown and "50%" in shown
    first, second = model.index(0, 6), model.index(1, 6)
    checked = Qt.CheckState.Checked.value
    assert model.setData(first, checked, Qt.ItemDataRole.CheckStateRole)
    assert model.setData(second, checked, Qt.ItemDataRole.CheckStateRole)
    assert dialog.taken_conflicts == {(1, model.line(1).row.row)}  # one return per row
    assert apply_merge(db, plan, take_conflicts=dialog.taken_conflicts).applied == 2
    assert latest_of_unit(db, UNIT)[task].status is Status.IN_PROGRESS
