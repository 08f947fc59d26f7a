"""The SQLite file: creation, pragmas, migrations with checked backups, refusal, backup/restore."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from gxdesk.store import database
from gxdesk.store.database import (
    APPLICATION_ID,
    SCHEMA_VERSION,
    DatabaseError,
    NewerDatabaseError,
    backup_database,
    check_database,
    migrate,
    open_database,
    restore_database,
)
from gxdesk.store.schema import Base


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_new_database_has_schema_version_and_pragmas(tmp_path: Path) -> None:
    db = open_database(tmp_path / "a.sqlite")
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "delete"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA user_version").scalar() == SCHEMA_VERSION
        assert conn.exec_driver_sql("PRAGMA application_id").scalar() == APPLICATION_ID
    db.close()


def test_migrations_match_the_models(tmp_path: Path) -> None:
    """The SQL migrations and the ORM models describe the same tables and columns."""
    path = tmp_path / "m.sqlite"
    migrate(path)
    conn = sqlite3.connect(path)
    for table in Base.metadata.sorted_tables:
        cols = {
            r[1]: (r[2], bool(r[3])) for r in conn.execute(f'PRAGMA table_info("{table.name}")')
        }
        assert set(cols) == {c.name for c in table.columns}, table.name
        for column in table.columns:
            assert cols[column.name][1] == (not column.nullable) or column.primary_key, (
                table.name,
                column.name,
            )
        indexes = {r[1] for r in conn.execute(f'PRAGMA index_list("{table.name}")')}
        assert {ix.name for ix in table.indexes} <= indexes
    conn.close()


def test_newer_database_is_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "newer.sqlite"
    migrate(path)
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version={SCHEMA_VERSION + 1}")
    conn.close()
    before = sha(path)
    with pytest.raises(NewerDatabaseError, match="更新版本"):
        open_database(path)
    assert sha(path) == before


def test_foreign_sqlite_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (x)")
    conn.commit()
    conn.close()
    before = sha(path)
    with pytest.raises(DatabaseError, match="不是 gxdesk"):
        open_database(path)
    assert sha(path) == before


def test_not_a_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "junk.sqlite"
    path.write_bytes(b"this is not sqlite at all" * 100)
    before = sha(path)
    with pytest.raises(DatabaseError):
        open_database(path)
    assert sha(path) == before


def _with_extra_migration(monkeypatch: pytest.MonkeyPatch, sql: str) -> None:
    real = database.migration_scripts()
    monkeypatch.setattr(database, "migration_scripts", lambda: [*real, (len(real) + 1, sql)])
    monkeypatch.setattr(database, "SCHEMA_VERSION", len(real) + 1)


def test_migration_backs_up_then_upgrades(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "old.sqlite"
    migrate(path)
    conn = sqlite3.connect(path)
    conn.execute(
        "INSERT INTO unit (name, short_name, contact, phone, is_group) "
        "VALUES ('市财政局', '', '', '', 0)"
    )
    conn.commit()
    conn.close()
    _with_extra_migration(monkeypatch, "ALTER TABLE unit ADD COLUMN email TEXT NOT NULL DEFAULT ''")
    had = migrate(path)
    assert had == SCHEMA_VERSION
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 1
    assert conn.execute("SELECT name, email FROM unit").fetchall() == [("市财政局", "")]
    conn.close()
    backups = list((tmp_path / "backups").glob(f"old.v{SCHEMA_VERSION}-*.sqlite"))
    assert len(backups) == 1
    assert check_database(backups[0]) == []
    conn = sqlite3.connect(backups[0])
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert conn.execute("SELECT name FROM unit").fetchall() == [("市财政局",)]
    conn.close()


def test_failed_migration_rolls_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "old.sqlite"
    migrate(path)
    _with_extra_migration(monkeypatch, "ALTER TABLE unit ADD COLUMN email TEXT;\nTHIS IS NOT SQL")
    with pytest.raises(sqlite3.OperationalError):
        migrate(path)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert "email" not in {r[1] for r in conn.execute("PRAGMA table_info(unit)")}
    conn.close()


def test_backup_and_restore(tmp_path: Path) -> None:
    path = tmp_path / "live.sqlite"
    db = open_database(path)
    with db.engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO unit (name, short_name, contact, phone, is_group)"
            " VALUES ('市审计局', '', '', '', 0)"
        )
    db.close()
    saved = backup_database(path, tmp_path / "saved.sqlite")
    conn = sqlite3.connect(path)
    conn.execute("DELETE FROM unit")
    conn.commit()
    conn.close()
    restore_database(saved, path)
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT name FROM unit").fetchall() == [("市审计局",)]
    conn.close()
    assert list((tmp_path / "backups").glob("live.restore-*.sqlite"))


def test_restore_refuses_a_bad_backup(tmp_path: Path) -> None:
    path = tmp_path / "live.sqlite"
    open_database(path).close()
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(b"\0" * 4096)
    before = sha(path)
    with pytest.raises(DatabaseError):
        restore_database(bad, path)
    assert sha(path) == before


def test_schema_version_is_the_newest_migration() -> None:
    numbers = [n for n, _ in database.migration_scripts()]
    assert numbers[-1] == SCHEMA_VERSION == len(numbers)


@pytest.mark.parametrize(
    "phrase",
    [
        "9月底前",
        "年内",
        "每季度",
        "印发后15个工作日内",
        "收到申请后5个工作日内",
        "长期坚持",
        "看情况",
    ],
)
def test_a_deadline_spec_is_flattened_to_columns_and_read_back_whole(phrase: str) -> None:
    """One way in (deadline_row, used by the plan import and a task edit) and one way
    back (spec_from_row, used by the task list): every field survives the trip."""
    from gxdesk.core.deadlines import parse_deadline
    from gxdesk.store.deadline_columns import DEADLINE_COLUMNS, deadline_row, spec_from_row

    spec = parse_deadline(phrase, 2014)
    row = deadline_row(spec)
    assert len(row) == len(DEADLINE_COLUMNS)
    assert spec_from_row(*row) == spec


def test_in_lists_come_in_chunks_sqlite_accepts() -> None:
    """store.chunks is the one place long ``IN (…)`` lists are cut: every id once, in
    order, at most 900 a statement — and SQLite takes a full chunk as bound parameters."""
    from gxdesk.store.chunks import CHUNK, chunks, id_lists, marks

    ids = list(range(1, 2 * CHUNK + 7))
    pieces = list(chunks(ids))
    assert [len(p) for p in pieces] == [CHUNK, CHUNK, 6]
    assert [i for p in pieces for i in p] == ids
    assert ",".join(id_lists(ids, 500)).split(",") == [str(i) for i in ids]
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY)")
    conn.executemany("INSERT INTO t VALUES (?)", [(i,) for i in ids])
    found = [
        r[0]
        for chunk in chunks(ids)
        for r in conn.execute(f"SELECT id FROM t WHERE id IN ({marks(len(chunk))})", chunk)
    ]
    assert sorted(found) == ids
    conn.close()
