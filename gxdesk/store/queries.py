"""Read side of the store: lists as light rows, straight from SQL.

Lists of thousands of tasks are read with plain sqlite3 and turned into slotted
rows; ORM objects are kept for the one record being edited. The latest report is
found with a correlated subquery on an index (a window function measured ~6×
slower here).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from gxdesk.core.deadlines import DueDate, explain_due
from gxdesk.core.model import DeadlineKind, Light, Period, Role, Status
from gxdesk.core.status import DEFAULT_YELLOW_WORKDAYS, light_for
from gxdesk.core.views import (
    AssignmentView,
    CategoryRow,
    PlanInfo,
    ProgressView,
    TaskDetail,
    TaskRow,
    UnitRow,
)
from gxdesk.core.workdays import DayOverride, WorkdayCalendar
from gxdesk.store.chunks import chunks, marks
from gxdesk.store.database import Database
from gxdesk.store.deadline_columns import DEADLINE_SELECT, spec_from_row

_date = dt.date.fromisoformat
_STATUS_OF = {s.value: s for s in Status}
_datetime = dt.datetime.fromisoformat


def _d(value: str | None) -> dt.date | None:
    return _date(value[:10]) if value else None


def _dt(value: str | None) -> dt.datetime | None:
    return _datetime(value) if value else None


def plans(db: Database) -> list[PlanInfo]:
    with db.raw() as conn:
        rows = conn.execute("SELECT id, title, year, issued_on, revision FROM plan ORDER BY id")
        return [PlanInfo(r[0], r[1], r[2], _d(r[3]), r[4]) for r in rows]


def current_plan(db: Database) -> PlanInfo | None:
    """The plan the program shows: the most recently imported one."""
    found = plans(db)
    return found[-1] if found else None


def categories(db: Database, plan_id: int) -> list[CategoryRow]:
    with db.raw() as conn:
        rows = conn.execute(
            "SELECT id, plan_id, seq, title FROM category WHERE plan_id=? ORDER BY seq, id",
            (plan_id,),
        )
        return [CategoryRow(*r) for r in rows]


def load_calendar(db: Database) -> WorkdayCalendar:
    """The working-day calendar: the package's years plus what the clerk entered."""
    with db.raw() as conn:
        days = conn.execute("SELECT day, is_workday, note FROM calendar_day").fetchall()
        years = [r[0] for r in conn.execute("SELECT year FROM calendar_year")]
    return WorkdayCalendar(
        overrides=[DayOverride(_date(d[:10]), bool(w), n) for d, w, n in days],
        extra_years=years,
    )


_STATUSES = frozenset(st.value for st in Status)

_LIST_SQL = f"""
SELECT t.id, t.plan_id, t.category_id, c.seq, c.title, t.seq, t.name, t.requirement,
       {DEADLINE_SELECT}, t.deadline_inferred, t.units_text,
       t.units_inferred, t.units_review, t.status, t.version,
       p.text, u.name, p.reported_at, p.percent, p.done_on
FROM task t
JOIN category c ON c.id = t.category_id
LEFT JOIN progress p ON p.id = (
    SELECT p2.id FROM progress p2
    WHERE p2.task_id = t.id AND p2.withdrawn = FALSE
    ORDER BY p2.reported_at DESC, p2.id DESC LIMIT 1)
LEFT JOIN unit u ON u.id = p.unit_id
WHERE t.plan_id = ?
ORDER BY c.seq, c.id, t.seq, t.id
"""


