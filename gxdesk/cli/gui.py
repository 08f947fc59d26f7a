"""The window: ``gxdesk gui`` (also what runs with no command at all)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from gxdesk.cli.common import CliError, parse_date, parse_size
from gxdesk.cli.display import no_display_reason


def register(sub: Any) -> None:
    g = sub.add_parser("gui", help="打开主窗口（默认）")
    g.add_argument("--on", type=parse_date, metavar="日期", help="以该日期计算红黄绿灯")
    g.add_argument("--view", choices=["table", "gantt"], default="table", help="任务表或甘特图")
    g.add_argument("--screenshot", type=Path, metavar="输出.png", help="离屏渲染主窗口到 PNG 后退出")
    g.add_argument(
        "--size", type=parse_size, default=(1600, 1000), metavar="宽x高", help="截图尺寸，如 1600x1000"
    )
    g.set_defaults(func=cmd_gui)


def cmd_gui(args: argparse.Namespace) -> int:
    screenshot = getattr(args, "screenshot", None)
    if screenshot is None:
        reason = no_display_reason()
        if reason:
            raise CliError(reason)
    from gxdesk.ui.app import run_gui

    return run_gui(
        db_path=args.db,
        on=getattr(args, "on", None),
        view=getattr(args, "view", "table"),
        screenshot=screenshot,
        size=getattr(args, "size", (1600, 1000)),
    )
