"""The window's side of the one-writer rule, another program's changes, and 文件 → 恢复…."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from ui_helpers import OFFSCREEN_NOISE, ON, seed_copy

from gxdesk.store.backups import rotating_backup
from gxdesk.store.changes import TaskEdit
from gxdesk.store.edits import edit_task
from gxdesk.store.lock import lock_holder, lock_path
from gxdesk.store.processes import host_name
from gxdesk.ui.commands import DatabaseFailure, SymmetricCommand, push
from gxdesk.ui.single_writer import AlreadyOpen, raise_request

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)


def _window(qtbot, path: Path, **kw):  # type: ignore[no-untyped-def]
    from gxdesk.ui.app import build_window

    _app, window = build_window(path, ON, remember=False, **kw)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.ready, timeout=20000):
        window.start()
    return window


def _close(window) -> None:  # type: ignore[no-untyped-def]
    window.context.jobs.wait()
    window.context.db.close()


@pytest.fixture
def path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("GXDESK_HOME", str(tmp_path / "home"))
    return seed_copy(tmp_path)


def _first_name(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT name FROM task ORDER BY id LIMIT 1").fetchone()[0]
    finally:
        conn.close()


@pytest.mark.qt_log_ignore(OFFSCREEN_NOISE, "This plugin does not support raise")
def test_a_second_start_on_this_pc_raises_the_first_window(qtbot, path: Path) -> None:  # type: ignore[no-untyped-def]
    first = _window(qtbot, path, single_writer=True)
    try:
        holder = lock_holder(path)
        assert holder is not None and holder.kind == "window" and holder.host == host_name()
        from gxdesk.ui.app import build_window

        with pytest.raises(AlreadyOpen):
            build_window(path, ON, remember=False, single_writer=True)
        assert raise_request(path).exists()
        first.watcher.poll()
        assert first.watcher.raised == 1 and not raise_request(path).exists()
    finally:
        _close(first)
    assert not lock_path(path).exists()


def test_another_pcs_lock_offers_read_only(qtbot, path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from gxdesk.ui.qt import QtWidgets

    lock_path(path).write_text(
        '{"host": "PC-BANGONGSHI", "pid": 77, "user": "li", "since": "2026-12-07T08:05:00",'
        ' "kind": "window"}',
        encoding="utf-8",
    )
    shown: list[str] = []

    def answer(box) -> int:  # type: ignore[no-untyped-def]
        shown.append(box.text())
        next(b for b in box.buttons() if b.text() == "只读打开").click()
        return 0

    monkeypatch.setattr(QtWidgets.QMessageBox, "exec", answer)
    window = _window(qtbot, path, single_writer=True)
    try:
        assert shown and "数据正被 PC-BANGONGSHI 使用（自 08:05 起" in shown[0]
        assert window.context.db.read_only
        before = _first_name(path)
        task_id = window.model.task_at(0).id
        with pytest.raises(DatabaseFailure, match="只读"):
            push(window.context, SymmetricCommand(
                window.context, "改名", edit_task, [task_id], TaskEdit(name="不应写入")
            ))
        assert _first_name(path) == before
        assert lock_holder(path).host == "PC-BANGONGSHI"  # type: ignore[union-attr]
    finally:
        _close(window)


def test_the_window_notices_another_programs_change(qtbot, path: Path) -> None:  # type: ignore[no-untyped-def]
    window = _window(qtbot, path)
    try:
        assert window.watcher.poll() is False
        task_id = window.model.task_at(0).id
        push(window.context, SymmetricCommand(
            window.context, "改名", edit_task, [task_id], TaskEdit(name="本窗口改的")
        ))
        assert window.watcher.poll() is False  # our own change is not "another program's"
        conn = sqlite3.connect(path)
        conn.execute("UPDATE task SET name = '另一个程序改的' WHERE id = ?", (task_id,))
        conn.commit()
        conn.close()
        assert window.watcher.poll() is True
        assert window.model.task_at(0).name == "另一个程序改的"
        assert window.context.undo_stack.count() == 0  # decided on data no longer there
    finally:
        _close(window)


def test_restore_lists_the_backups_and_brings_one_back(qtbot, path: Path, messages, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    original = _first_name(path)
    rotating_backup(path, "import")
    conn = sqlite3.connect(path)
    conn.execute("UPDATE task SET name = '合并后的名称' WHERE id = (SELECT min(id) FROM task)")
    conn.commit()
    conn.close()
    rotating_backup(path, "merge")
    window = _window(qtbot, path)
    try:
        dialog = window.file_actions.restore_dialog()
        qtbot.addWidget(dialog)
        table = dialog.table
        assert table.rowCount() == 2
        rows = [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(2)]
        assert [r[1] for r in rows] == ["合并前", "导入计划前"]  # newest first
        assert all("34 项任务" in r[3] and r[4] == "sha256" for r in rows)
        dialog.resize(900, 300)
        dialog.show()
        shot = Path(os.environ.get("GXDESK_SHOT_DIR", tmp_path)) / "restore-dialog.png"
        assert dialog.grab().save(str(shot))
        dialog.select_row(1)
        dialog._take_selected()
        assert dialog.chosen is not None and ".import-" in dialog.chosen.name
        assert window.file_actions.restore_from(dialog.chosen)
        assert _first_name(window.context.db.path) == original
        assert window.model.task_at(0).name == original
    finally:
        _close(window)


def test_a_damaged_file_is_kept_aside_and_the_newest_good_backup_offered(qtbot, path: Path, messages) -> None:  # type: ignore[no-untyped-def]
    original = _first_name(path)
    rotating_backup(path, "merge")
    conn = sqlite3.connect(path)
    page = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'assignment'").fetchone()[0]
    conn.close()
    data = bytearray(path.read_bytes())
    data[(root - 1) * page : root * page] = b"\x5a" * page
    path.write_bytes(bytes(data))
    damaged = bytes(data)
    window = _window(qtbot, path, single_writer=True)
    try:
        assert messages and "已损坏" in messages[0][1] and "合并前" in messages[0][1]
        kept = list(path.parent.glob(f"{path.name}.corrupt-*"))
        assert kept and kept[0].read_bytes() == damaged  # kept as it was, byte for byte
        assert window.model.rowCount() == 34
        assert _first_name(path) == original
    finally:
        _close(window)
