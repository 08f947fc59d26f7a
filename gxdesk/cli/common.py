"""What every command shares: the one-line refusal, dates, sizes, opening the database."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gxdesk.store.database import Database

EXIT_BAD_INPUT = 2


class CliError(Exception):
    """A one-line reason for the user; becomes exit code 2."""


def parse_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期格式应为 YYYY-MM-DD：{text}") from None


def parse_size(text: str) -> tuple[int, int]:
    try:
        w, h = text.lower().split("x")
        return int(w), int(h)
    except ValueError:
        raise argparse.ArgumentTypeError(f"尺寸格式应为 宽x高，如 1600x1000：{text}") from None


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2, no usage dump
        raise CliError(f"参数错误：{message}")


def db_arg(text: str) -> str | Path:
    """``--db``: a file, or a ``postgresql://`` server address (kept as typed: a Path
    would fold its ``//``)."""
    if text.lower().startswith(("postgresql://", "postgres://")):
        return text
    return Path(text)


def open_db(args: argparse.Namespace) -> Database:
    from gxdesk.paths import default_database
    from gxdesk.store.database import open_database

    return open_database(args.db or default_database())
