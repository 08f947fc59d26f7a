"""Keeping the database: check, backup, restore."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from gxdesk.cli.common import CliError, open_db


def register(sub: Any) -> None:
    sub.add_parser("check", help="检查数据库完整性").set_defaults(func=cmd_check)
    b = sub.add_parser("backup", help="备份数据库")
    b.add_argument("out", type=Path)
    b.set_defaults(func=cmd_backup)
    r = sub.add_parser("restore", help="从备份恢复数据库")
    r.add_argument("file", type=Path)
    r.set_defaults(func=cmd_restore)


def cmd_check(args: argparse.Namespace) -> int:
    from gxdesk.store.database import check_database

    db = open_db(args)
    db.close()
    if db.is_server:  # the server keeps its own integrity; opening checked the schema
        print(f"服务器数据库可用：{db.label}")
        return 0
    problems = check_database(db.path)
    for line in problems:
        print(line)
    if problems:
        raise CliError(f"数据库有 {len(problems)} 处问题")
    print(f"数据库完好：{db.path}")
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    from gxdesk.store.database import backup_database

    db = open_db(args)
    if db.is_server:  # a portable SQLite file of the whole server database
        from gxdesk.store.server.copy import copy_database

        try:
            copy_database(db, args.out, replace=True)
        finally:
            db.close()
        print(f"已备份到 {args.out}")
        return 0
    db.close()
    backup_database(db.path, args.out)
    print(f"已备份到 {args.out}")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from gxdesk.paths import default_database
    from gxdesk.store.database import restore_database

    target = args.db or default_database()
    if isinstance(target, str):
        raise CliError("服务器数据库请用 copy-to 从备份文件复制到一个新的空库")
    restore_database(args.file, target)
    print(f"已从 {args.file} 恢复 {target}")
    return 0
