"""Opening, migrating and backing up the gxdesk SQLite file.

Reads of lists use plain sqlite3 (:meth:`Database.raw`); SQLAlchemy is imported
and its engine built only when something is first written or edited through the
ORM, so the window can show the data before paying for that import.

The file may sit on a shared or synced folder, so it uses the rollback journal
with ``synchronous=FULL`` (not WAL, whose -wal/-shm side files do not survive
being copied or synced). The schema version is SQLite's ``user_version``; the
migrations are numbered SQL files applied in order, each in its own
transaction, after a checked backup. A file written by a newer gxdesk is refused
before anything is written to it.

Why not Alembic: a single-file desktop database needs a linear list of
migrations, nothing else. Alembic's environment/config layer and its import cost
(paid at every start-up) buy branching and autogeneration we do not use;
``user_version`` plus numbered SQL files gives the same guarantees — ordered,
one transaction each, refused when newer — and a test keeps the files and the
ORM models in agreement.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session, sessionmaker

APPLICATION_ID = 0x47584453  # "GXDS": marks a SQLite file as a gxdesk database


class DatabaseError(Exception):
    """A database that cannot be opened; the message is for the clerk."""


class NewerDatabaseError(DatabaseError):
    pass


def migration_scripts() -> list[tuple[int, str]]:
    """The numbered migrations shipped with the program, in order."""
    from importlib import resources

    scripts = []
    for entry in resources.files("gxdesk.store.migrations").iterdir():
        m = re.match(r"(\d{4})_\w+\.sql$", entry.name)
        if m:
            scripts.append((int(m.group(1)), entry.read_text(encoding="utf-8")))
    scripts.sort()
    if [n for n, _ in scripts] != list(range(1, len(scripts) + 1)):
        raise RuntimeError("migrations must be numbered 0001, 0002, … without gaps")
    if len(scripts) != SCHEMA_VERSION:
        raise RuntimeError(f"SCHEMA_VERSION is {SCHEMA_VERSION} but {len(scripts)} migrations ship")
    return scripts


# The number of the newest migration file (a test checks they agree); a literal,
# so that importing this module reads no files before the window is shown.
SCHEMA_VERSION = 1


def _statements(script: str) -> list[str]:
    body = "\n".join(line for line in script.splitlines() if not line.startswith("--"))
    return [s.strip() for s in body.split(";") if s.strip()]


def _connect_raw(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA busy_timeout=5000")
    return conn


def read_header(path: Path) -> tuple[int, int, int]:
    """(application_id, user_version, table count) read without writing anything."""
    uri = f"{path.resolve().as_uri()}?mode=ro"
    try:
        conn = sqlite3.connect(uri, uri=True)
        try:
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            tables = conn.execute(
                "SELECT count(*) FROM sqlite_master WHERE type='table'"
            ).fetchone()[0]
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(f"不是有效的 gxdesk 数据库文件：{path.name}（{exc}）") from exc
    return app_id, version, tables


def backup_database(src: Path, dest: Path) -> Path:
    """Copy ``src`` to ``dest`` with SQLite's online backup API and verify the copy."""
    dest = Path(dest)
    tmp = dest.with_name(dest.name + ".part")
    tmp.unlink(missing_ok=True)
    source = sqlite3.connect(src)
    try:
        target = sqlite3.connect(tmp)
        try:
            source.backup(target)
            ok = target.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            target.close()
    finally:
        source.close()
    if ok != "ok":
        tmp.unlink(missing_ok=True)
        raise DatabaseError(f"备份校验失败：{ok}")
    tmp.replace(dest)
    return dest


def check_database(path: Path) -> list[str]:
    """Integrity and foreign-key problems of the file, as readable lines (empty = fine)."""
    conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
    try:
        problems = [r[0] for r in conn.execute("PRAGMA integrity_check") if r[0] != "ok"]
        problems += [
            f"外键错误：表 {r[0]} 第 {r[1]} 行引用 {r[2]}"
            for r in conn.execute("PRAGMA foreign_key_check")
        ]
    finally:
        conn.close()
    return problems


