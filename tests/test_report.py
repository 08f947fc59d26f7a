"""The monthly report: real databases with progress, the PDF read back with poppler."""

from __future__ import annotations

import datetime as dt
import hashlib
import subprocess
import sys
from pathlib import Path

import pytest
from report_helpers import (
    INJECTION,
    MONTH,
    ON,
    SEED_REPORTS,
    pdf_fonts,
    pdf_text,
    seed_with_progress,
    squeeze,
)

from gxdesk.cli import main
from gxdesk.exchange.pdf.text import CANNOT_END, CANNOT_START
from gxdesk.ops.report import gather_report, write_report
from gxdesk.store import queries
from gxdesk.store.database import Database

DONE = {t for t, _u, status, *_ in SEED_REPORTS if status.value == "已完成"}


@pytest.fixture
def db(tmp_path: Path) -> Database:
    database = seed_with_progress(tmp_path)
    yield database
    database.close()


@pytest.fixture
def report(db: Database, tmp_path: Path) -> Path:
    return write_report(db, tmp_path / "report.pdf", on=ON)


def _tasks(db: Database):  # type: ignore[no-untyped-def]
    return queries.list_tasks(db, queries.current_plan(db).id, on=ON)


def _section(text: str, start: str, end: str) -> str:
    return text[text.index(start) : text.index(end, text.index(start))]


def test_title_month_and_metadata(report: Path) -> None:
    text = pdf_text(report)
    assert "2014年政府信息公开工作推进情况月报（10月）" in squeeze(text)
    assert "截至2014年10月24日" in text
    info = subprocess.run(["pdfinfo", str(report)], capture_output=True, text=True).stdout
    assert "Title:           2014年政府信息公开工作推进情况月报（10月）" in info
    assert "Author:          市人民政府办公室" in info
    assert "Creator:         gxdesk" in info
    assert "Page size:       595.276 x 841.89 pts (A4)" in info


def test_red_list_is_exactly_the_tasks_overdue_on_the_day(db: Database, report: Path) -> None:
    rows = _tasks(db)
    # Overdue: a due date before --on and not finished by every unit (independent of lights).
    partly_done = {2}  # 市财政局 finished its part of a 市级各部门 task; the others did not
    overdue = {r.id for r in rows if r.due and r.due < ON and (r.id not in DONE or r.id in partly_done)}
    assert overdue and overdue != {r.id for r in rows if r.due and r.due < ON}
    section = squeeze(_section(pdf_text(report), "二、逾期未完成任务", "三、下月"))
    names = [r.name for r in rows]
    for r in rows:
        if any(r.name in other for other in names if other != r.name):
            continue  # a name inside another's cannot be told apart in text
        assert (squeeze(r.name) in section) == (r.id in overdue), r.name
    assert f"已过完成时限仍未完成的任务共{len(overdue)}项" in section


def test_units_that_did_not_report_are_named(db: Database, report: Path) -> None:
    units = {u.id: u for u in queries.units(db)}
    month_reporters = {u for t, u, *_rest, at in SEED_REPORTS if at.strftime("%Y-%m") == MONTH}
    rows = {r.id: r for r in _tasks(db)}
    assigned = queries.assignments(db, list(rows))
    open_units = set()
    for task_id, views in assigned.items():
        if rows[task_id].status.value == "已完成":
            continue
        for a in views:
            open_units |= {units[m].name for m in units[a.unit_id].members} if a.is_group else {a.unit}
    silent = open_units - month_reporters
    assert "市财政局" not in silent and "职业技术学院" in silent
    text = squeeze(pdf_text(report))
    line = text[text.index("本月未报送进展的单位") :]
    line = line[: line.index("请上述单位抓紧报送")]
    assert f"（{len(silent)}个）" in line
    listed = set(line.split("：", 1)[1].rstrip("。").split("、"))
    assert listed == silent


