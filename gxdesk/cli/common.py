"""What every command shares: the one-line refusal, dates, sizes, opening the database."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

if TYPE_CHECKING:
    from gxdesk.core.views import PlanInfo
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
