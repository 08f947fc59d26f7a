"""The printed documents: the monthly report and the 催办 notices."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from gxdesk.cli.common import CliError, open_db, parse_date


def register(sub: Any) -> None:
    r = sub.add_parser("report", help="生成工作推进情况月报（PDF）")
    r.add_argument("out", type=Path, help="输出的 PDF 文件")
    r.add_argument("--month", help="报告月份 YYYY-MM（默认：--on 所在月份）")
    r.add_argument("--unit", help="只报告这个单位承担的任务")
    r.add_argument("--on", type=parse_date, help="按这一天计算期限和红黄灯（默认：今天）")
    r.set_defaults(func=cmd_report)
    m = sub.add_parser("remind", help="为逾期或未报送的单位生成催办通知单")
    m.add_argument("dir", type=Path, help="输出文件夹")
    m.add_argument("--on", type=parse_date, help="按这一天计算逾期（默认：今天）")
    m.add_argument("--format", choices=("pdf", "docx"), default="pdf", help="文件格式（默认 pdf）")
    m.set_defaults(func=cmd_remind)


def _checked_out(path: Path, suffix: str) -> Path:
    if path.suffix.lower() != suffix:
        raise CliError(f"输出文件应以 {suffix} 结尾：{path}")
    if not path.parent.is_dir():
        raise CliError(f"目录不存在：{path.parent}")
    return path


def cmd_report(args: argparse.Namespace) -> int:
    from gxdesk.ops.report import ReportError, write_report

    out = _checked_out(args.out, ".pdf")
    db = open_db(args)
    try:
        write_report(db, out, month=args.month, unit=args.unit, on=args.on)
    except ReportError as exc:
        raise CliError(str(exc)) from None
    finally:
        db.close()
    print(f"已生成月报：{out}")
    return 0


def cmd_remind(args: argparse.Namespace) -> int:
    from gxdesk.ops.remind import RemindError, write_notices

    folder: Path = args.dir
    if folder.exists() and not folder.is_dir():
        raise CliError(f"不是文件夹：{folder}")
    db = open_db(args, write=True)  # each notice is logged (the next one counts it)
    try:
        written = write_notices(db, folder, on=args.on, fmt=args.format)
    except RemindError as exc:
        raise CliError(str(exc)) from None
    finally:
        db.close()
    for notice in written:
        print(f"{notice.unit}\t{len(notice.tasks)}项\t{notice.path}")
    print(f"共生成催办通知单 {len(written)} 份：{folder}")
    return 0
