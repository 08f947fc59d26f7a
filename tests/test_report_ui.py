"""The 报告 menu in the real window: the report made off the GUI thread, previewed, printed;
the notices written and shown in the task's history."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import pytest
from report_helpers import SEED_REPORTS, enter_reports, pdf_text
from ui_helpers import OFFSCREEN_NOISE

pytest.importorskip("pytestqt")
# The offscreen platform warns about every top-level window it shows.
pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)

ON = dt.date(2014, 10, 24)


@pytest.fixture()
def started(qtbot, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    from ui_helpers import seed_copy

    from gxdesk.store.database import open_database
    from gxdesk.ui.app import build_window
    from gxdesk.ui.qt import QtWidgets

    monkeypatch.setenv("GXDESK_HOME", str(tmp_path / "home"))
    shown: list[str] = []
    for kind in ("warning", "information", "critical", "question"):
        monkeypatch.setattr(QtWidgets.QMessageBox, kind, lambda *a, **k: shown.append(a[2]))
    path = seed_copy(tmp_path)
    db = open_database(path)
    enter_reports(db, SEED_REPORTS)
    db.close()
    _app, win = build_window(path, ON, remember=False)
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.ready, timeout=20000):
        win.start()
    win.shown_messages = shown
    yield win
    win.context.jobs.wait()
    win.context.db.close()


def _pages(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    return int(next(x for x in info.splitlines() if x.startswith("Pages:")).split()[-1])


def _ink(image) -> int:  # type: ignore[no-untyped-def]
    """Dark pixels on a sampled grid: a rendered page has text, a blank one has none."""
    dark = 0
    for y in range(0, image.height(), 4):
        for x in range(0, image.width(), 4):
            if image.pixelColor(x, y).lightness() < 128:
                dark += 1
    return dark


def test_monthly_report_is_previewed_saved_and_printed(started, qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from gxdesk.ui.qt import QtGui, print_support

    menu = started.reports.menu
    assert [a.text() for a in menu.actions()] == ["月报…", "催办通知…", "发文设置…"]
    bar = [a.text() for a in started.menuBar().actions()]
    assert bar.index("报告(&R)") == bar.index("设置(&S)") - 1
    started.reports.make_report("2014-10")
    qtbot.waitUntil(lambda: started.reports.preview is not None, timeout=60000)
    preview = started.reports.preview
    qtbot.addWidget(preview)
    count = _pages(preview.path)
    assert preview.page_box.maximum() == count > 3
    first = preview.page_image()
    assert first is not None and first.width() > 500 and _ink(first) > 200
    preview.show_page(count - 1)  # the landscape annex
    last = preview.page_image()
    assert last.width() > last.height() and preview.page_box.value() == count
    assert "截至2014年10月24日" in pdf_text(preview.path)

    saved = tmp_path / "saved.pdf"
    preview.save_to(saved)
    assert saved.read_bytes() == preview.path.read_bytes()

    ps = print_support()
    printer = ps.QPrinter(ps.QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(ps.QPrinter.OutputFormat.PdfFormat)
    printed = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(printed))
    printer.setPageSize(QtGui.QPageSize(QtGui.QPageSize.PageSizeId.A4))
    printer.setResolution(100)
    preview.print_to(printer)
    started.context.jobs.wait()
    qtbot.waitUntil(lambda: printed.exists() and printed.stat().st_size > 10000, timeout=60000)
    assert _pages(printed) == count
    preview.close()


def test_notices_from_the_window_show_in_the_task_history(started, qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "notices"
    changed = []
    started.context.changed.connect(changed.append)
    started.reports.make_reminders(folder, "docx")
    started.context.jobs.wait()
    qtbot.waitUntil(lambda: bool(changed), timeout=60000)
    files = list(folder.glob("*.docx"))
    assert len(files) >= 2 and "已生成催办通知单" in started.shown_messages[-1]
    task_id = 3  # 6月底前, 市级各部门: overdue for every member unit
    assert task_id in changed[0].tasks
    started.detail.show_task(task_id)
    assert not started.detail.chases.isHidden()
    text = started.detail.chases.text()
    assert "催办记录" in text and "市财政局" in text and "催办〔2014〕" in text
    started.detail.show_task(9)  # done in September: never chased
    assert started.detail.chases.isHidden()


def test_office_settings_are_printed(started, qtbot) -> None:  # type: ignore[no-untyped-def]
    from gxdesk.core.documents import OfficeInfo
    from gxdesk.store.office import office_info

    started.reports.save_office(OfficeInfo("某市政府办公室", "张三", "0771-1234567", 3))
    started.context.jobs.wait()
    qtbot.waitUntil(lambda: office_info(started.context.db).contact == "张三", timeout=10000)
    assert office_info(started.context.db).reply_workdays == 3
