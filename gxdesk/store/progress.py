"""Writing progress reports: history is appended, never overwritten.

Every path that adds or withdraws reports (the window, a merged workbook, an
undo) goes through here, so the task's derived status is kept in one place.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from gxdesk.core.model import Status
from gxdesk.core.status import derive_status
from gxdesk.store.schema import Assignment, Progress, Task


@dataclass(frozen=True)
class ReportInput:
    """One report as a unit gives it (from the window or a returned workbook)."""

    assignment_id: int
    unit_id: int
    status: Status
    percent: int | None = None
    text: str = ""
    done_on: dt.date | None = None
    evidence: str = ""
    problems: str = ""
    contact: str = ""
    phone: str = ""
    period: str = ""
    reported_at: dt.datetime | None = None
    source: str = "manual"
    source_file: str = ""
    source_sha256: str = ""
    export_id: str = ""
    assignment_version: int | None = None
    extra: dict = field(default_factory=dict)


def add_reports(
    session: Session, reports: Iterable[ReportInput], *, batch_id: int | None = None
) -> list[int]:
    """Append ``reports``; returns the new progress ids. Task statuses are refreshed."""
    reports = list(reports)
    if not reports:
        return []
    now = dt.datetime.now().replace(microsecond=0)
    info = {
        a_id: (task_id, version)
        for a_id, task_id, version in session.execute(
            select(Assignment.id, Assignment.task_id, Assignment.version).where(
                Assignment.id.in_({r.assignment_id for r in reports})
            )
        )
    }
    ids = []
    for r in reports:
        if r.assignment_id not in info:
            raise ValueError(f"没有这项任务分工（{r.assignment_id}）")
        task_id, version = info[r.assignment_id]
        result = session.execute(
            insert(Progress).returning(Progress.id),
            {
                "assignment_id": r.assignment_id,
                "task_id": task_id,
                "unit_id": r.unit_id,
                "period": r.period or (r.reported_at or now).strftime("%Y-%m"),
                "status": Status(r.status).value,
                "percent": r.percent,
                "text": r.text,
                "done_on": r.done_on,
                "evidence": r.evidence,
                "problems": r.problems,
                "contact": r.contact,
                "phone": r.phone,
                "reported_at": r.reported_at or now,
                "source": r.source,
                "source_file": r.source_file,
                "source_sha256": r.source_sha256,
                "export_id": r.export_id,
                "batch_id": batch_id,
                "assignment_version": r.assignment_version or version,
                "withdrawn": False,
            },
        )
        ids.append(result.scalar_one())
    refresh_status(session, {info[r.assignment_id][0] for r in reports})
    return ids


def _set_withdrawn(session: Session, progress_ids: Iterable[int], withdrawn: bool) -> set[int]:
    ids = list(progress_ids)
    if not ids:
        return set()
    tasks = set(session.scalars(select(Progress.task_id).where(Progress.id.in_(ids))))
    session.execute(update(Progress).where(Progress.id.in_(ids)).values(withdrawn=withdrawn))
    refresh_status(session, tasks)
    return tasks


def withdraw_reports(session: Session, progress_ids: Iterable[int]) -> set[int]:
    """Mark reports withdrawn (undo): they stay in the file as history. Returns task ids."""
    return _set_withdrawn(session, progress_ids, True)


def restore_reports(session: Session, progress_ids: Iterable[int]) -> set[int]:
    """Undo of a withdrawal (redo of an added report). Returns task ids."""
    return _set_withdrawn(session, progress_ids, False)


_LATEST_SQL = """
SELECT p.task_id, p.status FROM progress p
WHERE p.task_id IN ({marks}) AND p.withdrawn = 0 AND p.id = (
    SELECT p2.id FROM progress p2 WHERE p2.assignment_id = p.assignment_id
    AND p2.unit_id = p.unit_id AND p2.withdrawn = 0
    ORDER BY p2.reported_at DESC, p2.id DESC LIMIT 1)
AND p.assignment_id IN (SELECT id FROM assignment WHERE role != 'cooperating')
"""


def refresh_status(session: Session, task_ids: Iterable[int]) -> None:
    """Recompute the derived status of the given tasks from their latest reports."""
    ids = sorted(set(task_ids))
    conn = session.connection()
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ",".join(str(int(i)) for i in chunk)
        expected = dict(
            conn.exec_driver_sql(
                "SELECT a.task_id, SUM(CASE WHEN u.is_group THEN MAX(1, (SELECT count(*)"
                " FROM group_member g WHERE g.group_id = a.unit_id)) ELSE 1 END)"
                " FROM assignment a JOIN unit u ON u.id = a.unit_id"
                f" WHERE a.task_id IN ({marks}) AND a.role != 'cooperating' GROUP BY a.task_id"
            ).all()
        )
        latest: dict[int, list[Status]] = defaultdict(list)
        for task_id, status in conn.exec_driver_sql(_LATEST_SQL.format(marks=marks)):
            latest[task_id].append(Status(status))
        for task_id in chunk:
            new = derive_status(latest.get(task_id, []), expected.get(task_id, 1)).value
            session.execute(
                update(Task).where(Task.id == task_id, Task.status != new).values(status=new)
            )
