"""The unit's fill-in window, offscreen, on real exported workbooks."""

from __future__ import annotations

from pathlib import Path

import pytest
import pytestqt  # noqa: F401  (a test dependency: without it these tests must fail, not vanish)
from exchange_helpers import ON, columns, data_rows, file_sha, make_db
from openpyxl import load_workbook

from gxdesk.exchange.unit_copy import backup_path, read_unit_copy
from gxdesk.ops.exchange import export_units

UNIT = "市财政局"


@pytest.fixture()
def workbook(tmp_path: Path) -> Path:
    db = make_db(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    files = {f.unit: f.path for f in export_units(db, out, on=ON)}
    db.close()
    return files[UNIT]


@pytest.fixture(autouse=True)
def no_modal_boxes(monkeypatch):  # type: ignore[no-untyped-def]
    """A question left unanswered would block the test run: every box answers 不保存."""
    from gxdesk.ui.qt import QtWidgets

    discard = QtWidgets.QMessageBox.StandardButton.Discard
    monkeypatch.setattr(QtWidgets.QMessageBox, "question", lambda *a, **k: discard)
    monkeypatch.setattr(QtWidgets.QMessageBox, "warning", lambda *a, **k: None)


@pytest.fixture()
def dialog(qtbot, workbook):  # type: ignore[no-untyped-def]
    from gxdesk.ui.jobs import JobRunner
    from gxdesk.ui.unit_fill_dialog import UnitFillDialog

    runner = JobRunner(synchronous=True)
    dlg = UnitFillDialog(read_unit_copy(workbook), runner.start)
    qtbot.addWidget(dlg)
    dlg.show()
    return dlg


def _cell(path: Path, key: str, header: str):  # type: ignore[no-untyped-def]
    ws = load_workbook(path).worksheets[0]
    return ws.cell(data_rows(ws)[key], columns(ws)[header]).value


def _answer(monkeypatch, button) -> list[str]:  # type: ignore[no-untyped-def]
    """Patch the question box: every question gets ``button``; the titles are recorded."""
    from gxdesk.ui.qt import QtWidgets

    asked: list[str] = []

    def question(_parent, title, *_a, **_k):  # type: ignore[no-untyped-def]
        asked.append(title)
        return button

    monkeypatch.setattr(QtWidgets.QMessageBox, "question", question)
    return asked


@pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
def test_edit_through_the_view_undo_and_save(qtbot, qtmodeltester, dialog, workbook) -> None:  # type: ignore[no-untyped-def]
    from gxdesk.ui.qt import Qt, QtWidgets
    from gxdesk.ui.unit_fill_model import column_of

    model, table = dialog.model, dialog.table
    qtmodeltester.check(model)
    key = f"T{model.copy.rows[0].key.task_id}"
    assert not model.flags(model.index(0, column_of("name"))) & Qt.ItemFlag.ItemIsEditable
    assert not model.flags(model.index(0, column_of("light"))) & Qt.ItemFlag.ItemIsEditable
    assert model.setData(model.index(0, column_of("name")), "改") is False

    # 进展状态 through its list editor
    status = model.index(0, column_of("status"))
    table.setCurrentIndex(status)
    table.edit(status)
    combo = table.viewport().findChild(QtWidgets.QComboBox)
    assert combo is not None and combo.count() == 6
    combo.setCurrentIndex(combo.findText("已完成"))
    qtbot.keyClick(combo, Qt.Key.Key_Return)  # the delegate commits on the next turn
    qtbot.waitUntil(lambda: model.data(status) == "已完成", timeout=3000)
    assert dialog.isWindowModified()

    # 进展情况 through its multi-line editor (Tab commits, Enter is a new line)
    text = model.index(0, column_of("text"))
    table.setCurrentIndex(text)
    table.edit(text)
    editor = table.viewport().findChild(QtWidgets.QPlainTextEdit)
    assert editor is not None
    editor.setPlainText("=已公开238件\n第二行")
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: model.data(text) == "=已公开238件\n第二行", timeout=3000)

    # Ctrl+Z / Ctrl+Y are the dialog's own
    dialog.undo_action.trigger()
    assert model.data(text) == ""
    dialog.redo_action.trigger()
    assert model.data(text) == "=已公开238件\n第二行"

    # a value that cannot be read is shown as a problem, then cleared with Delete
    done_on = model.index(1, column_of("done_on"))
    model.setData(done_on, "下月底")
    assert "完成时间" in model.data(model.index(1, column_of("check")))
    assert "第 " in dialog.summary.text() and "下月底" in dialog.summary.text()
    table.setCurrentIndex(done_on)
    table.selectionModel().select(done_on, table.selectionModel().SelectionFlag.ClearAndSelect)
    dialog.clear_selection()
    assert model.data(done_on) == "" and model.problem_count() == 0

    dialog.save()
    assert not dialog.isWindowModified()
    assert backup_path(workbook).exists()
    assert _cell(workbook, key, "进展状态") == "已完成"
    assert _cell(workbook, key, "进展情况") == "=已公开238件\n第二行"
    assert read_unit_copy(workbook).keys == model.copy.keys


@pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
def test_closing_with_unsaved_edits_asks(qtbot, dialog, workbook, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from gxdesk.ui.qt import QtWidgets
    from gxdesk.ui.unit_fill_model import column_of

    buttons = QtWidgets.QMessageBox.StandardButton
    model = dialog.model
    sha = file_sha(workbook)
    dialog.reject()  # nothing changed: closes without asking
    assert not dialog.isVisible()
    dialog.show()
    model.setData(model.index(0, column_of("percent")), 50)

    asked = _answer(monkeypatch, buttons.Cancel)
    dialog.reject()
    assert asked == ["保存修改？"] and dialog.isVisible() and file_sha(workbook) == sha

    _answer(monkeypatch, buttons.Discard)
    dialog.close()
    assert not dialog.isVisible() and file_sha(workbook) == sha

    dialog._closing = False
    dialog.show()
    _answer(monkeypatch, buttons.Save)
    dialog.reject()
    assert not dialog.isVisible() and file_sha(workbook) != sha
    key = f"T{model.copy.rows[0].key.task_id}"
    assert _cell(workbook, key, "完成进度%") == 0.5


@pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
def test_save_as_keeps_the_original_and_renders(
    qtbot, dialog, workbook, tmp_path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from gxdesk.ui.qt import QtWidgets
    from gxdesk.ui.unit_fill_model import column_of

    model = dialog.model
    sha = file_sha(workbook)
    model.setData(model.index(0, column_of("status")), "推进中")
    model.setData(model.index(0, column_of("phone")), "0755-1234567")
    target = tmp_path / "发回" / "财政局进展"
    target.parent.mkdir()
    monkeypatch.setattr(QtWidgets.QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    dialog.save_as()
    saved = target.with_suffix(".xlsx")
    assert file_sha(workbook) == sha and saved.exists()
    assert dialog.copy.path == saved and saved.name in dialog.info.text()
    key = f"T{model.copy.rows[0].key.task_id}"
    assert _cell(saved, key, "联系电话") == "0755-1234567"
    png = tmp_path / "unit-fill.png"
    assert dialog.grab().save(str(png)) and png.stat().st_size > 10_000


@pytest.fixture()
def window(qtbot, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    from ui_helpers import seed_copy

    from gxdesk.ui.app import build_window

    monkeypatch.setenv("GXDESK_HOME", str(tmp_path / "home"))
    _app, win = build_window(seed_copy(tmp_path), ON, remember=False)
    qtbot.addWidget(win)
    win.show()
    win.load()
    win.finish()
    yield win
    win.context.jobs.wait()
    win.context.db.close()


@pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
def test_the_file_menu_opens_a_units_workbook(
    window, qtbot, workbook, tmp_path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from gxdesk.ui.qt import QtWidgets
    from gxdesk.ui.unit_fill_actions import ACTION_TEXT, is_unit_workbook

    assert ACTION_TEXT in [a.text() for a in window.menu_file.actions()]
    actions = window.exchange.unit_fill
    monkeypatch.setattr(
        QtWidgets.QFileDialog, "getOpenFileName", lambda *a, **k: (str(workbook), "")
    )
    actions.ask_and_open()
    qtbot.waitUntil(lambda: bool(actions.dialogs), timeout=10000)
    (dialog,) = actions.dialogs
    assert dialog.isVisible() and dialog.model.rowCount() == len(dialog.copy.rows) > 0
    assert is_unit_workbook(workbook)

    warned: list[str] = []
    monkeypatch.setattr(
        QtWidgets.QMessageBox, "warning", lambda _p, _t, text, *a, **k: warned.append(text)
    )
    plan_like = tmp_path / "计划.xlsx"
    plan_like.write_bytes(b"not a workbook")
    assert not is_unit_workbook(plan_like)
    actions.open(plan_like)
    qtbot.waitUntil(lambda: bool(warned), timeout=10000)
    assert len(actions.dialogs) == 1
    dialog.close()
    assert not actions.dialogs
