"""The real main window, driven offscreen with pytest-qt."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

import pytest
from ui_helpers import OFFSCREEN_NOISE, ON, SEED_TEXT, seed_copy

from gxdesk.core.model import Light, Status
from gxdesk.store import queries
from gxdesk.ui.qt import QtCore, QtGui, QtWidgets

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)


@pytest.fixture
def db_path(tmp_path, monkeypatch):
    monkeypatch.setenv("GXDESK_HOME", str(tmp_path / "home"))
    return seed_copy(tmp_path)


@pytest.fixture
def window(qtbot, db_path, messages):
    from gxdesk.ui.app import build_window

    _app, win = build_window(db_path, ON, remember=False)
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.ready, timeout=20000):
        win.start()  # the real start-up: show, load on the next turn, wire the rest after
    yield win
    win.context.jobs.wait()
    win.context.db.close()


AUDIT = "财政预算执行和其它财政收支审计信息公开"  # 9月底前, 市审计局牵头: 黄灯 on 2014-09-30
SANGONG = "“三公”经费公开"  # both columns filled down from merged cells


def _task(window, name: str):
    for row in window.model.all_rows:
        if row.name == name:
            return row
    raise LookupError(name)


def _visible_row(window, task_id: int):
    return next(r for r in window.model.visible_rows if r.id == task_id)


def test_window_shows_plan_title_and_all_tasks(window):
    assert "2014年政府信息公开工作要点分解细化方案" in window.windowTitle()
    assert len(window.model.all_rows) == 34
    assert window.model.rowCount() == 34
    assert "共 34 项任务" in window.counts.text()
    assert window.tree.model_.rowCount(window.tree.model_.root_index()) == 8


def test_selecting_a_category_filters_the_table(window):
    cats = queries.categories(window.context.db, window.context.plan_id)
    third = cats[2]
    window.tree.setCurrentIndex(window.tree.model_.index_of(third.id))
    shown = window.model.visible_rows
    assert len(shown) == 3
    assert {r.category_id for r in shown} == {third.id}
    assert "显示 3 项" in window.counts.text()
    window.tree.setCurrentIndex(window.tree.model_.root_index())
    assert window.model.rowCount() == 34


def test_edit_a_task_name_and_undo_it(window, qtbot):
    task = _task(window, AUDIT)
    assert window.select_task(task.id)
    old = task.name
    with qtbot.waitSignal(window.context.changed):
        window.detail.name_edit.setText("审计结果信息公开")
        window.detail.name_edit.editingFinished.emit()
    assert _visible_row(window, task.id).name == "审计结果信息公开"
    with window.context.db.reading() as session:
        from gxdesk.store.schema import Assignment, Plan, Task

        t = session.get(Task, task.id)
        assert t.version == task.version + 1
        assert session.get(Plan, t.plan_id).revision == 2
        versions = {a.version for a in session.query(Assignment).filter_by(task_id=task.id)}
        assert versions == {2}
    window.context.undo_stack.undo()
    assert _visible_row(window, task.id).name == old
    assert window.detail.name_edit.text() == old
    window.context.undo_stack.redo()
    assert _visible_row(window, task.id).name == "审计结果信息公开"


def test_editing_the_deadline_reparses_it_live_and_on_save(window):
    task = _task(window, AUDIT)  # 9月底前 → yellow on 2014-09-30
    window.select_task(task.id)
    window.detail.deadline_edit.setText("11月底前")
    assert "2014年11月30日" in window.detail.deadline_info.text()
    assert "固定期限" in window.detail.deadline_info.text()
    window.detail.deadline_edit.editingFinished.emit()
    row = _visible_row(window, task.id)
    assert row.due == dt.date(2014, 11, 30)
    assert row.light is Light.GREEN
    window.context.undo_stack.undo()
    assert _visible_row(window, task.id).due == dt.date(2014, 9, 30)


def test_confirming_an_inferred_value(window):
    task = _task(window, SANGONG)  # “三公”经费公开: both columns filled from merged cells
    assert task.deadline_inferred and task.units_inferred
    window.select_task(task.id)
    assert window.detail.confirm_deadline.isVisibleTo(window.detail)
    window.detail.confirm_deadline.click()
    window.detail.confirm_units.click()
    row = _visible_row(window, task.id)
    assert not row.deadline_inferred and not row.units_inferred
    window.context.undo_stack.undo()
    window.context.undo_stack.undo()
    assert _visible_row(window, task.id).deadline_inferred


def test_a_progress_report_turns_the_light_green_and_undo_brings_it_back(window):
    task = _task(window, AUDIT)  # 市审计局牵头, 9月底前
    assert task.light is Light.YELLOW
    window.select_task(task.id)
    pane = window.detail
    assert pane.report_unit.count() == 1
    pane.report_status.setCurrentIndex(pane.report_status.findData(Status.DONE))
    pane.report_text.setPlainText("已在政府网站公开审计结果")
    assert pane.submit_report()
    row = _visible_row(window, task.id)
    assert row.status is Status.DONE
    assert row.light is Light.GREEN
    assert row.latest_text == "已在政府网站公开审计结果"
    assert pane.history_model.rowCount() == 1
    window.context.undo_stack.undo()
    assert _visible_row(window, task.id).light is Light.YELLOW
    assert pane.history_model.rowCount() == 0
    window.context.undo_stack.redo()
    assert _visible_row(window, task.id).light is Light.GREEN


def test_filter_by_unit_and_by_light(window):
    bar = window.filter_bar
    assert bar.select_unit("市财政局")
    shown = window.model.visible_rows
    # its own three tasks, plus those of 市级各部门, a group it belongs to (same as `tasks --unit`)
    own = {r.id for r in window.model.all_rows if "市财政局" in r.units_text}
    group = {r.id for r in window.model.all_rows if r.units_text == "市级各部门负责"}
    assert len(own) == 3 and group
    assert {r.id for r in shown} == own | group
    cli = queries.filter_by_unit(window.context.db, window.model.all_rows, "市财政局")
    assert [r.id for r in shown] == [r.id for r in cli]
    bar.reset()
    bar.light.setCurrentIndex(bar.light.findData(Light.RED))
    shown = window.model.visible_rows
    expected = [r for r in window.model.all_rows if r.light is Light.RED]
    assert expected and [r.id for r in shown] == [r.id for r in expected]
    bar.search.setText("保密")
    assert [r.name for r in window.model.visible_rows] == ["加强信息公开保密审查制度建设"]


def test_sorting_by_due_date_is_done_by_the_model(window):
    from gxdesk.ui.task_model import Column

    window.table.sortByColumn(Column.DUE, QtCore.Qt.SortOrder.AscendingOrder)
    dues = [r.due for r in window.model.visible_rows if r.due]
    assert dues == sorted(dues) and len(dues) > 10


def test_setting_today_changes_the_lights(window):
    task = _task(window, AUDIT)
    window.set_today(dt.date(2014, 10, 8))
    assert _visible_row(window, task.id).light is Light.RED
    assert "2014年10月8日" in window.today_label.text()


def _plans(window) -> int:
    return len(queries.plans(window.context.db))


def _wait_job(qtbot, window):
    job = window.file_actions.last_job
    assert job is not None
    qtbot.waitUntil(lambda: job.is_finished, timeout=20000)
    return job


def test_import_a_plan_through_the_menu_action(window, qtbot, monkeypatch):
    monkeypatch.setattr(
        QtWidgets.QFileDialog, "getOpenFileName", lambda *a, **k: (str(SEED_TEXT), "")
    )
    window.file_actions.import_plan.trigger()
    job = _wait_job(qtbot, window)
    assert job.outcome == "done"
    assert _plans(window) == 2
    assert window.context.plan_id == 2
    assert len(window.model.all_rows) == 34
    assert {r.plan_id for r in window.model.all_rows} == {2}


def test_import_a_plan_by_dropping_the_file(window, qtbot):
    mime = QtCore.QMimeData()
    mime.setUrls([QtCore.QUrl.fromLocalFile(str(SEED_TEXT))])
    pos = QtCore.QPointF(200, 200)
    enter = QtGui.QDragEnterEvent(
        pos.toPoint(),
        QtCore.Qt.DropAction.CopyAction,
        mime,
        QtCore.Qt.MouseButton.LeftButton,
        QtCore.Qt.KeyboardModifier.NoModifier,
    )
    window.dragEnterEvent(enter)
    assert enter.isAccepted()
    drop = QtGui.QDropEvent(
        pos,
        QtCore.Qt.DropAction.CopyAction,
        mime,
        QtCore.Qt.MouseButton.LeftButton,
        QtCore.Qt.KeyboardModifier.NoModifier,
    )
    window.dropEvent(drop)
    job = _wait_job(qtbot, window)
    assert job.outcome == "done"
    assert _plans(window) == 2


def test_a_dropped_file_of_another_kind_is_refused(window, tmp_path):
    other = tmp_path / "notes.pdf"
    other.write_bytes(b"%PDF-1.4")
    mime = QtCore.QMimeData()
    mime.setUrls([QtCore.QUrl.fromLocalFile(str(other))])
    enter = QtGui.QDragEnterEvent(
        QtCore.QPoint(10, 10),
        QtCore.Qt.DropAction.CopyAction,
        mime,
        QtCore.Qt.MouseButton.LeftButton,
        QtCore.Qt.KeyboardModifier.NoModifier,
    )
    window.dragEnterEvent(enter)
    assert not enter.isAccepted()


def test_cancel_from_the_progress_dialog_leaves_the_database_unchanged(
    window, qtbot, db_path, monkeypatch
):
    import gxdesk.exchange.plan_reader as reader

    gate = threading.Event()
    real = reader.read_plan

    def slow_read(path, *args, **kwargs):
        gate.wait(20)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(reader, "read_plan", slow_read)
    before = Path(db_path).read_bytes()
    job = window.file_actions.start_import(SEED_TEXT)
    qtbot.waitUntil(lambda: job.dialog is not None and job.dialog.isVisible(), timeout=5000)
    cancel = job.dialog.findChild(QtWidgets.QPushButton)
    assert cancel.text() == "取消"
    cancel.click()
    gate.set()
    qtbot.waitUntil(lambda: job.is_finished, timeout=20000)
    assert job.outcome == "cancelled"
    assert Path(db_path).read_bytes() == before
    assert _plans(window) == 1


def test_cancel_during_the_write_rolls_it_back(window, qtbot, db_path, monkeypatch):
    import gxdesk.store.plans as plans

    real = plans.save_plan

    def save_then_cancel(session, draft, **kwargs):
        result = real(session, draft, **kwargs)
        window.file_actions.last_job.cancel()  # the clerk presses 取消 while writing
        return result

    monkeypatch.setattr(plans, "save_plan", save_then_cancel)
    before = Path(db_path).read_bytes()
    window.file_actions.start_import(SEED_TEXT)
    job = _wait_job(qtbot, window)
    assert job.outcome == "cancelled"
    assert Path(db_path).read_bytes() == before


def test_a_bad_plan_file_reports_why(window, qtbot, tmp_path, messages):
    bad = tmp_path / "empty.xlsx"
    bad.write_bytes(b"not a zip at all")
    window.file_actions.start_import(bad)
    job = _wait_job(qtbot, window)
    assert job.outcome == "failed"
    assert messages and messages[-1][0] == "warning"
    assert _plans(window) == 1


def test_category_add_rename_and_reorder_are_undoable(window, monkeypatch):
    tree, actions = window.tree, window.category_actions
    monkeypatch.setattr(
        QtWidgets.QInputDialog, "getText", lambda *a, **k: ("推进政务公开平台建设", True)
    )
    actions.add.trigger()
    assert tree.model_.rowCount(tree.model_.root_index()) == 9
    first = tree.model_.category_ids()[0]
    tree.select_category(first)
    actions.move_current(1)
    assert tree.model_.category_ids()[1] == first
    window.context.undo_stack.undo()
    assert tree.model_.category_ids()[0] == first
    window.context.undo_stack.undo()
    assert tree.model_.rowCount(tree.model_.root_index()) == 8
    tree.select_category(first)
    actions.rename.trigger()
    assert tree.currentIndex().data().endswith("、推进政务公开平台建设")
    window.context.undo_stack.undo()
    assert not tree.model_.index_of(first).data().endswith("推进政务公开平台建设")


def test_the_window_shows_before_anything_that_writes_is_wired(qtbot, db_path):
    """Step 1 builds only the views; load() fills them; finish() adds the commands."""
    from gxdesk.ui.app import build_window

    _app, win = build_window(db_path, ON, remember=False)
    qtbot.addWidget(win)
    win.show()
    assert win.detail is None and win.file_actions is None
    assert win.menu_file.isEmpty() and win.menu_edit.isEmpty()
    win.load()
    assert win.model.rowCount() == 34
    assert win.filter_bar.unit.count() > 1  # the units came with the data
    win.select_task(win.model.task_at(0).id)  # a click before the commands are wired
    win.finish()
    win.finish()  # once only
    assert win.detail is not None and win.splitter.widget(2) is win.detail
    assert win.detail.task is not None and win.detail.task.id == win.current_task_id()
    texts = [a.text() for a in win.menu_file.actions()]
    assert texts[0] == "打开数据库…" and texts[-1] == "退出" and texts.count("退出") == 1
    win.context.db.close()


def test_detail_keeps_a_recurring_deadline_within_the_plan_year(window):
    from gxdesk.ui.detail import describe_deadline

    window.context.on = dt.date(2026, 11, 26)
    assert "2014年12月31日" in describe_deadline(window.context, "每季度")
    window.context.on = dt.date(2014, 5, 6)
    assert "2014年6月30日" in describe_deadline(window.context, "每季度")


def test_detail_and_task_list_explain_a_missing_issue_date_alike(window):
    """The deadline's explanation has one home (core.deadlines.explain_due): the list's
    note and the detail pane's preview word a plan without an issue date the same way."""
    from gxdesk.core.deadlines import NO_ISSUE_DATE
    from gxdesk.store.changes import TaskEdit
    from gxdesk.store.edits import edit_task, set_plan_issued
    from gxdesk.ui.detail import describe_deadline

    db = window.context.db
    task = _task(window, AUDIT)
    with db.transaction() as s:
        set_plan_issued(s, task.plan_id, None)
        edit_task(s, task.id, TaskEdit(deadline_text="印发后15个工作日内"))
    window.context.reload_plan()
    rows = queries.list_tasks(db, task.plan_id, on=ON)
    row = next(r for r in rows if r.id == task.id)
    assert row.due is None and row.due_note == NO_ISSUE_DATE
    assert describe_deadline(window.context, "印发后15个工作日内").endswith(" · " + NO_ISSUE_DATE)
