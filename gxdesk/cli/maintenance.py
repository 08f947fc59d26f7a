"""Keeping the database: check, backup, restore."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from gxdesk.cli.common import CliError, open_db


def register(sub: Any) -> None:
    sub.add_parser("check", help="检查数据库（只读，不创建任何文件）").set_defaults(func=cmd_check)
    b = sub.add_parser("backup", help="备份数据库")
    b.add_argument("out", type=Path, metavar="备份文件")
    b.set_defaults(func=cmd_backup)
    r = sub.add_parser("restore", help="从备份恢复数据库")
    r.add_argument("file", type=Path, metavar="备份文件")
    r.set_defaults(func=cmd_restore)


def _is_server(args: argparse.Namespace) -> bool:
    return isinstance(args.db, str)  # cli.common.db_arg keeps a server address as text


def _existing(args: argparse.Namespace) -> Path:
    """The database file a read-only command looks at; it must exist and not be empty."""
    from gxdesk.paths import default_database

    path = args.db or default_database()
    if path.is_dir():
        raise CliError(f"{path} 是文件夹，不是数据库文件")
    if not path.exists():
        raise CliError(f"数据库文件不存在：{path}")
    if path.stat().st_size == 0:
        raise CliError(f"{path.name} 是空文件（0 字节），不是 gxdesk 数据库")
    return path


def cmd_check(args: argparse.Namespace) -> int:
    """The health report; reads only, never migrates or creates (hence no open_db)."""
    from gxdesk.store.health import health_report

    if _is_server(args):  # the server keeps its own integrity; opening checks the schema
        db = open_db(args)
        db.close()
        print(f"服务器数据库可用：{db.label}")
        return 0
    path = _existing(args)
    lines = health_report(path)
    for line in lines:
        print(f"{'✗' if line.problem else '✓'} {line.label}：{line.text}")
    problems = [line for line in lines if line.problem]
    if problems:
        raise CliError(f"数据库有 {len(problems)} 项问题：{path}")
    print(f"数据库完好：{path}")
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    from gxdesk.store.backups import make_backup

    if _is_server(args):  # a portable SQLite file of the whole server database
        from gxdesk.store.server.copy import copy_database

        db = open_db(args)
        try:
            copy_database(db, args.out, replace=True)
        finally:
            db.close()
        print(f"已备份到 {args.out}")
        return 0
    path = _existing(args)
    out = args.out / f"{path.stem}.manual-backup.sqlite" if args.out.is_dir() else args.out
    info = make_backup(path, out)
    print(f"已备份到 {out}（{info.summary()}，校验值 sha256 {(info.sha256 or '')[:12]}…）")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from gxdesk.store.backups import read_backup
    from gxdesk.store.database import restore_database
    from gxdesk.store.lock import WriterLock

    if _is_server(args):
        raise CliError("服务器数据库请用 copy-to 把备份文件复制到一个新的空库")
    target = args.db or _default_target()
    if not target.parent.is_dir():
        raise CliError(f"目录不存在：{target.parent}")
    lock = WriterLock(target)  # not open_db: a damaged file must still be restorable
    lock.acquire()
    try:
        restore_database(args.file, target)
    finally:
        lock.release()
    print(f"已从 {args.file} 恢复 {target}")
    if read_backup(args.file).sha256 is None:
        print("提示：该备份没有校验记录（不是本程序做的备份），只检查了数据库结构", flush=True)
    return 0


def _default_target() -> Path:
    from gxdesk.paths import user_data_dir

    return user_data_dir() / "gxdesk.sqlite"
