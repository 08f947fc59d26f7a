"""Merging returned unit workbooks: a preview first, then one transaction.

:func:`plan_merge` reads the database (read-only) and decides, for every file
and every row, what would happen — as plain dataclasses the window and the
command line show. :func:`apply_merge` then writes the chosen reports in one
transaction after a checked backup, with a ledger of merged files (sha256 and
export id) so that the same file merged twice changes nothing, and a batch that
:func:`undo_batch` can withdraw.

Rows are matched by task id (the 任务编号 column plus the hidden data), never by
position. A file whose hidden data was lost is matched by 序号 + 工作任务 only
once the clerk has confirmed which unit sent it.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from sqlalchemy import insert, select, update

from gxdesk.core.model import Status
from gxdesk.core.values import Unreadable, read_date, read_percent, read_status, read_text
from gxdesk.core.workbook_data import (
    LEAD_COLUMNS,
    ReturnedRow,
    ReturnedWorkbook,
    lead_hash,
    unit_hash,
    unit_values_text,
)
from gxdesk.store import queries
from gxdesk.store.database import Database, backup_database
from gxdesk.store.exports import LatestReport, UnitAssignment, latest_reports, unit_assignments
from gxdesk.store.progress import ReportInput, add_reports, withdraw_reports
from gxdesk.store.schema import MergeBatch, MergedFile, Progress


class Outcome(StrEnum):
    APPLIED = "applied"  # new progress
    UNCHANGED = "unchanged"
    CONFLICT = "conflict"  # the lead office changed the assignment after the export
    REJECTED = "rejected"  # not this unit's task, or the lead office's columns edited
    INVALID = "invalid"  # a value that cannot be read
    UNMATCHED = "unmatched"  # no hidden data: needs the clerk's confirmation

    @property
    def label(self) -> str:
        return OUTCOME_LABELS[self]


OUTCOME_LABELS = {
    Outcome.APPLIED: "新进展",
    Outcome.UNCHANGED: "无变化",
    Outcome.CONFLICT: "冲突",
    Outcome.REJECTED: "拒收",
    Outcome.INVALID: "无法识别",
    Outcome.UNMATCHED: "待确认",
}
COUNT_KEYS = {
    Outcome.APPLIED: "applied",
    Outcome.UNCHANGED: "unchanged",
    Outcome.CONFLICT: "conflicts",
    Outcome.REJECTED: "rejected",
    Outcome.INVALID: "invalid",
    Outcome.UNMATCHED: "unmatched",
}
_LEAD_HEADERS = [h for _, h in LEAD_COLUMNS]


@dataclass(frozen=True, slots=True)
class ReportValues:
    """The unit's columns of one row, read."""

    status: Status | None
    percent: int | None
    text: str
    done_on: dt.date | None
    evidence: str
    problems: str
    contact: str
    phone: str

    def as_text(self) -> tuple[str, ...]:
        return unit_values_text(
            self.status,
            self.percent,
            self.text,
            self.done_on,
            self.evidence,
            self.problems,
            self.contact,
            self.phone,
        )

    def is_empty(self) -> bool:
        return not any(self.as_text())


@dataclass(frozen=True, slots=True)
class RowPlan:
    """What would happen to one row of a returned file."""

    row: int
    task_id: int | None
    outcome: Outcome
    reason: str
    seq: str = ""
    name: str = ""
    values: ReportValues | None = None
    report: ReportInput | None = (
        None  # for applied rows and conflicts (if the clerk picks the file)
    )
    current: tuple[str, ...] = ()  # conflicts: the lead office's columns now, beside the file's
    in_file: tuple[str, ...] = ()