def test_every_task_is_in_the_detail_and_unit_text_is_escaped(db: Database, report: Path) -> None:
    text = pdf_text(report)
    annex = squeeze(text[text.index("任务推进情况明细表") :])
    for r in _tasks(db):
        assert squeeze(r.name) in annex, r.name
    assert squeeze(INJECTION) in annex  # printed as typed, not taken as markup
    # the long text, printed in the red list and the annex (over a page break), has no gaps
    assert text.replace("\n", "").count("召开专题会议三次，部署落实相关工作") == 8


def test_fonts_are_embedded_subsets(report: Path) -> None:
    fonts = pdf_fonts(report)
    assert len(fonts) >= 3  # title/body, 黑体, 楷体
    assert all(emb == "yes" for _name, emb in fonts), fonts
    assert all("+" in name for name, _emb in fonts), fonts  # subset tags


def test_no_line_starts_with_closing_or_ends_with_opening_punctuation(report: Path) -> None:
    lines = [line.strip() for line in pdf_text(report).splitlines() if line.strip()]
    assert len(lines) > 200
    assert not [x for x in lines if x[0] in CANNOT_START], "行首禁则"
    assert not [x for x in lines if x[-1] in CANNOT_END], "行尾禁则"
    # the punctuation-heavy progress text did wrap over many lines
    assert sum("谁公开、谁解读" in x for x in lines) >= 2


def test_same_data_gives_the_same_bytes(db: Database, report: Path, tmp_path: Path) -> None:
    again = write_report(db, tmp_path / "again.pdf", on=ON)
    assert report.read_bytes() == again.read_bytes()
    # and from another process, where fonts are registered afresh
    third = tmp_path / "third.pdf"
    code = (
        "import datetime as dt, sys; from gxdesk.store.database import open_database;"
        "from gxdesk.ops.report import write_report;"
        f"write_report(open_database(sys.argv[1]), sys.argv[2], on=dt.date({ON.year}, {ON.month}, {ON.day}))"
    )
    subprocess.run([sys.executable, "-c", code, str(db.path), str(third)], check=True)
    assert hashlib.sha256(third.read_bytes()).digest() == hashlib.sha256(report.read_bytes()).digest()


def test_figures_and_change_since_last_month(db: Database) -> None:
    data = gather_report(db, on=ON)
    f = data.figures
    assert f.total == 34 and f.done == 2  # tasks 9 and 10; task 2 only partly done
    assert data.previous is not None and data.previous.done == 1  # task 9, done in September
    due = [r for r in _tasks(db) if r.due and r.due < ON]
    assert f.due == len(due) and f.on_time == 1  # task 9 finished before its due date
    severe = [x for x in data.lagging if x.lag > 30]
    assert {(x.task_id, x.unit) for x in severe} >= {(5, "市编办")}
    assert all(x.task_id != 10 for x in data.lagging)  # done tasks never lag


def test_one_unit_report(db: Database, tmp_path: Path) -> None:
    out = write_report(db, tmp_path / "caizheng.pdf", unit="市财政局", on=ON)
    text = squeeze(pdf_text(out))
    assert "（市财政局）" in text
    assert "预算和决算公开" in text and "征地信息公开" not in text


