"""Checked backups: the checksum catches what integrity_check cannot, the rotation keeps
what it promises, a restore brings back exactly the state backed up, and leftovers go."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from pathlib import Path

import pytest
from exchange_helpers import make_db
from recovery_helpers import one_chinese_line, run_cli, sha

from gxdesk.store.backups import (
    BackupInfo,
    choose_kept,
    list_backups,
    make_backup,
    manifest_path,
    prune,
    read_backup,
    rotating_backup,
)
from gxdesk.store.database import DatabaseError, restore_database
from gxdesk.store.litter import clean_litter


@pytest.fixture
def plan_db(tmp_path: Path) -> Path:
    db = make_db(tmp_path)
    with db.transaction() as session:
        session.connection().exec_driver_sql(
            "UPDATE task SET requirement = '按季度公开预算执行情况' WHERE id = 1"
        )
    db.close()
    return db.path


def _dump(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def test_a_flipped_byte_in_a_text_passes_integrity_check_but_not_restore(plan_db: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    backup = tmp_path / "saved.sqlite"
    code, out, err = run_cli(capsys, "--db", plan_db, "backup", backup)
    assert code == 0, err
    assert "sha256" in out and manifest_path(backup).exists()
    data = bytearray(backup.read_bytes())
    at = data.find("按季度公开预算执行情况".encode())
    assert at > 0
    data[at + 1] ^= 0x01  # one bit of one character: still valid UTF-8, another character
    backup.write_bytes(bytes(data))
    conn = sqlite3.connect(backup)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"  # SQLite sees nothing
    conn.close()
    before = sha(plan_db)
    code, _out, err = run_cli(capsys, "--db", plan_db, "restore", backup)
    assert code == 2
    assert "校验失败" in one_chinese_line(err)
    assert sha(plan_db) == before


def test_a_restore_brings_back_exactly_the_backed_up_state(plan_db: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    saved = make_backup(plan_db, tmp_path / "saved.sqlite")
    wanted = _dump(plan_db)
    conn = sqlite3.connect(plan_db)
    conn.execute("DELETE FROM assignment")
    conn.execute("UPDATE task SET name = '改坏了'")
    conn.commit()
    conn.close()
    code, out, err = run_cli(capsys, "--db", plan_db, "restore", saved.path)
    assert code == 0, err
    assert _dump(plan_db) == wanted
    # the state before the restore is kept, checked, in the rotating set
    safety = [b for b in list_backups(tmp_path / "backups") if b.reason == "restore"]
    assert len(safety) == 1
    assert "改坏了" in "".join(_dump(safety[0].path))


def test_two_restores_in_the_same_second_keep_both_safety_copies(plan_db: Path, tmp_path: Path) -> None:
    saved = make_backup(plan_db, tmp_path / "saved.sqlite")
    conn = sqlite3.connect(plan_db)
    conn.execute("UPDATE task SET name = '第一次恢复前'")
    conn.commit()
    conn.close()
    restore_database(saved.path, plan_db)
    restore_database(saved.path, plan_db)
    safety = sorted(
        (b for b in list_backups(tmp_path / "backups") if b.reason == "restore"),
        key=lambda b: b.created,
    )
    assert len(safety) == 2
    assert "第一次恢复前" in "".join(_dump(safety[0].path))
    assert "第一次恢复前" not in "".join(_dump(safety[1].path))


def test_restore_of_a_backup_without_manifest_says_it_was_not_verified(plan_db: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    copy = tmp_path / "by-hand.sqlite"
    copy.write_bytes(plan_db.read_bytes())
    code, out, err = run_cli(capsys, "--db", plan_db, "restore", copy)
    assert code == 0, err
    assert "没有校验记录" in out


def _info(created: dt.datetime, size: int = 100) -> BackupInfo:
    name = f"gx.merge-{created:%Y%m%d-%H%M%S-%f}.sqlite"
    return BackupInfo(Path(name), created, "merge", size, "x", 1, 1, 34, 0, 0, None)


def test_rotation_keeps_ten_then_daily_then_monthly() -> None:
    now = dt.datetime(2026, 12, 7, 12, 0)
    # today: 15 backups an hour apart; then one every 6 hours for 400 days
    backups = [_info(now - dt.timedelta(minutes=30 * i)) for i in range(15)]
    backups += [_info(now - dt.timedelta(days=1, hours=6 * i)) for i in range(1600)]
    backups.sort(key=lambda b: b.created, reverse=True)
    kept = choose_kept(backups, now)
    kept_times = sorted((b.created for b in backups if b.path in kept), reverse=True)
    assert set(kept_times[:10]) == {b.created for b in backups[:10]}  # the last ten
    days = {t.date() for t in kept_times if now - t <= dt.timedelta(days=14)}
    assert len(days) == 15  # today and each of the 14 days before
    months = {(t.year, t.month) for t in kept_times}
    assert len(months) == 12  # one a month for a year, no more
    assert now - min(kept_times) <= dt.timedelta(days=366)
    assert len(kept) < 45


def test_rotation_respects_the_size_cap_but_keeps_the_newest() -> None:
    now = dt.datetime(2026, 12, 7, 12, 0)
    backups = [_info(now - dt.timedelta(hours=i), size=400) for i in range(10)]
    assert len(choose_kept(backups, now, size_cap=1000)) == 2
    assert choose_kept(backups, now, size_cap=10) == {backups[0].path}


def test_prune_removes_files_and_manifests(plan_db: Path, tmp_path: Path) -> None:
    start = dt.datetime(2026, 1, 1, 9, 0)
    made = [
        rotating_backup(plan_db, "merge", now=start + dt.timedelta(minutes=i)).path
        for i in range(14)  # all on one day: the last ten stay, each new one prunes
    ]
    folder = tmp_path / "backups"
    left = list_backups(folder)
    assert [b.path for b in left] == made[::-1][:10]
    assert prune(folder, plan_db.stem, now=start + dt.timedelta(days=40)) == []
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [b.path.name for b in left] + [manifest_path(b.path).name for b in left]
    )
    assert read_backup(left[0].path).tasks == 34


def test_leftovers_of_killed_runs_are_cleaned_at_start(plan_db: Path, tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    dead = 2**22 + 12345  # beyond pid_max: no such process
    junk = [
        tmp_path / f".gx.sqlite.{dead}.part",
        folder / f".gx.merge-20260101-000000-000000.sqlite.{dead}.part",
        tmp_path / f".2014年政务公开工作进展_市财政局_2014-10.{dead}.part.xlsx",
    ]
    folder.mkdir(exist_ok=True)
    for p in junk:
        p.write_bytes(b"half")
    live = tmp_path / f".gx.sqlite.{os.getpid()}.part"  # a running process's: kept
    live.write_bytes(b"busy")
    orphan = rotating_backup(plan_db, "merge")  # its merge never committed …
    manifest = manifest_path(orphan.path)
    manifest.write_text(manifest.read_text().replace(f'"pid": {os.getpid()}', f'"pid": {dead}'))
    removed = clean_litter(plan_db)
    assert set(removed) == {*junk, orphan.path}
    assert live.exists() and not orphan.path.exists() and not manifest.exists()


def test_a_merge_backup_followed_by_its_batch_is_kept(tmp_path: Path) -> None:
    from exchange_helpers import export_all
    from test_merge import _fill_first_row

    from gxdesk.ops.exchange import preview_merge
    from gxdesk.store.merge import apply_merge

    db, files = export_all(tmp_path)
    _fill_first_row(files["市审计局"])
    result = apply_merge(db, preview_merge(db, [files["市审计局"]]))
    db.close()
    assert result.backup is not None and result.backup.exists()
    assert clean_litter(db.path) == []
    assert result.backup.exists()


def test_a_backup_into_a_missing_folder_is_one_line(plan_db: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    code, _out, err = run_cli(capsys, "--db", plan_db, "backup", tmp_path / "nope" / "x.sqlite")
    assert code == 2
    assert "目录不存在" in one_chinese_line(err)


def test_make_backup_refuses_a_damaged_source(plan_db: Path, tmp_path: Path) -> None:
    data = bytearray(plan_db.read_bytes())
    data[4096 * 3 : 4096 * 4] = b"\xa5" * 4096
    plan_db.write_bytes(bytes(data))
    with pytest.raises(DatabaseError):
        make_backup(plan_db, tmp_path / "copy.sqlite")
    assert not (tmp_path / "copy.sqlite").exists()
    assert [p for p in tmp_path.iterdir() if ".part" in p.name] == []


def test_a_plan_import_is_preceded_by_a_checked_backup(plan_db: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    from exchange_helpers import SEED

    before = _dump(plan_db)
    code, _out, err = run_cli(capsys, "--db", plan_db, "import-plan", SEED)
    assert code == 0, err
    found = [b for b in list_backups(tmp_path / "backups") if b.reason == "import"]
    assert len(found) == 1 and found[0].plans == 1 and found[0].sha256
    assert _dump(found[0].path) == before
    fresh = tmp_path / "fresh.sqlite"  # nothing to lose: no backup of an empty file
    assert run_cli(capsys, "--db", fresh, "import-plan", SEED)[0] == 0
    assert list_backups(tmp_path / "backups", "fresh") == []