def migrate(path: Path, *, backup_dir: Path | None = None) -> int:
    """Bring the file at ``path`` to SCHEMA_VERSION; returns the version it had.

    A new or empty file is created from scratch. An older gxdesk file is first
    backed up beside itself (checked), then migrated one version per transaction.
    """
    path = Path(path)
    if path.exists() and path.stat().st_size > 0:
        app_id, version, tables = read_header(path)
        if app_id != APPLICATION_ID and tables:
            raise DatabaseError(f"{path.name} 不是 gxdesk 数据库（是其他程序的 SQLite 文件）")
        if version > SCHEMA_VERSION:
            raise NewerDatabaseError(
                f"{path.name} 由更新版本的 gxdesk 创建（数据结构版本 {version}，"
                f"本程序支持到 {SCHEMA_VERSION}），为保护数据不予打开，请升级程序"
            )
        if version == SCHEMA_VERSION:
            return version
        if version > 0:
            stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
            where = backup_dir or path.parent
            backup_database(path, where / f"{path.stem}.v{version}-{stamp}.bak.sqlite")
    else:
        version = 0
    conn = _connect_raw(path)
    try:
        conn.execute("PRAGMA journal_mode=DELETE")
        for number, script in migration_scripts():
            if number <= version:
                continue
            conn.execute("BEGIN IMMEDIATE")
            try:
                for statement in _statements(script):
                    conn.execute(statement)
                conn.execute(f"PRAGMA application_id={APPLICATION_ID}")
                conn.execute(f"PRAGMA user_version={number}")
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
    finally:
        conn.close()
    return version


def _make_engine(path: Path) -> tuple[Engine, sessionmaker[Session]]:
    from sqlalchemy import create_engine, event
    from sqlalchemy.orm import sessionmaker

    engine = create_engine(f"sqlite:///{path}")

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: object) -> None:
        # Let SQLAlchemy, not the driver, decide where transactions begin.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA journal_mode=DELETE")
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute("PRAGMA busy_timeout=5000")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn) -> None:  # type: ignore[no-untyped-def]
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine, sessionmaker(engine, expire_on_commit=False)


class Database:
    """An open gxdesk file: plain sqlite3 for reading lists, SQLAlchemy for writing."""

    is_server = False  # a PostgreSQL server (gxdesk.store.server) rather than this file

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._engine: tuple[Engine, sessionmaker[Session]] | None = None
        self._lock = threading.Lock()

    @property
    def label(self) -> str:
        """What the clerk sees as the database's name (the file's)."""
        return self.path.name

    def _orm(self) -> tuple[Engine, sessionmaker[Session]]:
        with self._lock:
            if self._engine is None:
                self._engine = _make_engine(self.path)
            return self._engine

    @property
    def engine(self) -> Engine:
        return self._orm()[0]

    @property
    def sessions(self) -> sessionmaker[Session]:
        return self._orm()[1]

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session whose work is committed together, or not at all."""
        with self.sessions.begin() as session:
            yield session

    @contextmanager
    def reading(self) -> Iterator[Session]:
        with self.sessions() as session:
            yield session

    @contextmanager
    def raw(self) -> Iterator[sqlite3.Connection]:
        """A plain read-only sqlite3 connection for list queries, closed afterwards."""
        conn = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            conn.execute("PRAGMA busy_timeout=5000")
            yield conn
        finally:
            conn.close()

    def close(self) -> None:
        with self._lock:
            if self._engine is not None:
                self._engine[0].dispose()
                self._engine = None


def open_database(path: str | Path) -> Database:
    """Open (creating or migrating as needed) the gxdesk database at ``path``.

    A ``postgresql://`` address opens the database on that server instead.
    """
    if isinstance(path, str) and path.lower().startswith(("postgresql://", "postgres://")):
        from gxdesk.store.server.database import open_server

        return open_server(path)
    path = Path(path)
    if not path.parent.exists():
        raise DatabaseError(f"目录不存在：{path.parent}")
    migrate(path)
    return Database(path)


def restore_database(src: Path, target: Path) -> Path:
    """Replace ``target`` with the backup ``src``, keeping the current file as a backup.

    The backup is checked first (a gxdesk file, not from a newer version, intact),
    so a bad backup never replaces good data.
    """
    src, target = Path(src), Path(target)
    if not src.is_file():
        raise DatabaseError(f"备份文件不存在：{src}")
    app_id, version, _tables = read_header(src)
    if app_id != APPLICATION_ID:
        raise DatabaseError(f"{src.name} 不是 gxdesk 数据库备份")
    if version > SCHEMA_VERSION:
        raise NewerDatabaseError(f"{src.name} 来自更新版本的 gxdesk，无法恢复")
    problems = check_database(src)
    if problems:
        raise DatabaseError(f"备份文件已损坏：{problems[0]}")
    if target.exists():
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        backup_database(target, target.with_name(f"{target.stem}.before-restore-{stamp}.sqlite"))
    tmp = target.with_name(target.name + ".restoring")
    backup_database(src, tmp)
    tmp.replace(target)
    migrate(target)
    return target
