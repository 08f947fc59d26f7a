"""Command-line faces of the exchange jobs: export-units, merge, export-plan.

``merge`` exit codes: 0 when every file was read and identified (rows may still
be rejected, invalid, in conflict or unmatched: they are reported, never
applied; a file with rows to verify waits whole unless ``--accept-warnings``); 2 when any file was refused as a whole (its reason on stderr, one
line per file) or nothing was given — the readable files are still merged
unless ``--dry-run``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from gxdesk.cli.common import EXIT_BAD_INPUT, CliError, open_db, parse_date

ON_HELP = "截至日期 YYYY-MM-DD（默认今天）：表中的截至日期、红黄绿灯和文件名中的月份都按这一天"


def register(sub: Any) -> None:
    x = sub.add_parser("export-units", help="导出各单位进展表（每个单位一个 .xlsx）")
    x.add_argument("dir", type=Path, metavar="文件夹", help="导出到这个文件夹")
    x.add_argument("--unit", action="append", default=[], metavar="单位", help="只导出该单位（可重复）")
    x.add_argument("--on", type=parse_date, metavar="日期", help=ON_HELP)
    x.set_defaults(func=cmd_export_units)
    m = sub.add_parser("merge", help="合并回收的进展表")
    m.add_argument("files", nargs="+", type=Path, metavar="文件", help="回收的 .xlsx，或装着它们的文件夹")
    m.add_argument("--dry-run", action="store_true", help="只预览，不写入数据库")
    m.add_argument("--json", action="store_true", help="以 JSON 输出每个文件的结果")
    m.add_argument(
        "--accept-warnings",
        action="store_true",
        help="也写入待核实的行（如已完成但进度不足 100%%）；不加则含这些行的文件整个暂不写入",
    )
    m.set_defaults(func=cmd_merge)
    e = sub.add_parser("export-plan", help="导出整个台账为 .xlsx")
    e.add_argument("out", type=Path, metavar="输出.xlsx")
    e.add_argument("--on", type=parse_date, metavar="日期", help=ON_HELP)
    e.set_defaults(func=cmd_export_plan)


def cmd_export_units(args: argparse.Namespace) -> int:
    from gxdesk.ops.exchange import export_units
    from gxdesk.store.exports import unreachable_tasks
    from gxdesk.store.queries import current_plan

    db = open_db(args, write=True)
    try:
        try:
            files = export_units(db, args.dir, unit_names=args.unit, on=args.on)
        except LookupError as exc:
            raise CliError(str(exc)) from None
        plan = current_plan(db)
        missed = unreachable_tasks(db, plan.id) if plan and not args.unit else []
    finally:
        db.close()
    for f in files:
        print(f"{f.unit}\t{f.rows} 项任务\t{f.path}")
    print(f"已导出 {len(files)} 个单位的进展表到 {args.dir}")
    for name, units in missed:
        print(f"提示：“{name}”没有单位可以填报（{units}：单位组还没有成员）", file=sys.stderr)
    return 0


def cmd_merge(args: argparse.Namespace) -> int:
    from gxdesk.ops.exchange import expand_paths, preview_merge
    from gxdesk.store.merge import apply_merge

    files, skipped = expand_paths(args.files)
    for s in skipped:
        print(f"跳过临时文件：{s.name}", file=sys.stderr)
    if not files:
        raise CliError("没有可合并的文件")
    db = open_db(args, write=not args.dry_run)
    try:
        plan = preview_merge(db, files)
        to_verify = plan.rows_to_verify()
        held = set() if args.accept_warnings else {i for i, _row in to_verify}
        result = None
        if not args.dry_run:
            result = (
                apply_merge(db, plan, take_conflicts=to_verify, note="命令行合并")
                if args.accept_warnings
                else apply_merge(db, plan.without_files_to_verify(), note="命令行合并")
            )
    finally:
        db.close()
    if args.json:
        out = [{**f.as_json(), "held": i in held} for i, f in enumerate(plan.files)]
        json.dump(out, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        for i, f in enumerate(plan.files):
            c = f.counts()
            if f.error:
                print(f"{f.file_name}\t拒收：{f.error}")
                continue
            if f.duplicate_of is not None:
                print(f"{f.file_name}\t{f.unit}\t已于第 {f.duplicate_of} 批合并过，本次不再写入")
                continue
            print(
                f"{f.file_name}\t{f.unit or '单位待确认'}\t新进展 {c['applied']}，无变化 {c['unchanged']}，"
                f"冲突 {c['conflicts']}，拒收 {c['rejected']}，无法识别 {c['invalid']}，"
                f"待确认 {c['unmatched']}，待核实 {c['warnings']}"
            )
            if f.replaces:
                print(f"  {f.replaces}")
            for r in f.rows:
                if r.outcome.value not in ("applied", "unchanged") or r.reason.startswith("更正"):
                    print(f"  第{r.row}行\t{r.outcome.label}\t{r.reason}")
            if i in held:
                print(
                    f"  有 {c['warnings']} 行待核实，整个文件暂未写入；"
                    "核实无误后加 --accept-warnings 再合并"
                )
        if result is not None and result.batch_id is not None:
            saved = f"（备份：{result.backup}）" if result.backup else ""
            print(f"已写入第 {result.batch_id} 批：{result.applied} 条进展{saved}")
        elif args.dry_run:
            print("预览完毕，未写入数据库（--dry-run）")
        else:
            print("没有需要写入的新进展")
    for f in plan.refused:
        print(f"gxdesk: {f.file_name}：{f.error}", file=sys.stderr)
    return EXIT_BAD_INPUT if plan.refused else 0


def cmd_export_plan(args: argparse.Namespace) -> int:
    from gxdesk.ops.exchange import export_plan

    db = open_db(args)
    try:
        try:
            out = export_plan(db, args.out, on=args.on)
        except LookupError as exc:
            raise CliError(str(exc)) from None
    finally:
        db.close()
    print(f"已导出台账：{out}")
    return 0
