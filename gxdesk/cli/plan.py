"""Plan commands: import-plan, tasks, calendar."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

from gxdesk.cli.common import CliError, open_db, parse_date, require_plan


def register(sub: Any) -> None:
    i = sub.add_parser("import-plan", help="导入工作要点分解表（.txt/.docx/.xlsx）")
    i.add_argument("file", type=Path)
    i.add_argument("--year", type=int)
    i.add_argument("--issued", type=parse_date, help="方案印发日期 YYYY-MM-DD")
    i.set_defaults(func=cmd_import_plan)

    t = sub.add_parser("tasks", help="列出任务")
    t.add_argument("--unit")
    t.add_argument("--light", choices=["red", "yellow", "green"])
    t.add_argument("--on", type=parse_date)
    t.add_argument("--json", action="store_true")
    t.set_defaults(func=cmd_tasks)

    c = sub.add_parser("calendar", help="查看或录入某年的放假调休安排")
    c.add_argument("year", type=int, nargs="?")
    c.add_argument("--holiday", action="append", default=[], metavar="DATE[..DATE]")
    c.add_argument("--workday", action="append", default=[], metavar="DATE", help="调休上班日")
    c.add_argument("--note", default="")
    c.set_defaults(func=cmd_calendar)


def cmd_import_plan(args: argparse.Namespace) -> int:
    from gxdesk.ops.plan_import import read_plan_file, save_plan_draft

    if not args.file.is_file():
        raise CliError(f"文件不存在：{args.file}")
    draft = read_plan_file(args.file, year=args.year, issued=args.issued)
    db = open_db(args, write=True)  # only once the file is read: a bad file leaves no database behind
    try:
        result = save_plan_draft(db, draft, args.file.name)
    finally:
        db.close()
    print(
        f"已导入计划 #{result.plan_id}《{result.title}》：{result.categories} 个类别，"
        f"{result.tasks} 项任务，{result.assignments} 条分工，"
        f"{result.inferred} 处由合并单元格推断（待确认），{result.needs_review} 处需人工核对"
    )
    for warning in result.warnings:
        print(f"提示：{warning}", file=sys.stderr)
    return 0


def cmd_tasks(args: argparse.Namespace) -> int:
    from gxdesk.store import queries
    from gxdesk.store.tasks_json import task_dicts

    db = open_db(args)
    try:
        plan = require_plan(db)
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
        return expand(parse_date(first), parse_date(last) if last else None)
    except (argparse.ArgumentTypeError, ValueError) as exc:
        raise CliError(str(exc)) from None


def cmd_calendar(args: argparse.Namespace) -> int:
    from gxdesk.core.workdays import PACKAGE_YEARS, DayOverride
    from gxdesk.store import calendar, queries

    entering = bool(args.holiday or args.workday)
    db = open_db(args, write=entering)  # entering a year writes; looking does not create a file
    try:
        if entering:
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
