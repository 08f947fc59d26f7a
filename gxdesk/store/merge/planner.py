"""The merge preview: what would happen to every returned file and row, nothing written.

:class:`MergePlanner` (or :func:`plan_merge` for files already read) takes
files in batches as they are read: what a file alone decides (which task, is it
this unit's, grey columns touched, unreadable, untouched since export) first,
then the rows that changed against the database, whose reports are loaded for
those rows only. Every row is decided by :func:`gxdesk.core.row_verdict.row_verdict`,
the verdict a unit's own copy shows too.

Rows are matched by task id (the 任务编号 column plus the hidden data), never by
position. A file whose hidden data was lost is matched by 序号 + 工作任务 only
once the clerk has confirmed which unit sent it, and then goes the same way as
an identified file, without the checks that need the hidden data (grey-column
and untouched hashes, versions at export).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import NamedTuple

from gxdesk.core.row_verdict import Outcome, Verdict, Why, row_verdict
from gxdesk.core.workbook_data import (
    LEAD_COLUMNS,
    UNIT_FIELDS,
    ReturnedRow,
    ReturnedWorkbook,
    RowKey,
    UnitReport,
    unit_hash,
)
from gxdesk.store import queries
from gxdesk.store.database import Database
from gxdesk.store.exports import UnitAssignment, lead_columns_now
from gxdesk.store.merge.context import MergeContext, load_context
from gxdesk.store.merge.reading import STATUS_INDEX, same_as
from gxdesk.store.merge.records import FilePlan, MergePlan, RowPlan
from gxdesk.store.merge.second_returns import (
    against_merged,
    earlier_of,
    replaces_text,
    within_one_merge,
)
from gxdesk.store.progress import ReportInput

_LEAD_HEADERS = [h for _, h in LEAD_COLUMNS]
_EDITED_LEAD = "灰色栏目（" + "、".join(_LEAD_HEADERS) + "）被改动，该行不予采用"
_BLANK_UNIT_HASH = unit_hash(UnitReport().as_text())
_FIELD_INDEX = {f: i for i, f in enumerate(UNIT_FIELDS)}


class MergePlanner:
    """Decides every file's and row's outcome without writing anything.

    Files are added in batches as they are read, so that planning one batch
    overlaps reading the next (``ops.exchange.preview_merge``); each batch
    costs a few queries for all its units together. :meth:`result` gives the
    :class:`MergePlan`. ``confirm_units`` maps a file's path to the unit the
    clerk confirmed for a file without hidden data.
    """

    def __init__(
        self,
        db: Database,
        *,
        confirm_units: Mapping[str, int] | None = None,
        on: dt.date | None = None,
    ) -> None:
        self._db = db
        self._confirm = dict(confirm_units or {})
        self._ctx = load_context(db, on or dt.date.today())
        self._files: list[FilePlan] = []
        self._seen_sha: dict[str, str] = {}

    def add(
        self,
        workbooks: Sequence[ReturnedWorkbook | FilePlan],
        paths: Sequence[str | Path] | None = None,
    ) -> list[FilePlan]:
        """Plan ``workbooks`` (what the reader produced, or a :func:`refused_file`)."""
        db, ctx = self._db, self._ctx
        readable = [w for w in workbooks if isinstance(w, ReturnedWorkbook)]
        ctx.load_exports(db, (w.meta.export_id for w in readable if w.meta))
        by_plan: dict[int, set[int]] = {}
        for w in readable:
            if w.meta is not None and w.meta.plan_id in ctx.plans:
                by_plan.setdefault(w.meta.plan_id, set()).add(w.meta.unit_id)
        for plan_id, unit_ids in by_plan.items():
            ctx.prefetch(db, plan_id, sorted(unit_ids))
        added = []
        undecided: list[tuple[FilePlan, list[RowPlan | _Changed]]] = []
        for i, item in enumerate(workbooks):
            if isinstance(item, FilePlan):
                added.append(item)
                continue
            w = item
            path = str(paths[i]) if paths else w.file_name
            fp = FilePlan(path=path, file_name=w.file_name, sha256=w.sha256)
            fp.meta_source = w.meta_source
            if w.sha256 in self._seen_sha:
                fp.error = f"与本次的另一个文件内容完全相同（{self._seen_sha[w.sha256]}），已忽略"
            else:
                self._seen_sha[w.sha256] = w.file_name
                if w.meta is None:
                    rows = _plan_unidentified(db, ctx, w, fp, self._confirm.get(path))
                else:
                    rows = _plan_identified(db, ctx, w, fp)
                if rows:
                    undecided.append((fp, rows))
            added.append(fp)
        # second pass: the rows that differ from what went out, against the database
        ctx.load_reports(
            db, (r.pair for _fp, rows in undecided for r in rows if isinstance(r, _Changed))
        )
        for fp, rows in undecided:
            fp.rows = [r.decide(ctx) if isinstance(r, _Changed) else r for r in rows]
            _show_current_lead(db, ctx, fp)
        self._files.extend(added)
        return added

    def result(self) -> MergePlan:
        within_one_merge(self._files)  # two returns of one export in this merge
        return MergePlan(list(self._files), self._ctx.basis)


def plan_merge(
    db: Database,
    workbooks: Sequence[ReturnedWorkbook | FilePlan],
    *,
    paths: Sequence[str] | None = None,
    confirm_units: Mapping[str, int] | None = None,
    on: dt.date | None = None,
) -> MergePlan:
    """Decide every file's and row's outcome without writing anything (one batch)."""
    planner = MergePlanner(db, confirm_units=confirm_units, on=on)
    planner.add(workbooks, paths)
    return planner.result()


_Undecided = list["RowPlan | _Changed"]


def _plan_identified(
    db: Database, ctx: MergeContext, w: ReturnedWorkbook, fp: FilePlan
) -> _Undecided:
    """Decide what the file alone can decide. A file refused or merged before gets
    its outcome in ``fp`` and [] back; otherwise its rows come back, those still to
    be compared with the database as :class:`_Changed`."""
    meta = w.meta
    assert meta is not None
    fp.export_id = meta.export_id
    fp.unit = meta.unit_name
    plan = ctx.plans.get(meta.plan_id)
    record = ctx.exports.get(meta.export_id)
    if plan is None:
        fp.error = f"文件属于本数据库中没有的计划（编号 {meta.plan_id}，{meta.plan_year}年）"
        return []
    if record is None:
        fp.error = "文件的导出编号在本数据库中没有登记：不是由本台账导出的文件，或导出记录已丢失"
        return []
    if record[0] != meta.plan_id or record[1] != meta.unit_id:
        fp.error = "文件的识别信息与导出记录不符（单位或计划被改动），不予合并"
        return []
    unit = ctx.units.get(meta.unit_id)
    if unit is None:
        fp.error = f"单位“{meta.unit_name}”已不在本数据库中"
        return []
    fp.unit_id, fp.unit, fp.plan_id = unit.id, unit.name, plan.id
    if w.missing_columns:
        fp.error = "进展表缺少栏目：" + "、".join(w.missing_columns)
        return []
    duplicate = ctx.merged.get(w.sha256)
    if duplicate is not None:
        fp.duplicate_of = duplicate
        fp.rows = [
            RowPlan(r.row, r.task_id, Outcome.UNCHANGED, f"此文件已在第 {duplicate} 批合并过")
            for r in w.rows
        ]
        return []
    fp.saved_at = w.saved_at
    earlier = [e for e in ctx.returns.get(meta.export_id, ()) if e.sha256 != w.sha256]
    if earlier:
        fp.replaces = replaces_text(earlier[-1], w.saved_at)
    return _FileRows(ctx, w, ctx.mine(db, plan.id, unit.id), unit.id, plan.year).plan()


def _plan_unidentified(
    db: Database, ctx: MergeContext, w: ReturnedWorkbook, fp: FilePlan, unit_id: int | None
) -> _Undecided:
    """No hidden data: match 序号 + 工作任务 against the current plan; needs a confirmed
    unit, and then goes the identified way (:class:`_FileRows`)."""
    fp.unit_hint = w.unit_hint
    plan = queries.current_plan(db)
    if plan is None:
        fp.error = "数据库中还没有计划"
        return []
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
        return []
    fp.unit_id, fp.unit, fp.plan_id = unit.id, unit.name, plan.id
    duplicate = ctx.merged.get(w.sha256)
    if duplicate is not None:
        fp.duplicate_of = duplicate
        fp.rows = [
            RowPlan(r.row, None, Outcome.UNCHANGED, f"此文件已在第 {duplicate} 批合并过")
            for r in w.rows
        ]
        return []
    mine = ctx.mine(db, plan.id, unit.id)
    return _FileRows(ctx, w, mine, unit.id, plan.year, by_seq_name=by_seq_name).plan()


class _FileRows:
    """The rows of one file, each decided against the hidden row keys and the
    database (see :class:`Outcome`). The checks run in the order a clerk would
    ask them: which task, is it this unit's, were the grey columns touched, can
    the values be read, did anything change, and did the lead office change the
    task or enter a newer report meanwhile (a conflict).

    ``by_seq_name`` is given for a file without hidden data (its unit confirmed):
    rows are then found by 序号 + 工作任务, and what needs the hidden data (the
    hashes, the versions at export) is not checked."""

    def __init__(
        self,
        ctx: MergeContext,
        w: ReturnedWorkbook,
        mine: Mapping[int, UnitAssignment],
        unit_id: int,
        year: int,
        *,
        by_seq_name: Mapping[tuple[str, str], int] | None = None,
    ) -> None:
        self.ctx, self.w, self.meta, self.mine, self.unit_id = ctx, w, w.meta, mine, unit_id
        self.by_seq_name = by_seq_name
        self.reader = ctx.reader(year)
        self.seen: set[int] = set()
        meta = w.meta
        self.period = meta.exported_at.strftime("%Y-%m") if meta else ""
        self.export_id = meta.export_id if meta else ""

    def plan(self) -> _Undecided:
        return [self.row(r) for r in self.w.rows]

    def _task(self, r: ReturnedRow) -> tuple[int | None, RowKey | None, str]:
        """The row's task and hidden key, or the reason it has none."""
        if self.by_seq_name is not None:
            task = self.by_seq_name.get((r.lead[0], r.lead[2].replace(" ", "")))
            if task is None or task not in self.mine:
                return task, None, "按序号+工作任务找不到本单位的任务"
            return task, None, ""
        task_id = r.task_id
        if task_id is None:
            return None, None, "任务编号缺失或被改动，无法确定是哪项任务"
        key = self.w.keys.get(task_id)
        if key is None:
            return task_id, None, "该任务不在发给本单位的表中（可能从其他单位的表复制而来）"
        return task_id, key, ""

    def row(self, r: ReturnedRow) -> RowPlan | _Changed:
        """The row's outcome when the file alone decides it, else a :class:`_Changed`."""
        ctx = self.ctx
        seq, name = r.lead[0], r.lead[2]
        task_id, key, refused = self._task(r)
        if refused:
            return RowPlan(r.row, task_id, Outcome.REJECTED, refused, seq, name)
        assert task_id is not None
        if task_id in self.seen:
            return RowPlan(r.row, task_id, Outcome.REJECTED, "同一任务在表中出现多行", seq, name)
        self.seen.add(task_id)
        values, text, unreadable = self.reader.read_with_text(r)
        if key is None:  # no hidden data: nothing to compare the file with
            lead_untouched, untouched = True, False
        else:
            lead_untouched = bool(key.lead_hash) and ctx.hashes.lead(r.lead).startswith(
                key.lead_hash
            )
            untouched = (
                values is not None
                and bool(key.unit_hash)
                and (
                    # exported blank (the usual first round): untouched when still blank,
                    # which spares hashing every row of it
                    not any(text)
                    if _BLANK_UNIT_HASH.startswith(key.unit_hash)
                    else ctx.hashes.unit(text).startswith(key.unit_hash)
                )
            )
        verdict = row_verdict(
            lead_untouched=lead_untouched,
            unreadable=unreadable,
            untouched=untouched,
            has_status=values is not None and values.status is not None,
            same_as_latest=None,
        )
        if verdict.outcome is not None:
            return _decided(r, task_id, verdict, values)
        assert values is not None
        a = self.mine.get(task_id)
        if a is None or (key is not None and a.assignment_id != key.assignment_id):
            return RowPlan(
                r.row, task_id, Outcome.REJECTED, "该任务已不再分配给本单位", seq, name, values
            )
        return _Changed(self, r, key, values, text, a)