@dataclass
class FilePlan:
    path: str
    file_name: str
    sha256: str = ""
    unit_id: int | None = None
    unit: str = ""
    plan_id: int | None = None
    export_id: str = ""
    error: str | None = None
    meta_source: str = ""
    needs_confirmation: bool = False
    unit_hint: str = ""
    duplicate_of: int | None = None
    rows: list[RowPlan] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        c = Counter(r.outcome for r in self.rows)
        return {key: c.get(o, 0) for o, key in COUNT_KEYS.items()}

    def as_json(self) -> dict:
        """The shape of ``merge --json`` (DESIGN.md)."""
        return {
            "file": self.path,
            "unit": self.unit or None,
            "error": self.error,
            **self.counts(),
            "duplicate_of_batch": self.duplicate_of,
            "hidden_data": self.meta_source or None,
            "rows": [
                {
                    "row": r.row,
                    "task": r.task_id,
                    "outcome": r.outcome.value,
                    "reason": r.reason,
                }
                for r in self.rows
            ],
        }


@dataclass
class MergePlan:
    files: list[FilePlan]

    def counts(self) -> dict[str, int]:
        total: Counter[str] = Counter()
        for f in self.files:
            total.update(f.counts())
        return {key: total.get(key, 0) for key in COUNT_KEYS.values()}

    @property
    def refused(self) -> list[FilePlan]:
        return [f for f in self.files if f.error]


@dataclass(frozen=True)
class ApplyResult:
    batch_id: int | None
    applied: int
    files: int
    backup: Path | None


def refused_file(path: str | Path, reason: str) -> FilePlan:
    """A file that could not be read at all (the caller caught BadFileError)."""
    return FilePlan(path=str(path), file_name=Path(path).name, error=reason)


# --- reading the unit's columns -----------------------------------------------------


_NO_CELL: tuple[object, str] = (None, "")


def read_values(row: ReturnedRow, year: int) -> tuple[ReportValues | None, list[str]]:
    """The unit's columns of ``row`` read, or the reasons (with cell addresses) why not."""
    cells = row.cells
    problems: list[str] = []
    value, where = cells.get("status", _NO_CELL)
    status = read_status(value)
    if isinstance(status, Unreadable):
        problems.append(f"{where}：{status.reason}")
    value, where = cells.get("percent", _NO_CELL)
    percent = read_percent(value)
    if isinstance(percent, Unreadable):
        problems.append(f"{where}：{percent.reason}")
    value, where = cells.get("done_on", _NO_CELL)
    done_on = read_date(value, year=year)
    if isinstance(done_on, Unreadable):
        problems.append(f"{where}：{done_on.reason}")
    if problems:
        return None, problems
    return (
        ReportValues(
            status,  # type: ignore[arg-type]
            percent,  # type: ignore[arg-type]
            read_text(cells.get("text", _NO_CELL)[0]),
            done_on,  # type: ignore[arg-type]
            read_text(cells.get("evidence", _NO_CELL)[0]),
            read_text(cells.get("problems", _NO_CELL)[0]),
            read_text(cells.get("contact", _NO_CELL)[0]),
            read_text(cells.get("phone", _NO_CELL)[0]),
        ),
        [],
    )


def _same_as(values: ReportValues, latest: LatestReport | None) -> bool:
    if latest is None:
        return values.is_empty()
    p = latest.view
    return values == ReportValues(
        p.status, p.percent, p.text, p.done_on, p.evidence, p.problems, p.contact, p.phone
    )


# --- the preview --------------------------------------------------------------------


@dataclass
class _Context:
    """What the preview needs from the database, read once per merge."""

    plans: dict[int, queries.PlanInfo]
    exports: dict[str, tuple[int, int, int]]  # export id → plan, unit, revision
    units: dict[int, queries.UnitRow]
    merged: dict[str, int]  # sha256 → batch id (batches not undone)
    task_versions: dict[int, tuple[int, int, str, str]]  # task → version, plan, seq, name
    lead_now: dict[int, tuple[str, ...]]  # task → lead columns as a workbook would show now
    on: dt.date


