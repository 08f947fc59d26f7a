"""Databases with progress for the report and notice tests, and reading PDFs back."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

from conftest import ROOT

from gxdesk.core.model import Status
from gxdesk.core.workbook_data import UnitReport
from gxdesk.store import queries
from gxdesk.store.database import Database, open_database
from gxdesk.store.progress import ReportInput, add_reports

ON = dt.date(2014, 10, 24)
MONTH = "2014-10"
INJECTION = '<font color="red">已部署</font> & <para>，；：？！》”测试'
LONG_TEXT = (
    "已制定工作方案，明确责任分工；召开专题会议三次，部署落实相关工作！"
    "针对群众关注的热点问题，及时发布解读材料（含图解、视频等形式），"
    "“谁公开、谁解读”原则得到落实？下一步将继续完善工作机制。"
) * 4

# (task id, unit name, status, percent, text, done on, reported at)
SEED_REPORTS = [
    (9, "市审计局", Status.DONE, 100, "审计结果公告已公开", dt.date(2014, 9, 25),
     dt.datetime(2014, 9, 28, 10)),
    (5, "市编办", Status.IN_PROGRESS, 10, "正在梳理行政审批事项目录", None,
     dt.datetime(2014, 10, 20, 9)),
    (5, "市政府法制办", Status.IN_PROGRESS, 70, "已完成合法性审查", None,
     dt.datetime(2014, 10, 21, 9)),
    (7, "市财政局", Status.IN_PROGRESS, 5, "预决算公开方案起草中", None,
     dt.datetime(2014, 10, 15, 9)),
    (16, "市财政局", Status.IN_PROGRESS, 50, "政府采购信息按月公开", None,
     dt.datetime(2014, 10, 15, 10)),
    (2, "市财政局", Status.DONE, 100, "解读材料已发布", dt.date(2014, 10, 10),
     dt.datetime(2014, 10, 10, 15)),
    (3, "市编办", Status.IN_PROGRESS, 30, INJECTION + LONG_TEXT, None,
     dt.datetime(2014, 10, 22, 9)),
    (10, "市国土资源局", Status.DONE, 100, "征地信息已在门户网站公开", dt.date(2014, 10, 20),
     dt.datetime(2014, 10, 20, 16)),
    (18, "职业技术学院", Status.IN_PROGRESS, 40, "招生信息已公开", None,
     dt.datetime(2014, 9, 30, 9)),
]  # fmt: skip


def enter_reports(db: Database, reports: list[tuple]) -> None:
    """Enter reports as the window does: through the store, one transaction."""
    units = {u.name: u for u in queries.units(db)}
    task_ids = sorted({r[0] for r in reports})
    assigned = queries.assignments(db, task_ids)
    inputs = []
    for task_id, unit, status, pct, text, done_on, at in reports:
        uid = units[unit].id
        a = next(
            x for x in assigned[task_id]
            if x.unit_id == uid or (x.is_group and uid in units[x.unit].members)
        )  # fmt: skip
        inputs.append(
            ReportInput(a.id, uid, UnitReport(status, pct, text, done_on), reported_at=at)
        )
    with db.transaction() as session:
        add_reports(session, inputs)


def seed_with_progress(folder: Path) -> Database:
    """The shipped 2014 plan plus the progress of :data:`SEED_REPORTS`."""
    path = folder / "seed.sqlite"
    shutil.copyfile(ROOT / "data" / "seed.sqlite", path)
    db = open_database(path)
    enter_reports(db, SEED_REPORTS)
    return db


def pdf_text(path: Path, *, raw: bool = True) -> str:
    """The text of a PDF in drawing order (a table cell's lines stay together)."""
    args = ["pdftotext", "-enc", "UTF-8"] + (["-raw"] if raw else []) + [str(path), "-"]
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def pdf_fonts(path: Path) -> list[tuple[str, str]]:
    """(font name, emb) for every font ``pdffonts`` lists."""
    out = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True)
    rows = []
    for line in out.stdout.splitlines()[2:]:
        parts = line.split()
        # name type [type…] encoding emb sub uni object ID: emb is 5th from the end
        rows.append((parts[0], parts[-5]))
    return rows


def squeeze(text: str) -> str:
    return "".join(text.split())


def synthetic_with_progress(folder: Path, tasks: int = 2000, units: int = 40) -> Database:
    """A generated plan of ``tasks`` tasks (benchmarks/synthetic.py) with progress on every 3rd."""
    import sys

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from synthetic import synthetic_draft

    from gxdesk.store.plans import save_plan

    db = open_database(folder / "big.sqlite")
    with db.transaction() as session:
        save_plan(session, synthetic_draft(tasks, units))
    rows = queries.list_tasks(db, queries.current_plan(db).id, on=ON)
    assigned = queries.assignments(db, [r.id for r in rows])
    inputs = []
    for i, r in enumerate(rows[::3]):
        a = next(x for x in assigned[r.id] if not x.is_group)
        status = (Status.DONE, Status.IN_PROGRESS, Status.NOT_STARTED)[i % 3]
        inputs.append(
            ReportInput(
                a.id, a.unit_id,
                UnitReport(status, (100, 20 + i % 50, 0)[i % 3], LONG_TEXT[: 40 + i % 200].rstrip("（“"),
                           dt.date(2014, 10, 1) if status is Status.DONE else None),
                reported_at=dt.datetime(2014, 10, 1 + i % 20, 9),
            )
        )  # fmt: skip
    with db.transaction() as session:
        add_reports(session, inputs)
    return db
