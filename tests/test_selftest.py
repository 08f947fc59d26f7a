"""`gxdesk --self-test` from source: it passes on a good install and names what is broken."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

from gxdesk.ops.selftest import CHECKS, format_result, run_checks


def self_test(home: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "--self-test"],
        capture_output=True, text=True, encoding="utf-8", timeout=300,
        env={**os.environ, "GXDESK_HOME": str(home), **env},
    )  # fmt: skip


def test_self_test_passes_and_writes_its_result(tmp_path: Path) -> None:
    r = self_test(tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr
    lines = r.stdout.splitlines()
    passed = [line for line in lines if line.startswith("[通过]")]
    names = [line.split("]")[1].split("：")[0].strip() for line in passed]
    assert names == ["版本", "Qt 版本", "种子数据库", "XML 防护", "进展表导出与读回", "月报 PDF", "主窗口渲染"]
    assert "34 项任务" in r.stdout and "Qt 6." in r.stdout and "SQLite 3." in r.stdout
    written = (tmp_path / "self-test.txt").read_text(encoding="utf-8")
    assert written.rstrip("\n").splitlines() == lines[:-1]  # all but the "written to" line
    assert written.rstrip().endswith("自检通过")
    assert not (tmp_path / "gxdesk.sqlite").exists()  # the user's database is never made or touched


def test_self_test_fails_when_xml_protection_is_off(tmp_path: Path) -> None:
    r = self_test(tmp_path, OPENPYXL_DEFUSEDXML="False")
    assert r.returncode == 1
    assert "[失败] XML 防护" in r.stdout and "自检失败：XML 防护" in r.stdout
    assert "Traceback" not in r.stdout + r.stderr


def test_a_missing_seed_fails_its_check_and_the_ones_that_need_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gxdesk.paths

    monkeypatch.setattr(gxdesk.paths, "seed_database", lambda: tmp_path / "nowhere.sqlite")
    results = run_checks(tmp_path, CHECKS)
    failed = {c.name: c.detail for c in results if not c.ok}
    assert set(failed) == {"种子数据库", "进展表导出与读回", "月报 PDF"}
    assert "缺少种子数据库" in failed["种子数据库"]
    assert format_result(results).rstrip().endswith("自检失败：种子数据库、进展表导出与读回、月报 PDF")


def test_the_glyph_check_sees_boxes_when_no_font_has_chinese(tmp_path: Path) -> None:
    conf = tmp_path / "fonts.conf"
    conf.write_text('<?xml version="1.0"?><fontconfig></fontconfig>', encoding="utf-8")
    code = (
        "import sys\n"
        "from gxdesk.ui.qt import QtGui, QtWidgets\n"
        "from gxdesk.ui.selftest import SAMPLE, _glyph_images\n"
        "app = QtWidgets.QApplication([])\n"
        "plain = len(_glyph_images(QtGui.QFont('Sans Serif')))\n"
        "from gxdesk.ui.resources import install_font\n"
        "install_font(app)\n"
        "print(plain, len(_glyph_images(app.font())), len(set(SAMPLE)))\n"
    )
    r = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120,
        env={**os.environ, "FONTCONFIG_FILE": str(conf), "QT_QPA_PLATFORM": "offscreen"},
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    boxes, bundled, wanted = map(int, r.stdout.split())
    assert boxes < wanted  # no font: the characters all draw alike, and the check says so
    assert bundled == wanted
