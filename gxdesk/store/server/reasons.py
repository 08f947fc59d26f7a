"""What the server's refusals mean for the clerk: one Chinese line each.

Apart from :mod:`gxdesk.store.server.connect` so that :mod:`gxdesk.store.errors`
(which the whole program asks to describe a failure) can say a server's reason
without importing the store it serves.
"""

from __future__ import annotations

import re
import sys

#: what a refused table holds, for the clerk (a unit's account may write only reports)
TABLE_NAMES = {
    "plan": "工作要点", "category": "类别", "task": "任务", "assignment": "任务分工",
    "unit": "单位", "group_member": "单位组", "progress": "进展", "merge_batch": "合并记录",
    "merged_file": "合并记录", "export_record": "导出记录", "reminder": "催办记录",
    "reminder_task": "催办记录", "calendar_day": "工作日历", "calendar_year": "工作日历",
    "office_setting": "单位设置", "unit_account": "账号", "gxdesk_change_seq": "变更计数",
}  # fmt: skip


def explain(exc: BaseException, where: str) -> str:
    """One Chinese line for a libpq / server error; ``where`` names the server (or is empty)."""
    text = str(exc).strip()
    first = text.splitlines()[0] if text else type(exc).__name__
    low = text.lower()
    at = f"（{where}）" if where else ""
    if "password authentication failed" in low:
        return f"数据库服务器拒绝登录：用户名或口令不对{at}"
    if "no password supplied" in low or "fe_sendauth" in low:
        return f"数据库服务器要求口令，但没有找到：请在 ~/.pgpass 或 PGPASSFILE 中配置{at}"
    if "does not exist" in low and "database" in low:
        return f"服务器上没有这个数据库{at}"
    if "role" in low and "does not exist" in low:
        return f"服务器上没有这个用户{at}"
    if "server does not support ssl" in low:
        return f"数据库服务器不支持加密连接，而地址要求加密（sslmode）{at}"
    if "ssl" in low or "certificate" in low:
        return f"与数据库服务器的加密连接（sslmode）未能建立：{first}"
    if "no pg_hba.conf entry" in low:
        return f"数据库服务器不允许从本机登录（pg_hba.conf）{at}"
    if any(w in low for w in ("connection refused", "timeout", "timed out", "could not translate",
                              "no route", "network is unreachable", "could not connect")):
        return "无法连接数据库服务器（服务器未启动、地址不对或网络不通）" + (f"：{where}" if where else "")
    if "row-level security" in low:
        return "数据库服务器拒绝了这项操作（本账号无此权限）：单位账号只能填报本单位任务的进展"
    denied = re.search(r'permission denied for (?:table|relation|sequence|function) "?(\w+)', text)
    if denied:
        what = TABLE_NAMES.get(denied.group(1), denied.group(1))
        return f"数据库服务器拒绝了这项操作（本账号无此权限）：不能修改{what}"
    if "permission denied" in low:
        return "数据库服务器拒绝了这项操作（本账号无此权限）"
    return f"数据库服务器出错：{first}"


def server_failure(exc: BaseException) -> str | None:
    """One Chinese line if ``exc`` is the server's (psycopg's, maybe wrapped by SQLAlchemy)."""
    if "psycopg" not in sys.modules:
        return None
    import psycopg

    orig = getattr(exc, "orig", exc)
    if isinstance(orig, psycopg.Error):
        return explain(orig, "")
    return None
