"""Failing files and disks: a second writer, a lock held too long, a read-only file or
folder, a full disk. Each is one Chinese line, a non-zero exit and the file as it was."""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from exchange_helpers import SEED, export_all, make_db
from recovery_helpers import one_chinese_line, run_cli, sha

from gxdesk.store.lock import DatabaseLockedError, LockHolder, WriterLock, lock_holder, lock_path
from gxdesk.store.processes import host_name

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def plan_db(tmp_path: Path) -> Path:
    db = make_db(tmp_path)
    db.close()
    return db.path


def _filled_return(tmp_path: Path) -> tuple[Path, Path]:
    """A database and one unit's returned workbook with new progress in it."""
    from test_merge import _fill_first_row

    tmp_path.mkdir(exist_ok=True)
    db, files = export_all(tmp_path)
    db.close()
    path = files["市审计局"]
    _fill_first_row(path)
    return db.path, path


def test_a_second_merge_meanwhile_is_one_line_and_writes_nothing(tmp_path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import gxdesk.ops.exchange as ops
    from gxdesk.store.database import Database
    from gxdesk.store.merge import apply_merge

    db_path, workbook = _filled_return(tmp_path)
    real = ops.preview_merge

    def preview_then_another_merges(db, paths, **kw):  # type: ignore[no-untyped-def]
        plan = real(db, paths, **kw)
        other = Database(db.path)  # another program (an older gxdesk, without the lock)
        apply_merge(other, real(other, paths, **kw))
        other.close()
        return plan

    monkeypatch.setattr(ops, "preview_merge", preview_then_another_merges)
    code, _out, err = run_cli(capsys, "--db", db_path, "merge", workbook)
    assert code == 2
    assert "预览之后数据库已有改动" in one_chinese_line(err)
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT count(*) FROM merge_batch").fetchone()[0] == 1  # the other's
    conn.close()


def test_a_database_locked_longer_than_the_timeout(plan_db: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    other = sqlite3.connect(plan_db, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another program is writing and does not finish
    before = sha(plan_db)
    out = tmp_path / "units"
    try:
        code, _out, err = run_cli(capsys, "--db", plan_db, "export-units", out)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert code == 2
    assert "占用" in one_chinese_line(err)
    assert sha(plan_db) == before
    assert list(out.iterdir()) == []  # no workbook the database never learned of


LOCK_HOLDER = """
import sys, time
from pathlib import Path
from gxdesk.store.lock import WriterLock
lock = WriterLock(Path(sys.argv[1]))
lock.acquire()
print("held", flush=True)
time.sleep(60)
"""


def test_a_second_writer_is_told_who_holds_the_database(plan_db: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    child = subprocess.Popen(
        [sys.executable, "-c", LOCK_HOLDER, str(plan_db)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "held"
        before = sha(plan_db)
        code, _out, err = run_cli(capsys, "--db", plan_db, "import-plan", SEED)
        assert code == 2
        line = one_chinese_line(err)
        assert f"数据正被 {host_name()} 使用（自 " in line and f"进程 {child.pid}" in line
        assert sha(plan_db) == before
        code, out, _err = run_cli(capsys, "--db", plan_db, "check")  # reading is allowed
        assert code == 0 and f"进程 {child.pid}" in out
    finally:
        child.kill()
        child.wait()
        child.stdout.close()  # type: ignore[union-attr]
    # the holder crashed: its lock file is still there, stale, and taken over
    assert lock_path(plan_db).exists()
    assert lock_holder(plan_db) is None
    code, out, err = run_cli(capsys, "--db", plan_db, "import-plan", SEED)
    assert code == 0, err
    assert not lock_path(plan_db).exists()  # released at the end


def test_a_lock_from_another_computer_needs_confirmation(plan_db: Path) -> None:
    lock_path(plan_db).write_text(
        '{"host": "PC-CAIWU", "pid": 4242, "user": "clerk", "since": "2026-12-07T09:30:00"}',
        encoding="utf-8",
    )
    holder = lock_holder(plan_db)
    assert holder == LockHolder("PC-CAIWU", 4242, "clerk", holder.since)  # type: ignore[union-attr]
    lock = WriterLock(plan_db)
    with pytest.raises(DatabaseLockedError, match=r"数据正被 PC-CAIWU 使用（自 09:30 起") as info:
        lock.acquire()
    assert info.value.other_host
    lock.acquire(force=True)  # the clerk confirmed the other PC has closed the program
    assert lock_holder(plan_db).host == host_name()  # type: ignore[union-attr]
    lock.release()


def test_two_locks_in_one_process_exclude_each_other(plan_db: Path) -> None:
    first, second = WriterLock(plan_db), WriterLock(plan_db)
    first.acquire()
    with pytest.raises(DatabaseLockedError):
        second.acquire()
    first.release()
    second.acquire()
    second.release()


# --- read-only files and folders, full disks -------------------------------------------------

needs_root = pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root (to mount, chattr)"
)


@contextlib.contextmanager
def _immutable(path: Path):  # type: ignore[no-untyped-def]
    """The file made read-only even for root (``chattr +i``: root ignores file modes)."""
    r = subprocess.run(["chattr", "+i", str(path)], capture_output=True)
    if r.returncode != 0:
        pytest.skip("cannot make a file immutable here: " + r.stderr.decode(errors="replace"))
    try:
        yield path
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=False)


@needs_root
@pytest.mark.parametrize(
    "command",
    [["import-plan", str(SEED)], ["calendar", "2027", "--holiday", "2027-10-01"], ["export-units", "OUT"]],
)
def test_a_read_only_database_file(plan_db: Path, tmp_path: Path, capsys, command) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "out"
    out.mkdir()
    before = sha(plan_db)
    with _immutable(plan_db):
        code, _out, err = run_cli(
            capsys, "--db", plan_db, *[str(out) if a == "OUT" else a for a in command]
        )
    assert code == 2, err
    assert "只读" in one_chinese_line(err)
    assert sha(plan_db) == before
    assert [p.name for p in out.iterdir()] == []


@contextlib.contextmanager
def _tmpfs(where: Path, size: str):  # type: ignore[no-untyped-def]
    where.mkdir()
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
                       capture_output=True)
    if r.returncode != 0:
        pytest.skip("cannot mount a tmpfs here: " + r.stderr.decode(errors="replace").strip())
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


@needs_root
@pytest.mark.parametrize(
    "command",
    [["import-plan", str(SEED)], ["backup", "IN"], ["merge", "X"], ["export-units", "IN"]],
)
def test_a_read_only_folder(tmp_path: Path, capsys, command) -> None:  # type: ignore[no-untyped-def]
    db_path, workbook = _filled_return(tmp_path / "src")
    with _tmpfs(tmp_path / "ro", "4m") as ro:
        target = ro / "gx.sqlite"
        shutil.copyfile(db_path, target)
        subprocess.run(["mount", "-o", "remount,ro", str(ro)], check=True)
        before = sha(target)
        args = [str(ro / "copy.sqlite") if a == "IN" else str(workbook) if a == "X" else a
                for a in command]
        code, _out, err = run_cli(capsys, "--db", target, *args)
        assert code == 2
        assert "只读" in one_chinese_line(err)
        assert sha(target) == before


@needs_root
@pytest.mark.parametrize("free_kb", [8, 60, 130, 200, 300])
@pytest.mark.parametrize(
    "command",
    [["import-plan", str(SEED)], ["backup", "OUT"], ["merge", "X"], ["export-units", "DIR"]],
)
def test_a_full_disk(tmp_path: Path, capsys, command, free_kb: int) -> None:  # type: ignore[no-untyped-def]
    db_path, workbook = _filled_return(tmp_path / "src")
    with _tmpfs(tmp_path / "small", "1m") as small:
        target = small / "gx.sqlite"
        shutil.copyfile(db_path, target)
        (small / "backups").mkdir()
        filler = small / "filler"
        with open(filler, "wb", buffering=0) as f, contextlib.suppress(OSError):
            while True:  # fill the disk, then give back free_kb
                f.write(b"\0" * 4096)
        size = filler.stat().st_size
        os.truncate(filler, max(size - free_kb * 1024, 0))
        before = sha(target)
        names = {"OUT": str(small / "copy.sqlite"), "X": str(workbook), "DIR": str(small / "units")}
        args = [names.get(a, a) for a in command]
        code, out, err = run_cli(capsys, "--db", target, *args)
        assert code == 2 or free_kb > 130, err  # with this little room nothing fits
        if code == 0:  # it fitted: then it must be whole
            conn = sqlite3.connect(target)
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            conn.close()
            return
        assert code == 2, err
        line = one_chinese_line(err)
        assert "磁盘空间已满" in line, line
        assert sha(target) == before
        leftovers = [p.name for p in small.rglob("*") if ".part" in p.name]
        assert leftovers == []
        assert list(small.rglob("*.xlsx")) == []  # no workbook the database does not know