def _context(db: Database, workbooks: Sequence[ReturnedWorkbook], on: dt.date) -> _Context:
    plans = {p.id: p for p in queries.plans(db)}
    ids = sorted({w.meta.export_id for w in workbooks if w.meta})
    with db.raw() as conn:
        exports = {}
        for start in range(0, len(ids), 900):
            chunk = ids[start : start + 900]
            marks = ",".join("?" * len(chunk))
            for e, p, u, r in conn.execute(
                "SELECT export_id, plan_id, unit_id, plan_revision FROM export_record"
                f" WHERE export_id IN ({marks})",
                chunk,
            ):
                exports[e] = (p, u, r)
        merged = {
            sha: batch
            for sha, batch in conn.execute(
                "SELECT f.sha256, f.batch_id FROM merged_file f JOIN merge_batch b"
                " ON b.id = f.batch_id WHERE b.undone_at IS NULL ORDER BY f.id"
            )
        }
        task_versions = {
            r[0]: (r[1], r[2], str(r[3]), r[4])
            for r in conn.execute("SELECT id, version, plan_id, seq, name FROM task")
        }
    return _Context(
        plans=plans,
        exports=exports,
        units={u.id: u for u in queries.units(db)},
        merged=merged,
        task_versions=task_versions,
        lead_now={},
        on=on,
    )


def plan_merge(
    db: Database,
    workbooks: Sequence[ReturnedWorkbook | FilePlan],
    *,
    paths: Sequence[str] | None = None,
    confirm_units: Mapping[str, int] | None = None,
    on: dt.date | None = None,
) -> MergePlan:
    """Decide every file's and row's outcome without writing anything.

    ``workbooks`` holds what the reader produced, or a :func:`refused_file`
    for a file that could not be read. ``confirm_units`` maps a file's path to
    the unit the clerk confirmed for a file without hidden data.
    """
    on = on or dt.date.today()
    confirm_units = confirm_units or {}
    readable = [w for w in workbooks if isinstance(w, ReturnedWorkbook)]
    ctx = _context(db, readable, on)
    seen_sha: dict[str, str] = {}
    files = []
    for i, w in enumerate(workbooks):
        if isinstance(w, FilePlan):
            files.append(w)
            continue
        path = paths[i] if paths else w.file_name
        fp = FilePlan(path=str(path), file_name=w.file_name, sha256=w.sha256)
        fp.meta_source = w.meta_source
        if w.sha256 in seen_sha:
            fp.error = f"与本次的另一个文件内容完全相同（{seen_sha[w.sha256]}），已忽略"
            files.append(fp)
            continue
        seen_sha[w.sha256] = w.file_name
        if w.meta is None:
            _plan_unidentified(db, ctx, w, fp, confirm_units.get(str(path)))
        else:
            _plan_identified(db, ctx, w, fp)
        files.append(fp)
    return MergePlan(files)


def _plan_identified(db: Database, ctx: _Context, w: ReturnedWorkbook, fp: FilePlan) -> None:
    meta = w.meta
    assert meta is not None
    fp.export_id = meta.export_id
    fp.unit = meta.unit_name
    plan = ctx.plans.get(meta.plan_id)
    record = ctx.exports.get(meta.export_id)
    if plan is None:
        fp.error = f"文件属于本数据库中没有的计划（编号 {meta.plan_id}，{meta.plan_year}年）"
        return
    if record is None:
        fp.error = "文件的导出编号在本数据库中没有登记：不是由本台账导出的文件，或导出记录已丢失"
        return
    if record[0] != meta.plan_id or record[1] != meta.unit_id:
        fp.error = "文件的识别信息与导出记录不符（单位或计划被改动），不予合并"
        return
    unit = ctx.units.get(meta.unit_id)
    if unit is None:
        fp.error = f"单位“{meta.unit_name}”已不在本数据库中"
        return
    fp.unit_id, fp.unit, fp.plan_id = unit.id, unit.name, plan.id
    if w.missing_columns:
        fp.error = "进展表缺少栏目：" + "、".join(w.missing_columns)
        return
    duplicate = ctx.merged.get(w.sha256)
    mine = unit_assignments(db, plan.id, unit.id)
    latest = latest_reports(db, ((a.assignment_id, unit.id) for a in mine.values()))
    if duplicate is not None:
        fp.duplicate_of = duplicate
        fp.rows = [
            RowPlan(r.row, r.task_id, Outcome.UNCHANGED, f"此文件已在第 {duplicate} 批合并过")
            for r in w.rows
        ]
        return
    seen: set[int] = set()
    for r in w.rows:
        fp.rows.append(_plan_row(ctx, w, r, plan.year, mine, latest, seen, unit.id))


