"""The window when the database fails under an edit: a message, nothing applied,
the undo stack where the data is."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from ui_helpers import OFFSCREEN_NOISE, ON, seed_copy

from gxdesk.store.changes import TaskEdit
from gxdesk.store.edits import edit_task
from gxdesk.ui.commands import DatabaseFailure, SymmetricCommand, push

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)


@pytest.fixture
def win(qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    from gxdesk.ui.app import build_window

    monkeypatch.setenv("GXDESK_HOME", str(tmp_path / "home"))
    _app, window = build_window(seed_copy(tmp_path), ON, remember=False)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.ready, timeout=20000):
        window.start()
    yield window
    window.context.jobs.wait()
    window.context.db.close()


def _names(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return [r[0] for r in conn.execute("SELECT name FROM task ORDER BY id")]
    finally:
        conn.close()


def _rename(win, name: str) -> SymmetricCommand:  # type: ignore[no-untyped-def]
    task_id = win.model.task_at(0).id
    return SymmetricCommand(win.context, "改名", edit_task, [task_id], TaskEdit(name=name))


def test_an_edit_on_a_moved_file_is_refused_and_creates_nothing(win, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = win.context.db.path
    moved = tmp_path / "moved.sqlite"
    path.rename(moved)
    with pytest.raises(DatabaseFailure, match="移走"):
        push(win.context, _rename(win, "不应写入"))
    assert win.context.undo_stack.count() == 0
    assert not path.exists()
    assert "不应写入" not in _names(moved)


def test_an_edit_on_a_locked_file_shows_why_and_is_not_applied(win, messages) -> None:  # type: ignore[no-untyped-def]
    path = win.context.db.path
    before = _names(path)
    other = sqlite3.connect(path, isolation_level=None)  # another program is writing
    other.execute("BEGIN IMMEDIATE")
    try:
        win.select_task(win.model.task_at(0).id)
        assert win.detail._edit(TaskEdit(name="被锁时的修改"), "改名") is False
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert any("无法保存" in text and "占用" in text for _kind, text in messages), messages
    assert win.context.undo_stack.count() == 0
    assert _names(path) == before


def test_a_failed_undo_leaves_the_stack_where_the_data_is(win, messages, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = win.context.db.path
    push(win.context, _rename(win, "第一次修改"))
    stack = win.context.undo_stack
    assert (stack.count(), stack.index()) == (1, 1)
    # the file replaced under the window (a copy put back over it by a sync tool)
    copy = tmp_path / "copy.sqlite"
    shutil.copyfile(path, copy)
    copy.replace(path)
    stack.undo()
    qtbot.waitUntil(lambda: bool(messages), timeout=5000)
    assert "无法撤销" in messages[0][1] and "替换" in messages[0][1]
    assert stack.index() == 1 and stack.canUndo()  # still "applied", as the data is
    assert _names(path)[0] == "第一次修改"


def test_an_export_while_another_program_writes_says_why_in_chinese(win, messages, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = win.context.db.path
    folder = tmp_path / "units"
    folder.mkdir()
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # holds the write lock past the busy timeout
    try:
        win.exchange.run_export_units(folder)
        qtbot.waitUntil(lambda: bool(messages), timeout=30000)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert "操作失败" in messages[0][1] and "占用" in messages[0][1], messages
    assert "locked" not in messages[0][1]
    assert list(folder.iterdir()) == []  # no workbook whose export id was never recorded


def test_a_disk_failure_reaching_the_event_loop_is_a_message(win, messages, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import sys

    from gxdesk.ui.single_writer import install_failure_hook

    passed_on: list[BaseException] = []
    monkeypatch.setattr(sys, "excepthook", lambda kind, exc, tb: passed_on.append(exc))
    install_failure_hook(win)
    try:
        sqlite3.connect(f"file:{win.context.db.path}.moved?mode=rw", uri=True)
    except sqlite3.OperationalError as exc:
        sys.excepthook(type(exc), exc, exc.__traceback__)
    assert messages and "无法打开数据库文件" in messages[0][1]
    bug = ZeroDivisionError("a bug")
    sys.excepthook(ZeroDivisionError, bug, None)
    assert passed_on == [bug]  # not hidden behind a message
