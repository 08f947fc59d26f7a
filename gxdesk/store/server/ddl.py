"""The schema on PostgreSQL: the same numbered migrations, translated, plus server-only parts.

The SQLite files stay the one source of the schema; :func:`translate` turns
their plain DDL into PostgreSQL's (``DATETIME`` → ``TIMESTAMP``; an ``id`` key
gets its next value as SQLite's rowid would, ``max(id) + 1``, from a trigger).
SQLite's ``application_id`` / ``user_version`` become the ``gxdesk_meta`` table.

Server-only (:data:`SERVER_EXTRAS`), applied with the migrations:

- the ledger of merged files as a UNIQUE constraint: ``merged_file_live`` holds
  the sha256 of every file in a batch not undone, kept by triggers, so the same
  file merged twice at once fails on the key instead of a check-then-insert;
- ``gxdesk_change_seq``: a counter bumped by every write, which an open window polls
  (``gxdesk_changes()``).
"""

from __future__ import annotations

import re

from gxdesk.store.database import SCHEMA_VERSION, DatabaseError, _statements, migration_scripts

APPLICATION = "gxdesk"
WRITE_LOCK = 0x47584453  # pg_advisory_xact_lock key: writers take turns, as SQLite's one writer

META = """
CREATE TABLE gxdesk_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)
"""

_NEXT_ID_FUNCTION = """
CREATE OR REPLACE FUNCTION gxdesk_next_id() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
    IF NEW.id IS NULL THEN
        EXECUTE format('SELECT coalesce(max(id), 0) + 1 FROM %I', TG_TABLE_NAME) INTO NEW.id;
    END IF;
    RETURN NEW;
END $$
"""

SERVER_EXTRAS = [
    _NEXT_ID_FUNCTION,
    # the highest id of a table, whoever asks: the store hands out ids as max(id) + 1,
    # and a unit's account sees only some rows (gxdesk.store.server.roles)
    """
CREATE OR REPLACE FUNCTION gxdesk_max_id(t regclass) RETURNS integer
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public AS $$
    DECLARE found integer;
    BEGIN
        EXECUTE format('SELECT max(id) FROM %s', t) INTO found;
        RETURN found;
    END $$""",

    # SQLite's scalar max(a, b), which the store's SQL uses
    "CREATE FUNCTION max(a bigint, b bigint) RETURNS bigint"
    " LANGUAGE sql IMMUTABLE AS 'SELECT greatest(a, b)'",
    "CREATE FUNCTION min(a bigint, b bigint) RETURNS bigint"
    " LANGUAGE sql IMMUTABLE AS 'SELECT least(a, b)'",
    """
CREATE TABLE merged_file_live (
    sha256 VARCHAR(64) PRIMARY KEY,
    batch_id INTEGER NOT NULL REFERENCES merge_batch (id)
)""",
    """
CREATE OR REPLACE FUNCTION gxdesk_ledger_add() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
    IF (SELECT undone_at IS NULL FROM merge_batch WHERE id = NEW.batch_id) THEN
        INSERT INTO merged_file_live (sha256, batch_id) VALUES (NEW.sha256, NEW.batch_id);
    END IF;
    RETURN NEW;
END $$""",
    """
CREATE TRIGGER merged_file_ledger AFTER INSERT ON merged_file
FOR EACH ROW EXECUTE FUNCTION gxdesk_ledger_add()""",
    """
CREATE OR REPLACE FUNCTION gxdesk_ledger_batch() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
    IF NEW.undone_at IS NOT NULL AND OLD.undone_at IS NULL THEN
        DELETE FROM merged_file_live WHERE batch_id = NEW.id;
    ELSIF NEW.undone_at IS NULL AND OLD.undone_at IS NOT NULL THEN
        INSERT INTO merged_file_live (sha256, batch_id)
        SELECT DISTINCT sha256, batch_id FROM merged_file WHERE batch_id = NEW.id;
    END IF;
    RETURN NEW;
END $$""",
    """
CREATE TRIGGER merge_batch_ledger AFTER UPDATE OF undone_at ON merge_batch
FOR EACH ROW EXECUTE FUNCTION gxdesk_ledger_batch()""",
    # the change counter: a sequence, so bumping it per statement costs no row versions
    # (a table row updated by every statement of a 20,000-row merge was most of its time)
    "CREATE SEQUENCE gxdesk_change_seq",
    """
CREATE OR REPLACE FUNCTION gxdesk_bump() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
    PERFORM nextval('gxdesk_change_seq');
    RETURN NULL;
END $$""",
    """
CREATE OR REPLACE FUNCTION gxdesk_changes() RETURNS bigint
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT last_value + CASE WHEN is_called THEN 1 ELSE 0 END FROM gxdesk_change_seq
$$""",
]

