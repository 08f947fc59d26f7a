"""设置 → 工作日历…: a plan in a year the calendar package does not know, entered in the window."""

from __future__ import annotations

import datetime as dt

import pytest
from ui_helpers import OFFSCREEN_NOISE

from gxdesk.core.workdays import DayOverride
from gxdesk.store.calendar import EnteredYear, entered_year, entered_years, replace_year
from gxdesk.ui.qt import QtCore, QtGui

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)

# The seed's layout, a year later than chinese_calendar knows (it ships 2004–2026).
PLAN_2027 = (
    "2027年政府信息公开工作要点分解方案\n"
    "\t类别\n\t工作任务\n\t工作要求\n\t完成时限\n\t责任单位\n\n"
    "\t一、推进公开\n\t预算公开\n\t公开预算。\n\t文件下发6个工作日内\n\t市财政局牵头\n\n"
    "\t\n\t决算公开\n\t公开决算。\n\t3月底前\n\t市财政局牵头\n"
)
ISSUED = dt.date(2027, 9, 24)  # a Friday
ON = dt.date(2027, 9, 24)
# By hand: Sat 9-25 off; Sun 9-26 调休 (1); 9-27 … 9-30 (2–5); 10-1 … 10-7 国庆 off;
# Fri 10-8 (6). Without the 调休 Sunday it would be Mon 10-11; with weekends only, 10-4.
DUE = dt.date(2027, 10, 8)


@pytest.fixture
def db_path(tmp_path, monkeypatch):
    from gxdesk.core.plan import build_plan
    from gxdesk.exchange.plan_reader import read_plan
    from gxdesk.store.database import open_database
    from gxdesk.store.plans import save_plan

    monkeypatch.setenv("GXDESK_HOME", str(tmp_path / "home"))
    text = tmp_path / "plan2027.txt"
    text.write_text(PLAN_2027, encoding="utf-8")
    path = tmp_path / "ledger2027.sqlite"
    db = open_database(path)
    with db.transaction() as session:
        save_plan(session, build_plan(read_plan(text), issued=ISSUED))
    db.close()
    return path


@pytest.fixture
def window(qtbot, db_path, messages):
    from gxdesk.ui.app import build_window

    _app, win = build_window(db_path, ON, remember=False)
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.ready, timeout=20000):
        win.start()
    yield win
    win.context.jobs.wait()
    win.context.db.close()


def _budget(window):
    return next(r for r in window.model.all_rows if r.name == "预算公开")


def _due_cell(window):
    from gxdesk.ui.task_model import Column

    row = window.model.row_of(_budget(window).id)
    return window.model.index(row, Column.DUE)


def _open_dialog(window):
    window.calendar_action.trigger()
    dialog = window.calendar_dialog
    assert dialog is not None and dialog.isVisible()
    return dialog


def _add(dialog, first: dt.date, last: dt.date, working: bool, note: str) -> bool:
    dialog.first.setDate(QtCore.QDate(first))
    dialog.last.setDate(QtCore.QDate(last))
    dialog.kind.setCurrentIndex(dialog.kind.findData(working))
    dialog.note.setText(note)
    return dialog.add_days()


def test_an_unknown_year_shows_no_due_date_and_says_where_to_enter_it(window):
    row = _budget(window)
    assert row.due is None
    assert window.model.all_rows[1].due == dt.date(2027, 3, 31)  # a fixed date needs no calendar
    cell = _due_cell(window)
    assert cell.data() == "待录入日历"
    tip = cell.data(QtCore.Qt.ItemDataRole.ToolTipRole)
    assert "2027年的放假调休安排未知" in tip and "设置 → 工作日历…" in tip
    notice = window.calendar_notice
    assert notice is not None and notice.isVisibleTo(window)
    assert "1 项任务没有截止日期" in notice.text() and "2027年" in notice.text()
    assert "设置 → 工作日历…" in notice.text()
    window.select_task(row.id)
    assert "设置 → 工作日历…" in window.detail.deadline_info.text()


def test_entering_the_year_gives_the_due_date_and_undo_takes_it_back(window, messages):
    dialog = _open_dialog(window)
    assert dialog.year == 2027  # opened on the year the plan lacks
    assert "未知" in dialog.state.text()
    assert "已录入：无" in dialog.known.text()
    assert not dialog.save_button.isEnabled()
    assert _add(dialog, dt.date(2027, 10, 1), dt.date(2027, 10, 7), False, "国庆节")
    assert _add(dialog, dt.date(2027, 9, 26), dt.date(2027, 9, 26), True, "国庆节调休")
    assert dialog.days.rowCount() == 8
    assert dialog.days.index(0, 1).data() == "上班"
    assert dialog.days.index(0, 0).data() == "2027年9月26日 周日"
    # the month grid shows the year as it will be
    assert dialog.grid.mark(dt.date(2027, 9, 26)) is True  # 班
    assert dialog.grid.mark(dt.date(2027, 10, 4)) is False  # 休 on a Monday
    assert dialog.grid.mark(dt.date(2027, 10, 2)) is False  # a Saturday inside the holiday
    assert dialog.grid.mark(dt.date(2027, 10, 9)) is None  # an ordinary Saturday
    assert "有未保存的修改" in dialog.pending.text() and dialog.save_button.isEnabled()
    dialog.save_button.click()
    assert not messages
    assert window.calendar_dialog is None or not window.calendar_dialog.isVisible()

    assert _budget(window).due == DUE
    assert _due_cell(window).data() == "2027年10月8日"
    assert not window.calendar_notice.isVisibleTo(window)
    with window.context.db.reading() as session:
        assert entered_years(session) == [2027]
        assert len(entered_year(session, 2027).days) == 8
    assert window.context.calendar.knows(2027)

    window.context.undo_stack.undo()  # Ctrl+Z: the year is unknown again
    assert _budget(window).due is None
    assert window.calendar_notice.isVisibleTo(window)
    with window.context.db.reading() as session:
        assert entered_years(session) == []
        assert entered_year(session, 2027) is None
    window.context.undo_stack.redo()
    assert _budget(window).due == DUE

    dialog = _open_dialog(window)  # now known, with what was entered
    assert "已知" in dialog.state.text() and "2027年" in dialog.known.text()
    assert dialog.days.rowCount() == 8
    dialog.reject()


