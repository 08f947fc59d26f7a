"""Moving a year between a file and a server: every row of every table, in one go.

``copy_database(src, target)``: from an open SQLite file to a server, or from a
server to a new portable SQLite file (also what ``backup`` writes for a server).
Rows are read through the lean ``raw()`` path (ISO text, 0/1 — the same on both
back ends) and written with ``COPY`` on a server, ``executemany`` on a file; the
tables in foreign-key order. The target must be empty. A server target is
written in one transaction, a file under a temporary name renamed at the end:
a failure leaves nothing behind.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from gxdesk.store.database import Database, DatabaseError, migrate
from gxdesk.store.server.address import is_server_address


def tables() -> list[tuple[str, list[str], set[str]]]:
    """(table, columns, timestamp columns) in foreign-key order, from the ORM models."""
    from sqlalchemy import DateTime

    from gxdesk.store.schema import Base

    out = []
    for table in Base.metadata.sorted_tables:
        cols = [c.name for c in table.columns]
        stamps = {c.name for c in table.columns if isinstance(c.type, DateTime)}
        out.append((table.name, cols, stamps))
    return out


def _rows(src: Database, table: str, cols: list[str]) -> list[tuple[Any, ...]]:
    names = ", ".join(cols)
    with src.raw() as conn:
        return list(conn.execute(f'SELECT {names} FROM "{table}" ORDER BY 1'))


def _sqlalchemy_stamp(value: object) -> object:
    """A timestamp as SQLAlchemy stores it in SQLite (what the file's own writes look like)."""
    if isinstance(value, str):
        return dt.datetime.fromisoformat(value).strftime("%Y-%m-%d %H:%M:%S.%f")
    return value


def copy_database(
    src: Database, target: str | Path, *, replace: bool = False,
    progress: Callable[[str, int], None] | None = None,
) -> dict[str, int]:  # fmt: skip
    """Copy every row of ``src`` into ``target`` (a server address or a file); rows per table.

    ``replace``: a file target may exist and is replaced (a backup); otherwise it
    must not exist or be empty.
    """
    if is_server_address(target):
        return _to_server(src, str(target), progress)
    return _to_file(src, Path(target), replace, progress)


def _to_file(
    src: Database, target: Path, replace: bool, progress: Callable[[str, int], None] | None
) -> dict[str, int]:
    if not target.parent.is_dir():
        raise DatabaseError(f"目录不存在：{target.parent}")
    if target.exists() and target.stat().st_size > 0 and not replace:
        raise DatabaseError(f"目标文件已存在，为免覆盖未复制：{target}")
    if not src.is_server and target.exists() and target.resolve() == src.path.resolve():
        raise DatabaseError("不能复制到数据库自身")
    part = target.with_name(target.name + ".part")
    part.unlink(missing_ok=True)
    counts: dict[str, int] = {}
    try:
        migrate(part)
        conn = sqlite3.connect(part, isolation_level=None)
        try:
            conn.execute("PRAGMA foreign_keys=ON")
            conn.execute("BEGIN IMMEDIATE")
            for table, cols, stamps in tables():
                rows = _rows(src, table, cols)
                if stamps:
                    idx = [i for i, c in enumerate(cols) if c in stamps]
                    rows = [
                        tuple(_sqlalchemy_stamp(v) if i in idx else v for i, v in enumerate(r))
                        for r in rows
                    ]
                marks = ", ".join("?" * len(cols))
                conn.executemany(
                    f'INSERT INTO "{table}" ({", ".join(cols)}) VALUES ({marks})', rows
                )
                counts[table] = len(rows)
                if progress:
                    progress(table, len(rows))
            conn.execute("COMMIT")
            ok = conn.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            conn.close()
        if ok != "ok":
            raise DatabaseError(f"复制后的文件校验失败：{ok}")
        part.replace(target)
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    return counts


def _to_server(
    src: Database, url: str, progress: Callable[[str, int], None] | None
) -> dict[str, int]:
    import psycopg

    from gxdesk.store.server.connect import ServerError, connect, explain
    from gxdesk.store.server.database import analyze, open_server
    from gxdesk.store.server.ddl import WRITE_LOCK

    open_server(url).close()  # the schema, created or checked
    counts: dict[str, int] = {}
    conn = connect(url)
    try:
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))
            for table, _cols, _stamps in tables():
                found = conn.execute(f'SELECT EXISTS (SELECT 1 FROM "{table}")').fetchone()
                if found and found[0]:
                    raise DatabaseError(
                        f"服务器上的 gxdesk 数据库已有数据（表 {table}），为免混合未复制"
                    )
            for table, cols, _stamps in tables():
                rows = _rows(src, table, cols)
                with conn.cursor().copy(
                    f'COPY "{table}" ({", ".join(cols)}) FROM STDIN'
                ) as copy:
                    for row in rows:
                        copy.write_row(row)
                counts[table] = len(rows)
                if progress:
                    progress(table, len(rows))
            analyze(conn, [f'"{table}"' for table, _c, _s in tables()])
    except psycopg.Error as exc:
        raise ServerError(explain(exc, url)) from None
    finally:
        conn.close()
    return counts
