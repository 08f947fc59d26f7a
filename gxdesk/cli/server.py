"""Commands of the server mode: copying a year between a file and a server, and accounts.

``copy-to TARGET`` copies the open database (``--db``) into a new one, either way
between a file and a server. ``grant-lead LOGIN`` / ``grant-unit LOGIN UNIT``
give an existing server login the lead office's rights, or one unit's (see
:mod:`gxdesk.store.server.roles`); the logins and their passwords are the
server's business, never the program's.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from gxdesk.cli.common import CliError, db_arg, open_db


def register(sub: Any) -> None:
    c = sub.add_parser("copy-to", help="把数据库完整复制到服务器或新的 .sqlite 文件")
    c.add_argument(
        "target", type=db_arg, metavar="目标", help="服务器地址 postgresql://…，或新的 .sqlite 文件"
    )
    c.set_defaults(func=cmd_copy_to)
    lead = sub.add_parser("grant-lead", help="（服务器）让登录账号拥有牵头单位的全部权限")
    lead.add_argument("login", metavar="登录名", help="服务器上已有的登录账号")
    lead.set_defaults(func=cmd_grant_lead)
    unit = sub.add_parser("grant-unit", help="（服务器）让登录账号只能填报某单位的进展")
    unit.add_argument("login", metavar="登录名", help="服务器上已有的登录账号")
    unit.add_argument("unit", metavar="单位", help="单位名称或简称")
    unit.set_defaults(func=cmd_grant_unit)


def cmd_copy_to(args: argparse.Namespace) -> int:
    from gxdesk.store.server.copy import copy_database

    db = open_db(args)
    try:
        counts = copy_database(db, args.target)
    finally:
        db.close()
    total = sum(counts.values())
    print(f"已复制 {len(counts)} 张表、{total} 行到 {args.target}")
    return 0


def _server(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    db = open_db(args)
    if not db.is_server:
        db.close()
        raise CliError("账号权限只用于服务器数据库（--db postgresql://…）")
    return db


def cmd_grant_lead(args: argparse.Namespace) -> int:
    from gxdesk.store.server.connect import connect
    from gxdesk.store.server.roles import grant_lead

    db = _server(args)
    try:
        with connect(db.url) as conn:
            grant_lead(conn, args.login)
    finally:
        db.close()
    print(f"账号 {args.login} 现为牵头单位账号（全部权限）")
    return 0


def cmd_grant_unit(args: argparse.Namespace) -> int:
    from gxdesk.store import queries
    from gxdesk.store.server.connect import connect
    from gxdesk.store.server.roles import grant_unit

    db = _server(args)
    try:
        try:
            unit = queries.unit_by_name(db, args.unit)
        except LookupError as exc:
            raise CliError(str(exc)) from None
        with connect(db.url) as conn:
            grant_unit(conn, args.login, unit.id)
    finally:
        db.close()
    print(f"账号 {args.login} 现只能查看{unit.name}的任务、填报{unit.name}的进展", file=sys.stdout)
    return 0