# the tables whose changes an open window must see
WATCHED = ("plan", "category", "task", "assignment", "progress", "unit", "group_member",
           "merge_batch", "calendar_day", "calendar_year", "reminder", "office_setting")  # fmt: skip

_CREATE_TABLE = re.compile(r'CREATE TABLE\s+("?)(\w+)\1\s*\(', re.I)


def translate(statement: str) -> list[str]:
    """PostgreSQL statements for one SQLite DDL statement of a migration."""
    s = re.sub(r"\bDATETIME\b", "TIMESTAMP", statement)
    m = _CREATE_TABLE.match(s.strip())
    if m and re.search(r"PRIMARY KEY \(id\)", s) and re.search(r"\bid INTEGER NOT NULL\b", s):
        table = m.group(2)
        return [
            s,
            f'CREATE TRIGGER {table}_next_id BEFORE INSERT ON "{table}"'
            " FOR EACH ROW EXECUTE FUNCTION gxdesk_next_id()",
        ]
    return [s]


def migration_statements(number: int, script: str) -> list[str]:
    out = [_NEXT_ID_FUNCTION] if number == 1 else []
    for statement in _statements(script):
        out += translate(statement)
    return out


def extras() -> list[str]:
    return list(SERVER_EXTRAS)


def watch(conn) -> None:  # type: ignore[no-untyped-def]
    """The change-counter trigger on every watched table that exists and has none yet."""
    for table in WATCHED:
        exists = conn.execute(
            "SELECT to_regclass(%s) IS NOT NULL AND NOT EXISTS (SELECT 1 FROM pg_trigger"
            " WHERE tgname = %s)",
            (f'public."{table}"', f"{table}_changed"),
        ).fetchone()[0]
        if exists:
            conn.execute(
                f'CREATE TRIGGER {table}_changed AFTER INSERT OR UPDATE OR DELETE ON "{table}"'
                " FOR EACH STATEMENT EXECUTE FUNCTION gxdesk_bump()"
            )


def schema_version(conn) -> int | None:  # type: ignore[no-untyped-def]
    """The gxdesk schema version of the database, None if it is empty; refuses others'."""
    meta = conn.execute("SELECT to_regclass('public.gxdesk_meta') IS NOT NULL").fetchone()[0]
    if not meta:
        others = conn.execute(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
        ).fetchone()[0]
        if others:
            raise DatabaseError("服务器上的这个数据库不是 gxdesk 数据库（已有其他程序的数据表），未做任何改动")
        return None
    values = dict(conn.execute("SELECT key, value FROM gxdesk_meta").fetchall())
    if values.get("application") != APPLICATION:
        raise DatabaseError("服务器上的这个数据库不是 gxdesk 数据库，未做任何改动")
    return int(values.get("schema_version", "0"))


def migrate_server(conn) -> int:  # type: ignore[no-untyped-def]
    """Bring the server database to SCHEMA_VERSION (one transaction each); returns the old version.

    ``conn`` is a psycopg connection not in autocommit. Concurrent first starts
    take turns on the write lock, so the schema is created once.
    """
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))
        found = schema_version(conn)
    version = found or 0
    if version > SCHEMA_VERSION:
        from gxdesk.store.database import NewerDatabaseError

        raise NewerDatabaseError(
            f"服务器数据库由更新版本的 gxdesk 创建（数据结构版本 {version}，本程序支持到 "
            f"{SCHEMA_VERSION}），为保护数据不予打开，请升级程序"
        )
    if version == SCHEMA_VERSION:
        _status_rule(conn)
        return version
    for number, script in migration_scripts():
        if number <= version:
            continue
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))
            now = schema_version(conn) or 0
            if now >= number:  # another clerk's program did it meanwhile
                continue
            if now == 0:
                conn.execute(META)
                conn.execute("INSERT INTO gxdesk_meta VALUES ('application', %s)", (APPLICATION,))
                conn.execute("INSERT INTO gxdesk_meta VALUES ('schema_version', '0')")
            for statement in migration_statements(number, script):
                conn.execute(statement)
            if number == 1:
                for statement in extras():
                    conn.execute(statement)
            watch(conn)
            conn.execute(
                "UPDATE gxdesk_meta SET value = %s WHERE key = 'schema_version'", (str(number),)
            )
    _status_rule(conn)
    return version


def _status_rule(conn) -> None:  # type: ignore[no-untyped-def]
    """The server's copy of the status rule, written when missing or from an older version.

    A unit's account cannot write it (nor needs to): it is left to the lead's next start.
    """
    import psycopg

    from gxdesk.store.server import status

    with conn.transaction():
        if status.installed(conn):
            return
    try:
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))
            if not status.installed(conn):
                status.install(conn)
    except psycopg.errors.InsufficientPrivilege:
        pass