def list_tasks(
    db: Database,
    plan_id: int,
    *,
    on: dt.date,
    calendar: WorkdayCalendar | None = None,
    yellow_workdays: int = DEFAULT_YELLOW_WORKDAYS,
) -> list[TaskRow]:
    """Every task of the plan with its due date, light and latest report, as of ``on``."""
    calendar = calendar or load_calendar(db)
    with db.raw() as conn:
        issued_text, year = conn.execute(
            "SELECT issued_on, year FROM plan WHERE id=?", (plan_id,)
        ).fetchone()
        issued = _d(issued_text)
        rows = conn.execute(_LIST_SQL, (plan_id,)).fetchall()
    # Few distinct (deadline, status) pairs recur over thousands of rows: resolve each once.
    resolved: dict[
        tuple[object, ...], tuple[DeadlineKind, DueDate, Status, Light, Period | None]
    ] = {}
    workdays_until = calendar.workdays_between
    out: list[TaskRow] = []
    append = out.append
    for (
        task_id, plan, category_id, category_seq, category_title, seq, name, requirement,
        d_text, d_kind, d_due, d_workdays, d_period, d_review, d_inferred, units_text,
        units_inferred, units_review, status_text, version,
        latest_text, latest_unit, latest_at, latest_percent, latest_done_on,
    ) in rows:  # fmt: skip
        key = (d_kind, d_due, d_workdays, d_period, status_text)
        found = resolved.get(key)
        if found is None:
            spec = spec_from_row(d_text, d_kind, d_due, d_workdays, d_period)
            deadline = explain_due(spec, issued=issued, calendar=calendar, on=on, year=year)
            status = Status(status_text) if status_text in _STATUSES else Status.NOT_STARTED
            light = light_for(status, deadline.due, on, workdays_until, yellow_workdays)
            found = resolved[key] = (spec.kind, deadline, status, light, spec.period)
        kind, deadline, status, light, period = found
        append(
            TaskRow(
                task_id, plan, category_id, category_seq, category_title, seq, name,
                requirement, d_text, kind, deadline.due, d_inferred == 1, d_review == 1,
                units_text, units_inferred == 1, units_review == 1, status, light,
                latest_text or "", latest_unit or "",
                _datetime(latest_at) if latest_at else None,
                version, deadline.note, deadline.missing_year, d_workdays, period,
                latest_percent, _d(latest_done_on),
            )
        )  # fmt: skip
    return out


def task_detail(db: Database, task_id: int) -> TaskDetail | None:
    """The task's own fields for the detail pane; None if there is no such task."""
    with db.raw() as conn:
        r = conn.execute(
            "SELECT t.id, coalesce(c.title, ''), t.seq, t.name, t.requirement, t.deadline_text,"
            " t.deadline_inferred, t.deadline_review, t.units_text, t.units_inferred,"
            " t.units_review, t.status FROM task t LEFT JOIN category c ON c.id = t.category_id"
            " WHERE t.id = ?",
            (task_id,),
        ).fetchone()
    if r is None:
        return None
    return TaskDetail(
        r[0], r[1], r[2], r[3], r[4], r[5], bool(r[6]), bool(r[7]), r[8], bool(r[9]),
        bool(r[10]), r[11],
    )  # fmt: skip


def assignments(db: Database, task_ids: Sequence[int]) -> dict[int, list[AssignmentView]]:
    """The units assigned to each task, in the order the plan names them."""
    found: dict[int, list[AssignmentView]] = defaultdict(list)
    with db.raw() as conn:
        for chunk in chunks(list(task_ids)):
            in_list = marks(len(chunk))
            for r in conn.execute(
                f"SELECT a.id, a.task_id, a.unit_id, u.name, a.role, u.is_group, a.inferred,"
                f" a.version, a.position FROM assignment a JOIN unit u ON u.id = a.unit_id"
                f" WHERE a.task_id IN ({in_list}) ORDER BY a.task_id, a.position, a.id",
                chunk,
            ):
                found[r[1]].append(
                    AssignmentView(
                        r[0], r[1], r[2], r[3], Role(r[4]), bool(r[5]), bool(r[6]), r[7], r[8]
                    )
                )
    return found


_PROGRESS_COLUMNS = (
    "p.id, p.assignment_id, p.task_id, p.unit_id, u.name, p.period, p.status, p.percent,"
    " p.text, p.done_on, p.evidence, p.problems, p.contact, p.phone, p.reported_at,"
    " p.source, p.source_file"
)


