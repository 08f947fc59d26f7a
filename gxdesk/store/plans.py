"""Writing a whole plan into the store in one transaction, fast.

The rows are laid out once as tuples (:func:`plan_rows`) and written with one
``executemany`` per table, ids chosen up front: the ORM's unit of work costs ~18×
raw ``executemany`` for a 20,000-task plan. Values are stored in the same text
forms SQLAlchemy's SQLite types use, so ORM reads and writes agree with them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from gxdesk.core.plan import PlanDraft
from gxdesk.store.deadline_columns import DEADLINE_COLUMNS, deadline_row
from gxdesk.store.schema import Assignment, Category, GroupMember, Plan, Task, Unit

# Groups that, by default, hold every municipal unit the plan names (the clerk can edit).
MUNICIPAL_GROUPS = ("市级各部门", "市直各部门", "市直各单位", "市级各单位", "市政府各部门")

TASK_COLUMNS = (
    "id", "plan_id", "category_id", "seq", "name", "name_raw", "requirement",
    "requirement_raw", "deadline_raw", *DEADLINE_COLUMNS, "deadline_inferred",
    "units_text", "units_raw", "units_review", "units_inferred", "status", "version",
    "source_where", "updated_at",
)  # fmt: skip
ASSIGNMENT_COLUMNS = (
    "id", "task_id", "unit_id", "role", "position", "inferred", "version", "updated_at",
)  # fmt: skip


def sql_datetime(value: dt.datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S.%f")  # SQLAlchemy's SQLite DATETIME form


@dataclass(frozen=True)
class ImportResult:
    plan_id: int
    categories: int
    tasks: int
    units: int
    assignments: int
    inferred: int
    needs_review: int


@dataclass
class PlanRows:
    """The rows a plan adds to the task and assignment tables, ready for executemany."""

    tasks: list[tuple[Any, ...]] = field(default_factory=list)
    assignments: list[tuple[Any, ...]] = field(default_factory=list)
    inferred: int = 0
    needs_review: int = 0


def plan_rows(
    draft: PlanDraft,
    *,
    plan_id: int,
    first_category: int,
    first_task: int,
    first_assignment: int,
    units: dict[str, int],
    now: dt.datetime,
) -> PlanRows:
    out = PlanRows()
    stamp = sql_datetime(now)
    next_assignment = first_assignment
    for i, t in enumerate(draft.tasks):
        spec = t.deadline_spec
        task_id = first_task + i
        out.inferred += t.deadline.inferred + t.units.inferred
        out.needs_review += spec.needs_review + t.unit_spec.needs_review
        out.tasks.append(
            (
                task_id, plan_id, first_category + t.category, t.seq, t.name.text, t.name.raw,
                t.requirement.text, t.requirement.raw, t.deadline.raw, *deadline_row(spec),
                t.deadline.inferred, t.unit_spec.text, t.units.raw, t.unit_spec.needs_review,
                t.units.inferred, "未启动", 1, t.where, stamp,
            )
        )  # fmt: skip
        seen: set[int] = set()
        for position, ref in enumerate(t.unit_spec.refs):
            unit_id = units[ref.name]
            if unit_id in seen:
                continue
            seen.add(unit_id)
            out.assignments.append(
                (next_assignment, task_id, unit_id, ref.role.value, position,
                 t.units.inferred, 1, stamp)
            )  # fmt: skip
            next_assignment += 1
    return out


def insert_sql(table: str, columns: tuple[str, ...]) -> str:
    return f'INSERT INTO "{table}" ({", ".join(columns)}) VALUES ({", ".join("?" * len(columns))})'


def _next_id(session: Session, column: InstrumentedAttribute[int]) -> int:
    found: int | None = session.scalar(select(func.max(column)))
    return (found or 0) + 1


def _ensure_units(session: Session, draft: PlanDraft) -> dict[str, int]:
    wanted: dict[str, bool] = {}
    for task in draft.tasks:
        for ref in task.unit_spec.refs:
            wanted.setdefault(ref.name, ref.is_group)
    existing: dict[str, int] = {
        name: id_ for name, id_ in session.execute(select(Unit.name, Unit.id))
    }
    new = [name for name in wanted if name not in existing]
    if new:
        first = _next_id(session, Unit.id)
        rows = [
            {"id": first + i, "name": n, "short_name": "", "contact": "", "phone": "",
             "is_group": wanted[n]}
            for i, n in enumerate(new)
        ]  # fmt: skip
        session.execute(insert(Unit), rows)
        existing.update({n: first + i for i, n in enumerate(new)})
    return existing


def fill_default_groups(session: Session) -> None:
    """Give an empty municipal group every 市… unit known, so group tasks reach them."""
    groups = (
        session.execute(select(Unit.id).where(Unit.is_group, Unit.name.in_(MUNICIPAL_GROUPS)))
        .scalars()
        .all()
    )
    if not groups:
        return
    members = (
        session.execute(select(Unit.id).where(~Unit.is_group, Unit.name.like("市%")))
        .scalars()
        .all()
    )
    for group_id in groups:
        has = session.scalar(select(func.count()).where(GroupMember.group_id == group_id))
        if not has and members:
            session.execute(
                insert(GroupMember), [{"group_id": group_id, "member_id": m} for m in members]
            )


def save_plan(
    session: Session,
    draft: PlanDraft,
    *,
    source_name: str = "",
    now: dt.datetime | None = None,
) -> ImportResult:
    """Insert ``draft`` as a new plan; the caller's transaction commits or rolls back.

    ``now`` stamps the rows (fixed when building the shipped seed, so it is reproducible).
    """
    now = now or dt.datetime.now().replace(microsecond=0)
    plan_id = _next_id(session, Plan.id)
    session.execute(
        insert(Plan),
        [{"id": plan_id, "title": draft.title, "year": draft.year, "issued_on": draft.issued,
          "revision": 1, "source_name": source_name, "source_kind": draft.source,
          "created_at": now}],
    )  # fmt: skip
    first_category = _next_id(session, Category.id)
    session.execute(
        insert(Category),
        [
            {"id": first_category + i, "plan_id": plan_id, "seq": c.seq, "title": c.title,
             "title_raw": c.title_raw}
            for i, c in enumerate(draft.categories)
        ],
    )  # fmt: skip
    units = _ensure_units(session, draft)
    rows = plan_rows(
        draft,
        plan_id=plan_id,
        first_category=first_category,
        first_task=_next_id(session, Task.id),
        first_assignment=_next_id(session, Assignment.id),
        units=units,
        now=now,
    )
    conn = session.connection()
    if rows.tasks:
        conn.exec_driver_sql(insert_sql("task", TASK_COLUMNS), rows.tasks)
    if rows.assignments:
        conn.exec_driver_sql(insert_sql("assignment", ASSIGNMENT_COLUMNS), rows.assignments)
    fill_default_groups(session)
    return ImportResult(
        plan_id=plan_id,
        categories=len(draft.categories),
        tasks=len(rows.tasks),
        units=len(units),
        assignments=len(rows.assignments),
        inferred=rows.inferred,
        needs_review=rows.needs_review,
    )
