"""The window on a server: 文件 → 连接服务器数据库…, and another clerk's merge seen while open."""

from __future__ import annotations

import pytest
from test_server_workflow import fill, ok

pytestmark = [pytest.mark.pg, pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")]


@pytest.fixture()
def window(qtbot, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    from ui_helpers import ON, seed_copy

    from gxdesk.ui.app import build_window
    from gxdesk.ui.qt import QtWidgets

    monkeypatch.setenv("GXDESK_HOME", str(tmp_path / "home"))
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(
        QtWidgets.QMessageBox, "warning", lambda _p, title, text, *a, **k: shown.append((title, text))
    )
    _app, win = build_window(seed_copy(tmp_path), ON, remember=False)
    qtbot.addWidget(win)
    win.show()
    win.load()
    win.finish()
    win.shown_messages = shown
    yield win
    win.server.timer.stop()
    win.context.jobs.wait()
    win.context.db.close()


def test_connect_to_a_server_and_see_another_clerks_merge(window, qtbot, pg_url, tmp_path) -> None:  # type: ignore[no-untyped-def]
    ok(pg_url, "import-plan", "data/plan2014-table.txt", "--issued", "2014-09-26")
    texts = [a.text() for a in window.menu_file.actions()]
    assert "连接服务器数据库…" in texts
    assert texts.index("连接服务器数据库…") == texts.index("新建空数据库…") + 1
    window.server.connect_to(pg_url)
    window.context.jobs.wait()
    qtbot.waitUntil(lambda: window.context.db.is_server, timeout=15000)
    from gxdesk.ui.main_window import window_title

    where = pg_url.removeprefix("postgresql://")  # user@127.0.0.1:port/dbname, no password in it
    assert window.context.db.label == where
    assert window.windowTitle() == window_title(window.context.plan.title, where)
    assert window.model.rowCount() == 34
    qtbot.waitUntil(lambda: window.server.seen is not None, timeout=10000)
    out = tmp_path / "out"
    out.mkdir()
    ok(pg_url, "export-units", str(out), "--unit", "市审计局")
    path = next(out.glob("*.xlsx"))
    fill(path, "已完成", "另一位同事合并的进展")
    first = window.model.task_at(0).id
    window.select_task(first)
    ok(pg_url, "merge", str(path))  # another clerk, another program
    window.server.poll()
    qtbot.waitUntil(
        lambda: any("另一位同事合并的进展" in (window.model.task_at(r).latest_text or "")
                    for r in range(window.model.rowCount())),
        timeout=15000,
    )  # fmt: skip
    assert window.current_task_id() == first  # the selection survived the refresh
    assert not window.shown_messages


def test_unreachable_server_is_one_message_and_the_file_stays(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    from pg_helpers import _free_port

    before = window.context.db
    window.server.connect_to(f"postgresql://gx@127.0.0.1:{_free_port()}/gx")
    window.context.jobs.wait()
    qtbot.waitUntil(lambda: bool(window.shown_messages), timeout=15000)
    title, text = window.shown_messages[0]
    assert title == "无法连接服务器数据库" and "无法连接数据库服务器" in text and "\n" not in text
    assert window.context.db is before and not before.is_server
