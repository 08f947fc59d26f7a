"""The frozen program's own check: does everything it ships work on this PC?

``gxdesk --self-test`` runs these on a copy of the bundled seed in a temporary
folder (the user's database is never touched), so a missing data file, DLL or
hidden import shows as one failed line on the clerk's PC or in CI, not as a
crash later. Qt-free: the window render is added by the command line from
:mod:`gxdesk.ui.selftest`. Each check returns a short detail or raises; the
runner turns the outcome into a :class:`Check`.
"""

from __future__ import annotations

import datetime as dt
import platform
import shutil
import sqlite3
import sys
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

#: The seed's plan day the checks evaluate deadlines on (the 2014 plan).
SEED_DAY = dt.date(2014, 10, 20)
#: A unit the seed plan assigns tasks to.
SEED_UNIT = "市财政局"


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


#: A check: given the work folder (holding ``seed.sqlite``), a detail line, or an exception.
CheckFn = Callable[[Path], str]


def versions(_work: Path) -> str:
    """Python, SQLite and the libraries that write files, as the frozen build bundles them."""
    import openpyxl
    import reportlab
    import sqlalchemy

    return (
        f"Python {platform.python_version()} ({sys.platform}), SQLite {sqlite3.sqlite_version}, "
        f"SQLAlchemy {sqlalchemy.__version__}, openpyxl {openpyxl.__version__}, "
        f"reportlab {reportlab.Version}"
    )


def seed_copy(work: Path) -> str:
    """Copy the bundled seed into ``work`` and open it: migrations, integrity, the tasks."""
    from gxdesk.paths import seed_database
    from gxdesk.store import queries
    from gxdesk.store.database import check_database, open_database

    source = seed_database()
    if not source.is_file():
        raise FileNotFoundError(f"缺少种子数据库：{source}")
    target = work / "seed.sqlite"
    shutil.copyfile(source, target)
    db = open_database(target)
    try:
        plan = queries.current_plan(db)
        if plan is None:
            raise RuntimeError("种子数据库中没有工作要点")
        tasks = queries.list_tasks(db, plan.id, on=SEED_DAY)
    finally:
        db.close()
    problems = check_database(target)
    if problems:
        raise RuntimeError("；".join(problems))
    if not tasks:
        raise RuntimeError("种子数据库中没有任务")
    return f"{plan.title}：{len(tasks)} 项任务"


def xml_protection(_work: Path) -> str:
    """openpyxl parses unit workbooks (untrusted files) with defusedxml."""
    from gxdesk.exchange.safety import harden_xml

    harden_xml()
    import defusedxml

    version = getattr(defusedxml, "__version__", "?")  # not in its type stubs
    return f"defusedxml {version} 已启用"


def unit_workbook(work: Path) -> str:
    """Export one unit's workbook from the seed copy and read it back as a returned file."""
    from gxdesk.exchange.workbook_reader import read_returned_workbook
    from gxdesk.ops.exchange import export_units
    from gxdesk.store.database import open_database

    db = open_database(work / "seed.sqlite")
    try:
        exported = export_units(db, work / "units", unit_names=[SEED_UNIT], on=SEED_DAY)
    finally:
        db.close()
    if len(exported) != 1:
        raise RuntimeError(f"导出了 {len(exported)} 个文件，应为 1 个")
    back = read_returned_workbook(exported[0].path)
    if back.meta is None or back.meta.export_id != exported[0].export_id:
        raise RuntimeError("读回的进展表缺少导出标识")
    if back.meta.unit_name != SEED_UNIT:
        raise RuntimeError(f"读回的单位是 {back.meta.unit_name}，应为 {SEED_UNIT}")
    if len(back.rows) != exported[0].rows:
        raise RuntimeError(f"读回 {len(back.rows)} 行，导出 {exported[0].rows} 行")
    return f"{exported[0].path.name}：{exported[0].rows} 行，读回一致"


def report_pdf(work: Path) -> str:
    """Print the seed's monthly report and read its text back with PDFium.

    The plan's title and every task name must come out of the PDF as text: that
    holds only when the bundled fonts were embedded with their character maps.
    """
    import pypdfium2

    from gxdesk.ops.report import write_report
    from gxdesk.store import queries
    from gxdesk.store.database import open_database

    db = open_database(work / "seed.sqlite")
    try:
        out = write_report(db, work / "report.pdf", month=f"{SEED_DAY:%Y-%m}", on=SEED_DAY)
        plan = queries.current_plan(db)
        assert plan is not None
        names = [t.name for t in queries.list_tasks(db, plan.id, on=SEED_DAY)]
    finally:
        db.close()
    pdf = pypdfium2.PdfDocument(str(out))
    try:
        pages = len(pdf)
        text = "".join(pdf[i].get_textpage().get_text_range() for i in range(pages))
    finally:
        pdf.close()
    flat = "".join(text.split())
    missing = [n for n in [plan.title, *names] if "".join(n.split()) not in flat]
    if missing:
        raise RuntimeError(f"报告中读不出：{'、'.join(missing[:3])}（共 {len(missing)} 处）")
    return f"{out.name}：{pages} 页，标题与 {len(names)} 项任务均可读出"


CHECKS: tuple[tuple[str, CheckFn], ...] = (
    ("版本", versions),
    ("种子数据库", seed_copy),
    ("XML 防护", xml_protection),
    ("进展表导出与读回", unit_workbook),
    ("月报 PDF", report_pdf),
)


def run_checks(work: Path, checks: Sequence[tuple[str, CheckFn]]) -> list[Check]:
    """Run every check in order; one that raises is a failure with its reason, never a crash.

    A check after a failed seed copy still runs (and fails on its own), so the
    result lists every broken part at once.
    """
    out = []
    for name, fn in checks:
        try:
            out.append(Check(name, True, fn(work)))
        except Exception as exc:  # the self-test reports every failure, whatever it is
            last = traceback.extract_tb(exc.__traceback__)[-1:]
            where = f"（{Path(last[0].filename).name}:{last[0].lineno}）" if last else ""
            out.append(Check(name, False, f"{type(exc).__name__}: {exc}{where}"))
    return out


def format_result(checks: Sequence[Check]) -> str:
    """The result as the clerk (or CI) reads it: one line a check, then the verdict."""
    lines = [f"[{'通过' if c.ok else '失败'}] {c.name}：{c.detail}" for c in checks]
    failed = [c.name for c in checks if not c.ok]
    lines.append("自检通过" if not failed else f"自检失败：{'、'.join(failed)}")
    return "\n".join(lines) + "\n"
