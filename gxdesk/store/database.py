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

import os
import re
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from gxdesk.store.sqlite_file import DatabaseError as DatabaseError
from gxdesk.store.sqlite_file import NewerDatabaseError as NewerDatabaseError
from gxdesk.store.sqlite_file import connect_existing as connect_existing

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session, sessionmaker

    from gxdesk.store.lock import WriterLock

APPLICATION_ID = 0x47584453  # "GXDS": marks a SQLite file as a gxdesk database


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
SCHEMA_VERSION = 3


def _statements(script: str) -> list[str]:
    body = "\n".join(line for line in script.splitlines() if not line.startswith("--"))
    return [s.strip() for s in body.split(";") if s.strip()]


def _connect_raw(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA busy_timeout=5000")
    return conn


def read_header(path: Path) -> tuple[int, int, int]:
    """(application_id, user_version, table count); a hot journal is rolled back first."""
    from gxdesk.store.errors import sqlite_reason

    try:
        conn = connect_existing(path)
        try:
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            tables = conn.execute(
                "SELECT count(*) FROM sqlite_master WHERE type='table'"
            ).fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise DatabaseError(
            f"不是有效的 gxdesk 数据库文件：{path.name}（{sqlite_reason(exc)}）"
        ) from exc
    return app_id, version, tables


def backup_database(src: Path, dest: Path) -> Path:
    """Copy ``src`` to ``dest``: checked, with its checksum manifest (:mod:`.backups`)."""
    from gxdesk.store.backups import make_backup

    return make_backup(Path(src), Path(dest)).path


def check_database(path: Path, *, quick: bool = False) -> list[str]:
    """Integrity and foreign-key problems of the file, as readable lines (empty = fine).

    Reads only (a hot journal is rolled back, nothing else is written); a file
    too damaged to be read at all is one problem line, not an exception.
    ``quick`` runs ``quick_check`` instead of ``integrity_check``: fast enough for
    every start of the window.
    """
    from gxdesk.store.errors import sqlite_reason

    try:
        conn = connect_existing(path)
        try:
            check = "quick_check" if quick else "integrity_check"
            problems = [r[0] for r in conn.execute(f"PRAGMA {check}") if r[0] != "ok"]
            problems += [
                f"外键错误：表 {r[0]} 第 {r[1]} 行引用 {r[2]}"
                for r in conn.execute("PRAGMA foreign_key_check")
            ]
        finally:
            conn.close()
    except sqlite3.Error as exc:
        return [f"无法读取数据库（{sqlite_reason(exc)}）"]
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
        if version == 0 and tables:
            raise DatabaseError(
                f"{path.name} 的数据结构版本被改为 0，但文件中已有数据表：文件已被其他工具改动，"
                "为保护数据不予打开，请从备份恢复"
            )
        if version > SCHEMA_VERSION:
            raise NewerDatabaseError(
                f"{path.name} 由更新版本的 gxdesk 创建（数据结构版本 {version}，"
                f"本程序支持到 {SCHEMA_VERSION}），为保护数据不予打开，请升级程序"
            )
        if version == SCHEMA_VERSION:
            return version
        if version > 0:
            from gxdesk.store.backups import rotating_backup

            rotating_backup(path, f"v{version}", folder=backup_dir)
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

    # mode=rw: a file moved away under the window is an error, not a new empty database
    engine = create_engine(f"sqlite:///{Path(path).resolve().as_uri()}?mode=rw&uri=true")

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: object) -> None:
        # Let SQLAlchemy, not the driver, decide where transactions begin.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA busy_timeout=5000")  # first: the others may wait for a lock
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA journal_mode=DELETE")
        cur.execute("PRAGMA synchronous=FULL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn) -> None:  # type: ignore[no-untyped-def]
        # a write takes the write lock at once; a read (Database.reading) does not, so
        # reading goes on while another program writes
        reading = conn.get_execution_options().get("gxdesk_reading", False)
        conn.exec_driver_sql("BEGIN" if reading else "BEGIN IMMEDIATE")

    return engine, sessionmaker(engine, expire_on_commit=False)


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_dev, st.st_ino)


