"""Checked backups of the database, their checksum manifests, and the rotating set.

Every backup is made the same way: SQLite's online backup API into a hidden
temporary file beside the target, ``integrity_check`` on that copy, its sha256
and a summary of what it holds written to a manifest (``NAME.json``), then the
copy renamed to its final name. A file under a backup's name is therefore
always a whole, checked copy; a kill leaves at most a temporary file, which
:mod:`.litter` removes at the next start.

``integrity_check`` sees only SQLite's own structure: bytes flipped inside a
progress text pass it. The manifest's sha256 catches them, and
:func:`verify_backup` (used by restore) checks it.

The program's own backups (before a plan import, a merge batch, a migration, a
restore) go to ``backups/`` beside the database, named
``STEM.REASON-YYYYmmdd-HHMMSS-ffffff.sqlite``, and are pruned after each new
one (:func:`prune`): the last 10, the newest of each day for 14 days, the
newest of each month for a year, within a size cap.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gxdesk.store.errors import sqlite_reason
from gxdesk.store.processes import host_name
from gxdesk.store.sqlite_file import DatabaseError

MANIFEST_SUFFIX = ".json"
KEEP_LAST = 10
KEEP_DAYS = 14
KEEP_MONTHS = 12
SIZE_CAP = 2 * 1024**3  # bytes of backups kept for one database (the newest always stays)

#: What the program's backups are taken before (the ``REASON`` of their names).
REASONS = {
    "import": "导入计划前",
    "merge": "合并前",
    "restore": "恢复前",
    "manual": "手动备份",
    "undo": "撤销前",
}

_NAME = re.compile(
    r"^(?P<stem>.+)\.(?P<reason>[a-z0-9]+)-(?P<stamp>\d{8}-\d{6}-\d{6})(-\d+)?\.sqlite$"
)


@dataclass(frozen=True, slots=True)
class BackupInfo:
    """One backup and what its manifest says it holds."""

    path: Path
    created: dt.datetime
    reason: str
    size: int
    sha256: str | None  # None: a file without a manifest (not made by this program)
    schema_version: int
    plans: int
    tasks: int
    reports: int
    batches: int
    last_merge: str | None

    @property
    def label(self) -> str:
        if self.reason.startswith("v"):
            return f"升级数据结构前（版本 {self.reason[1:]}）"
        return REASONS.get(self.reason, self.reason)

    def summary(self) -> str:
        """What the backup holds, in one line for the clerk."""
        merged = f"，最近合并 {self.last_merge}" if self.last_merge else ""
        return f"{self.plans} 个计划、{self.tasks} 项任务、{self.reports} 条进展{merged}"


def manifest_path(path: Path) -> Path:
    return path.with_name(path.name + MANIFEST_SUFFIX)


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _fsync(path: Path) -> None:
    with open(path, "rb+") as f:
        os.fsync(f.fileno())


def _count(conn: sqlite3.Connection, sql: str) -> int:
    try:
        return int(conn.execute(sql).fetchone()[0] or 0)
    except sqlite3.Error:  # an older schema without that table
        return 0


def _summary(conn: sqlite3.Connection) -> dict[str, Any]:
    try:
        last = conn.execute("SELECT max(created_at) FROM merge_batch").fetchone()[0]
    except sqlite3.Error:
        last = None
    return {
        "schema_version": conn.execute("PRAGMA user_version").fetchone()[0],
        "plans": _count(conn, "SELECT count(*) FROM plan"),
        "tasks": _count(conn, "SELECT count(*) FROM task"),
        "reports": _count(conn, "SELECT count(*) FROM progress"),
        "batches": _count(conn, "SELECT count(*) FROM merge_batch"),
        "last_merge": str(last)[:19] if last else None,
    }


def make_backup(
    src: Path, dest: Path, *, reason: str = "manual", created: dt.datetime | None = None
) -> BackupInfo:
    """Copy ``src`` to ``dest`` (backup API, checked, manifest, rename); ``dest`` is
    replaced only by a whole, checked copy."""
    from gxdesk.store.sqlite_file import connect_existing

    src, dest = Path(src), Path(dest)
    if not dest.parent.is_dir():
        raise DatabaseError(f"目录不存在：{dest.parent}")
    tmp = dest.with_name(f".{dest.name}.{os.getpid()}.part")
    tmp.unlink(missing_ok=True)
    created = created or dt.datetime.now()
    try:
        try:
            source = connect_existing(src)
        except sqlite3.Error as exc:
            raise DatabaseError(f"无法读取数据库：{src.name}（{sqlite_reason(exc)}）") from exc
        try:
            target = sqlite3.connect(tmp)
            try:
                source.backup(target)
                ok = target.execute("PRAGMA integrity_check").fetchone()[0]
                summary = _summary(target)
            finally:
                target.close()
        except sqlite3.DatabaseError as exc:
            if "full" in str(exc) or "readonly" in str(exc) or "unable to open" in str(exc):
                raise  # the target's disk or folder: said as such by the caller
            raise DatabaseError(f"备份失败，数据库可能已损坏（{sqlite_reason(exc)}）") from exc
        finally:
            source.close()
        if ok != "ok":
            raise DatabaseError(f"备份校验失败，数据库可能已损坏：{ok}")
        _fsync(tmp)
        size = tmp.stat().st_size
        digest = file_sha256(tmp)
        manifest = {
            "file": dest.name,
            "sha256": digest,
            "size": size,
            "created": created.isoformat(timespec="microseconds"),
            "reason": reason,
            "source": src.name,
            "host": host_name(),
            "pid": os.getpid(),
            **summary,
        }
        _write_json(manifest_path(dest), manifest)
        tmp.replace(dest)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return BackupInfo(
        dest,
        created,
        reason,
        size,
        digest,
        summary["schema_version"],
        summary["plans"],
        summary["tasks"],
        summary["reports"],
        summary["batches"],
        summary["last_merge"],
    )


def _write_json(path: Path, data: dict[str, Any]) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.part")
    try:
        tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
        _fsync(tmp)
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)


def backup_folder(db_path: Path) -> Path:
    """The rotating set's folder: ``backups/`` beside the database."""
    return Path(db_path).parent / "backups"


