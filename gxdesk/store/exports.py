"""Gathering what each unit's workbook shows, and recording that it went out.

A unit reports on every task assigned to it directly, and on every task
assigned to a group it belongs to (市级各部门): one row per task, on the direct
assignment when there is one.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import insert
from sqlalchemy.orm import Session

from gxdesk.core.model import Role
from gxdesk.core.numerals import category_label
from gxdesk.core.views import ProgressView, TaskRow, UnitRow
from gxdesk.core.workbook_data import ExportMeta, SheetRow, UnitReport, UnitSheet
from gxdesk.store import queries
from gxdesk.store.chunks import chunks, id_lists, marks
from gxdesk.store.database import Database
from gxdesk.store.schema import ExportRecord


@dataclass(frozen=True, slots=True)
class UnitAssignment:
    """The assignment a unit reports on for one task."""

    task_id: int
    assignment_id: int
    version: int
    role: Role
    group: str  # the group's name when the unit reports as a member of it


def unit_assignments(db: Database, plan_id: int, unit_id: int) -> dict[int, UnitAssignment]:
    """task id → the assignment ``unit_id`` reports on (direct wins over group)."""
    found: dict[int, UnitAssignment] = {}
    with db.raw() as conn:
        rows = conn.execute(
            "SELECT a.task_id, a.id, a.version, a.role, '' , 0 FROM assignment a"
            " JOIN task t ON t.id = a.task_id WHERE t.plan_id = ? AND a.unit_id = ?"
            " UNION ALL SELECT a.task_id, a.id, a.version, a.role, u.name, 1 FROM assignment a"
            " JOIN task t ON t.id = a.task_id JOIN group_member g ON g.group_id = a.unit_id"
            " JOIN unit u ON u.id = a.unit_id WHERE t.plan_id = ? AND g.member_id = ?"
            " ORDER BY 6, 2",
            (plan_id, unit_id, plan_id, unit_id),
        ).fetchall()
    for task_id, a_id, version, role, group, _via_group in rows:
        if task_id not in found:
            found[task_id] = UnitAssignment(task_id, a_id, version, Role(role), group)
    return found


def unit_assignments_many(
    db: Database, plan_id: int, unit_ids: Sequence[int]
) -> dict[int, dict[int, UnitAssignment]]:
    """:func:`unit_assignments` for many units at once: unit id → task id → assignment.

    A group's assignments are read once and shared by its members (a plan whose
    tasks go to 市级各部门 would otherwise repeat them for every unit).
    """
    wanted = set(unit_ids)
    with db.raw() as conn:
        members: dict[int, list[int]] = {}
        for group_id, member_id in conn.execute("SELECT group_id, member_id FROM group_member"):
            if member_id in wanted:
                members.setdefault(member_id, []).append(group_id)
        # only these units' and their groups' rows: a merge asks for a few units at a
        # time while it reads, and a plan may hold 200,000 assignments
        holders = sorted(wanted | {g for gs in members.values() for g in gs})
        rows = []
        for holder_ids in id_lists(holders):
            rows += conn.execute(
                "SELECT a.unit_id, u.is_group, u.name, a.task_id, a.id, a.version, a.role"
                " FROM assignment a JOIN task t ON t.id = a.task_id"
                " JOIN unit u ON u.id = a.unit_id"
                f" WHERE t.plan_id = ? AND a.unit_id IN ({holder_ids})",
                (plan_id,),
            ).fetchall()
        rows.sort(key=lambda r: r[4])  # by assignment id: the lowest wins, as before
    direct: dict[int, dict[int, UnitAssignment]] = {}
    groups: dict[int, dict[int, UnitAssignment]] = {}
    for unit_id, is_group, name, task_id, a_id, version, role in rows:
        if is_group:
            found = groups.setdefault(unit_id, {})
            if task_id not in found:
                found[task_id] = UnitAssignment(task_id, a_id, version, Role(role), name)
        elif unit_id in wanted:
            found = direct.setdefault(unit_id, {})
            if task_id not in found:
                found[task_id] = UnitAssignment(task_id, a_id, version, Role(role), "")
    out: dict[int, dict[int, UnitAssignment]] = {}
    for unit_id in unit_ids:
        mine = dict(direct.get(unit_id, {}))  # a direct assignment wins over a group's
        via: list[tuple[int, UnitAssignment]] = []
        for group_id in members.get(unit_id, ()):
            via.extend(groups.get(group_id, {}).items())
        via.sort(key=lambda item: item[1].assignment_id)  # as unit_assignments: lowest id
        for task_id, a in via:
            mine.setdefault(task_id, a)
        out[unit_id] = mine
    return out


def reporting_units(db: Database, plan_id: int) -> list[UnitRow]:
    """Every unit (not group) that has at least one task of the plan to report on."""
    with db.raw() as conn:
        ids = {
            r[0]
            for r in conn.execute(
                "SELECT a.unit_id FROM assignment a JOIN task t ON t.id = a.task_id"
                " JOIN unit u ON u.id = a.unit_id WHERE t.plan_id = ? AND NOT u.is_group"
                " UNION SELECT g.member_id FROM assignment a JOIN task t ON t.id = a.task_id"
                " JOIN group_member g ON g.group_id = a.unit_id WHERE t.plan_id = ?",
                (plan_id, plan_id),
            )
        }
    return [u for u in queries.units(db) if u.id in ids and not u.is_group]


def unreachable_tasks(db: Database, plan_id: int) -> list[tuple[str, str]]:
    """(task, 责任单位) of tasks no unit's workbook will carry: no unit assigned, or
    only groups that have no members yet (e.g. 具有行政处罚权的行政机关和组织)."""
    with db.raw() as conn:
        return conn.execute(
            "SELECT t.name, t.units_text FROM task t WHERE t.plan_id = ? AND NOT EXISTS ("
            " SELECT 1 FROM assignment a JOIN unit u ON u.id = a.unit_id"
            " WHERE a.task_id = t.id AND (NOT u.is_group OR EXISTS ("
            "  SELECT 1 FROM group_member g WHERE g.group_id = u.id)))"
            " ORDER BY t.seq, t.id",
            (plan_id,),
        ).fetchall()


def lead_columns_now(
    db: Database, plan_id: int, unit_id: int, task_ids: Iterable[int], on: dt.date
) -> dict[int, tuple[str, ...]]:
    """The lead office's columns of each task as an export to ``unit_id`` would write
    them today, for a conflict shown beside the file's (same cells as :func:`build_unit_sheet`)."""
    wanted = set(task_ids)
    if not wanted:
        return {}
    mine = unit_assignments(db, plan_id, unit_id)
    return {
        t.id: (
            str(t.seq),
            category_label(t.category_seq, t.category_title),
            t.name,
            t.requirement,
            _deadline_cell(t.deadline_text, t.due),
            _role_cell(mine[t.id]) if t.id in mine else "",
        )
        for t in queries.list_tasks(db, plan_id, on=on)
        if t.id in wanted
    }


