"""Read connections shaped like the sqlite3 ones the list queries were written for.

The queries in :mod:`gxdesk.store.queries` and the merge planner use ``?``
placeholders and get dates, times and booleans as SQLite gives them (ISO text,
0/1). Here a psycopg connection does the same: ``?`` becomes ``%s``, and dates,
timestamps and booleans are loaded as text / int, so the same code turns the
rows into the same objects — the lean path, no ORM.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

_PLACEHOLDER = re.compile(r"'[^']*'|\?|%")


def to_pyformat(sql: str) -> str:
    """``?`` → ``%s`` and ``%`` → ``%%``, outside string literals."""

    def sub(m: re.Match[str]) -> str:
        t = m.group(0)
        if t == "?":
            return "%s"
        if t == "%":
            return "%%"
        return t.replace("%", "%%")

    return _PLACEHOLDER.sub(sub, sql)


def sqlite_shaped(conn) -> None:  # type: ignore[no-untyped-def]
    """Load dates/timestamps as ISO text and booleans as 0/1 on ``conn``, as SQLite does."""
    from psycopg.adapt import Loader
    from psycopg.types.string import TextLoader

    class IntBoolLoader(Loader):
        def load(self, data):  # type: ignore[no-untyped-def]
            return 1 if bytes(data) == b"t" else 0

    for name in ("date", "timestamp", "timestamptz"):
        conn.adapters.register_loader(name, TextLoader)
    conn.adapters.register_loader("bool", IntBoolLoader)


class RawConnection:
    """``execute(sql, params)`` with sqlite3's placeholders on a psycopg connection."""

    def __init__(self, conn) -> None:  # type: ignore[no-untyped-def]
        self._conn = conn
        self._cache: dict[str, str] = {}

    def execute(self, sql: str, params: Sequence[Any] = ()):  # type: ignore[no-untyped-def]
        query = self._cache.get(sql)
        if query is None:
            query = self._cache[sql] = to_pyformat(sql)
        return self._conn.execute(query, tuple(params))