def test_the_undo_shortcut_reaches_the_calendar_entry(window, qtbot):
    dialog = _open_dialog(window)
    _add(dialog, dt.date(2027, 10, 1), dt.date(2027, 10, 7), False, "国庆节")
    _add(dialog, dt.date(2027, 9, 26), dt.date(2027, 9, 26), True, "")
    assert dialog.save()
    assert _budget(window).due == DUE
    undo = next(a for a in window.menu_edit.actions() if a.text().startswith("撤销"))
    assert "录入2027年工作日历" in undo.text()
    assert QtGui.QKeySequence("Ctrl+Z") in undo.shortcuts()
    undo.trigger()
    assert _budget(window).due is None


def test_the_dialog_refuses_a_date_outside_the_year_and_a_day_both_off_and_on(window, messages):
    dialog = _open_dialog(window)
    assert not _add(dialog, dt.date(2028, 1, 1), dt.date(2028, 1, 1), False, "元旦")
    assert messages[-1][0] == "warning"
    assert "2028年1月1日不在2027年内" in messages[-1][1]
    assert not _add(dialog, dt.date(2026, 12, 31), dt.date(2027, 1, 2), False, "元旦")
    assert "2026年12月31日不在2027年内" in messages[-1][1]
    assert _add(dialog, dt.date(2027, 10, 1), dt.date(2027, 10, 7), False, "国庆节")
    assert not _add(dialog, dt.date(2027, 10, 3), dt.date(2027, 10, 3), True, "")
    assert "2027年10月3日已录入为“休息”，不能同时录入为“上班”" in messages[-1][1]
    assert not _add(dialog, dt.date(2027, 10, 7), dt.date(2027, 10, 1), False, "")
    assert "早于开始日期" in messages[-1][1]
    assert dialog.days.rowCount() == 7
    dialog.day_list.selectRow(0)
    dialog.remove_selected()
    assert dialog.days.rowCount() == 6
    assert _add(dialog, dt.date(2027, 10, 1), dt.date(2027, 10, 1), True, "")  # freed: allowed


def test_a_built_in_year_is_shown_not_edited(window):
    dialog = _open_dialog(window)
    dialog.year_box.setValue(2014)
    assert dialog.year == 2014 and dialog.built_in
    assert "已知" in dialog.state.text() and "内置" in dialog.state.text()
    assert not dialog.add_box.isEnabled() and not dialog.remove_button.isEnabled()
    days = {o.day: o for o in dialog.days.days}
    assert days[dt.date(2014, 10, 1)] == DayOverride(dt.date(2014, 10, 1), False, "国庆节")
    assert days[dt.date(2014, 9, 28)].is_workday  # the 调休 Sunday before 国庆
    assert dialog.grid.mark(dt.date(2014, 9, 28)) is True
    assert dialog.grid.mark(dt.date(2014, 10, 7)) is False
    assert not _add(dialog, dt.date(2014, 5, 5), dt.date(2014, 5, 5), False, "")
    dialog.reject()


def test_switching_year_with_unsaved_entries_asks_first(window, messages):
    dialog = _open_dialog(window)
    _add(dialog, dt.date(2027, 10, 1), dt.date(2027, 10, 7), False, "国庆节")
    dialog.year_box.setValue(2028)
    assert messages[-1][0] == "question" and "尚未保存" in messages[-1][1]
    assert dialog.year == 2028 and dialog.days.rowCount() == 0  # answered 是: discarded
    dialog.reject()


def test_day_list_model_passes_the_model_tester(window, qtmodeltester):
    dialog = _open_dialog(window)
    _add(dialog, dt.date(2027, 10, 1), dt.date(2027, 10, 7), False, "国庆节")
    qtmodeltester.check(dialog.days)
    dialog.reject()


def test_replace_year_returns_what_it_replaced(db_path):
    from gxdesk.store.database import open_database

    db = open_database(db_path)
    first = EnteredYear(2027, (DayOverride(dt.date(2027, 1, 1), False, "元旦"),), "通知一")
    second = EnteredYear(2027, (DayOverride(dt.date(2027, 10, 1), False, "国庆节"),), "通知二")
    with db.transaction() as session:
        assert replace_year(session, 2027, first) is None
    with db.transaction() as session:
        assert replace_year(session, 2027, second) == first
    with db.transaction() as session:
        assert replace_year(session, 2027, first) == second
    with db.transaction() as session:
        assert replace_year(session, 2027, None) == first
    with db.reading() as session:
        assert entered_years(session) == [] and entered_year(session, 2027) is None
    with db.transaction() as session, pytest.raises(ValueError, match="2028"):
        replace_year(session, 2028, first)
    db.close()
