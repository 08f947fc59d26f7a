"""What the monthly report reads besides the task list: last month's standing, who reported.

Plain sqlite3 reads (no ORM), so a 2,000-task report stays quick.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from gxdesk.core.model import Status
from gxdesk.core.status import derive_status
from gxdesk.store.database import Database
from gxdesk.store.plans import sql_datetime
from gxdesk.store.progress import EXPECTED_REPORTERS_SQL

_STATUS_OF = {s.value: s for s in Status}

# The latest report of each (assignment, unit) made before a moment, as the status rule reads it.
_LATEST_BEFORE_SQL = """
SELECT a.task_id, p.status FROM assignment a
JOIN task t ON t.id = a.task_id
JOIN progress p ON p.assignment_id = a.id
WHERE t.plan_id = ? AND a.role != 'cooperating' AND p.withdrawn = 0 AND p.reported_at < ?
AND p.id = (
    SELECT p2.id FROM progress p2 WHERE p2.assignment_id = p.assignment_id
    AND p2.unit_id = p.unit_id AND p2.withdrawn = 0 AND p2.reported_at < ?
    ORDER BY p2.reported_at DESC, p2.id DESC LIMIT 1)
"""


def statuses_before(db: Database, plan_id: int, moment: dt.datetime) -> dict[int, Status]:
    """Each task's status as it stood just before ``moment`` (reports made since ignored)."""
    stamp = sql_datetime(moment)
    latest: dict[int, list[Status]] = defaultdict(list)
    with db.raw() as conn:
        task_ids = [r[0] for r in conn.execute("SELECT id FROM task WHERE plan_id=?", (plan_id,))]
        for task_id, status in conn.execute(_LATEST_BEFORE_SQL, (plan_id, stamp, stamp)):
            latest[task_id].append(_STATUS_OF.get(status) or Status(status))
        expected: dict[int, int] = {}
        for start in range(0, len(task_ids), 500):
            marks = ",".join(str(i) for i in task_ids[start : start + 500])
            expected.update(conn.execute(EXPECTED_REPORTERS_SQL.format(marks=marks)).fetchall())
    return {t: derive_status(latest.get(t, []), expected.get(t, 1)) for t in task_ids}


def units_reported(db: Database, plan_id: int, month: str) -> set[int]:
    """Units that sent at least one report on this plan's tasks for ``month`` (YYYY-MM)."""
    with db.raw() as conn:
        return {
            r[0]
            for r in conn.execute(
                "SELECT DISTINCT p.unit_id FROM progress p JOIN task t ON t.id = p.task_id"
                " WHERE t.plan_id = ? AND p.withdrawn = 0 AND p.period = ?",
                (plan_id, month),
            )
        }