def _decided(r: ReturnedRow, task_id: int, verdict: Verdict, values: UnitReport | None) -> RowPlan:
    """The row plan of a row the file alone settled, worded for the lead office."""
    seq, name = r.lead[0], r.lead[2]
    if verdict.why is Why.LEAD_EDITED:
        return RowPlan(r.row, task_id, Outcome.REJECTED, _EDITED_LEAD, seq, name)
    if verdict.why is Why.UNREADABLE:
        reason = "；".join(
            f"{r.where(_FIELD_INDEX[field])}：{why}"
            for rule, field, why in verdict.problems
            if rule is Why.UNREADABLE
        )
        return RowPlan(r.row, task_id, Outcome.INVALID, reason, seq, name)
    return RowPlan(r.row, task_id, Outcome.UNCHANGED, "未修改", seq, name, values)


def _show_current_lead(db: Database, ctx: MergeContext, fp: FilePlan) -> None:
    """Give each conflict the lead office edited its columns as they are now
    (:attr:`RowPlan.current`, beside :attr:`RowPlan.in_file`)."""
    ids = [r.task_id for r in fp.rows if r.in_file and r.task_id is not None]
    if not ids or fp.plan_id is None or fp.unit_id is None:
        return
    now = lead_columns_now(db, fp.plan_id, fp.unit_id, ids, ctx.on)
    fp.rows = [
        r._replace(current=now.get(r.task_id, ())) if r.in_file and r.task_id is not None else r
        for r in fp.rows
    ]