def _plan_row(
    ctx: _Context,
    w: ReturnedWorkbook,
    r: ReturnedRow,
    year: int,
    mine: Mapping[int, UnitAssignment],
    latest: Mapping[tuple[int, int], LatestReport],
    seen: set[int],
    unit_id: int,
) -> RowPlan:
    meta = w.meta
    assert meta is not None
    seq, name = r.lead[0], r.lead[2]
    if r.task_id is None:
        return RowPlan(
            r.row, None, Outcome.REJECTED, "任务编号缺失或被改动，无法确定是哪项任务", seq, name
        )
    key = w.keys.get(r.task_id)
    if key is None:
        return RowPlan(
            r.row,
            r.task_id,
            Outcome.REJECTED,
            "该任务不在发给本单位的表中（可能从其他单位的表复制而来）",
            seq,
            name,
        )
    if r.task_id in seen:
        return RowPlan(r.row, r.task_id, Outcome.REJECTED, "同一任务在表中出现多行", seq, name)
    seen.add(r.task_id)
    computed = lead_hash(r.lead)
    if not computed.startswith(key.lead_hash) or not key.lead_hash:
        return RowPlan(
            r.row,
            r.task_id,
            Outcome.REJECTED,
            "灰色栏目（" + "、".join(_LEAD_HEADERS) + "）被改动，该行不予采用",
            seq,
            name,
        )
    values, problems = read_values(r, year)
    if values is None:
        return RowPlan(r.row, r.task_id, Outcome.INVALID, "；".join(problems), seq, name)
    if unit_hash(values.as_text()).startswith(key.unit_hash) and key.unit_hash:
        return RowPlan(r.row, r.task_id, Outcome.UNCHANGED, "未修改", seq, name, values)
    a = mine.get(r.task_id)
    if a is None or a.assignment_id != key.assignment_id:
        return RowPlan(
            r.row, r.task_id, Outcome.REJECTED, "该任务已不再分配给本单位", seq, name, values
        )
    current = latest.get((a.assignment_id, unit_id))
    if _same_as(values, current):
        return RowPlan(r.row, r.task_id, Outcome.UNCHANGED, "与库中最新进展相同", seq, name, values)
    if values.status is None:
        where = r.cells.get("status", (None, ""))[1]
        return RowPlan(
            r.row, r.task_id, Outcome.INVALID, f"{where}：填写了进展但未选择进展状态", seq, name
        )
    report = ReportInput(
        assignment_id=a.assignment_id,
        unit_id=unit_id,
        status=values.status,
        percent=values.percent,
        text=values.text,
        done_on=values.done_on,
        evidence=values.evidence,
        problems=values.problems,
        contact=values.contact,
        phone=values.phone,
        period=meta.exported_at.strftime("%Y-%m"),
        source="workbook",
        source_file=w.file_name,
        source_sha256=w.sha256,
        export_id=meta.export_id,
        assignment_version=key.assignment_version,
    )
    task_version = ctx.task_versions.get(r.task_id, (0,))[0]
    if task_version > key.task_version or a.version > key.assignment_version:
        return RowPlan(
            r.row,
            r.task_id,
            Outcome.CONFLICT,
            f"导出后牵头单位修改了此任务（任务版本 {key.task_version}→{task_version}，"
            f"分工版本 {key.assignment_version}→{a.version}）",
            seq,
            name,
            values,
            report,
            in_file=r.lead,
        )
    if (
        current is not None
        and current.view.reported_at > meta.exported_at
        and current.export_id != meta.export_id
    ):
        return RowPlan(
            r.row,
            r.task_id,
            Outcome.CONFLICT,
            f"导出后库中已有更新的进展（{current.view.reported_at:%Y-%m-%d %H:%M}，"
            f"{current.view.source_file or '手工录入'}）",
            seq,
            name,
            values,
            report,
        )
    return RowPlan(r.row, r.task_id, Outcome.APPLIED, "新进展", seq, name, values, report)


