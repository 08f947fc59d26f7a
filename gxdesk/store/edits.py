"""The lead office's edits from the window: one function per edit, each undoable.

Every function takes the caller's session (so the caller's transaction commits
or rolls back the edit as a whole) and returns a ``Change`` saying what
changed, so the window refreshes only what it must. Each edit also returns the
values it replaced (``Change.before``), shaped so that calling the same
function with them reverts the edit: undo and redo go through the same code.

Every edit of a task's lead-office columns bumps ``task.version``, the version
of the task's assignments and ``plan.revision``: the Excel exchange uses them
to tell a returned workbook that predates the edit.

The values these functions take and return (``Change``, ``TaskEdit``, …) live
in :mod:`gxdesk.store.changes`, which needs no SQLAlchemy.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session

from gxdesk.core.deadlines import parse_deadline
from gxdesk.core.model import Role, UnitRef
from gxdesk.core.units import is_group_name, parse_units
from gxdesk.store.changes import Change, EditError, TaskEdit, UnitEdit, UnitsEdit
from gxdesk.store.deadline_columns import deadline_values
from gxdesk.store.progress import refresh_status
from gxdesk.store.schema import Assignment, Category, GroupMember, Plan, Progress, Task, Unit


def _now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


def bump_versions(session: Session, task_ids: Sequence[int]) -> None:
    """Mark tasks as changed by the lead office (task, assignments, plan revision)."""
    ids = sorted(set(task_ids))
    if not ids:
        return
    now = _now()
    session.execute(
        update(Task).where(Task.id.in_(ids)).values(version=Task.version + 1, updated_at=now)
    )
    session.execute(
        update(Assignment)
        .where(Assignment.task_id.in_(ids))
        .values(version=Assignment.version + 1, updated_at=now)
    )
    plans = select(Task.plan_id).where(Task.id.in_(ids)).distinct()
    session.execute(update(Plan).where(Plan.id.in_(plans)).values(revision=Plan.revision + 1))


def _bump_plan(session: Session, plan_id: int) -> None:
    session.execute(update(Plan).where(Plan.id == plan_id).values(revision=Plan.revision + 1))


def _task(session: Session, task_id: int) -> Task:
    task = session.get(Task, task_id)
    if task is None:
        raise EditError(f"任务不存在（{task_id}）")
    return task


# --- task fields ---------------------------------------------------------------


def edit_task(session: Session, task_id: int, edit: TaskEdit) -> Change:
    """Change a task's fields; ``Change.before`` is the TaskEdit that reverts it."""
    task = _task(session, task_id)
    given = edit.given()
    if "name" in given and not given["name"].strip():
        raise EditError("工作任务不能为空")
    before = TaskEdit(**{k: getattr(task, k) for k in given})
    if before == edit:
        return Change(before=before)
    if "name" in given:
        task.name = given["name"].strip()
    if "requirement" in given:
        task.requirement = given["requirement"].strip()
    if "deadline_text" in given:
        year = session.scalar(select(Plan.year).where(Plan.id == task.plan_id))
        spec = parse_deadline(given["deadline_text"], int(year or dt.date.today().year))
        for column, value in deadline_values(spec).items():
            setattr(task, column, value)
    if "deadline_inferred" in given:
        task.deadline_inferred = given["deadline_inferred"]
    if "units_inferred" in given:
        task.units_inferred = given["units_inferred"]
        session.execute(
            update(Assignment)
            .where(Assignment.task_id == task_id)
            .values(inferred=given["units_inferred"])
        )
    session.flush()
    bump_versions(session, [task_id])
    return Change(tasks=frozenset({task_id}), before=before)


# --- a task's units ------------------------------------------------------------

_ROLE_ORDER = (Role.LEAD, Role.CO_LEAD, Role.RESPONSIBLE, Role.IMPLEMENTING, Role.COOPERATING)


def render_units(refs: Sequence[UnitRef]) -> str:
    """The 责任单位 phrase for ``refs``, in the form :func:`parse_units` reads back.

    "A牵头" / "A会同B牵头" / "A、B负责" / "…；配合：C、D".
    """
    by_role: dict[Role, list[str]] = {r: [] for r in _ROLE_ORDER}
    for ref in refs:
        by_role[ref.role].append(ref.name)
    parts = []
    leads, co = by_role[Role.LEAD], by_role[Role.CO_LEAD]
    if leads or co:
        if co and leads:
            parts.append("、".join(leads) + "会同" + "、".join(co) + "牵头")
        else:
            parts.append("、".join(leads or co) + "牵头")
    for role, verb in ((Role.RESPONSIBLE, "负责"), (Role.IMPLEMENTING, "落实")):
        if by_role[role]:
            parts.append("、".join(by_role[role]) + verb)
    main = "，".join(parts)
    coop = by_role[Role.COOPERATING]
    if coop:
        return f"{main}；配合：{'、'.join(coop)}" if main else f"配合：{'、'.join(coop)}"
    return main


