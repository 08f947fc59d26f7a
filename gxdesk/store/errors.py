"""SQLite's and the file system's failures, said in Chinese for the clerk.

SQLite reports why it failed in English (``database is locked``, ``disk I/O
error`` …); the command line and the window both show :func:`describe` of the
exception, so each reason is translated here once. Only failures of the file
and the disk — or of the server and its refusals, in the server mode — are
described; anything else is a bug and is left to propagate.
"""

from __future__ import annotations

import errno
import sqlite3

#: SQLite's English reason (a substring, lower case) → what it means for the clerk.
SQLITE_REASONS: tuple[tuple[str, str], ...] = (
    ("file is not a database", "文件不是数据库，或文件头已损坏"),
    ("database disk image is malformed", "数据库文件已损坏"),
    ("disk i/o error", "磁盘读写错误（文件可能已被移走、替换，或磁盘有故障）"),
    ("database is locked", "数据库正被另一个程序占用，等待超时"),
    ("database table is locked", "数据库正被另一个程序占用，等待超时"),
    ("readonly database", "数据库文件或其所在文件夹是只读的，无法写入"),
    ("database or disk is full", "磁盘空间已满"),
    ("unable to open database file", "无法打开数据库文件（文件夹不存在或没有权限）"),
    ("no such table", "数据库缺少应有的数据表（文件不完整或不是 gxdesk 数据库）"),
    ("already exists", "数据库中的数据表与版本号不符（文件已被其他工具改动）"),
    ("interrupted", "操作被中断"),
)

_ERRNO_REASONS = {
    errno.ENOSPC: "磁盘空间已满",
    errno.EACCES: "没有写入权限（文件或文件夹是只读的）",
    errno.EPERM: "没有权限",
    errno.EROFS: "磁盘是只读的",
    errno.ENOENT: "文件或文件夹不存在",
    errno.EIO: "磁盘读写错误",
    errno.EISDIR: "这是一个文件夹，不是文件",
    errno.ENOTDIR: "路径中有一段不是文件夹",
    errno.EDQUOT: "超出磁盘配额",
}


#: The exception types of a failing file or disk, for ``except`` clauses outside ``store``
#: (SQLAlchemy wraps sqlite3's errors; its wrapper derives from neither, see describe()).
DISK_FAILURES: tuple[type[BaseException], ...] = (OSError, sqlite3.Error)


def _sqlite_error(exc: BaseException) -> sqlite3.Error | None:
    """The sqlite3 error itself, also when SQLAlchemy wrapped it (``.orig``)."""
    if isinstance(exc, sqlite3.Error):
        return exc
    orig = getattr(exc, "orig", None)
    if isinstance(orig, sqlite3.Error) and type(exc).__module__.startswith("sqlalchemy"):
        return orig
    return None


def sqlite_reason(exc: BaseException) -> str:
    """SQLite's reason in Chinese (its English kept only when it is one we do not know)."""
    err = _sqlite_error(exc) or exc
    text = str(err.args[0] if err.args else err).lower()
    for english, chinese in SQLITE_REASONS:
        if english in text:
            return chinese
    return f"SQLite：{err}"


def os_reason(exc: OSError) -> str:
    reason = _ERRNO_REASONS.get(exc.errno or -1)
    if reason is None:
        reason = exc.strerror or str(exc)
    name = exc.filename
    return f"{reason}：{name}" if name else reason


def is_disk_failure(exc: BaseException) -> bool:
    """Whether ``exc`` is a failure of the database file or the disk (not a bug)."""
    return isinstance(exc, OSError) or _sqlite_error(exc) is not None


def describe(exc: BaseException) -> str | None:
    """One line for the clerk, or None when ``exc`` is not a file or disk failure."""
    if isinstance(exc, OSError):
        return f"文件操作失败：{os_reason(exc)}"
    err = _sqlite_error(exc)
    if err is None:
        from gxdesk.store.server.reasons import server_failure

        return server_failure(exc)  # a server's refusal (a unit's account, the server away)
    return f"数据库操作失败，未做任何改动（{sqlite_reason(err)}）"
