"""What every command shares: the one-line refusal, dates, sizes, opening the database."""

from __future__ import annotations

import argparse
import calendar
import datetime as dt
import re
import sys
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

if TYPE_CHECKING:
    from gxdesk.core.views import PlanInfo
    from gxdesk.store.database import Database

EXIT_BAD_INPUT = 2


class CliError(Exception):
    """A one-line reason for the user; becomes exit code 2."""


_ISO_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def parse_date(text: str) -> dt.date:
    """A ``YYYY-MM-DD`` date; a well-written day that does not exist is told apart."""
    m = _ISO_DAY.fullmatch(text)
    if not m:
        raise argparse.ArgumentTypeError(f"日期格式应为 YYYY-MM-DD：{text}")
    year, month, day = map(int, m.groups())
    if not 1 <= month <= 12:
        raise argparse.ArgumentTypeError(f"没有这个日期：{text}（月份应为 01–12）")
    if year < 1:
        raise argparse.ArgumentTypeError(f"没有这个日期：{text}（年份应为 0001 起）")
    try:
        return dt.date(year, month, day)
    except ValueError:
        last = calendar.monthrange(year, month)[1]
        raise argparse.ArgumentTypeError(
            f"没有这个日期：{text}（{year}年{month}月只有 {last} 天）"
        ) from None


def parse_year(text: str) -> int:
    if not (text.isascii() and text.isdigit() and len(text) == 4):
        raise argparse.ArgumentTypeError(f"年份应为四位数字，如 2014：{text}")
    return int(text)


def parse_size(text: str) -> tuple[int, int]:
    try:
        w, h = text.lower().split("x")
        return int(w), int(h)
    except ValueError:
        raise argparse.ArgumentTypeError(f"尺寸格式应为 宽x高，如 1600x1000：{text}") from None


class HelpFormatter(argparse.HelpFormatter):
    """Room for the command names before their (Chinese) help, so lines do not break."""

    def __init__(self, prog: str) -> None:
        super().__init__(prog, max_help_position=32)

    def format_help(self) -> str:
        # argparse ends a section heading with an ASCII colon; Chinese text takes "："
        text = super().format_help()
        for heading in ("选项", "位置参数", "子命令"):
            text = text.replace(f"\n{heading}:\n", f"\n{heading}：\n")
        return "\n".join(_align_wide(line) for line in text.split("\n"))


_OPTION_LINE = re.compile(r"^(\s+\S.*?)(\s{2,})(\S.*)$")


def _align_wide(line: str) -> str:
    """argparse pads by characters; a Chinese character takes two columns on a terminal,
    so the help after a Chinese metavar (``--on 日期``) is pulled back by one space each."""
    m = _OPTION_LINE.match(line)
    if not m:
        return line
    wide = sum(unicodedata.east_asian_width(ch) in "WF" for ch in m.group(1))
    if not wide:
        return line
    gap = max(2, len(m.group(2)) - wide)
    return f"{m.group(1)}{' ' * gap}{m.group(3)}"


class Parser(argparse.ArgumentParser):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", HelpFormatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:  # one line, exit 2, no usage dump
        raise CliError(f"参数错误：{message}")


def db_arg(text: str) -> str | Path:
    """``--db``: a file, or a ``postgresql://`` server address (kept as typed: a Path
    would fold its ``//``)."""
    if text.lower().startswith(("postgresql://", "postgres://")):
        return text
    return Path(text)


def open_db(args: argparse.Namespace, *, write: bool = False) -> Database:
    """The database of ``--db`` (or the user's own, created from the seed on first use).

    Only a command that writes (``write=True``) may create a file given by
    ``--db``, and it holds the writer lock (:mod:`gxdesk.store.lock`) until
    ``close()``: a second writer gets who holds it, not a ``database is locked``.
    """
    from gxdesk.paths import default_database
    from gxdesk.store.database import open_database
    from gxdesk.store.location import sync_warning

    path = args.db or default_database()
    if isinstance(path, str):  # a server address (db_arg)
        from gxdesk.store.server.database import open_server

        db: Database = open_server(path)
    else:
        db = open_database(path, create=write)
    if write:
        db.lock_for_writing()
        warning = None if db.is_server else sync_warning(path)
        if warning:
            print(f"gxdesk: {warning}", file=sys.stderr)
    return db


def require_plan(db: Database) -> PlanInfo:
    """The plan the commands work on, or the one-line refusal when there is none yet."""
    from gxdesk.store import queries

    plan = queries.current_plan(db)
    if plan is None:
        raise CliError("数据库中还没有计划，请先 import-plan")
    return plan
