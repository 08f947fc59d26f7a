"""The server database: the :class:`~gxdesk.store.database.Database` the program uses, on PostgreSQL.

Writes go through SQLAlchemy (``postgresql+psycopg``) as on SQLite; the driver
SQL the store writes with ``?`` placeholders is translated on the way
(:func:`~gxdesk.store.server.raw.to_pyformat`). Every write transaction first
takes one advisory lock, so writers take turns exactly as with SQLite's
``BEGIN IMMEDIATE`` — ids handed out as ``max(id) + 1`` and the merge's checks
against what its preview relied on stay correct with several clerks at once —
while readers never wait. ``raw()`` hands out pooled read-only connections.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from gxdesk.store.database import Database
from gxdesk.store.server.address import check_address, describe
from gxdesk.store.server.connect import ServerError, connect, explain
from gxdesk.store.server.ddl import WRITE_LOCK, migrate_server
from gxdesk.store.server.raw import RawConnection, sqlite_shaped, to_pyformat

if TYPE_CHECKING:
    import psycopg
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session, sessionmaker

_POOL = 4  # idle read connections kept
# the store's id allocation, answered over all rows even for a unit's account
_MAX_ID = re.compile(r'^SELECT max\(id\) FROM "?(\w+)"?$')


_INSERT = re.compile(r'^INSERT INTO ("?\w+"?) \(([^()]*)\) VALUES \(([^()]*)\)$')
_CONSTANTS = {"FALSE": False, "TRUE": True, "NULL": None}


def _copy_plan(statement: str) -> tuple[str, list[tuple[object] | None]] | None:
    """For a plain ``INSERT … VALUES (%s, …)``: the COPY statement, and per column either
    None (the next parameter) or a one-tuple holding the constant written in the SQL."""
    m = _INSERT.match(statement.strip())
    if m is None:
        return None
    slots: list[tuple[object] | None] = []
    for value in (v.strip() for v in m.group(3).split(",")):
        if value == "%s":
            slots.append(None)
        elif value.upper() in _CONSTANTS:
            slots.append((_CONSTANTS[value.upper()],))
        else:
            return None
    if len(slots) != len(m.group(2).split(",")):
        return None
    return f"COPY {m.group(1)} ({m.group(2)}) FROM STDIN", slots


# rows written at once after which the planner's statistics of the table are renewed
ANALYZE_AFTER = 5000


def analyze(conn: Any, tables: list[str]) -> None:
    """Fresh planner statistics for tables just filled in bulk, inside the transaction.

    A table filled by one COPY has none until autovacuum comes by, and the planner
    then takes it for nearly empty: each ``id IN (…)`` lookup of the merge that
    follows scanned all 200,000 assignments (7 s of a 100-workbook merge). A
    login that does not own the table gets a notice, not an error.
    """
    for table in tables:
        conn.execute(f"ANALYZE {table}")


def _row_security(conn: Any, copy_sql: str) -> bool:
    """Whether row-level security limits this login on the COPY's table (a unit's or the
    lead's account on ``progress``): the server refuses COPY there, so plain INSERTs go.
    Asked each time (one round trip per bulk write): roles may change while connected."""
    table = copy_sql.split()[1].strip('"')
    row = conn.execute("SELECT row_security_active(%s::regclass)", (f'"{table}"',)).fetchone()
    return bool(row and row[0])


class ServerDatabase(Database):
    """A gxdesk database on a PostgreSQL server, reached at ``url``."""

    is_server = True

    def __init__(self, url: str, *, password: str | None = None) -> None:
        super().__init__(describe(url))  # type: ignore[arg-type]
        self.url = check_address(url)
        self._password = password  # typed in the window for this session: in memory only
        self._idle: list[Any] = []
        self._idle_lock = threading.Lock()

    def connect(self) -> psycopg.Connection:
        """A new libpq connection to this database (the password, if one was typed)."""
        if self._password is None:
            return connect(self.url)
        return connect(self.url, password=self._password)

    @property
    def label(self) -> str:
        return describe(self.url)

    def lock_for_writing(self, *, force: bool = False, kind: str = "cli") -> None:
        """No lock file: on a server, writers take turns on the advisory lock (see above)."""

    def check_same_file(self) -> None:
        """Nothing to check: there is no file to be moved or replaced under a server."""

    def _orm(self) -> tuple[Engine, sessionmaker[Session]]:
        with self._lock:
            if self._engine is None:
                self._engine = _make_engine(self.connect)
            return self._engine

    @contextmanager
    def raw(self) -> Iterator[RawConnection]:  # type: ignore[override]  # sqlite3's subset
        """A read-only connection (one snapshot for the whole block), back to the pool after."""
        import psycopg

        with self._idle_lock:
            conn = self._idle.pop() if self._idle else None
        if conn is None or conn.closed:
            conn = self.connect()
            sqlite_shaped(conn)
            conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
            conn.read_only = True
        ok = False
        try:
            try:
                yield RawConnection(conn)
            except psycopg.Error as exc:
                raise ServerError(explain(exc, self.url)) from exc
            conn.rollback()
            ok = True
        finally:
            if ok:
                with self._idle_lock:
                    if len(self._idle) < _POOL:
                        self._idle.append(conn)
                        conn = None
            if conn is not None:
                conn.close()

    def change_counter(self) -> int:
        """Bumped by every write on the server: an open window polls it to see others' work."""
        with self.raw() as conn:
            return int(conn.execute("SELECT gxdesk_changes()").fetchone()[0])

    def account_unit(self) -> str | None:
        """The unit this login reports for when it is a unit's account, else None (the lead
        office's, or a server without accounts yet): the window offers it only what it may do."""
        with self.raw() as conn:
            if not conn.execute("SELECT to_regproc('public.gxdesk_my_unit') IS NOT NULL").fetchone()[0]:
                return None
            row = conn.execute("SELECT name FROM unit WHERE id = gxdesk_my_unit()").fetchone()
        return str(row[0]) if row else None

    def close(self) -> None:
        super().close()
        with self._idle_lock:
            idle, self._idle = self._idle, []
        for conn in idle:
            conn.close()


