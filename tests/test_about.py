"""帮助 → 关于 and the window title: the facts a clerk reads off for support."""

from __future__ import annotations

import pytest
from ui_helpers import OFFSCREEN_NOISE, ON, seed_copy

from gxdesk import __version__
from gxdesk.ops.about import about_lines, font_licences
from gxdesk.ui.main_window import APP_TITLE, window_title
from gxdesk.ui.qt import QtCore, QtWidgets

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)


def test_every_bundled_font_licence_file_is_listed(tmp_path):
    (tmp_path / "LICENSE-a.txt").write_text(
        "Noto Sans CJK SC — NotoSansCJK.ttc\nLicensed under the SIL Open Font License 1.1.\n",
        encoding="utf-8",
    )
    (tmp_path / "LICENSE-b.txt").write_text("Some Font\n\nfree text\n", encoding="utf-8")
    (tmp_path / "LICENSE-c.txt").write_text(
        "AR PL SungtiL GB\nCopyright (C) 1999\n\nARPHIC PUBLIC LICENSE\n\nEveryone is permitted\n",
        encoding="utf-8",
    )
    (tmp_path / "font.ttf").write_bytes(b"")
    found = font_licences(tmp_path)
    assert [(f.font, f.licence) for f in found] == [
        ("Noto Sans CJK SC — NotoSansCJK.ttc", "SIL Open Font License 1.1"),
        ("Some Font", "见许可文件全文"),
        ("AR PL SungtiL GB", "ARPHIC PUBLIC LICENSE"),
    ]


def test_the_shipped_font_is_wenquanyi_under_apache():
    [wqy] = [f for f in font_licences() if f.path.name == "LICENSE-wqy-microhei.txt"]
    assert "WenQuanYi Micro Hei" in wqy.font
    assert wqy.licence == "Apache License, Version 2.0"
    assert "Apache License" in wqy.text


def test_about_names_version_data_folder_and_database(tmp_path, monkeypatch):
    monkeypatch.setenv("GXDESK_HOME", str(tmp_path / "home"))
    db = tmp_path / "ledger.sqlite"
    lines = dict(about_lines(db))
    assert lines["版本"] == f"gxdesk {__version__}"
    assert lines["数据文件夹"] == str(tmp_path / "home")
    assert lines["当前数据库"] == str(db)
    assert lines["字体"]  # one line per bundled font licence (the last one kept here)


def test_window_title_names_the_program_once_at_the_end():
    assert window_title("2014年方案", "gxdesk.sqlite") == f"2014年方案 [gxdesk.sqlite] — {APP_TITLE}"
    assert window_title(None, "") == f"（尚无计划） — {APP_TITLE}"


def test_help_about_opens_the_dialog_from_the_menu(qtbot, tmp_path, monkeypatch, messages):
    from gxdesk.ui.app import build_window

    monkeypatch.setenv("GXDESK_HOME", str(tmp_path / "home"))
    db = seed_copy(tmp_path)
    _app, win = build_window(db, ON, remember=False)
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.ready, timeout=20000):
        win.start()
    assert win.windowTitle().count(APP_TITLE) == 1
    [about] = [a for a in win.menu_help.actions() if a.text() == "关于…"]
    seen: dict[str, object] = {}

    def read_and_close() -> None:
        dialog = QtWidgets.QApplication.activeModalWidget()
        seen["values"] = dialog.values
        seen["licence"] = dialog.licence_text.toPlainText()
        dialog.grab().save(str(tmp_path / "about.png"))
        dialog.reject()

    QtCore.QTimer.singleShot(100, read_and_close)
    about.trigger()
    values = seen["values"]
    assert values["当前数据库"] == [str(db)]
    assert values["版本"] == [f"gxdesk {__version__}"]
    assert "LICENSE-wqy-microhei.txt" in seen["licence"]
    assert (tmp_path / "about.png").stat().st_size > 5000
    win.context.jobs.wait()
    win.context.db.close()
