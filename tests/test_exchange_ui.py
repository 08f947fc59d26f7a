"""The merge preview dialog and the menu actions, offscreen."""

from __future__ import annotations

from pathlib import Path

import pytest
import pytestqt  # noqa: F401  (a test dependency: without it these tests must fail, not vanish)
from exchange_helpers import ON, columns, data_rows, make_db, open_for_edit

from gxdesk.ops.exchange import export_units, preview_merge
from gxdesk.store.merge import Outcome


@pytest.fixture()
def plan(tmp_path: Path):  # type: ignore[no-untyped-def]
    db = make_db(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    files = {f.unit: f.path for f in export_units(db, out, on=ON)}
    path = files["市审计局"]
    wb = open_for_edit(path)
    ws = wb.worksheets[0]
    cols, rows = columns(ws), data_rows(ws)
    keys = list(rows)
    ws.cell(rows[keys[0]], cols["进展状态"]).value = "已完成"
    ws.cell(rows[keys[1]], cols["进展状态"]).value = "已完成"
    ws.cell(rows[keys[2]], cols["完成时间"]).value = "下月底"
    wb.save(path)
    with db.transaction() as s:
        s.connection().exec_driver_sql(
            f"UPDATE task SET version = version + 1 WHERE id = {keys[1][1:]}"
        )
    bad = out / "坏.xlsx"
    bad.write_bytes(b"not a workbook")
    result = preview_merge(db, [path, bad], on=ON)
    yield result
    db.close()


def test_preview_lists_rows_filters_and_takes_conflicts(qtbot, qtmodeltester, plan) -> None:  # type: ignore[no-untyped-def]
    from gxdesk.ui.merge_dialog import MergeDialog
    from gxdesk.ui.qt import Qt

    dialog = MergeDialog(plan)
    qtbot.addWidget(dialog)
    model = dialog.model
    qtmodeltester.check(model)
    total = sum(len(f.rows) for f in plan.files if not f.error) + len(plan.refused)
    assert model.rowCount() == total
    dialog.filter.setCurrentIndex(dialog.filter.findData(Outcome.CONFLICT.value))
    assert model.rowCount() == 1
    index = model.index(0, 6)
    assert model.flags(index) & Qt.ItemFlag.ItemIsUserCheckable
    assert model.setData(index, Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    assert dialog.taken_conflicts == {(0, model.line(0).row.row)}
    dialog.table.selectRow(0)
    assert "导出时" in dialog.detail.toHtml()
    dialog.filter.setCurrentIndex(dialog.filter.findData("error"))
    assert model.rowCount() == 1 and model.data(model.index(0, 0)) == "坏.xlsx"
    dialog.filter.setCurrentIndex(dialog.filter.findData(Outcome.INVALID.value))
    assert model.rowCount() == 1 and "K" in model.data(model.index(0, 5))
    dialog.filter.setCurrentIndex(dialog.filter.findData(Outcome.APPLIED.value))
    dialog.table.selectRow(0)
    shown = dialog.detail.toPlainText()  # every column that would be written
    for header in ("进展状态", "完成进度%", "进展情况", "完成时间", "佐证材料", "联系电话"):
        assert header in shown
    assert "已完成" in shown


@pytest.fixture()
def window(qtbot, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    from ui_helpers import seed_copy

    from gxdesk.ui.app import build_window
    from gxdesk.ui.qt import QtWidgets

    monkeypatch.setenv("GXDESK_HOME", str(tmp_path / "home"))
    shown: list[tuple[str, str]] = []  # (title, text) of boxes that would have been shown
    for kind in ("warning", "information", "critical", "question"):
        monkeypatch.setattr(
            QtWidgets.QMessageBox,
            kind,
            lambda _parent, title, text, *a, **k: shown.append((title, text)),
        )
    _app, win = build_window(seed_copy(tmp_path), ON, remember=False)
    qtbot.addWidget(win)
    win.show()
    win.load()
    win.finish()  # wires the actions that write (the window does this on its second turn)
    win.shown_messages = shown
    yield win
    win.context.jobs.wait()
    win.context.db.close()


@pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
def test_menu_actions_export_and_merge_through_the_window(window, qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from gxdesk.store import queries

    texts = [a.text() for a in window.menu_file.actions()]
    for wanted in ("导出各单位进展表…", "合并回收的进展表…", "导出台账…"):
        assert wanted in texts
    actions = window.exchange
    folder = tmp_path / "out"
    folder.mkdir()
    actions.run_export_units(folder)
    window.context.jobs.wait()
    qtbot.waitUntil(lambda: len(list(folder.glob("*.xlsx"))) > 10, timeout=10000)
    qtbot.waitUntil(lambda: bool(window.shown_messages), timeout=10000)
    title, text = window.shown_messages[0]  # the seed's 具有行政处罚权… group has no members yet
    assert title == "有任务没有单位填报" and "行政处罚信息公开" in text
    path = next(folder.glob("*市审计局*.xlsx"))
    wb = open_for_edit(path)
    ws = wb.worksheets[0]
    cols, rows = columns(ws), data_rows(ws)
    key = next(iter(rows))
    ws.cell(rows[key], cols["进展状态"]).value = "已完成"
    wb.save(path)
    db = window.context.db
    plan = preview_merge(db, [path], on=ON)
    changed = []
    window.context.changed.connect(changed.append)
    actions.apply(plan, set())
    window.context.jobs.wait()
    qtbot.waitUntil(lambda: bool(changed), timeout=10000)
    assert int(key[1:]) in changed[0].tasks
    latest = queries.latest_progress(db, [int(key[1:])])[int(key[1:])]
    assert any(p.unit == "市审计局" and p.status.value == "已完成" for p in latest)


@pytest.fixture()
def started(qtbot, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    """The real window, started as the program starts it (ready once every command is wired)."""
    from ui_helpers import seed_copy

    from gxdesk.ui.app import build_window
    from gxdesk.ui.qt import QtWidgets

    monkeypatch.setenv("GXDESK_HOME", str(tmp_path / "home"))
    shown: list[str] = []
    for kind in ("warning", "information", "critical", "question"):
        monkeypatch.setattr(QtWidgets.QMessageBox, kind, lambda *a, **k: shown.append(a[2]))
    _app, win = build_window(seed_copy(tmp_path), ON, remember=False)
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.ready, timeout=20000):
        win.start()
    win.shown_messages = shown
    yield win
    win.context.jobs.wait()
    win.context.db.close()


def _action(window, text: str):  # type: ignore[no-untyped-def]
    from gxdesk.ui.qt import QtGui

    return next(a for a in window.findChildren(QtGui.QAction) if a.text().startswith(text))


@pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
def test_a_merge_batch_is_undone_and_redone_in_the_window(started, qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from gxdesk.store import queries
    from gxdesk.store.merge import batches

    window = started
    context = window.context
    db = context.db
    out = tmp_path / "out"
    out.mkdir()
    path = next(f.path for f in export_units(db, out, on=ON) if f.unit == "市审计局")
    wb = open_for_edit(path)
    ws = wb.worksheets[0]
    cols, rows = columns(ws), data_rows(ws)
    key = next(iter(rows))
    task_id = int(key[1:])
    ws.cell(rows[key], cols["进展状态"]).value = "已完成"
    wb.save(path)

    def audit_latest():  # type: ignore[no-untyped-def]
        views = queries.latest_progress(db, [task_id]).get(task_id, [])
        return [p for p in views if p.unit == "市审计局"]

    changed: list = []
    context.changed.connect(changed.append)
    window.exchange.apply(preview_merge(db, [path], on=ON), set())
    qtbot.waitUntil(lambda: context.undo_stack.count() == 1, timeout=10000)
    assert audit_latest()[0].status.value == "已完成"
    assert preview_merge(db, [path], on=ON).files[0].duplicate_of is not None
    assert task_id in changed[-1].tasks

    undo, redo = _action(window, "撤销"), _action(window, "重做")
    changed.clear()
    undo.trigger()  # Ctrl+Z
    assert not audit_latest()  # withdrawn, and kept as history:
    with db.raw() as conn:
        kept = conn.execute(
            "SELECT withdrawn FROM progress WHERE task_id = ? AND source_file = ?",
            (task_id, path.name),
        ).fetchall()
    assert kept == [(1,)]
    assert batches(db)[0].undone_at is not None
    assert changed and task_id in changed[-1].tasks  # the table refreshes from this
    again = preview_merge(db, [path], on=ON)  # the ledger follows: mergeable again
    assert again.files[0].duplicate_of is None and again.counts()["applied"] == 1

    changed.clear()
    redo.trigger()
    assert audit_latest()[0].status.value == "已完成"
    assert batches(db)[0].undone_at is None
    assert preview_merge(db, [path], on=ON).files[0].duplicate_of == batches(db)[0].id
    assert changed and task_id in changed[-1].tasks
    assert not window.shown_messages


def _drop(window, paths: list[Path]) -> bool:  # type: ignore[no-untyped-def]
    from gxdesk.ui.qt import QtCore, QtGui

    mime = QtCore.QMimeData()
    mime.setUrls([QtCore.QUrl.fromLocalFile(str(p)) for p in paths])
    args = (
        QtCore.Qt.DropAction.CopyAction,
        mime,
        QtCore.Qt.MouseButton.LeftButton,
        QtCore.Qt.KeyboardModifier.NoModifier,
    )
    enter = QtGui.QDragEnterEvent(QtCore.QPoint(200, 200), *args)
    window.dragEnterEvent(enter)
    if enter.isAccepted():
        window.dropEvent(QtGui.QDropEvent(QtCore.QPointF(200, 200), *args))
    return enter.isAccepted()


@pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
def test_dropped_workbooks_go_to_merge_or_to_filling(window, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "out"
    out.mkdir()
    files = sorted(f.path for f in export_units(window.context.db, out, on=ON))[:3]
    merged: list[list[Path]] = []
    filled: list[Path] = []
    monkeypatch.setattr(window.exchange, "preview", merged.append)
    monkeypatch.setattr(window.exchange.unit_fill, "open", filled.append)

    assert _drop(window, files)  # several returned workbooks: the lead office merges them
    assert merged == [files]

    answers = iter([False, True])  # the clerk picks 合并进台账, then 打开填报
    monkeypatch.setattr(type(window), "_wants_to_fill", lambda self, path: next(answers))
    assert _drop(window, files[:1]) and merged[-1] == files[:1]
    assert _drop(window, files[:1]) and filled == files[:1]

    notes = tmp_path / "notes.pdf"
    notes.write_bytes(b"%PDF-1.4")
    assert not _drop(window, [notes, files[0]])  # one unreadable kind refuses the drop
    assert len(merged) == 2 and len(filled) == 1


@pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
def test_a_large_folder_shows_progress_cancels_cleanly_then_merges(
    started, qtbot, tmp_path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """合并回收的进展表 on a folder of 150 files, as the clerk does it: the progress dialog
    appears and counts files; 取消 stops the reading with no message, no preview and
    the database untouched; run again, the preview is accepted and one batch lands."""
    import hashlib
    import shutil

    from gxdesk.store.merge import batches
    from gxdesk.ui import jobs
    from gxdesk.ui.merge_dialog import MergeDialog
    from gxdesk.ui.qt import QtCore, QtWidgets

    window = started
    context = window.context
    db = context.db
    out = tmp_path / "回收"
    out.mkdir()
    filled = sorted(f.path for f in export_units(db, out, on=ON))
    for i, path in enumerate(filled):
        wb = open_for_edit(path)
        ws = wb.worksheets[0]
        cols, rows = columns(ws), data_rows(ws)
        ws.cell(rows[next(iter(rows))], cols["进展状态"]).value = "推进中"
        ws.cell(rows[next(iter(rows))], cols["进展情况"]).value = f"第{i}份回复"
        wb.save(path)
    copies = out / "重复发来的"  # the same replies mailed again, under other names
    copies.mkdir()
    while len(list(copies.glob("*.xlsx"))) + len(filled) < 150:
        n = len(list(copies.glob("*.xlsx")))
        shutil.copy(filled[n % len(filled)], copies / f"副本{n:03d}.xlsx")
    folders = [out, copies]

    def db_sha() -> str:
        return hashlib.sha256(db.path.read_bytes()).hexdigest()

    before = db_sha()
    previews: list[MergeDialog] = []

    def accept(dialog: MergeDialog) -> QtWidgets.QDialog.DialogCode:
        previews.append(dialog)
        return QtWidgets.QDialog.DialogCode.Accepted

    monkeypatch.setattr(MergeDialog, "exec", accept)
    monkeypatch.setattr(jobs, "DIALOG_DELAY_MS", 0)

    window.exchange.preview(folders)
    job = context.jobs.active[-1]
    qtbot.waitUntil(lambda: job.dialog is not None, timeout=10000)
    dialog = job.dialog
    assert dialog.windowTitle() == "读取回收的进展表"
    qtbot.waitUntil(lambda: dialog.maximum() == 150 and dialog.value() > 0, timeout=10000)
    cancel = next(b for b in dialog.findChildren(QtWidgets.QPushButton) if b.text() == "取消")
    qtbot.mouseClick(cancel, QtCore.Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: job.is_finished, timeout=20000)
    assert job.outcome == "cancelled"
    assert not window.shown_messages  # a cancel is not an error
    assert not previews and db_sha() == before and not batches(db)

    window.exchange.preview(folders)
    qtbot.waitUntil(lambda: bool(batches(db)), timeout=60000)
    context.jobs.wait()
    assert len(previews) == 1 and not window.shown_messages
    batch = batches(db)[0]
    assert batch.files == len(filled) and batch.reports == len(filled)  # copies: no twice
