"""Tests that need a fresh process: start-up imports, no system fonts, the screenshot CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

from ui_helpers import ROOT, seed_copy


def _run(code: str, tmp_path, **env_extra) -> subprocess.CompletedProcess:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", GXDESK_HOME=str(tmp_path / "home"))
    env.update(env_extra)
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_start_up_shows_the_data_before_sqlalchemy_and_wires_the_rest_after(tmp_path):
    """The real sequence of ``window.start()``, watched from a fresh process.

    The moment the table first paints its 34 rows, neither SQLAlchemy nor the
    Word, Excel or PDF libraries may be imported; once ``ready`` fired, an edit
    and its undo go through the real detail pane.
    """
    db = seed_copy(tmp_path)
    result = _run(
        f"""
        import json, sys, datetime
        from gxdesk.ui.app import build_window
        from gxdesk.ui.qt import QtCore

        HEAVY = ("sqlalchemy", "openpyxl", "reportlab", "docx")

        def heavy():
            return sorted({{m.split(".")[0] for m in sys.modules}} & set(HEAVY))

        app, w = build_window({str(db)!r}, datetime.date(2014, 9, 30), remember=False)
        seen = {{"at_build": heavy()}}

        class FirstPaint(QtCore.QObject):
            def eventFilter(self, obj, event):
                if (event.type() == QtCore.QEvent.Type.Paint and "painted" not in seen
                        and w.model.rowCount() == 34 and w.isVisible()):
                    seen["painted"] = heavy()
                    seen["detail_at_paint"] = w.detail is not None
                return False

        watcher = FirstPaint()
        w.table.viewport().installEventFilter(watcher)

        def ready():
            seen["ready"] = heavy()
            task = w.model.task_at(0)
            w.select_task(task.id)
            w.detail.name_edit.setText("改过的任务名称")
            w.detail.name_edit.editingFinished.emit()
            seen["edited"] = w.model.task_at(0).name
            w.context.undo_stack.undo()
            seen["undone"] = w.model.task_at(0).name == task.name
            app.quit()

        w.ready.connect(ready)
        w.start()
        QtCore.QTimer.singleShot(20000, app.quit)
        app.exec()
        w.context.db.close()
        print(json.dumps(seen))
        """,
        tmp_path,
    )
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["at_build"] == []
    assert seen["painted"] == [], seen  # the rows were on screen before any of these
    assert seen["detail_at_paint"] is False
    assert seen["ready"] == ["sqlalchemy"], seen  # the ORM came after, and only the ORM
    assert seen["edited"] == "改过的任务名称"
    assert seen["undone"] is True


def test_chinese_shows_with_no_system_fonts_at_all(tmp_path):
    """An empty fontconfig: only the bundled font can draw CJK. Checked on the pixels."""
    conf = tmp_path / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd">'
        f"<fontconfig><cachedir>{tmp_path / 'fc-cache'}</cachedir></fontconfig>",
        encoding="utf-8",
    )
    result = _run(
        """
        import json
        from gxdesk.ui.qt import QtGui, QtWidgets, Qt
        app = QtWidgets.QApplication([])
        system = sorted(QtGui.QFontDatabase.families())

        def render(text):
            label = QtWidgets.QLabel(text)
            label.setFont(app.font())
            label.setStyleSheet("background: white; color: black")
            label.resize(80, 60)
            image = label.grab().toImage().convertToFormat(QtGui.QImage.Format.Format_RGB32)
            ink = {(x, y) for y in range(image.height()) for x in range(image.width())
                   if QtGui.QColor(image.pixel(x, y)).lightness() < 128}
            return ink

        before = [render(ch) for ch in "政务"]  # negative control: no CJK font yet
        from gxdesk.ui.resources import install_font
        family = install_font(app)
        glyphs = {ch: render(ch) for ch in "政务公开"}
        tofu = render("\\uffff")
        print(json.dumps({
            "system": system, "family": family,
            "control_same": before[0] == before[1],
            "ink": {ch: len(v) for ch, v in glyphs.items()}, "tofu": len(tofu),
            "distinct": len({frozenset(v) for v in glyphs.values()}),
            "differs_from_tofu": all(v != tofu for v in glyphs.values()),
        }))
        """,
        tmp_path,
        FONTCONFIG_FILE=str(conf),
        QT_LOGGING_RULES="*.warning=false",
    )
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout.strip().splitlines()[-1])
    # only fontconfig's generic aliases, no real font file was visible
    assert set(found["system"]) <= {"Monospace", "Sans Serif", "Serif", "Sans"}, found
    assert found["control_same"], found  # without our font, two characters drew alike
    assert found["family"].startswith("WenQuanYi")
    assert all(n > 15 for n in found["ink"].values()), found  # each character drew something
    assert found["distinct"] == 4, found  # four different shapes, not four identical boxes
    assert found["differs_from_tofu"], found


def test_many_label_set_text_calls_do_not_abort(tmp_path):
    """PySide6 6.12.0 on CPython 3.11 aborted ("none_dealloc") after many None returns."""
    result = _run(
        """
        from gxdesk.ui.qt import QtWidgets
        app = QtWidgets.QApplication([])
        label = QtWidgets.QLabel()
        for i in range(100_000):
            label.setText(f"第{i}项")
        print(label.text())
        """,
        tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "第99999项"


def test_gui_screenshot_renders_a_png_and_exits_zero(tmp_path):
    db = seed_copy(tmp_path)
    out = tmp_path / "shot.png"
    env = dict(os.environ, GXDESK_HOME=str(tmp_path / "home"))
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "gxdesk",
            "--db",
            str(db),
            "gui",
            "--on",
            "2014-09-30",
            "--screenshot",
            str(out),
            "--size",
            "1280x720",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    from gxdesk.ui.qt import QtGui

    image = QtGui.QImage(str(out))
    assert (image.width(), image.height()) == (1280, 720)
