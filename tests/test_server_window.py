"""The window on a server: 文件 → 连接服务器数据库…, and another clerk's merge seen while open."""

from __future__ import annotations

from pathlib import Path

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


@pytest.fixture()
def unit_window(qtbot, tmp_path, monkeypatch, pg_server, pg_url):  # type: ignore[no-untyped-def]
    """The window opened by 市审计局's own login (``gxdesk --db postgresql://audit@…``)."""
    import uuid

    from ui_helpers import ON

    from gxdesk.ui.app import build_window
    from gxdesk.ui.qt import QtWidgets

    audit = f"audit_{uuid.uuid4().hex[:6]}"
    pg_server.add_login(audit, "audit-口令-4")
    ok(pg_url, "import-plan", "data/plan2014-table.txt", "--issued", "2014-09-26")
    ok(pg_url, "grant-unit", audit, "市审计局")
    monkeypatch.setenv("GXDESK_HOME", str(tmp_path / "home"))
    shown: list[tuple[str, str]] = []
    for kind in ("warning", "information", "critical"):
        monkeypatch.setattr(
            QtWidgets.QMessageBox, kind, lambda _p, title, text, *a, **k: shown.append((title, text))
        )
    _app, win = build_window(pg_server.url(pg_url.rsplit("/", 1)[1], audit), ON, remember=False)
    qtbot.addWidget(win)
    win.show()
    win.load()
    win.finish()
    qtbot.waitUntil(lambda: win.server.account_checked, timeout=15000)
    win.shown_messages = shown
    win.admin_url = pg_url
    yield win
    win.server.timer.stop()
    win.context.jobs.wait()
    win.context.db.close()


def _status(url: str, task_id: int) -> str:
    import psycopg

    with psycopg.connect(url) as conn:
        return str(conn.execute("SELECT status FROM task WHERE id = %s", (task_id,)).fetchone()[0])


def test_a_units_login_reports_in_the_window_and_may_do_nothing_else(unit_window, qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from gxdesk.core.model import Status

    win = unit_window
    assert win.context.account_unit == "市审计局"
    rows = [win.model.task_at(r) for r in range(win.model.rowCount())]
    assert rows and all("审计" in r.units_text or "各部门" in r.units_text for r in rows)
    # what only the lead office may do is not offered
    lead_only = win.server.lead_only()
    texts = {a.text() for a in lead_only}
    assert {"导入工作要点…", "导出各单位进展表…", "合并回收的进展表…", "单位与分组…"} <= texts
    assert not any(a.isEnabled() for a in lead_only)
    # its own task: the report lands, the status follows (kept by the server)
    own = next(r for r in rows if r.name.startswith("财政预算执行"))
    win.select_task(own.id)
    pane = win.detail
    assert [pane.report_unit.itemText(i) for i in range(pane.report_unit.count())] == [
        "市审计局（牵头）"]  # fmt: skip
    pane.report_status.setCurrentIndex(pane.report_status.findData(Status.DONE))
    pane.report_text.setPlainText("审计结果公告已在网站发布")
    assert pane.submit_report()
    assert _status(win.admin_url, own.id) == "已完成"
    assert next(win.model.task_at(r) for r in range(win.model.rowCount())
                if win.model.task_at(r).id == own.id).status is Status.DONE  # fmt: skip
    # a task shared through 市级各部门: only its own unit offered among the group's members
    shared = next(r for r in rows if "各部门" in r.units_text)
    win.select_task(shared.id)
    assert [pane.report_unit.itemText(i) for i in range(pane.report_unit.count())] == [
        "市审计局（市级各部门成员）"]  # fmt: skip
    assert not win.shown_messages
    # and when a lead-only action is reached anyway, the server refuses: one Chinese line
    before = _status(win.admin_url, shared.id)
    win.select_task(own.id)
    pane.name_edit.setText("改了任务名称")
    pane._commit_name()
    out = tmp_path / "out"
    out.mkdir()
    win.exchange.run_export_units(out)
    win.context.jobs.wait()
    job = win.file_actions.start_import(Path("data/plan2014-table.txt"), as_new=True)
    win.context.jobs.wait()
    qtbot.waitUntil(lambda: len(win.shown_messages) >= 3 and job.is_finished, timeout=15000)
    for title, text in win.shown_messages:
        assert "\n" not in text and "Traceback" not in text, text
        assert "本账号无此权限" in text, (title, text)
    assert _status(win.admin_url, shared.id) == before
    assert not list(out.iterdir())


def test_the_server_address_is_remembered_without_the_password(window, qtbot, pg_server, pg_url, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from pg_helpers import ADMIN, ADMIN_PASSWORD
    from ui_helpers import ON, seed_copy

    from gxdesk.paths import user_data_dir
    from gxdesk.ui.app import build_window

    ok(pg_url, "import-plan", "data/plan2014-table.txt", "--issued", "2014-09-26")
    address = pg_url  # postgresql://gxadmin@127.0.0.1:port/db
    typed = address.replace(f"{ADMIN}@", f"{ADMIN}:{ADMIN_PASSWORD}@")
    window.server.connect_to(typed)  # the clerk typed the password into the address
    window.context.jobs.wait()
    qtbot.waitUntil(lambda: window.context.db.is_server, timeout=15000)
    assert window.model.rowCount() == 34
    settings = user_data_dir() / "settings.ini"
    text = settings.read_text(encoding="utf-8")
    assert ADMIN_PASSWORD not in text and "admin-" not in text  # nor percent-encoded: no trace
    assert "127.0.0.1" in text
    # a new window on the same settings: the address is offered, and 最近打开 reconnects
    window.server.timer.stop()
    (tmp_path / "again").mkdir()
    _app, again = build_window(seed_copy(tmp_path / "again"), ON, remember=False)
    qtbot.addWidget(again)
    again.show()
    again.load()
    again.finish()
    try:
        assert again.file_actions.state.last_server() == address
        recent = [a for a in again.file_actions.recent_menu.actions() if a.text() == address]
        assert len(recent) == 1
        assert not again.context.db.is_server
        recent[0].trigger()
        again.context.jobs.wait()
        qtbot.waitUntil(lambda: again.context.db.is_server, timeout=15000)
        assert again.context.db.label == address.removeprefix("postgresql://")
        assert again.model.rowCount() == 34
    finally:
        again.server.timer.stop()
        again.context.jobs.wait()
        again.context.db.close()


def test_a_password_typed_into_an_address_is_taken_out() -> None:
    from gxdesk.store.server.address import split_password

    assert split_password("postgresql://li:秘密@db.example:5432/gx2014") == (
        "postgresql://li@db.example:5432/gx2014", "秘密")  # fmt: skip
    assert split_password("postgresql://li:a%40b@h/gx?sslmode=require&password=x") == (
        "postgresql://li@h/gx?sslmode=require", "a@b")  # fmt: skip
    assert split_password("postgresql://h/gx?password=p1&sslmode=verify-full") == (
        "postgresql://h/gx?sslmode=verify-full", "p1")  # fmt: skip
    assert split_password("postgresql://li@h:5432/gx") == ("postgresql://li@h:5432/gx", None)