class Database:
    """An open gxdesk file: plain sqlite3 for reading lists, SQLAlchemy for writing."""

    is_server = False  # a PostgreSQL server (gxdesk.store.server) rather than this file

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._engine: tuple[Engine, sessionmaker[Session]] | None = None
        self._lock = threading.Lock()
        self._writer: WriterLock | None = None
        self._identity = _identity(self.path)
        #: Opened read-only by choice (another PC writes): every write is refused.
        self.read_only = False
        #: Who took the writer lock ("cli", "window"), kept after close(); None: never taken.
        self.lock_kind: str | None = None
        self._watch: sqlite3.Connection | None = None  # for data_version, see changed_elsewhere
        self._seen_version: int | None = None

    @property
    def holds_lock(self) -> bool:
        return self._writer is not None

    def lock_for_writing(self, *, force: bool = False, kind: str = "cli") -> None:
        """Hold the one-writer lock beside the file until :meth:`close` (raises
        :class:`gxdesk.store.lock.DatabaseLockedError` when another writer has it)."""
        from gxdesk.store.lock import WriterLock

        if self._writer is None:
            lock = WriterLock(self.path, kind=kind)
            lock.acquire(force=force)
            self._writer = lock
            self.lock_kind = kind

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

    def check_same_file(self) -> None:
        """Raise DatabaseError if the file was moved, deleted or replaced since it was
        opened: a pooled connection would go on writing into the old, unlinked file."""
        if _identity(self.path) != self._identity:
            raise DatabaseError(
                f"数据库文件已被移走、删除或替换：{self.path}，未写入任何内容，请重新打开数据库"
            )

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session whose work is committed together, or not at all."""
        if self.read_only:
            raise DatabaseError("数据库以只读方式打开（另一台电脑正在使用），不能修改")
        self.check_same_file()
        with self.sessions.begin() as session:
            yield session
        self._note_own_change()

    def _data_version(self) -> int:
        with self._lock:
            if self._watch is None:
                self._watch = connect_existing(self.path, any_thread=True)
            return int(self._watch.execute("PRAGMA data_version").fetchone()[0])

    def _note_own_change(self) -> None:
        if self._watch is not None:
            self._seen_version = self._data_version()

    def changed_elsewhere(self) -> bool:
        """True once after another program committed to the file (SQLite's ``data_version``,
        which also counts this program's other connections: its own commits through
        :meth:`transaction` are noted and do not count)."""
        version = self._data_version()
        if self._seen_version is None:
            self._seen_version = version
            return False
        if version != self._seen_version:
            self._seen_version = version
            return True
        return False

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A session for reading only: it does not take the write lock."""
        bind = self.engine.execution_options(gxdesk_reading=True)
        with self.sessions(bind=bind) as session:
            yield session

    @contextmanager
    def raw(self) -> Iterator[sqlite3.Connection]:
        """A plain read-only sqlite3 connection for list queries, closed afterwards."""
        conn = connect_existing(self.path)
        try:
            yield conn
        finally:
            conn.close()

    def close(self) -> None:
        with self._lock:
            if self._engine is not None:
                self._engine[0].dispose()
                self._engine = None
            if self._writer is not None:
                self._writer.release()
                self._writer = None
            if self._watch is not None:
                self._watch.close()
                self._watch = None


def open_database(path: str | Path, *, create: bool = True, tidy: bool = True) -> Database:
    """Open (migrating as needed) the gxdesk database at ``path``.

    (A ``postgresql://`` server: :func:`gxdesk.store.server.database.open_server`.)

    Only a caller that writes passes ``create=True``: a read on a mistyped path
    must not leave a new empty database behind (nor grow a zero-byte file into one).
    ``tidy=False`` leaves the removal of the program's own leftovers
    (:func:`gxdesk.store.litter.clean_litter`) to the caller: the window does it
    after its first frame, which does not need it.
    """
    path = Path(path)
    if not path.parent.exists():
        raise DatabaseError(f"目录不存在：{path.parent}")
    if path.is_dir():
        raise DatabaseError(f"{path} 是文件夹，不是数据库文件")
    from gxdesk.store.location import check_location

    check_location(path)
    if not create:
        if not path.exists():
            raise DatabaseError(f"数据库文件不存在：{path}")
        if path.stat().st_size == 0:
            raise DatabaseError(f"{path.name} 是空文件（0 字节），不是 gxdesk 数据库")
    migrate(path)
    if tidy:
        from gxdesk.store.litter import clean_litter

        clean_litter(path)
    return Database(path)


def keep_aside(path: Path) -> Path:
    """Copy a damaged file (and its journal) to ``NAME.corrupt-STAMP`` beside it; never overwritten."""
    import datetime as dt
    import shutil

    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    dest = path.with_name(f"{path.name}.corrupt-{stamp}")
    shutil.copyfile(path, dest)
    journal = path.with_name(path.name + "-journal")
    if journal.exists():
        shutil.copyfile(journal, dest.with_name(dest.name + "-journal"))
    return dest


def restore_database(src: Path, target: Path) -> Path:
    """Replace ``target`` with the backup ``src``, keeping the current file as a backup.

    The backup is checked first — its checksum against its manifest (content
    damage that SQLite's own checks pass), a gxdesk file, not from a newer
    version, intact — so a bad backup never replaces good data. The current
    file goes to the rotating set first (a new name each time: a second restore
    never overwrites the first one's safety copy).
    """
    from gxdesk.store.backups import make_backup, rotating_backup, verify_backup

    src, target = Path(src), Path(target)
    if not src.is_file():
        raise DatabaseError(f"备份文件不存在：{src}")
    verify_backup(src)
    app_id, version, _tables = read_header(src)
    if app_id != APPLICATION_ID:
        raise DatabaseError(f"{src.name} 不是 gxdesk 数据库备份")
    if version > SCHEMA_VERSION:
        raise NewerDatabaseError(f"{src.name} 来自更新版本的 gxdesk，无法恢复")
    problems = check_database(src)
    if problems:
        raise DatabaseError(f"备份文件已损坏：{problems[0]}")
    if target.exists() and target.stat().st_size > 0:
        try:
            rotating_backup(target, "restore")
        except DatabaseError:  # the current file is damaged: keep its bytes aside, untouched
            keep_aside(target)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.part")
    try:
        make_backup(src, tmp, reason="restore")
        # a journal left beside the old file would be "rolled back" into the restored one
        target.with_name(target.name + "-journal").unlink(missing_ok=True)
        tmp.replace(target)
    finally:
        tmp.unlink(missing_ok=True)
        Path(str(tmp) + ".json").unlink(missing_ok=True)
    migrate(target)
    return target
