"""The health report of a database file, read without writing anything.

``gxdesk check`` prints it and the window can show it. Each line says what
was looked at and what was found; a line marked as a problem makes ``check``
exit non-zero. The only change reading may cause is SQLite's own: a hot
journal left by a crash is rolled back (which is what makes the file readable).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from gxdesk.store.errors import sqlite_reason


@dataclass(frozen=True, slots=True)
class HealthLine:
    label: str
    text: str
    problem: bool = False


def _age(delta: dt.timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    if minutes < 60:
        return f"{max(minutes, 0)} 分钟前"
    if minutes < 48 * 60:
        return f"{minutes // 60} 小时前"
    return f"{minutes // (24 * 60)} 天前"


def health_report(path: Path, *, now: dt.datetime | None = None) -> list[HealthLine]:
    """What ``gxdesk check`` prints, line by line (the file must exist)."""
    from gxdesk.store.backups import latest_backup
    from gxdesk.store.database import APPLICATION_ID, SCHEMA_VERSION, connect_existing
    from gxdesk.store.lock import lock_holder

    path = Path(path)
    now = now or dt.datetime.now()
    lines = [HealthLine("文件", f"{path}（{path.stat().st_size / 1024:.0f} KB）")]
    try:
        conn = connect_existing(path)
        try:
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
            integrity = [r[0] for r in conn.execute("PRAGMA integrity_check")]
            fks = conn.execute("PRAGMA foreign_key_check").fetchall()
        finally:
            conn.close()
    except sqlite3.Error as exc:
        return [*lines, HealthLine("完整性", f"无法读取（{sqlite_reason(exc)}）", True)]
    if app_id != APPLICATION_ID:
        lines.append(HealthLine("类型", "不是 gxdesk 数据库（其他程序的 SQLite 文件）", True))
    if integrity == ["ok"]:
        lines.append(HealthLine("完整性", "完好（integrity_check）"))
    else:
        lines.append(HealthLine("完整性", f"{len(integrity)} 处损坏：{integrity[0]}", True))
    if fks:
        t, row, ref = fks[0][:3]
        lines.append(HealthLine("外键", f"{len(fks)} 处错误：表 {t} 第 {row} 行引用 {ref}", True))
    else:
        lines.append(HealthLine("外键", "一致"))
    if version > SCHEMA_VERSION:
        lines.append(
            HealthLine("数据结构", f"版本 {version}，比本程序（{SCHEMA_VERSION}）新", True)
        )
    elif version == 0 and tables:
        lines.append(HealthLine("数据结构", "版本号为 0 但已有数据表：文件被其他工具改动过", True))
    elif version < SCHEMA_VERSION:
        lines.append(
            HealthLine("数据结构", f"版本 {version}，下次写入时先备份再升级到 {SCHEMA_VERSION}")
        )
    else:
        lines.append(HealthLine("数据结构", f"版本 {version}（最新）"))
    last = latest_backup(path)
    if last is None:
        lines.append(HealthLine("最近备份", "还没有备份（导入、合并前会自动备份）"))
    else:
        lines.append(
            HealthLine(
                "最近备份",
                f"{last.created:%Y-%m-%d %H:%M}（{_age(now - last.created)}，{last.label}）：{last.path.name}",
            )
        )
    holder = lock_holder(path)
    lines.append(HealthLine("占用", holder.describe() if holder else "无程序正在写入"))
    return lines


def startup_problems(path: Path) -> list[str]:
    """``quick_check`` and ``foreign_key_check`` (a hot journal rolled back first): what a
    window runs on open, fast enough for every start; empty when the file is sound."""
    from gxdesk.store.database import check_database

    return check_database(path, quick=True)


def newest_good_backup(path: Path):  # type: ignore[no-untyped-def]
    """The newest backup of ``path`` whose checksum and structure are sound, or None."""
    from gxdesk.store.backups import backup_folder, list_backups, verify_backup
    from gxdesk.store.database import DatabaseError, check_database

    for b in list_backups(backup_folder(path), Path(path).stem):
        try:
            verify_backup(b.path)
        except (DatabaseError, OSError):
            continue
        if b.sha256 and not check_database(b.path):
            return b
    return None
