"""The database file at its lowest level: the error it raises and a connection that
never creates one.

Kept apart from :mod:`gxdesk.store.database` so that the modules it uses — the
lock, the location check, backups, leftover files — can raise and connect
without importing the module that imports them (no import cycle).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path


class DatabaseError(Exception):
    """A database that cannot be opened; the message is for the clerk."""


class NewerDatabaseError(DatabaseError):
    pass


def connect_existing(
    path: Path, *, query_only: bool = True, any_thread: bool = False
) -> sqlite3.Connection:
    """A connection to a file that must already exist; it never creates one.

    Opened read-write even to read (``query_only`` stops this connection's own
    writes): SQLite rolls back a hot journal — the ``-journal`` a crash left in
    the middle of a commit — only on a connection that may write, and a
    ``?mode=ro`` connection would lock the program out of its own file until then.
    """
    uri = f"{Path(path).resolve().as_uri()}?mode=rw"
    conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=not any_thread)
    try:
        conn.execute("PRAGMA busy_timeout=5000")
        if query_only:
            conn.execute("PRAGMA query_only=1")
    except BaseException:
        conn.close()
        raise
    return conn