def _plan_unidentified(
    db: Database, ctx: _Context, w: ReturnedWorkbook, fp: FilePlan, unit_id: int | None
) -> None:
    """No hidden data: match 序号 + 工作任务 against the current plan; needs a confirmed unit."""
    fp.unit_hint = w.unit_hint
    plan = queries.current_plan(db)
    if plan is None:
        fp.error = "数据库中还没有计划"
        return
    by_seq_name = {
        (seq, name.replace(" ", "")): task_id
        for task_id, (_v, plan_id, seq, name) in ctx.task_versions.items()
        if plan_id == plan.id
    }
    unit = ctx.units.get(unit_id) if unit_id is not None else None
    if unit is None:
        fp.needs_confirmation = True
        fp.unit = w.unit_hint
        for r in w.rows:
            task = by_seq_name.get((r.lead[0], r.lead[2].replace(" ", "")))
            reason = (
                f"文件缺少识别信息：按序号+工作任务对应任务 {task}，需确认填报单位"
                if task
                else "文件缺少识别信息，且按序号+工作任务找不到对应任务"
            )
            fp.rows.append(RowPlan(r.row, task, Outcome.UNMATCHED, reason, r.lead[0], r.lead[2]))
        return
    fp.unit_id, fp.unit, fp.plan_id = unit.id, unit.name, plan.id
    duplicate = ctx.merged.get(w.sha256)
    if duplicate is not None:
        fp.duplicate_of = duplicate
        fp.rows = [
            RowPlan(r.row, None, Outcome.UNCHANGED, f"此文件已在第 {duplicate} 批合并过")
            for r in w.rows
        ]
        return
    mine = unit_assignments(db, plan.id, unit.id)
    latest = latest_reports(db, ((a.assignment_id, unit.id) for a in mine.values()))
    seen: set[int] = set()
    for r in w.rows:
        seq, name = r.lead[0], r.lead[2]
        task = by_seq_name.get((seq, name.replace(" ", "")))
        if task is None or task not in mine:
            fp.rows.append(
                RowPlan(
                    r.row, task, Outcome.REJECTED, "按序号+工作任务找不到本单位的任务", seq, name
                )
            )
            continue
        if task in seen:
            fp.rows.append(
                RowPlan(r.row, task, Outcome.REJECTED, "同一任务在表中出现多行", seq, name)
            )
            continue
        seen.add(task)
        values, problems = read_values(r, plan.year)
        if values is None:
            fp.rows.append(RowPlan(r.row, task, Outcome.INVALID, "；".join(problems), seq, name))
            continue
        a = mine[task]
        current = latest.get((a.assignment_id, unit.id))
        if _same_as(values, current):
            fp.rows.append(RowPlan(r.row, task, Outcome.UNCHANGED, "与库中最新进展相同", seq, name))
            continue
        if values.status is None:
            fp.rows.append(RowPlan(r.row, task, Outcome.INVALID, "未选择进展状态", seq, name))
            continue
        report = ReportInput(
            assignment_id=a.assignment_id,
            unit_id=unit.id,
            status=values.status,
            percent=values.percent,
            text=values.text,
            done_on=values.done_on,
            evidence=values.evidence,
            problems=values.problems,
            contact=values.contact,
            phone=values.phone,
            source="workbook",
            source_file=w.file_name,
            source_sha256=w.sha256,
            assignment_version=a.version,
        )
        fp.rows.append(
            RowPlan(
                r.row,
                task,
                Outcome.APPLIED,
                "新进展（按序号+工作任务匹配，已确认单位）",
                seq,
                name,
                values,
                report,
            )
        )