def unit_id_for(session: Session, name: str, *, is_group: bool | None = None) -> int:
    """The id of the unit called ``name``, created if the store does not know it."""
    name = name.strip()
    if not name:
        raise EditError("单位名称不能为空")
    found = session.scalar(select(Unit.id).where((Unit.name == name) | (Unit.short_name == name)))
    if found is not None:
        return found
    group = is_group_name(name) if is_group is None else is_group
    return session.execute(
        insert(Unit).returning(Unit.id),
        {"name": name, "short_name": "", "contact": "", "phone": "", "is_group": group},
    ).scalar_one()


def set_task_units(session: Session, task_id: int, edit: UnitsEdit) -> Change:
    """Replace a task's units and roles; units with reports cannot be removed.

    Assignments of units that stay keep their id (their reports stay attached).
    """
    task = _task(session, task_id)
    current = session.execute(
        select(Assignment.id, Assignment.unit_id, Unit.name, Assignment.role, Unit.is_group)
        .join(Unit, Unit.id == Assignment.unit_id)
        .where(Assignment.task_id == task_id)
        .order_by(Assignment.position, Assignment.id)
    ).all()
    before = UnitsEdit(
        tuple(UnitRef(name, Role(role), bool(group)) for _a, _u, name, role, group in current),
        task.units_text,
        task.units_inferred,
        task.units_review,
    )
    wanted: dict[int, tuple[int, UnitRef]] = {}
    for position, ref in enumerate(edit.refs):
        unit_id = unit_id_for(session, ref.name, is_group=ref.is_group or None)
        wanted.setdefault(unit_id, (position, ref))
    by_unit = {u: a for a, u, _n, _r, _g in current}
    gone = [by_unit[u] for u in by_unit if u not in wanted]
    if gone:
        reported = (
            session.execute(
                select(Unit.name)
                .join(Assignment, Assignment.unit_id == Unit.id)
                .where(Assignment.id.in_(gone))
                .where(Assignment.id.in_(select(Progress.assignment_id)))
            )
            .scalars()
            .all()
        )
        if reported:
            raise EditError(f"{'、'.join(reported)} 已有进展报告，不能从本任务移除")
        session.execute(delete(Assignment).where(Assignment.id.in_(gone)))
    now = _now()
    for unit_id, (position, ref) in wanted.items():
        if unit_id in by_unit:
            session.execute(
                update(Assignment)
                .where(Assignment.id == by_unit[unit_id])
                .values(role=ref.role.value, position=position, inferred=edit.inferred)
            )
        else:
            session.execute(
                insert(Assignment),
                [
                    {
                        "task_id": task_id,
                        "unit_id": unit_id,
                        "role": ref.role.value,
                        "position": position,
                        "inferred": edit.inferred,
                        "version": 1,
                        "updated_at": now,
                    }
                ],
            )
    text = edit.text if edit.text is not None else render_units(edit.refs)
    task.units_text = text
    task.units_inferred = edit.inferred
    task.units_review = parse_units(text).needs_review if edit.review is None else edit.review
    session.flush()
    bump_versions(session, [task_id])
    refresh_status(session, [task_id])
    return Change(tasks=frozenset({task_id}), before=before)


# --- categories ----------------------------------------------------------------


def add_category(session: Session, plan_id: int, title: str) -> Change:
    """Append a category; ``Change.before`` is its new id (undo: :func:`remove_category`)."""
    title = title.strip()
    if not title:
        raise EditError("类别名称不能为空")
    seq = (
        session.scalar(select(func.max(Category.seq)).where(Category.plan_id == plan_id)) or 0
    ) + 1
    new_id = session.execute(
        insert(Category).returning(Category.id),
        {"plan_id": plan_id, "seq": seq, "title": title, "title_raw": title},
    ).scalar_one()
    _bump_plan(session, plan_id)
    return Change(categories=True, before=new_id)


def remove_category(session: Session, category_id: int) -> Change:
    """Remove an empty category (the undo of :func:`add_category`)."""
    cat = session.get(Category, category_id)
    if cat is None:
        raise EditError(f"类别不存在（{category_id}）")
    if session.scalar(select(func.count()).where(Task.category_id == category_id)):
        raise EditError(f"类别“{cat.title}”下还有任务，不能删除")
    before = cat.title
    plan_id = cat.plan_id
    session.delete(cat)
    session.flush()
    _bump_plan(session, plan_id)
    return Change(categories=True, before=before)