def _progress_view(r: Sequence[Any]) -> ProgressView:
    return ProgressView(
        r[0],
        r[1],
        r[2],
        r[3],
        r[4],
        r[5],
        _STATUS_OF.get(r[6]) or Status(r[6]),  # a dict look-up: Status() is slow per row
        r[7],
        r[8],
        _d(r[9]),
        r[10],
        r[11],
        r[12],
        r[13],
        _datetime(r[14]),
        r[15],
        r[16],
    )


def latest_progress(db: Database, task_ids: Sequence[int]) -> dict[int, list[ProgressView]]:
    """The latest report of each reporting unit of each task."""
    found: dict[int, list[ProgressView]] = defaultdict(list)
    with db.raw() as conn:
        for chunk in chunks(list(task_ids)):
            in_list = marks(len(chunk))
            sql = (
                f"SELECT {_PROGRESS_COLUMNS} FROM progress p JOIN unit u ON u.id = p.unit_id"
                f" WHERE p.task_id IN ({in_list}) AND p.withdrawn = FALSE AND p.id = ("
                " SELECT p2.id FROM progress p2 WHERE p2.assignment_id = p.assignment_id"
                " AND p2.unit_id = p.unit_id AND p2.withdrawn = FALSE"
                " ORDER BY p2.reported_at DESC, p2.id DESC LIMIT 1)"
                " ORDER BY p.task_id, p.assignment_id, u.name"
            )
            for r in conn.execute(sql, chunk):
                found[r[2]].append(_progress_view(r))
    return found


def progress_history(db: Database, task_id: int) -> list[ProgressView]:
    """Every report on a task, newest first (history is never overwritten)."""
    with db.raw() as conn:
        rows = conn.execute(
            f"SELECT {_PROGRESS_COLUMNS} FROM progress p JOIN unit u ON u.id = p.unit_id"
            " WHERE p.task_id = ? AND p.withdrawn = FALSE ORDER BY p.reported_at DESC, p.id DESC",
            (task_id,),
        ).fetchall()
    return [_progress_view(r) for r in rows]


def units(db: Database) -> list[UnitRow]:
    with db.raw() as conn:
        members: dict[int, list[int]] = defaultdict(list)
        for g, m in conn.execute("SELECT group_id, member_id FROM group_member ORDER BY member_id"):
            members[g].append(m)
        rows = conn.execute(
            "SELECT id, name, short_name, contact, phone, is_group FROM unit ORDER BY id"
        ).fetchall()
    return [
        UnitRow(r[0], r[1], r[2], r[3], r[4], bool(r[5]), tuple(members.get(r[0], ())))
        for r in rows
    ]


def light_counts(rows: Iterable[TaskRow]) -> dict[Light, int]:
    counts = dict.fromkeys(Light, 0)
    for row in rows:
        counts[row.light] += 1
    return counts


def unit_by_name(db: Database, name: str) -> UnitRow:
    """The unit called ``name`` (or whose short name it is); LookupError if none."""
    for unit in units(db):
        if name in (unit.name, unit.short_name):
            return unit
    raise LookupError(f"没有名为“{name}”的单位")


def task_ids_of_unit(db: Database, unit_id: int) -> set[int]:
    """Tasks the unit must report on: assigned to it, or to a group it belongs to."""
    with db.raw() as conn:
        return {
            r[0]
            for r in conn.execute(
                "SELECT task_id FROM assignment WHERE unit_id = ?"
                " UNION SELECT a.task_id FROM assignment a JOIN group_member g"
                " ON g.group_id = a.unit_id WHERE g.member_id = ?",
                (unit_id, unit_id),
            )
        }


def filter_by_unit(db: Database, rows: Sequence[TaskRow], name: str) -> list[TaskRow]:
    ids = task_ids_of_unit(db, unit_by_name(db, name).id)
    return [r for r in rows if r.id in ids]
