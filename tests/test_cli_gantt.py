"""`gxdesk gantt`: the chart alone as PDF or PNG, and its refusals."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from ui_helpers import ROOT, seed_copy

from gxdesk.cli import main
from gxdesk.store import queries
from gxdesk.store.database import open_database

ON = "2014-09-15"
JIEDU = "信息解读工作"


@pytest.fixture
def db(qapp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    # In this process main() renders into pytest-qt's QApplication: left to itself the
    # command would make a QGuiApplication, which no later widget test could use.
    monkeypatch.setenv("GXDESK_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    return seed_copy(tmp_path)


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    """The real command line in its own process, with no display at all."""
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "QT_QPA_PLATFORM")}
    return subprocess.run(
        [sys.executable, "-m", "gxdesk", *args],
        capture_output=True, text=True, encoding="utf-8", cwd=ROOT, env=env, timeout=120,
    )  # fmt: skip


def _text(pdf: Path) -> str:
    out = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True)
    return out.stdout


def test_pdf_is_landscape_with_the_font_embedded_and_names_and_months_as_text(db, tmp_path):
    out = tmp_path / "gantt.pdf"
    r = _run("--db", str(db), "gantt", str(out), "--on", ON)
    assert r.returncode == 0, r.stderr
    assert r.stderr == ""
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True).stdout
    rows = [line for line in fonts.splitlines()[2:] if line.strip()]
    assert rows and all(re.search(r"\byes\b", line.split("Identity-H")[-1]) for line in rows)
    assert any("WenQuanYi" in line for line in rows)
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True).stdout
    width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups())
    assert width > height  # landscape
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    text = _text(out)
    flat = text.replace(" ", "")
    assert JIEDU in flat and "机构和队伍建设" in flat  # first and last task
    for month in ("1月", "6月", "9月", "12月"):
        assert month in text
    assert "2014年第三季度" in flat
    assert f"第1页，共{pages}页" in flat and pages >= 2
    # The time header and the name column's title are repeated on every page.
    per_page = text.split("\f")
    assert sum("工作任务" in p for p in per_page) == pages
    assert sum("2014年第三季度" in p.replace(" ", "") for p in per_page) == pages


def test_wide_ranges_tile_across_pages_each_with_names(db, tmp_path):
    out = tmp_path / "wide.pdf"
    r = _run("--db", str(db), "gantt", str(out), "--on", ON, "--from", "2013-01-01",
             "--to", "2015-12-31", "--category", "4")  # fmt: skip
    assert r.returncode == 0, r.stderr
    pages = _text(out).split("\f")
    pages = [p for p in pages if p.strip()]
    assert len(pages) >= 2
    assert all("征地信息公开" in p.replace(" ", "") for p in pages)
    assert "2013年" in "".join(pages[0].split()) and "2015年" in "".join(pages[-1].split())


def test_a_year_the_calendar_does_not_know_is_labelled_unknown(db, tmp_path):
    from gxdesk.core.workdays import PACKAGE_YEARS

    later = PACKAGE_YEARS.stop  # the first year the built-in calendar lacks
    out = tmp_path / "later.pdf"
    r = _run("--db", str(db), "gantt", str(out), "--on", ON, "--category", "1",
             "--from", f"{later - 1}-10-01", "--to", f"{later}-03-31")  # fmt: skip
    assert r.returncode == 0, r.stderr
    text = _text(out).replace(" ", "")
    assert f"{later}年第一季度（日历未知）" in text
    assert f"{later - 1}年第四季度（日历未知）" not in text


def test_png_has_the_requested_size(db, tmp_path):
    from gxdesk.ui.qt import QtGui

    out = tmp_path / "gantt.png"
    r = _run("--db", str(db), "gantt", str(out), "--on", ON, "--size", "1200x800")
    assert r.returncode == 0, r.stderr
    image = QtGui.QImage(str(out))
    assert (image.width(), image.height()) == (1200, 800)


def test_unit_and_category_filters(db, tmp_path):
    database = open_database(db)
    try:
        plan = queries.current_plan(database)
        on = dt.date.fromisoformat(ON)
        rows = queries.list_tasks(database, plan.id, on=on)
        finance = {r.name for r in queries.filter_by_unit(database, rows, "市财政局")}
        third = queries.categories(database, plan.id)[2]
        in_third = {r.name for r in rows if r.category_id == third.id}
        everything = {r.name for r in rows}
    finally:
        database.close()
    out = tmp_path / "unit.pdf"
    assert main(["--db", str(db), "gantt", str(out), "--on", ON, "--unit", "市财政局"]) == 0
    text = _text(out).replace(" ", "").replace("\n", "")
    assert all(name[:8] in text for name in finance)
    assert not any(name[:8] in text for name in everything - finance if len(name) >= 8)
    out = tmp_path / "cat.pdf"
    assert main(["--db", str(db), "gantt", str(out), "--on", ON, "--category", "3"]) == 0
    text = _text(out).replace(" ", "").replace("\n", "")
    assert all(name[:8] in text for name in in_third)
    assert JIEDU not in text


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["OUT.txt"], "应为 .pdf 或 .png"),
        (["OUT.pdf", "--from", "2014-10-01", "--to", "2014-09-01"], "早于"),
        (["OUT.pdf", "--size", "800x600"], "只用于 PNG"),
        (["OUT.png", "--size", "10x10"], "图片尺寸"),
        (["OUT.png", "--size", "big"], "宽x高"),
        (["OUT.pdf", "--unit", "市不存在局"], "没有名为"),
        (["OUT.pdf", "--category", "99"], "没有第 99 类"),
        (["OUT.pdf", "--on", "2014-13-01"], "YYYY-MM-DD"),
        (["missing-folder/OUT.pdf"], "输出目录不存在"),
    ],
)
def test_refusals_are_one_chinese_line_exit_2_and_leave_the_database(
    db, tmp_path, capsys, monkeypatch, args, words
):
    monkeypatch.chdir(tmp_path)
    before = _digest(db)
    code = main(["--db", str(db), "gantt", *args])
    err = capsys.readouterr().err
    assert code == 2
    assert words in err
    assert len(err.strip().splitlines()) == 1
    assert re.search(r"[\u4e00-\u9fff]", err)
    assert "Traceback" not in err
    assert _digest(db) == before
    assert not list(tmp_path.glob("OUT.*"))


def _status_line_pixels(path: Path) -> int:
    """Pixels of the status line's blue on every 10th line of the image."""
    from gxdesk.ui.gantt.chart import STATUS_LINE
    from gxdesk.ui.qt import QtGui

    image = QtGui.QImage(str(path))
    target = STATUS_LINE.rgb()
    return sum(
        image.pixel(x, y) == target
        for x in range(image.width())
        for y in range(0, image.height(), 10)
    )


def test_gui_screenshot_with_the_gantt_view_in_front(db, tmp_path):
    shots = {}
    for view in ("gantt", "table"):
        out = tmp_path / f"{view}.png"
        r = _run("--db", str(db), "gui", "--on", ON, "--view", view, "--screenshot", str(out),
                 "--size", "1400x900")  # fmt: skip
        assert r.returncode == 0, r.stderr
        assert r.stderr == ""
        shots[view] = out
    from gxdesk.ui.qt import QtGui

    image = QtGui.QImage(str(shots["gantt"]))
    assert (image.width(), image.height()) == (1400, 900)
    # The status-date line runs down the chart; the table shows no such line.
    assert _status_line_pixels(shots["gantt"]) > 20
    assert _status_line_pixels(shots["table"]) < 5


def test_an_empty_database_is_refused(qapp, tmp_path, capsys):
    empty = tmp_path / "empty.sqlite"
    open_database(empty).close()
    before = _digest(empty)
    assert main(["--db", str(empty), "gantt", str(tmp_path / "x.pdf")]) == 2
    assert "还没有计划" in capsys.readouterr().err
    assert _digest(empty) == before
    assert not (tmp_path / "x.pdf").exists()
