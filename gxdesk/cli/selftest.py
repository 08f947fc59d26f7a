"""``gxdesk --self-test``: check, on this PC, that the program and what it ships work.

A top-level flag (not a command), as DESIGN.md has it. The result goes to
stdout and to ``self-test.txt`` in the user's data folder, because the windowed
``gxdesk.exe`` has no stdout on Windows; exit 0 only when every check passed.
The checks run on a copy of the bundled seed in a temporary folder.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from typing import Any

RESULT_NAME = "self-test.txt"


class _SelfTest(argparse.Action):
    """``--self-test`` stands for a command: it sets ``func`` like a sub-parser would."""

    def __call__(self, parser: Any, namespace: argparse.Namespace, *_: Any) -> None:
        namespace.command = "self-test"
        namespace.func = cmd_self_test


def add_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--self-test", action=_SelfTest, nargs=0, help="自检：检查本机能否正常运行后退出")


def checks() -> list[tuple[str, Any]]:
    """The Qt-free checks, then Qt's version and the window render."""
    from gxdesk.ops.selftest import CHECKS
    from gxdesk.ui.selftest import qt_versions, render_window

    out = list(CHECKS)
    out.insert(1, ("Qt 版本", qt_versions))
    out.append(("主窗口渲染", render_window))
    return out


def cmd_self_test(_args: argparse.Namespace) -> int:
    from gxdesk.ops.selftest import format_result, run_checks
    from gxdesk.paths import user_data_dir

    with tempfile.TemporaryDirectory(prefix="gxdesk-selftest-") as tmp:
        results = run_checks(Path(tmp), checks())
    text = format_result(results)
    sys.stdout.write(text) if sys.stdout is not None else None
    target = user_data_dir() / RESULT_NAME
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        print(f"结果已写入：{target}")
    except OSError as exc:
        print(f"gxdesk: 无法写入自检结果：{target}（{exc.strerror or exc}）", file=sys.stderr)
        return 1
    return 0 if all(r.ok for r in results) else 1
