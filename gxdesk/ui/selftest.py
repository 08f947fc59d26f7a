"""The self-test's window check: the main window renders offscreen in the bundled font.

Kept in ``ui`` because it needs Qt; :mod:`gxdesk.ops.selftest` holds the rest.
Run in a process whose QApplication does not exist yet: it selects the
offscreen platform, so it works on a PC with no display (CI, a Windows service
account) and shows nothing on a clerk's screen.
"""

from __future__ import annotations

import os
from pathlib import Path

from gxdesk.ops.selftest import SEED_DAY

#: Characters that must come out of the bundled font, not as boxes.
SAMPLE = "政务公开工作台账红灯"
SIZE = (1280, 800)


def qt_versions(_work: Path) -> str:
    from gxdesk.ui.qt import PYSIDE_VERSION, QtCore

    return f"Qt {QtCore.qVersion()}, PySide6 {PYSIDE_VERSION}"


def render_window(work: Path) -> str:
    """Render the main window on the seed copy to ``work/window.png`` and look at it."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from gxdesk.paths import resource
    from gxdesk.ui.app import _quiet_offscreen, build_window
    from gxdesk.ui.main_window import splitter_sizes
    from gxdesk.ui.qt import QtWidgets
    from gxdesk.ui.resources import FONT_FILE

    if os.environ["QT_QPA_PLATFORM"] == "offscreen":
        _quiet_offscreen()
    app, window = build_window(work / "seed.sqlite", SEED_DAY, remember=False)
    try:
        font_file = resource(*FONT_FILE)
        family = QtWidgets.QApplication.font().family()
        if family not in _families_of(font_file):
            raise RuntimeError(f"未使用随附字体（{font_file.name}），当前字体：{family}")
        if len(_glyph_images(QtWidgets.QApplication.font())) != len(set(SAMPLE)):
            raise RuntimeError(f"中文显示为方框（字体 {family}）")
        window.resize(*SIZE)
        window.splitter.setSizes(splitter_sizes(SIZE[0]))
        window.show()
        window.load()
        window.finish()
        for _ in range(3):
            app.processEvents()
        rows = window.model.rowCount()
        image = window.grab().toImage()
        out = work / "window.png"
        image.save(str(out), "PNG")
    finally:
        window.close()
        window.context.db.close()
    colours = {image.pixel(x, y) for x in range(0, image.width(), 9) for y in range(0, image.height(), 9)}
    if rows == 0:
        raise RuntimeError("主窗口任务表为空")
    if len(colours) < 20:
        raise RuntimeError("主窗口渲染为空白")
    return f"{family}，{rows} 行任务，{image.width()}×{image.height()}，{len(colours)} 种颜色"


def _glyph_images(font: object) -> set[bytes]:
    """Each sample character drawn alone; missing glyphs all draw the same box.

    (``QFontMetrics.inFont`` is no help here: it says no for half of the CJK
    block of the bundled .ttc, which draws them all.)
    """
    from gxdesk.ui.qt import QtCore, QtGui

    out = set()
    for ch in set(SAMPLE):
        image = QtGui.QImage(48, 48, QtGui.QImage.Format.Format_Grayscale8)
        image.fill(255)
        p = QtGui.QPainter(image)
        f = QtGui.QFont(font)  # type: ignore[call-overload]
        f.setPixelSize(32)
        p.setFont(f)
        p.drawText(image.rect(), QtCore.Qt.AlignmentFlag.AlignCenter, ch)
        p.end()
        out.add(bytes(image.constBits()))
    return out


def _families_of(font_file: Path) -> list[str]:
    from gxdesk.ui.qt import QtGui

    font_id = QtGui.QFontDatabase.addApplicationFont(str(font_file))
    return QtGui.QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