def test_cli_report_and_its_refusals(db: Database, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "cli.pdf"
    assert main(["--db", str(db.path), "report", str(out), "--on", "2014-10-24"]) == 0
    assert out.read_bytes().startswith(b"%PDF")
    before = db.path.read_bytes()
    for bad in (["--unit", "市不存在局"], ["--month", "2014-13"]):
        assert main(["--db", str(db.path), "report", str(tmp_path / "x.pdf"), *bad]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "Traceback" not in err
    assert not (tmp_path / "x.pdf").exists()
    assert db.path.read_bytes() == before


def test_month_without_on_is_evaluated_at_the_month_end(db: Database) -> None:
    data = gather_report(db, month="2014-09")
    assert data.on == dt.date(2014, 9, 30) and data.title.endswith("（9月）")


def test_a_generated_2000_task_plan(tmp_path: Path) -> None:
    from report_helpers import synthetic_with_progress

    db = synthetic_with_progress(tmp_path)
    out = write_report(db, tmp_path / "big.pdf", on=ON)
    rows = _tasks(db)
    assert len(rows) == 2000
    text = pdf_text(out)
    annex = squeeze(text[text.index("任务推进情况明细表") :])
    missing = [r.name for r in rows if squeeze(r.name) not in annex]
    assert not missing
    red = squeeze(_section(text, "二、逾期未完成任务", "三、下月"))
    overdue = [r for r in rows if r.due and r.due < ON and r.status.value != "已完成"]
    assert f"已过完成时限仍未完成的任务共{len(overdue)}项" in red
    # the detail table's header is repeated on every page it runs over
    pages = int(
        next(
            line.split()[-1]
            for line in subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True)
            .stdout.splitlines()
            if line.startswith("Pages:")
        )
    )
    assert text.count("各单位最新进展") >= pages // 2
    assert all(emb == "yes" for _n, emb in pdf_fonts(out))
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    assert not [x for x in lines if x[0] in CANNOT_START or x[-1] in CANNOT_END]
    db.close()


def _words(path: Path) -> list[tuple[int, float, float, list[tuple[float, float, float, float, str]]]]:
    """(page number, width, height, words with their boxes) from ``pdftotext -bbox``."""
    import re

    html = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout  # fmt: skip
    pages = []
    for n, chunk in enumerate(html.split("<page ")[1:], 1):
        w, h = (float(x) for x in re.match(r'width="([\d.]+)" height="([\d.]+)"', chunk).groups())
        words = [
            (float(a), float(b), float(c), float(d), t)
            for a, b, c, d, t in re.findall(
                r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>',
                chunk,
            )
        ]
        pages.append((n, w, h, words))
    return pages


def test_text_stays_in_the_type_area_and_page_numbers_alternate(report: Path) -> None:
    mm = 72 / 25.4
    left, top, width, height = 28 * mm, 37 * mm, 156 * mm, 225 * mm
    landscape_seen = False
    for n, w, h, words in _words(report):
        if w < h:  # portrait
            body = [x for x in words if x[1] < top + height + 1]
            foot = [x for x in words if x[1] >= top + height + 1]
            assert all(left - 1 <= x[0] and x[2] <= left + width + 1 for x in body), n
            assert all(top - 1 <= x[1] for x in body), n
            assert [x[4] for x in foot] == ["—", str(n), "—"], n
            # 7 mm below the type area; odd pages on the right, even on the left
            assert foot[0][1] >= top + height + 7 * mm - 1
            assert (foot[1][0] > w / 2) == bool(n % 2), n
        else:  # the landscape annex: the number where a portrait page has it, turned
            landscape_seen = True
            number = [x for x in words if x[4] == str(n) and x[2] < 35 * mm]  # the left edge
            assert len(number) == 1 and (number[0][1] > h / 2) == bool(n % 2), n  # odd: bottom
            body = [x for x in words if x[0] > 35 * mm]
            assert all(x[2] <= w - 37 * mm + 1 and x[1] >= 28 * mm - 1 for x in body), n
    assert landscape_seen


def test_a_unit_without_tasks_is_refused_in_one_line(db: Database, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    import sqlite3

    conn = sqlite3.connect(db.path)
    conn.execute("INSERT INTO unit (name, short_name, contact, phone, is_group)"
                 " VALUES ('市空闲局', '', '', '', 0)")  # fmt: skip
    conn.commit()
    conn.close()
    args = ["--db", str(db.path), "report", str(tmp_path / "x.pdf"), "--unit", "市空闲局"]
    assert main([*args, "--on", "2014-10-24"]) == 2
    err = capsys.readouterr().err
    assert "市空闲局没有承担本计划的任务" in err and err.count("\n") == 1
