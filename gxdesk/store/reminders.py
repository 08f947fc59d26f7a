"""The 催办 log: each notice sent to a unit and the tasks it chased.

Written once per notice when the notice file is made, read back to say how
many times a task was chased before (in the next notice and in the report) and
to show the chases in the task's history.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from gxdesk.store.database import Database
from gxdesk.store.plans import sql_datetime


@dataclass(frozen=True, slots=True)
class ReminderView:
    """One notice as the task's history shows it."""

    id: int
    unit_id: int
    unit: str
    number: str
    issued_on: dt.date
    file_name: str


def record_reminder(
    session: Session,
    *,
    unit_id: int,
    number: str,
    issued_on: dt.date,
    file_name: str,
    task_ids: Iterable[int],
    now: dt.datetime | None = None,
) -> int:
    """Log one notice (and the tasks it named) in the caller's transaction; returns its id."""
    conn = session.connection()
    stamp = sql_datetime((now or dt.datetime.now()).replace(microsecond=0))
    new_id = (conn.exec_driver_sql("SELECT max(id) FROM reminder").scalar() or 0) + 1
    conn.exec_driver_sql(
        "INSERT INTO reminder (id, unit_id, number, issued_on, file_name, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (new_id, unit_id, number, issued_on.isoformat(), file_name, stamp),
    )
    rows = [(new_id, t) for t in sorted(set(task_ids))]
    if rows:
        conn.exec_driver_sql("INSERT INTO reminder_task (reminder_id, task_id) VALUES (?, ?)", rows)
    return new_id


def chase_counts(db: Database, *, before: dt.date | None = None) -> Counter[tuple[int, int]]:
    """How many notices chased each (unit id, task id), issued on or before ``before``."""
    sql = (
        "SELECT r.unit_id, rt.task_id, count(*) FROM reminder r"
        " JOIN reminder_task rt ON rt.reminder_id = r.id"
    )
    args: tuple[Any, ...] = ()
    if before is not None:
        sql += " WHERE r.issued_on <= ?"
        args = (before.isoformat(),)
    with db.raw() as conn:
        rows = conn.execute(sql + " GROUP BY r.unit_id, rt.task_id", args).fetchall()
    return Counter({(u, t): n for u, t, n in rows})


def reminders_of_task(db: Database, task_id: int) -> list[ReminderView]:
    """The notices that named a task, newest first."""
    with db.raw() as conn:
        rows = conn.execute(
            "SELECT r.id, r.unit_id, u.name, r.number, r.issued_on, r.file_name FROM reminder r"
            " JOIN reminder_task rt ON rt.reminder_id = r.id JOIN unit u ON u.id = r.unit_id"
            " WHERE rt.task_id = ? ORDER BY r.issued_on DESC, r.id DESC",
            (task_id,),
        ).fetchall()
    return [
        ReminderView(r[0], r[1], r[2], r[3], dt.date.fromisoformat(r[4][:10]), r[5]) for r in rows
    ]


def reminder_count(db: Database, year: int) -> int:
    """Notices issued in ``year``: the next one is numbered one higher."""
    with db.raw() as conn:
        count: int = conn.execute(
            "SELECT count(*) FROM reminder WHERE issued_on >= ? AND issued_on < ?",
            (f"{year:04d}-01-01", f"{year + 1:04d}-01-01"),
        ).fetchone()[0]
    return count