def _deadline_cell(text: str, due: dt.date | None) -> str:
    if due is None:
        return text or "—"
    return f"{text}\n（{due:%Y-%m-%d}）" if text else f"{due:%Y-%m-%d}"


def _role_cell(a: UnitAssignment) -> str:
    return f"{a.role.label}（{a.group}）" if a.group else a.role.label


@dataclass(frozen=True, slots=True)
class LatestReport:
    view: ProgressView
    export_id: str


def latest_reports(
    db: Database, pairs: Iterable[tuple[int, int]]
) -> dict[tuple[int, int], LatestReport]:
    """The latest report of each (assignment id, unit id) pair, with its export id."""
    pairs = set(pairs)
    found: dict[tuple[int, int], LatestReport] = {}
    # the units too: a group task's assignment carries every member's reports
    units = ",".join(str(int(u)) for u in sorted({u for _, u in pairs}))
    with db.raw() as conn:
        ids = sorted({a for a, _ in pairs})
        for chunk in chunks(ids):
            sql = (
                f"SELECT {queries._PROGRESS_COLUMNS}, p.export_id FROM progress p"
                " JOIN unit u ON u.id = p.unit_id"
                f" WHERE p.assignment_id IN ({marks(len(chunk))}) AND p.unit_id IN ({units})"
                " AND p.withdrawn = FALSE AND p.id = ("
                " SELECT p2.id FROM progress p2 WHERE p2.assignment_id = p.assignment_id"
                " AND p2.unit_id = p.unit_id AND p2.withdrawn = FALSE"
                " ORDER BY p2.reported_at DESC, p2.id DESC LIMIT 1)"
            )
            for r in conn.execute(sql, chunk):
                view = queries._progress_view(r[:-1])
                if (view.assignment_id, view.unit_id) in pairs:
                    found[(view.assignment_id, view.unit_id)] = LatestReport(view, r[-1])
    return found


def build_unit_sheet(
    db: Database,
    plan_id: int,
    unit: UnitRow,
    *,
    on: dt.date,
    tasks: Sequence[TaskRow] | None = None,
    now: dt.datetime | None = None,
    lead_office: str = "",
) -> UnitSheet:
    """The workbook content for one unit, with a fresh export id."""
    plan = next(p for p in queries.plans(db) if p.id == plan_id)
    tasks = tasks if tasks is not None else queries.list_tasks(db, plan_id, on=on)
    mine = unit_assignments(db, plan_id, unit.id)
    latest = latest_reports(db, ((a.assignment_id, unit.id) for a in mine.values()))
    rows = []
    for t in tasks:
        a = mine.get(t.id)
        if a is None:
            continue
        found_report = latest.get((a.assignment_id, unit.id))
        p = found_report.view if found_report else None
        rows.append(
            SheetRow(
                task_id=t.id,
                assignment_id=a.assignment_id,
                task_version=t.version,
                assignment_version=a.version,
                seq=str(t.seq),
                category=category_label(t.category_seq, t.category_title),
                name=t.name,
                requirement=t.requirement,
                deadline=_deadline_cell(t.deadline_text, t.due),
                role=_role_cell(a),
                light=t.light,
                report=p.unit_report() if p else UnitReport(contact=unit.contact, phone=unit.phone),
            )
        )
    now = now or dt.datetime.now().replace(microsecond=0)
    meta = ExportMeta(
        plan_id=plan.id,
        plan_revision=plan.revision,
        plan_year=plan.year,
        unit_id=unit.id,
        unit_name=unit.name,
        export_id=uuid.uuid4().hex,
        exported_at=now,
    )
    kw = {"lead_office": lead_office} if lead_office else {}
    return UnitSheet(meta=meta, plan_title=plan.title, on=on, rows=tuple(rows), **kw)


def record_exports(session: Session, sheets: Iterable[tuple[UnitSheet, str]]) -> None:
    """Remember each workbook that went out (export id → plan, unit, revision, file)."""
    rows = [
        {
            "export_id": s.meta.export_id,
            "plan_id": s.meta.plan_id,
            "unit_id": s.meta.unit_id,
            "plan_revision": s.meta.plan_revision,
            "file_name": name,
            "created_at": s.meta.exported_at,
        }
        for s, name in sheets
    ]
    if rows:
        session.execute(insert(ExportRecord), rows)