def _make_engine(new_connection: Callable[[], Any]) -> tuple[Engine, sessionmaker[Session]]:
    from sqlalchemy import create_engine, event
    from sqlalchemy.orm import sessionmaker
    from sqlalchemy.pool import QueuePool

    engine = create_engine(
        "postgresql+psycopg://", creator=new_connection, poolclass=QueuePool, pool_size=2
    )

    @event.listens_for(engine, "before_cursor_execute", retval=True)
    def _driver_sql(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        # exec_driver_sql with the store's ``?`` placeholders; compiled SQL is left alone
        # (and its rows as SQLite gives them, as the code reading them expects)
        if context is not None and context.compiled is None:
            sqlite_shaped(cursor)
            if "?" in statement:
                statement = to_pyformat(statement)
            statement = _MAX_ID.sub(r"SELECT gxdesk_max_id('\1')", statement)
        return statement, parameters

    @event.listens_for(engine, "do_executemany")
    def _copy_rows(cursor, statement, parameters, context) -> bool:  # type: ignore[no-untyped-def]
        # the store's bulk INSERTs (a plan's tasks and assignments, a merge's reports) as
        # COPY: one stream instead of one statement per row — the raw floor of the import
        plan = _copy_plan(statement)
        if plan is None or not parameters or _row_security(cursor.connection, plan[0]):
            return False
        sql, slots = plan
        with cursor.copy(sql) as copy:
            if all(slot is None for slot in slots):
                for row in parameters:
                    copy.write_row(row)
            else:
                for row in parameters:
                    values = iter(row)
                    copy.write_row([next(values) if s is None else s[0] for s in slots])
        if len(parameters) >= ANALYZE_AFTER:
            analyze(cursor.connection, [sql.split()[1]])
        return True

    @event.listens_for(engine, "begin")
    def _on_begin(conn) -> None:  # type: ignore[no-untyped-def]
        # as on SQLite (Database.reading): a read does not wait for the writer's turn
        if not conn.get_execution_options().get("gxdesk_reading", False):
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITE_LOCK})")

    return engine, sessionmaker(engine, expire_on_commit=False)


def open_server(url: str, *, password: str | None = None) -> ServerDatabase:
    """Connect to the server database at ``url``, creating or migrating its schema as needed.

    ``password``: one the clerk typed (the window); otherwise libpq finds it.
    """
    db = ServerDatabase(url, password=password)
    conn = db.connect()
    try:
        migrate_server(conn)
    except Exception as exc:
        import psycopg

        if isinstance(exc, psycopg.Error):
            raise ServerError(explain(exc, url)) from None
        raise
    finally:
        conn.close()
    return db
