"""Recovery after a crash, read commands that create nothing, and every failure one Chinese line."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from exchange_helpers import SEED, make_db
from recovery_helpers import crash_in_commit, one_chinese_line, run_cli, sha

from gxdesk.store.database import check_database, open_database


@pytest.fixture
def plan_db(tmp_path: Path) -> Path:
    db = make_db(tmp_path)
    db.close()
    return db.path


def test_a_crash_in_a_commit_does_not_lock_the_program_out(plan_db: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    names_before = sqlite3.connect(plan_db).execute("SELECT name FROM task ORDER BY id").fetchall()
    crash_in_commit(plan_db)
    code, out, err = run_cli(capsys, "--db", plan_db, "tasks", "--on", "2014-10-20")
    assert code == 0, err
    assert len(out.splitlines()) == 34
    assert not plan_db.with_name(plan_db.name + "-journal").exists()  # rolled back
    conn = sqlite3.connect(plan_db)
    assert conn.execute("SELECT name FROM task ORDER BY id").fetchall() == names_before
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert "crash_filler" not in {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    conn.close()


def test_check_rolls_back_a_hot_journal_and_says_the_file_is_sound(plan_db: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    crash_in_commit(plan_db)
    code, out, err = run_cli(capsys, "--db", plan_db, "check")
    assert code == 0, err
    assert "✓ 完整性：完好" in out
    assert check_database(plan_db) == []


@pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
def test_the_window_opens_after_a_crash_in_a_commit(plan_db: Path, qtbot) -> None:  # type: ignore[no-untyped-def]
    from gxdesk.ui.app import build_window

    crash_in_commit(plan_db)
    _app, window = build_window(plan_db, None, remember=False)
    qtbot.addWidget(window)
    window.show()
    window.load()
    assert window.context.plan is not None
    assert window.model.rowCount() == 34
    window.context.db.close()


@pytest.mark.parametrize("command", [["tasks"], ["check"], ["export-plan", "OUT"], ["calendar"]])
def test_a_read_command_on_a_mistyped_path_creates_nothing(tmp_path: Path, capsys, command) -> None:  # type: ignore[no-untyped-def]
    missing = tmp_path / "mistyped.sqlite"
    args = [str(tmp_path / "out.xlsx") if a == "OUT" else a for a in command]
    code, _out, err = run_cli(capsys, "--db", missing, *args)
    assert code == 2
    assert "数据库文件不存在" in one_chinese_line(err)
    assert sorted(p.name for p in tmp_path.iterdir()) == []


@pytest.mark.parametrize("command", [["tasks"], ["check"], ["merge", "--dry-run", "X"]])
def test_a_read_command_leaves_a_zero_byte_file_empty(tmp_path: Path, capsys, command) -> None:  # type: ignore[no-untyped-def]
    empty = tmp_path / "empty.sqlite"
    empty.touch()
    x = tmp_path / "x.xlsx"
    x.write_bytes(b"PK")
    args = [str(x) if a == "X" else a for a in command]
    code, _out, err = run_cli(capsys, "--db", empty, *args)
    assert code == 2
    assert "空文件" in one_chinese_line(err)
    assert empty.stat().st_size == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty.sqlite", "x.xlsx"]


def test_a_writing_command_creates_the_database(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    new = tmp_path / "new.sqlite"
    code, out, err = run_cli(capsys, "--db", new, "import-plan", SEED, "--issued", "2014-09-26")
    assert code == 0, err
    assert "34 项任务" in out
    assert check_database(new) == []


def test_user_version_zero_on_a_gxdesk_file_is_refused_untouched(plan_db: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    conn = sqlite3.connect(plan_db)
    conn.execute("PRAGMA user_version=0")
    conn.close()
    before = sha(plan_db)
    for command in (["tasks"], ["import-plan", str(SEED)]):
        code, _out, err = run_cli(capsys, "--db", plan_db, *command)
        assert code == 2
        assert "版本被改为 0" in one_chinese_line(err)
        assert sha(plan_db) == before
    code, out, _err = run_cli(capsys, "--db", plan_db, "check")
    assert code == 2
    assert "✗ 数据结构" in out


def _damage_a_page(path: Path) -> None:
    """Overwrite one b-tree page in the middle of the file with garbage."""
    conn = sqlite3.connect(path)
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'task'").fetchone()[0]
    conn.close()
    data = bytearray(path.read_bytes())
    start = (root - 1) * page_size
    data[start : start + page_size] = b"\xa5" * page_size
    path.write_bytes(bytes(data))


@pytest.mark.parametrize(
    "command", [["check"], ["tasks"], ["merge", "X"], ["export-units", "OUT"], ["backup", "OUT"]]
)
def test_a_damaged_page_is_one_line_and_the_file_unchanged(plan_db: Path, capsys, command) -> None:  # type: ignore[no-untyped-def]
    _damage_a_page(plan_db)
    before = sha(plan_db)
    from exchange_helpers import export_all

    folder = plan_db.parent / "other"
    folder.mkdir()
    _db, files = export_all(folder)
    _db.close()
    args = [
        str(next(iter(files.values()))) if a == "X" else str(plan_db.parent / "o") if a == "OUT" else a
        for a in command
    ]
    code, out, err = run_cli(capsys, "--db", plan_db, *args)
    assert code == 2
    line = one_chinese_line(err)
    assert "损坏" in line or "问题" in line, line
    assert sha(plan_db) == before
    if command == ["check"]:
        assert "✗ 完整性" in out


def test_restore_from_a_damaged_backup_is_refused(plan_db: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(plan_db.read_bytes())
    _damage_a_page(bad)
    before = sha(plan_db)
    code, _out, err = run_cli(capsys, "--db", plan_db, "restore", bad)
    assert code == 2
    assert "损坏" in one_chinese_line(err)
    assert sha(plan_db) == before


def test_open_database_does_not_create_unless_asked(tmp_path: Path) -> None:
    from gxdesk.store.database import DatabaseError

    with pytest.raises(DatabaseError, match="数据库文件不存在"):
        open_database(tmp_path / "nope.sqlite", create=False)
    assert not (tmp_path / "nope.sqlite").exists()


def test_restore_over_a_damaged_database_keeps_the_damaged_bytes(plan_db: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    from gxdesk.store.backups import make_backup

    saved = make_backup(plan_db, tmp_path / "saved.sqlite")
    _damage_a_page(plan_db)
    damaged = plan_db.read_bytes()
    code, _out, err = run_cli(capsys, "--db", plan_db, "restore", saved.path)
    assert code == 0, err
    kept = list(tmp_path.glob(f"{plan_db.name}.corrupt-*"))
    assert len(kept) == 1 and kept[0].read_bytes() == damaged
    assert check_database(plan_db) == []