def rename_category(session: Session, category_id: int, title: str) -> Change:
    cat = session.get(Category, category_id)
    if cat is None:
        raise EditError(f"类别不存在（{category_id}）")
    title = title.strip()
    if not title:
        raise EditError("类别名称不能为空")
    before = cat.title
    if before == title:
        return Change(before=before)
    cat.title = title
    session.flush()
    ids = session.scalars(select(Task.id).where(Task.category_id == category_id)).all()
    bump_versions(session, ids)
    _bump_plan(session, cat.plan_id)
    return Change(tasks=frozenset(ids), categories=True, before=before)


def reorder_categories(session: Session, plan_id: int, order: Sequence[int]) -> Change:
    """Number the plan's categories 1… in ``order``; ``before`` is the old order."""
    current = session.scalars(
        select(Category.id).where(Category.plan_id == plan_id).order_by(Category.seq, Category.id)
    ).all()
    if sorted(current) != sorted(order):
        raise EditError("类别顺序与计划中的类别不一致")
    if list(current) == list(order):
        return Change(before=tuple(current))
    for seq, cat_id in enumerate(order, start=1):
        session.execute(update(Category).where(Category.id == cat_id).values(seq=seq))
    ids = session.scalars(select(Task.id).where(Task.plan_id == plan_id)).all()
    bump_versions(session, ids)
    return Change(tasks=frozenset(ids), categories=True, before=tuple(current))


def move_category(session: Session, category_id: int, delta: int) -> Change:
    """Move a category up (delta < 0) or down; ``before`` is the old order."""
    plan_id = session.scalar(select(Category.plan_id).where(Category.id == category_id))
    if plan_id is None:
        raise EditError(f"类别不存在（{category_id}）")
    order = list(
        session.scalars(
            select(Category.id)
            .where(Category.plan_id == plan_id)
            .order_by(Category.seq, Category.id)
        )
    )
    i = order.index(category_id)
    j = max(0, min(len(order) - 1, i + delta))
    order.insert(j, order.pop(i))
    return reorder_categories(session, plan_id, order)


# --- units and groups ---------------------------------------------------------


def edit_unit(session: Session, unit_id: int, edit: UnitEdit) -> Change:
    """Change a unit's record; ``before`` is the UnitEdit that reverts it.

    The plan's 责任单位 phrases keep their words: they are what the plan said.
    """
    unit = session.get(Unit, unit_id)
    if unit is None:
        raise EditError(f"单位不存在（{unit_id}）")
    name = edit.name.strip()
    if not name:
        raise EditError("单位名称不能为空")
    clash = session.scalar(select(Unit.id).where(Unit.name == name, Unit.id != unit_id))
    if clash is not None:
        raise EditError(f"已有名为“{name}”的单位")
    before = UnitEdit(unit.name, unit.short_name, unit.contact, unit.phone)
    unit.name, unit.short_name = name, edit.short_name.strip()
    unit.contact, unit.phone = edit.contact.strip(), edit.phone.strip()
    session.flush()
    return Change(units=True, before=before)


def set_group_members(session: Session, group_id: int, member_ids: Sequence[int]) -> Change:
    """Set who belongs to a group (市级各部门 …); ``before`` is the old member tuple."""
    group = session.get(Unit, group_id)
    if group is None or not group.is_group:
        raise EditError("只能为单位组设置成员")
    members = tuple(sorted({int(m) for m in member_ids if int(m) != group_id}))
    before = tuple(
        sorted(
            session.scalars(select(GroupMember.member_id).where(GroupMember.group_id == group_id))
        )
    )
    if before == members:
        return Change(before=before)
    session.execute(delete(GroupMember).where(GroupMember.group_id == group_id))
    if members:
        session.execute(
            insert(GroupMember), [{"group_id": group_id, "member_id": m} for m in members]
        )
    tasks = session.scalars(select(Assignment.task_id).where(Assignment.unit_id == group_id)).all()
    refresh_status(session, tasks)
    bump_versions(session, tasks)
    return Change(tasks=frozenset(tasks), units=True, before=before)


# --- the plan -------------------------------------------------------------------


def set_plan_issued(session: Session, plan_id: int, issued: dt.date | None) -> Change:
    """Set the plan's issue date (relative deadlines count from it)."""
    plan = session.get(Plan, plan_id)
    if plan is None:
        raise EditError(f"计划不存在（{plan_id}）")
    before = plan.issued_on
    if before == issued:
        return Change(before=before)
    plan.issued_on = issued
    plan.revision += 1
    session.flush()
    return Change(plan=True, before=before)