class _Changed(NamedTuple):
    """A row that differs from what went out, still to be compared with the database:
    its latest report (unchanged? a newer one since the export?) and the versions
    (a conflict?). Decided once the batch's reports are loaded (load_reports)."""

    file: _FileRows
    r: ReturnedRow
    key: RowKey | None  # None: a file without hidden data
    values: UnitReport
    text: tuple[str, ...]
    a: UnitAssignment

    @property
    def pair(self) -> tuple[int, int]:
        return (self.a.assignment_id, self.file.unit_id)

    def decide(self, ctx: MergeContext) -> RowPlan:
        f, r, key, values, a = self.file, self.r, self.key, self.values, self.a
        unit_id, task_id = f.unit_id, a.task_id
        seq, name = r.lead[0], r.lead[2]
        current = ctx.latest.get(self.pair)
        verdict = row_verdict(
            lead_untouched=True,
            unreadable=(),
            untouched=False,
            has_status=values.status is not None,
            same_as_latest=same_as(values, self.text, current),
            report=values,
            on=ctx.on,
        )
        if verdict.why is Why.SAME_AS_LATEST:
            return RowPlan(
                r.row, task_id, Outcome.UNCHANGED, "与库中最新进展相同", seq, name, values
            )
        if verdict.why is Why.NO_STATUS:
            where = r.where(STATUS_INDEX)
            return RowPlan(
                r.row, task_id, Outcome.INVALID, f"{where}：填写了进展但未选择进展状态", seq, name
            )
        w = f.w
        report = ReportInput(  # positional, in field order: one is built for every row
            a.assignment_id,  # assignment_id
            unit_id,
            values,  # report
            f.period,
            None,  # reported_at: when applied
            "workbook",  # source
            w.file_name,
            w.sha256,
            f.export_id,
            a.version if key is None else key.assignment_version,
        )
        task_version = ctx.rely_on(task_id, a, unit_id)
        if key is None:
            return _new(
                RowPlan(
                    r.row,
                    task_id,
                    Outcome.APPLIED,
                    "新进展（按序号+工作任务匹配，已确认单位）",
                    seq,
                    name,
                    values,
                    report,
                ),
                verdict.warnings,
            )
        meta = f.meta
        assert meta is not None
        if task_version > key.task_version or a.version > key.assignment_version:
            return _new(
                RowPlan(
                    r.row,
                    task_id,
                    Outcome.CONFLICT,
                    f"导出后牵头单位修改了此任务（任务版本 {key.task_version}→{task_version}，"
                    f"分工版本 {key.assignment_version}→{a.version}）",
                    seq,
                    name,
                    values,
                    report,
                    in_file=r.lead,
                ),
                verdict.warnings,
            )
        returns = ctx.returns.get(meta.export_id)
        if current is not None and returns and current.export_id == meta.export_id:
            # the latest report came from an earlier return of this very export
            return against_merged(
                _new(
                    RowPlan(r.row, task_id, Outcome.APPLIED, "新进展", seq, name, values, report),
                    verdict.warnings,
                ),
                earlier_of(returns, current.view.source_file),
                w.saved_at,
                current.view.unit_report().as_text(),
            )
        if (
            current is not None
            and current.view.reported_at > meta.exported_at
            and current.export_id != meta.export_id
        ):
            return _new(
                RowPlan(
                    r.row,
                    task_id,
                    Outcome.CONFLICT,
                    f"导出后库中已有更新的进展（{current.view.reported_at:%Y-%m-%d %H:%M}，"
                    f"{current.view.source_file or '手工录入'}）",
                    seq,
                    name,
                    values,
                    report,
                ),
                verdict.warnings,
            )
        return _new(
            RowPlan(r.row, task_id, Outcome.APPLIED, "新进展", seq, name, values, report),
            verdict.warnings,
        )


def _new(plan: RowPlan, warnings: tuple[str, ...]) -> RowPlan:
    """A row that would write a report, with the verdict's warnings: an applied row
    becomes one to verify (written only once the clerk accepts it); a conflict,
    which the clerk decides anyway, says them in its reason."""
    if not warnings:
        return plan
    said = "请核实：" + "；".join(warnings)
    if plan.outcome is Outcome.APPLIED:
        return plan._replace(outcome=Outcome.WARNING, reason=said, warnings=warnings)
    return plan._replace(reason=f"{plan.reason}；{said}", warnings=warnings)
