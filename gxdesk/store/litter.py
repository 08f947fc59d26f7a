"""Removing what the program itself left behind when it was killed or failed.

Only files of the program's own naming are touched:

- temporary files ``.NAME.PID.part`` (backups, manifests, restores, the first
  copy of the seed) and ``.NAME.PID.part.xlsx`` (workbooks being saved), whose
  process ``PID`` is no longer running on this computer;
- before-merge backups whose merge never committed: a merge takes its backup,
  then writes its batch; a kill in between left a backup no batch followed
  (only those since the last restore, and only of processes gone from this computer).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
from pathlib import Path

from gxdesk.store.processes import host_name, pid_alive

_PART = re.compile(r"^\..+\.(?P<pid>\d+)\.part(\.xlsx)?$")


def clean_parts(folder: Path) -> list[Path]:
    """Remove the program's temporary files in ``folder`` left by dead processes."""
    removed = []
    try:
        entries = list(Path(folder).iterdir())
    except OSError:
        return []
    for p in entries:
        m = _PART.match(p.name)
        if m and not pid_alive(int(m["pid"])):
            try:
                p.unlink()
                removed.append(p)
            except OSError:
                continue
    return removed


def _batch_times(db_path: Path) -> list[dt.datetime]:
    from gxdesk.store.sqlite_file import connect_existing

    try:
        conn = connect_existing(db_path)
        try:
            rows = conn.execute("SELECT created_at FROM merge_batch").fetchall()
        finally:
            conn.close()
    except sqlite3.Error:
        return []
    out = []
    for (value,) in rows:
        try:
            out.append(dt.datetime.fromisoformat(str(value)))
        except ValueError:
            continue
    return out


def _owner_gone(path: Path) -> bool:
    """True when the process that wrote the backup (its manifest says) is not running here."""
    try:
        data = json.loads(path.with_name(path.name + ".json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return True
    if data.get("host") != host_name():
        return False  # another computer's: not ours to judge
    return not pid_alive(int(data.get("pid") or 0))


def orphan_merge_backups(db_path: Path) -> list[Path]:
    """Before-merge backups of ``db_path`` that no merge batch followed."""
    from gxdesk.store.backups import backup_folder, list_backups

    backups = [b for b in list_backups(backup_folder(db_path), Path(db_path).stem)]
    backups.sort(key=lambda b: b.created)
    restores = [b.created for b in backups if b.reason == "restore"]
    # a restore brings back an older state: the merges before it are history, not orphans
    since = restores[-1] if restores else dt.datetime.min
    merges = [b for b in backups if b.reason == "merge" and b.created > since]
    if not merges:
        return []
    times = _batch_times(db_path)
    orphans = []
    for i, b in enumerate(merges):
        start = b.created.replace(microsecond=0)
        end = merges[i + 1].created if i + 1 < len(merges) else dt.datetime.max
        if not any(start <= t < end for t in times) and _owner_gone(b.path):
            orphans.append(b.path)
    return orphans


def clean_litter(db_path: Path) -> list[Path]:
    """Everything above, beside the database ``db_path`` and in its backup folder."""
    from gxdesk.store.backups import backup_folder, remove_backup

    db_path = Path(db_path)
    removed = clean_parts(db_path.parent) + clean_parts(backup_folder(db_path))
    for p in orphan_merge_backups(db_path):
        remove_backup(p)
        removed.append(p)
    return removed
