"""libpq connections to the server, and their failures as one Chinese line.

Everything libpq knows is left to it (password file, service file, ``sslmode``,
``PGCONNECT_TIMEOUT``); the program adds only a connect timeout when none is
given, so an unreachable server is refused in seconds, not minutes.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from gxdesk.store.database import DatabaseError
from gxdesk.store.server.address import check_address, describe

if TYPE_CHECKING:
    import psycopg

CONNECT_TIMEOUT = 10  # seconds, when neither the address nor PGCONNECT_TIMEOUT says


class ServerError(DatabaseError):
    """The server refused or could not be reached; the message is for the clerk."""


def explain(exc: BaseException, url: str) -> str:
    """One Chinese line for a libpq / server error."""
    text = str(exc).strip()
    first = text.splitlines()[0] if text else type(exc).__name__
    low = text.lower()
    where = describe(url)
    if "password authentication failed" in low:
        return f"数据库服务器拒绝登录：用户名或口令不对（{where}）"
    if "no password supplied" in low or "fe_sendauth" in low:
        return f"数据库服务器要求口令，但没有找到：请在 ~/.pgpass 或 PGPASSFILE 中配置（{where}）"
    if "does not exist" in low and "database" in low:
        return f"服务器上没有这个数据库（{where}）"
    if "role" in low and "does not exist" in low:
        return f"服务器上没有这个用户（{where}）"
    if "ssl" in low or "certificate" in low:
        return f"与数据库服务器的加密连接（sslmode）未能建立：{first}"
    if "no pg_hba.conf entry" in low:
        return f"数据库服务器不允许从本机登录（pg_hba.conf）（{where}）"
    if any(w in low for w in ("connection refused", "timeout", "timed out", "could not translate",
                              "no route", "network is unreachable", "could not connect")):
        return f"无法连接数据库服务器（服务器未启动、地址不对或网络不通）：{where}"
    if "permission denied" in low or "row-level security" in low:
        return f"数据库服务器拒绝了这项操作（本账号无此权限）：{first}"
    return f"数据库服务器出错：{first}"


def connect(url: str, **kwargs: object) -> psycopg.Connection:
    """A psycopg connection to ``url`` (checked); ServerError with a Chinese reason if none."""
    import psycopg

    check_address(url)
    if "connect_timeout" not in url and "PGCONNECT_TIMEOUT" not in os.environ:
        kwargs.setdefault("connect_timeout", CONNECT_TIMEOUT)
    kwargs.setdefault("application_name", "gxdesk")
    try:
        return psycopg.connect(url, **kwargs)  # type: ignore[arg-type]
    except psycopg.Error as exc:
        raise ServerError(explain(exc, url)) from None


def server_failure(exc: BaseException) -> str | None:
    """One Chinese line if ``exc`` is the server's (psycopg's, maybe wrapped by SQLAlchemy)."""
    import sys

    if "psycopg" not in sys.modules:
        return None
    import psycopg

    orig = getattr(exc, "orig", exc)
    if isinstance(orig, psycopg.Error):
        return explain(orig, "")
    return None