# --- applying -----------------------------------------------------------------------


def chosen_reports(
    plan: MergePlan, take_conflicts: Iterable[tuple[int, int]] = ()
) -> list[tuple[FilePlan, ReportInput]]:
    """Reports to write: every applied row, plus the conflicts the clerk chose (file index, row)."""
    take = set(take_conflicts)
    out = []
    for i, f in enumerate(plan.files):
        if f.error or f.duplicate_of is not None:
            continue
        for r in f.rows:
            if r.report is None:
                continue
            if r.outcome is Outcome.APPLIED or (
                r.outcome is Outcome.CONFLICT and (i, r.row) in take
            ):
                out.append((f, r.report))
    return out


def apply_merge(
    db: Database,
    plan: MergePlan,
    *,
    take_conflicts: Iterable[tuple[int, int]] = (),
    backup_dir: Path | None = None,
    note: str = "",
) -> ApplyResult:
    """Write the plan's reports in one transaction, after a checked backup.

    Nothing is written (not even the ledger) when there is nothing to apply.
    """
    chosen = chosen_reports(plan, take_conflicts)
    if not chosen:
        return ApplyResult(None, 0, 0, None)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    where = backup_dir or db.path.parent / "backups"
    where.mkdir(parents=True, exist_ok=True)
    backup = backup_database(db.path, where / f"{db.path.stem}.before-merge-{stamp}.sqlite")
    now = dt.datetime.now().replace(microsecond=0)
    files = {id(f): f for f, _ in chosen}
    with db.transaction() as session:
        batch_id = session.execute(
            insert(MergeBatch).returning(MergeBatch.id),
            {"created_at": now, "note": note or f"合并 {len(files)} 个文件", "undone_at": None},
        ).scalar_one()
        add_reports(session, [r for _, r in chosen], batch_id=batch_id)
        session.execute(
            insert(MergedFile),
            [
                {
                    "batch_id": batch_id,
                    "sha256": f.sha256,
                    "export_id": f.export_id,
                    "unit_id": f.unit_id,
                    "file_name": f.file_name,
                    "merged_at": now,
                }
                for f in files.values()
            ],
        )
    return ApplyResult(batch_id, len(chosen), len(files), backup)


@dataclass(frozen=True, slots=True)
class BatchInfo:
    id: int
    created_at: dt.datetime
    note: str
    undone_at: dt.datetime | None
    files: int
    reports: int


def batches(db: Database) -> list[BatchInfo]:
    with db.raw() as conn:
        rows = conn.execute(
            "SELECT b.id, b.created_at, b.note, b.undone_at,"
            " (SELECT count(*) FROM merged_file f WHERE f.batch_id = b.id),"
            " (SELECT count(*) FROM progress p WHERE p.batch_id = b.id)"
            " FROM merge_batch b ORDER BY b.id DESC"
        ).fetchall()
    return [
        BatchInfo(
            r[0],
            dt.datetime.fromisoformat(r[1]),
            r[2],
            dt.datetime.fromisoformat(r[3]) if r[3] else None,
            r[4],
            r[5],
        )
        for r in rows
    ]


def undo_batch(db: Database, batch_id: int) -> int:
    """Withdraw every report of a batch (kept as history); its files may be merged again."""
    with db.transaction() as session:
        batch = session.get(MergeBatch, batch_id)
        if batch is None:
            raise LookupError(f"没有第 {batch_id} 批合并")
        if batch.undone_at is not None:
            return 0
        ids = list(
            session.scalars(
                select(Progress.id).where(Progress.batch_id == batch_id, ~Progress.withdrawn)
            )
        )
        withdraw_reports(session, ids)
        session.execute(
            update(MergeBatch)
            .where(MergeBatch.id == batch_id)
            .values(undone_at=dt.datetime.now().replace(microsecond=0))
        )
    return len(ids)
