"""Monthly report speed, each figure beside its floor measured in the same run.

    python benchmarks/bench_report.py [--tasks 2000] [--units 40]

A generated plan (benchmarks/synthetic.py) with progress of wrapped Chinese text
on every third task, reported as of 2014-10-24.

1. Fonts: the whole report laid out with its embedded TrueType subsets against the
   same report in reportlab's built-in STSong-Light (not embedded, no glyph work).
   Target ≤ 1.25×.
2. Whole report: gathering from the database and laying out every section against
   reportlab laying out just the report's detail table (the same cells, stock
   ``Paragraph`` with ``wordWrap='CJK'``, the same embedded face, no escaping).
   Target ≤ 1.5×.

Each timing is the best of a few runs, so a noisy machine does not decide.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from reportlab.lib.pagesizes import A4, landscape  # noqa: E402
from reportlab.lib.styles import ParagraphStyle  # noqa: E402
from reportlab.lib.units import mm  # noqa: E402
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle  # noqa: E402
from synthetic import synthetic_draft  # noqa: E402
from timing import best  # noqa: E402

from gxdesk.core.model import Status  # noqa: E402
from gxdesk.core.workbook_data import UnitReport  # noqa: E402
from gxdesk.exchange.pdf.fonts import cid_fonts  # noqa: E402
from gxdesk.exchange.report_pdf import render_report  # noqa: E402
from gxdesk.ops.report import document_fonts, gather_report, write_report  # noqa: E402
from gxdesk.store import queries  # noqa: E402
from gxdesk.store.database import Database, open_database  # noqa: E402
from gxdesk.store.plans import save_plan  # noqa: E402
from gxdesk.store.progress import ReportInput, add_reports  # noqa: E402

ON = dt.date(2014, 10, 24)
TEXT = (
    "已制定工作方案，明确责任分工；召开专题会议三次，部署落实相关工作！针对群众关注的热点问题，"
    "及时发布解读材料（含图解、视频等形式），“谁公开、谁解读”原则得到落实？下一步将继续完善工作机制。"
) * 3


def build(folder: Path, tasks: int, units: int) -> Database:
    db = open_database(folder / "bench.sqlite")
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
                UnitReport(status, (100, 20 + i % 50, 0)[i % 3], TEXT[: 60 + i % 150],
                           dt.date(2014, 10, 1) if status is Status.DONE else None),
                reported_at=dt.datetime(2014, 10, 1 + i % 20, 9),
            )
        )  # fmt: skip
    with db.transaction() as session:
        add_reports(session, inputs)
    return db


def detail_table_only(data, fonts, out: Path) -> None:  # type: ignore[no-untyped-def]
    """The floor: stock reportlab laying out the report's detail table, nothing else."""
    cell = ParagraphStyle("c", fontName=fonts.body, fontSize=10.5, leading=14.2, wordWrap="CJK")
    rows = [[Paragraph(h, cell) for h in ("编号", "工作任务", "完成时限", "责任单位", "状态", "进展")]]
    for cat in data.detail:
        for t in cat.tasks:
            progress = "<br/>".join(f"{p.unit}（{p.status}）：{p.text}" for p in t.progress)
            rows.append(
                [Paragraph(v, cell) for v in (t.label, t.name, t.deadline_text, t.units_text,
                                              t.status, progress or "尚未报送进展")]
            )  # fmt: skip
    table = Table(rows, colWidths=[w * mm for w in (14, 52, 24, 36, 17, 82)], repeatRows=1,
                  splitInRow=1)  # fmt: skip
    table.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), fonts.body, 10.5),
                               ("GRID", (0, 0), (-1, -1), 0.5, "black")]))  # fmt: skip
    doc = SimpleDocTemplate(str(out), pagesize=landscape(A4), invariant=1,
                            initialFontName=fonts.body)  # fmt: skip
    doc.build([table])


def line(label: str, value: float, floor: float, target: float) -> None:
    ratio = value / floor
    mark = "ok" if ratio <= target else "OVER"
    print(f"{label:<46} {value:7.3f} s   floor {floor:7.3f} s   {ratio:5.2f}×  (target ≤ {target}×) {mark}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--tasks", type=int, default=2000)
    ap.add_argument("--units", type=int, default=40)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = build(folder, args.tasks, args.units)
        data = gather_report(db, on=ON)
        fonts, cid = document_fonts(), cid_fonts()
        render_report(data, folder / "warm.pdf", fonts=fonts)  # fonts parsed once, as in the program
        render_report(data, folder / "warm-cid.pdf", fonts=cid)
        runs = {
            "embedded": lambda: render_report(data, folder / "e.pdf", fonts=fonts),
            "builtin": lambda: render_report(data, folder / "c.pdf", fonts=cid),
            "whole": lambda: write_report(db, folder / "w.pdf", on=ON),
            "table": lambda: detail_table_only(data, fonts, folder / "t.pdf"),
        }
        # Interleaved, best of each: a busy machine slows figure and floor alike.
        times: dict[str, float] = {}
        for _ in range(args.repeat):
            for name, fn in runs.items():
                times[name] = min(times.get(name, float("inf")), best(fn, 1))
        embedded, builtin, whole, table = (times[k] for k in runs)
        size = (folder / "e.pdf").stat().st_size / 1e6
        print(f"{args.tasks} tasks, {args.units} units; report {size:.1f} MB")
        line("1. report, embedded subsets vs STSong-Light", embedded, builtin, 1.25)
        line("2. whole report vs its detail table alone", whole, table, 1.5)
        db.close()


if __name__ == "__main__":
    main()
