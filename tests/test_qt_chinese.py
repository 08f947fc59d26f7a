"""Qt's own dialogs speak Chinese: the non-native file dialog clerks on Kylin/UOS see.

Rendered in a fresh process, started the way the program starts (the system
locale is prepared before the QApplication exists), then every label, button,
header and cell of the dialog is read back and the picture is saved.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap

import pytest
from ui_helpers import ROOT

from gxdesk.ui.resources import CHINESE_LOCALE, prefer_chinese_system_locale

DIALOG = """
import json, sys
from gxdesk.ui.app import _application
from gxdesk.ui.resources import install_font, install_translations
from gxdesk.ui.qt import QtCore, QtGui, QtWidgets

folder, png = sys.argv[1], sys.argv[2]
app = _application()
install_font(app)
install_translations(app)
d = QtWidgets.QFileDialog(None, "选择回收的进展表", folder, "Excel 工作簿 (*.xlsx);;所有文件 (*)")
d.setOption(QtWidgets.QFileDialog.Option.DontUseNativeDialog)
d.setViewMode(QtWidgets.QFileDialog.ViewMode.Detail)
d.resize(900, 420)
d.show()
view = d.findChild(QtWidgets.QTreeView)
model = view.model()
timer = QtCore.QElapsedTimer()
timer.start()
while timer.elapsed() < 15000:
    app.processEvents()
    root = view.rootIndex()
    if model.rowCount(root) == 2 and model.data(model.index(0, 3, root)):
        break
    QtCore.QThread.msleep(20)
texts = []
for w in d.findChildren(QtWidgets.QWidget):
    if isinstance(w, (QtWidgets.QLabel, QtWidgets.QAbstractButton)) and w.isVisible():
        texts.append(w.text())
    if isinstance(w, QtWidgets.QAbstractButton) and w.isVisible():
        texts.append(w.toolTip())
texts += [a.text() for a in d.findChildren(QtGui.QAction)]
root = view.rootIndex()
headers = [model.headerData(c, QtCore.Qt.Orientation.Horizontal) for c in range(4)]
cells = [[model.data(model.index(r, c, root)) for c in range(4)] for r in range(model.rowCount(root))]
d.grab().save(png)
print(json.dumps({"texts": texts, "headers": headers, "cells": cells}, ensure_ascii=False))
"""


def test_the_open_file_dialog_has_no_english_left(tmp_path):
    folder = tmp_path / "回收"
    (folder / "子文件夹").mkdir(parents=True)
    (folder / "市财政局.xlsx").write_bytes(b"x" * 2048)
    png = tmp_path / "dialog.png"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", LANG="C.UTF-8")
    for name in ("LC_ALL", "LC_TIME", "LC_NUMERIC", "LC_MESSAGES"):
        env.pop(name, None)
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(DIALOG), str(folder), str(png)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout)
    english = re.compile(r"[A-Za-z]{3,}")
    left = [t for t in seen["texts"] if t and english.search(t.replace("xlsx", ""))]
    assert left == [], left
    assert "查找范围(&L)：" in seen["texts"] and "文件类型(&T)：" in seen["texts"]
    assert "文件名称(&N)：" in seen["texts"]  # Qt's own translation still reaches the rest
    assert seen["headers"] == ["名称", "体积", "类型", "修改日期"]
    rows = {r[0]: r for r in seen["cells"]}
    assert rows["子文件夹"][2] == "文件夹"
    assert rows["市财政局.xlsx"][1] == "2.00 KiB"  # Chinese CLDR keeps the IEC unit symbol
    for row in rows.values():
        assert re.fullmatch(r"\d{4}/\d{1,2}/\d{1,2} \d{1,2}:\d{2}", row[3]), row[3]
    assert png.stat().st_size > 10_000


def test_small_files_are_counted_in_chinese(tmp_path):
    folder = tmp_path / "f"
    folder.mkdir()
    (folder / "a.xlsx").write_bytes(b"x" * 300)
    (folder / "b.xlsx").write_bytes(b"x" * 300)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", LANG="C.UTF-8")
    for name in ("LC_ALL", "LC_TIME", "LC_NUMERIC", "LC_MESSAGES"):
        env.pop(name, None)
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(DIALOG), str(folder), str(tmp_path / "d.png")],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    cells = json.loads(result.stdout)["cells"]
    assert [c[1] for c in cells] == ["300 字节", "300 字节"]


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"LANG": "C.UTF-8"}, ["LC_TIME", "LC_NUMERIC", "LC_MESSAGES"]),
        ({}, ["LC_TIME", "LC_NUMERIC", "LC_MESSAGES"]),
        ({"LANG": "zh_CN.UTF-8"}, []),
        ({"LANG": "en_US.UTF-8", "LC_TIME": "zh_TW.UTF-8"}, ["LC_NUMERIC", "LC_MESSAGES"]),
        ({"LC_ALL": "en_US.UTF-8"}, []),  # an explicit choice is the user's
    ],
)
def test_the_system_locale_is_made_chinese_only_where_it_is_not(environ, expected):
    env = dict(environ)
    assert prefer_chinese_system_locale(env, "linux") == expected
    for name in expected:
        assert env[name] == CHINESE_LOCALE
    assert prefer_chinese_system_locale(dict(environ), "win32") == []
