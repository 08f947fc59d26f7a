"""The command line: a thin face over the same core as the window.

Every command exits 0 on success; on bad input it prints one line (Chinese) on
stderr, exits non-zero, and leaves the database exactly as it was.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from gxdesk import exchange_cli

EXIT_BAD_INPUT = 2


class CliError(Exception):
    """A one-line reason for the user; becomes exit code 2."""


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期格式应为 YYYY-MM-DD：{text}") from None


def _size(text: str) -> tuple[int, int]:
    try:
        w, h = text.lower().split("x")
        return int(w), int(h)
    except ValueError:
        raise argparse.ArgumentTypeError(f"尺寸格式应为 宽x高，如 1600x1000：{text}") from None


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2, no usage dump
        raise CliError(f"参数错误：{message}")


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="gxdesk", description="政务公开工作台账")
    p.add_argument("--db", type=Path, help="数据库文件（默认：用户自己的数据库）")
    sub = p.add_subparsers(dest="command", parser_class=_Parser)

    g = sub.add_parser("gui", help="打开主窗口（默认）")
    g.add_argument("--on", type=_date, help="以该日期计算红黄绿灯")
    g.add_argument("--view", choices=["table", "gantt"], default="table")
    g.add_argument("--screenshot", type=Path, help="离屏渲染主窗口到 PNG 后退出")
    g.add_argument("--size", type=_size, default=(1600, 1000))

    i = sub.add_parser("import-plan", help="导入工作要点分解表（.txt/.docx/.xlsx）")
    i.add_argument("file", type=Path)
    i.add_argument("--year", type=int)
    i.add_argument("--issued", type=_date, help="方案印发日期 YYYY-MM-DD")

    t = sub.add_parser("tasks", help="列出任务")
    t.add_argument("--unit")
    t.add_argument("--light", choices=["red", "yellow", "green"])
    t.add_argument("--on", type=_date)
    t.add_argument("--json", action="store_true")

    c = sub.add_parser("calendar", help="查看或录入某年的放假调休安排")
    c.add_argument("year", type=int, nargs="?")
    c.add_argument("--holiday", action="append", default=[], metavar="DATE[..DATE]")
    c.add_argument("--workday", action="append", default=[], metavar="DATE", help="调休上班日")
    c.add_argument("--note", default="")

    x = sub.add_parser("export-units", help="导出各单位进展表（每个单位一个 .xlsx）")
    x.add_argument("dir", type=Path)
    x.add_argument("--unit", action="append", default=[], help="只导出该单位（可重复）")
    m = sub.add_parser("merge", help="合并回收的进展表")
    m.add_argument("files", nargs="+", type=Path)
    m.add_argument("--dry-run", action="store_true", help="只预览，不写入数据库")
    m.add_argument("--json", action="store_true")
    e = sub.add_parser("export-plan", help="导出整个台账为 .xlsx")
    e.add_argument("out", type=Path)

    sub.add_parser("check", help="检查数据库完整性")
    b = sub.add_parser("backup", help="备份数据库")
    b.add_argument("out", type=Path)
    r = sub.add_parser("restore", help="从备份恢复数据库")
    r.add_argument("file", type=Path)
    return p


def _open(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from gxdesk.paths import default_database
    from gxdesk.store.database import open_database

    return open_database(args.db or default_database())


def cmd_import_plan(args: argparse.Namespace) -> int:
    from gxdesk.core.plan import build_plan
    from gxdesk.exchange.plan_reader import read_plan
    from gxdesk.store.plans import save_plan

    if not args.file.is_file():
        raise CliError(f"文件不存在：{args.file}")
    draft = build_plan(read_plan(args.file), year=args.year, issued=args.issued)
    db = _open(args)
    try:
        with db.transaction() as session:
            result = save_plan(session, draft, source_name=args.file.name)
    finally:
        db.close()
    print(
        f"已导入计划 #{result.plan_id}《{draft.title}》：{result.categories} 个类别，"
        f"{result.tasks} 项任务，{result.assignments} 条分工，"
        f"{result.inferred} 处由合并单元格推断（待确认），{result.needs_review} 处需人工核对"
    )
    for warning in draft.warnings:
        print(f"提示：{warning}", file=sys.stderr)
    return 0


def cmd_tasks(args: argparse.Namespace) -> int:
    from gxdesk.store import queries
    from gxdesk.store.tasks_json import task_dicts

    db = _open(args)
    try:
        plan = queries.current_plan(db)
        if plan is None:
            raise CliError("数据库中还没有计划，请先 import-plan")
        on = args.on or dt.date.today()
        rows = queries.list_tasks(db, plan.id, on=on)
        if args.light:
            rows = [r for r in rows if r.light.value == args.light]
        if args.unit:
            try:
                rows = queries.filter_by_unit(db, rows, args.unit)
            except LookupError as exc:
                raise CliError(str(exc)) from None
        if args.json:
            json.dump(task_dicts(db, rows), sys.stdout, ensure_ascii=False, indent=1)
            sys.stdout.write("\n")
        else:
            for r in rows:
                due = r.due.isoformat() if r.due else "—"
                print(
                    f"{r.id}\t{r.category_seq}.{r.seq}\t{r.light.label}\t{r.status.value}\t"
                    f"{due}\t{r.deadline_text}\t{r.units_text}\t{r.name}"
                )
    finally:
        db.close()
    return 0


def _span(text: str) -> list[dt.date]:
    from gxdesk.store.calendar import expand

    first, _, last = text.partition("..")
    try:
        return expand(_date(first), _date(last) if last else None)
    except (argparse.ArgumentTypeError, ValueError) as exc:
        raise CliError(str(exc)) from None


def cmd_calendar(args: argparse.Namespace) -> int:
    from gxdesk.core.workdays import PACKAGE_YEARS, DayOverride
    from gxdesk.store import calendar, queries

    db = _open(args)
    try:
        if args.holiday or args.workday:
            if args.year is None:
                raise CliError("录入放假安排时须指定年份，如：calendar 2027 --holiday 2027-01-01")
            days = [DayOverride(d, False, args.note) for s in args.holiday for d in _span(s)]
            days += [DayOverride(d, True, args.note) for s in args.workday for d in _span(s)]
            try:
                with db.transaction() as session:
                    count = calendar.enter_year(session, args.year, days, args.note)
            except ValueError as exc:
                raise CliError(str(exc)) from None
            print(f"已录入 {args.year} 年放假调休安排：{count} 天")
            return 0
        cal = queries.load_calendar(db)
        with db.reading() as session:
            entered = calendar.entered_years(session)
        print(f"内置日历：{PACKAGE_YEARS.start}–{PACKAGE_YEARS.stop - 1} 年")
        print(f"已录入：{'、'.join(map(str, entered)) or '无'}")
        if args.year is not None:
            if not cal.knows(args.year):
                raise CliError(f"{args.year} 年的放假调休安排未知")
            day = dt.date(args.year, 1, 1)
            while day.year == args.year:
                if cal.is_workday(day) == (day.weekday() >= 5):
                    print(f"{day.isoformat()}\t{'上班' if cal.is_workday(day) else '休息'}")
                day += dt.timedelta(days=1)
    finally:
        db.close()
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from gxdesk.store.database import check_database

    db = _open(args)
    db.close()
    problems = check_database(db.path)
    for line in problems:
        print(line)
    if problems:
        raise CliError(f"数据库有 {len(problems)} 处问题")
    print(f"数据库完好：{db.path}")
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    from gxdesk.store.database import backup_database

    db = _open(args)
    db.close()
    backup_database(db.path, args.out)
    print(f"已备份到 {args.out}")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from gxdesk.paths import default_database
    from gxdesk.store.database import restore_database

    target = args.db or default_database()
    restore_database(args.file, target)
    print(f"已从 {args.file} 恢复 {target}")
    return 0


def cmd_gui(args: argparse.Namespace) -> int:
    from gxdesk.ui.app import run_gui

    return run_gui(
        db_path=args.db,
        on=getattr(args, "on", None),
        view=getattr(args, "view", "table"),
        screenshot=getattr(args, "screenshot", None),
        size=getattr(args, "size", (1600, 1000)),
    )


COMMANDS = {
    "import-plan": cmd_import_plan,
    "tasks": cmd_tasks,
    "calendar": cmd_calendar,
    "export-units": exchange_cli.cmd_export_units,
    "merge": exchange_cli.cmd_merge,
    "export-plan": exchange_cli.cmd_export_plan,
    "check": cmd_check,
    "backup": cmd_backup,
    "restore": cmd_restore,
    "gui": cmd_gui,
}


def _known_errors() -> tuple[type[BaseException], ...]:
    from gxdesk.core.plan import PlanError
    from gxdesk.core.workdays import CalendarUnknownError
    from gxdesk.exchange.safety import BadFileError
    from gxdesk.store.database import DatabaseError

    return (CliError, PlanError, BadFileError, DatabaseError, CalendarUnknownError, OSError)


def main(argv: Sequence[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        if stream is not None and hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8", errors="replace")
    try:
        args = build_parser().parse_args(argv)
        return COMMANDS[args.command or "gui"](args)
    except BrokenPipeError:  # e.g. `gxdesk tasks | head`: the reader left, nothing to say
        sys.stderr = None
        return 0
    except _known_errors() as exc:
        print(f"gxdesk: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("gxdesk: 已取消", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
