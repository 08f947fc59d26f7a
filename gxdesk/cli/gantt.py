"""The chart alone: ``gxdesk gantt OUT.pdf|OUT.png`` (a file export: no window is opened)."""

from __future__ import annotations

import argparse
import datetime as dt
import os
from pathlib import Path
from typing import Any

from gxdesk.cli.common import CliError, open_db, parse_date, parse_size, require_plan

FORMATS = (".pdf", ".png")


def register(sub: Any) -> None:
    g = sub.add_parser("gantt", help="导出甘特图（PDF 或 PNG）")
    g.add_argument("out", type=Path, help="输出文件：.pdf（A4 横向，可分页）或 .png")
    g.add_argument("--on", type=parse_date, help="状态日期（默认今天）：按此日期计算红黄绿灯")
    g.add_argument("--unit", help="只含该单位的任务")
    g.add_argument("--category", type=int, metavar="N", help="只含第 N 类任务")
    g.add_argument("--from", dest="first", type=parse_date, metavar="DATE", help="时间轴起点")
    g.add_argument("--to", dest="last", type=parse_date, metavar="DATE", help="时间轴终点")
    g.add_argument("--size", type=parse_size, help="PNG 的宽x高（像素，默认 1600x1000）")
    g.set_defaults(func=cmd_gantt)


def _check(args: argparse.Namespace) -> str:
    """Refuse what cannot work before the database is opened; returns the format."""
    out: Path = args.out
    suffix = out.suffix.lower()
    if suffix not in FORMATS:
        raise CliError(f"输出文件应为 .pdf 或 .png：{out}")
    if not out.parent.is_dir():
        raise CliError(f"输出目录不存在：{out.parent}")
    if out.is_dir():
        raise CliError(f"输出路径是一个文件夹：{out}")
    if args.size is not None and suffix != ".png":
        raise CliError("--size 只用于 PNG 图片")
    if args.first and args.last and args.last < args.first:
        raise CliError(f"--to {args.last.isoformat()} 早于 --from {args.first.isoformat()}")
    if args.category is not None and args.category < 1:
        raise CliError(f"类别序号应为正整数：{args.category}")
    return suffix


def cmd_gantt(args: argparse.Namespace) -> int:
    suffix = _check(args)
    # A file export: render offscreen whether or not a display is there.
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from gxdesk.store import queries

    db = open_db(args)
    try:
        plan = require_plan(db)
        on = args.on or dt.date.today()
        calendar = queries.load_calendar(db)
        rows = queries.list_tasks(db, plan.id, on=on, calendar=calendar)
        if args.category is not None:
            seqs = {c.seq: c for c in queries.categories(db, plan.id)}
            if args.category not in seqs:
                raise CliError(f"计划中没有第 {args.category} 类（共 {len(seqs)} 类）")
            rows = [r for r in rows if r.category_id == seqs[args.category].id]
        if args.unit:
            try:
                rows = queries.filter_by_unit(db, rows, args.unit)
            except LookupError as exc:
                raise CliError(str(exc)) from None
    finally:
        db.close()
    if not rows:
        raise CliError("没有符合条件的任务，未生成文件")
    return _render(args, suffix, plan, on, calendar, rows)


def _render(args, suffix, plan, on, calendar, rows) -> int:  # type: ignore[no-untyped-def]
    from gxdesk.ui.gantt.export import ExportError, source_for, write_pdf, write_png
    from gxdesk.ui.qt import QtGui
    from gxdesk.ui.resources import install_font

    app = QtGui.QGuiApplication.instance() or QtGui.QGuiApplication(["gxdesk"])
    install_font(app)  # type: ignore[arg-type]
    title = plan.title
    if args.unit:
        title = f"{title}（{args.unit}）"
    try:
        source = source_for(rows, plan, on, calendar, args.first, args.last)
        if suffix == ".pdf":
            write_pdf(args.out, source, title)
        else:
            write_png(args.out, source, args.size or (1600, 1000), title)
    except ExportError as exc:
        raise CliError(str(exc)) from None
    return 0