def rotating_backup(
    db_path: Path, reason: str, *, folder: Path | None = None, now: dt.datetime | None = None
) -> BackupInfo:
    """A new checked backup in the rotating set, then the set pruned."""
    db_path = Path(db_path)
    where = folder or backup_folder(db_path)
    where.mkdir(parents=True, exist_ok=True)
    now = now or dt.datetime.now()
    stamp = now.strftime("%Y%m%d-%H%M%S-%f")
    dest = where / f"{db_path.stem}.{reason}-{stamp}.sqlite"
    n = 0
    while dest.exists() or manifest_path(dest).exists():  # never over an earlier backup
        n += 1
        dest = where / f"{db_path.stem}.{reason}-{stamp}-{n}.sqlite"
    info = make_backup(db_path, dest, reason=reason, created=now)
    prune(where, db_path.stem, keep={dest}, now=now)
    return info


def read_backup(path: Path) -> BackupInfo:
    """A backup's manifest (or, without one, what can be said from the file's name)."""
    path = Path(path)
    data: dict[str, Any] = {}
    mpath = manifest_path(path)
    if mpath.is_file():
        try:
            data = json.loads(mpath.read_text(encoding="utf-8"))
        except (ValueError, OSError):
            data = {}
    m = _NAME.match(path.name)
    created = None
    if data.get("created"):
        try:
            created = dt.datetime.fromisoformat(data["created"])
        except ValueError:
            created = None
    if created is None and m:
        created = dt.datetime.strptime(m["stamp"], "%Y%m%d-%H%M%S-%f")
    if created is None:
        created = dt.datetime.fromtimestamp(path.stat().st_mtime)
    return BackupInfo(
        path,
        created,
        str(data.get("reason") or (m["reason"] if m else "manual")),
        int(data.get("size") or path.stat().st_size),
        data.get("sha256") if isinstance(data.get("sha256"), str) else None,
        int(data.get("schema_version") or 0),
        int(data.get("plans") or 0),
        int(data.get("tasks") or 0),
        int(data.get("reports") or 0),
        int(data.get("batches") or 0),
        data.get("last_merge"),
    )


def verify_backup(path: Path) -> BackupInfo:
    """The backup's manifest, after its checksum matched; raises DatabaseError otherwise.

    A file without a manifest (a copy made by hand) cannot be verified: it is
    returned with ``sha256`` None, and the caller says so.
    """
    info = read_backup(path)
    if info.sha256 is None:
        return info
    if path.stat().st_size != info.size or file_sha256(path) != info.sha256:
        raise DatabaseError(
            f"备份文件校验失败：{path.name} 的内容与备份时记录的校验值（sha256）不符，"
            "文件已被改动或损坏，不能用于恢复"
        )
    return info


def list_backups(folder: Path, stem: str | None = None) -> list[BackupInfo]:
    """The program's backups in ``folder`` (of database ``stem``), newest first."""
    found = []
    if not Path(folder).is_dir():
        return []
    for p in Path(folder).iterdir():
        m = _NAME.match(p.name)
        if m and p.is_file() and (stem is None or m["stem"] == stem):
            try:
                found.append(read_backup(p))
            except OSError:
                continue
    found.sort(key=lambda b: (b.created, b.path.name), reverse=True)
    return found


def remove_backup(path: Path) -> None:
    path.unlink(missing_ok=True)
    manifest_path(path).unlink(missing_ok=True)


def choose_kept(
    backups: list[BackupInfo], now: dt.datetime, *, size_cap: int = SIZE_CAP
) -> set[Path]:
    """Which of ``backups`` (newest first) the rotation keeps."""
    keep: set[Path] = {b.path for b in backups[:KEEP_LAST]}
    days: set[dt.date] = set()
    months: set[tuple[int, int]] = set()
    for b in backups:
        age = now - b.created
        day = b.created.date()
        if age <= dt.timedelta(days=KEEP_DAYS) and day not in days:
            days.add(day)
            keep.add(b.path)
        month = (b.created.year, b.created.month)
        if age <= dt.timedelta(days=366) and month not in months and len(months) < KEEP_MONTHS:
            months.add(month)
            keep.add(b.path)
    total = 0
    capped: set[Path] = set()
    for i, b in enumerate(backups):  # newest first: the oldest go once over the cap
        if b.path not in keep:
            continue
        total += b.size
        if i == 0 or total <= size_cap:
            capped.add(b.path)
    return capped


def prune(
    folder: Path,
    stem: str,
    *,
    keep: set[Path] = frozenset(),  # type: ignore[assignment]
    now: dt.datetime | None = None,
    size_cap: int = SIZE_CAP,
) -> list[Path]:
    """Remove the backups of ``stem`` the rotation no longer keeps; returns them."""
    backups = list_backups(folder, stem)
    kept = choose_kept(backups, now or dt.datetime.now(), size_cap=size_cap) | set(keep)
    removed = [b.path for b in backups if b.path not in kept]
    for p in removed:
        remove_backup(p)
    return removed


def latest_backup(db_path: Path) -> BackupInfo | None:
    found = list_backups(backup_folder(db_path), Path(db_path).stem)
    return found[0] if found else None
