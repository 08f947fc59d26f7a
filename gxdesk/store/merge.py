"""Merging returned unit workbooks: a preview first, then one transaction.

:class:`MergePlanner` (or :func:`plan_merge` for files already read) reads the
database (read-only) and decides, for every file and every row, what would
happen — as plain records the window and the command line show. It takes files
in batches as they are read: what a file alone decides (which task, is it this
unit's, grey columns touched, unreadable, untouched since export) first, then
the rows that changed against the database, whose reports are loaded for those
rows only. :func:`apply_merge` then writes the chosen reports in one
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
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import NamedTuple

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from gxdesk.core.bulk import bulk_work
from gxdesk.core.model import Status
from gxdesk.core.values import Unreadable, read_date, read_percent, read_status, read_text
from gxdesk.core.workbook_data import (
    LEAD_COLUMNS,
    UNIT_FIELDS,
    ReturnedRow,
    ReturnedWorkbook,
    RowKey,
    UnitReport,
    lead_hash,
    unit_hash,
)
from gxdesk.store import queries
from gxdesk.store.backups import remove_backup, rotating_backup
from gxdesk.store.database import Database
from gxdesk.store.exports import (
    LatestReport,
    UnitAssignment,
    latest_reports,
    unit_assignments_many,
)
from gxdesk.store.progress import ReportInput, add_reports, restore_reports, withdraw_reports
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


class RowPlan(NamedTuple):
    """What would happen to one row of a returned file (a named tuple: one per row)."""

    row: int
    task_id: int | None
    outcome: Outcome
    reason: str
    seq: str = ""
    name: str = ""
    values: UnitReport | None = None
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
class PlanBasis:
    """What the preview read from the database, for :func:`apply_merge` to re-check.

    Only what the rows that would write a report relied on: each task's and
    assignment's version, and each (assignment, unit) pair's reports as a
    fingerprint (count and highest id of the reports not withdrawn: an added,
    withdrawn or restored report changes it). The files' sha256 must still be
    absent from the ledger of merged files.
    """

    tasks: dict[int, int] = field(default_factory=dict)
    assignments: dict[int, int] = field(default_factory=dict)
    reports: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)


class StalePlanError(RuntimeError):
    """The database changed since the preview; ``str(err)`` says what, in Chinese."""


@dataclass
class MergePlan:
    files: list[FilePlan]
    basis: PlanBasis = field(default_factory=PlanBasis)

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
    tasks: frozenset[int] = frozenset()  # the tasks that received a report


def refused_file(path: str | Path, reason: str) -> FilePlan:
    """A file that could not be read at all (the caller caught BadFileError)."""
    return FilePlan(path=str(path), file_name=Path(path).name, error=reason)


# --- reading the unit's columns -----------------------------------------------------


_STATUS, _PERCENT, _DONE_ON = (UNIT_FIELDS.index(f) for f in ("status", "percent", "done_on"))
# _ValueReader.read unpacks a row's values in this order
_READ_ORDER = ("status", "percent", "text", "done_on", "evidence", "problems", "contact", "phone")
assert UNIT_FIELDS == _READ_ORDER, UNIT_FIELDS


class _ValueReader:
    """Reads the unit's columns of rows, remembering each distinct cell value once.

    A batch holds few distinct statuses, percents and dates (the drop-down
    list, 50%, the end of the month), so most cells are a dictionary look-up
    that gives the value read and its text for :meth:`UnitReport.as_text`.
    Text and empty cells are their own key; any other value's key carries its
    type: ``1``, ``1.0`` and ``True`` are equal in a dict but read differently.
    """

    def __init__(self, year: int) -> None:
        self.year = year
        self._status: dict[object, tuple[object, str]] = {}
        self._percent: dict[object, tuple[object, str]] = {}
        self._date: dict[object, tuple[object, str]] = {}

    def _read_status(self, value: object) -> tuple[object, str]:
        found = read_status(value)
        return found, (found.value if type(found) is Status else "")

    def _read_percent(self, value: object) -> tuple[object, str]:
        found = read_percent(value)
        return found, (str(found) if type(found) is int else "")

    def _read_date(self, value: object) -> tuple[object, str]:
        found = read_date(value, year=self.year)
        return found, (found.isoformat() if isinstance(found, dt.date) else "")

    @staticmethod
    def _cached(
        memo: dict, value: object, read: Callable[[object], tuple[object, str]]
    ) -> tuple[object, str]:
        key = value if value is None or type(value) is str else (type(value), value)
        try:
            return memo[key]
        except KeyError:
            found = memo[key] = read(value)
            return found
        except TypeError:  # unhashable: never from a reader, but cheap to allow
            return read(value)

    def read(self, row: ReturnedRow) -> tuple[UnitReport | None, list[str]]:
        """The row's report, or None and the reasons (with cell addresses) why not."""
        values, _text, problems = self.read_with_text(row)
        return values, problems

    def read_with_text(
        self, row: ReturnedRow
    ) -> tuple[UnitReport | None, tuple[str, ...], list[str]]:
        """:meth:`read`, with the report's :meth:`UnitReport.as_text` (built from the
        memo: a merge hashes the text of every row)."""
        status_raw, percent_raw, text, done_raw, evidence, problems, contact, phone = row.values
        cached = self._cached
        status, status_text = cached(self._status, status_raw, self._read_status)
        percent, percent_text = cached(self._percent, percent_raw, self._read_percent)
        done_on, done_text = cached(self._date, done_raw, self._read_date)
        if type(status) is Unreadable or type(percent) is Unreadable or type(done_on) is Unreadable:
            problems_found = [
                f"{row.where(i)}：{found.reason}"
                for i, found in ((_STATUS, status), (_PERCENT, percent), (_DONE_ON, done_on))
                if isinstance(found, Unreadable)
            ]
            return None, (), problems_found
        # read_text() keeps a non-blank str as it is and makes None "": spare the calls
        text = text if type(text) is str and not text.isspace() else read_text(text)
        evidence = "" if evidence is None else read_text(evidence)
        problems = "" if problems is None else read_text(problems)
        contact = contact if type(contact) is str and not contact.isspace() else read_text(contact)
        phone = phone if type(phone) is str and not phone.isspace() else read_text(phone)
        report = UnitReport(
            status,  # type: ignore[arg-type]
            percent,  # type: ignore[arg-type]
            text,
            done_on,  # type: ignore[arg-type]
            evidence,
            problems,
            contact,
            phone,
        )
        as_text = (status_text, percent_text, text, done_text, evidence, problems, contact, phone)
        return report, as_text, []


class _Hashes:
    """lead_hash / unit_hash remembered by their input (a group task's lead columns
    are the same in every member's file; untouched pre-fills repeat)."""

    def __init__(self) -> None:
        self._lead: dict[tuple[str, ...], str] = {}
        self._unit: dict[tuple[str, ...], str] = {}

    def lead(self, values: tuple[str, ...]) -> str:
        found = self._lead.get(values)
        if found is None:
            found = self._lead[values] = lead_hash(values)
        return found

    def unit(self, values: tuple[str, ...]) -> str:
        found = self._unit.get(values)
        if found is None:
            found = self._unit[values] = unit_hash(values)
        return found


def _same_as(values: UnitReport, text: tuple[str, ...], latest: LatestReport | None) -> bool:
    """Whether ``values`` (read, so readable; ``text`` is its as_text()) says what
    the unit's latest report says — or nothing, when there is none yet."""
    if latest is None:
        return not any(text)
    return values == latest.view.unit_report()


def report_fingerprints(
    conn_or_db: Database | object, pairs: Iterable[tuple[int, int]]
) -> dict[tuple[int, int], tuple[int, int]]:
    """(assignment, unit) → (reports not withdrawn, highest id among them); absent: none."""
    pairs = set(pairs)
    ids = sorted({a for a, _ in pairs})
    units = ",".join(str(int(u)) for u in sorted({u for _, u in pairs}))
    found: dict[tuple[int, int], tuple[int, int]] = {}

    def run(conn) -> None:  # type: ignore[no-untyped-def]
        for start in range(0, len(ids), 900):
            chunk = ids[start : start + 900]
            marks = ",".join(str(int(i)) for i in chunk)
            for a, u, n, top in conn.execute(
                "SELECT assignment_id, unit_id, count(*), max(id) FROM progress"
                f" WHERE assignment_id IN ({marks}) AND unit_id IN ({units}) AND withdrawn = 0"
                " GROUP BY assignment_id, unit_id"
            ):
                if (a, u) in pairs:
                    found[(a, u)] = (n, top)

    if isinstance(conn_or_db, Database):
        with conn_or_db.raw() as conn:
            run(conn)
    else:
        run(conn_or_db)
    return found


# --- the preview --------------------------------------------------------------------


@dataclass
class _Context:
    """What the preview needs from the database, read once per merge (or per batch of files)."""

    plans: dict[int, queries.PlanInfo]
    units: dict[int, queries.UnitRow]
    merged: dict[str, int]  # sha256 → batch id (batches not undone)
    task_versions: dict[int, tuple[int, int, str, str]]  # task → version, plan, seq, name
    on: dt.date
    exports: dict[str, tuple[int, int, int]] = field(default_factory=dict)  # id → plan, unit, rev
    # (plan, unit) → task → assignment, for each batch of files (prefetch);
    # (assignment, unit) → latest report and its fingerprint, for the rows that
    # changed in a batch (load_reports)
    assignments: dict[tuple[int, int], dict[int, UnitAssignment]] = field(default_factory=dict)
    latest: dict[tuple[int, int], LatestReport] = field(default_factory=dict)
    fingerprints: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)
    reports_known: set[tuple[int, int]] = field(default_factory=set)  # pairs loaded (or none)
    basis: PlanBasis = field(default_factory=PlanBasis)
    hashes: _Hashes = field(default_factory=_Hashes)
    readers: dict[int, _ValueReader] = field(default_factory=dict)

    def reader(self, year: int) -> _ValueReader:
        if year not in self.readers:
            self.readers[year] = _ValueReader(year)
        return self.readers[year]

    def mine(self, db: Database, plan_id: int, unit_id: int) -> dict[int, UnitAssignment]:
        key = (plan_id, unit_id)
        if key not in self.assignments:
            self.prefetch(db, plan_id, [unit_id])
        return self.assignments[key]

    def rely_on(self, task_id: int, a: UnitAssignment, unit_id: int) -> int:
        """Note what a row that may write a report was decided on (see PlanBasis);
        returns the task's version now."""
        b = self.basis
        version = b.tasks[task_id] = self.task_versions.get(task_id, (0,))[0]
        b.assignments[a.assignment_id] = a.version
        pair = (a.assignment_id, unit_id)
        b.reports[pair] = self.fingerprints.get(pair, (0, 0))
        return version

    def load_exports(self, db: Database, export_ids: Iterable[str]) -> None:
        ids = sorted(set(export_ids) - self.exports.keys())
        if not ids:
            return
        with db.raw() as conn:
            for start in range(0, len(ids), 900):
                chunk = ids[start : start + 900]
                marks = ",".join("?" * len(chunk))
                for e, p, u, r in conn.execute(
                    "SELECT export_id, plan_id, unit_id, plan_revision FROM export_record"
                    f" WHERE export_id IN ({marks})",
                    chunk,
                ):
                    self.exports[e] = (p, u, r)

    def prefetch(self, db: Database, plan_id: int, unit_ids: Iterable[int]) -> None:
        wanted = [u for u in unit_ids if (plan_id, u) not in self.assignments]
        if not wanted:
            return
        found = unit_assignments_many(db, plan_id, wanted)
        for u in wanted:
            self.assignments[(plan_id, u)] = found.get(u, {})

    def load_reports(self, db: Database, pairs: Iterable[tuple[int, int]]) -> None:
        """The latest report and fingerprint of each (assignment, unit) pair not yet known.

        Asked only for the rows that differ from what went out: in a later month
        most rows come back untouched and are settled by their hash alone.
        """
        wanted = set(pairs) - self.reports_known
        if not wanted:
            return
        self.latest.update(latest_reports(db, wanted))
        self.fingerprints.update(report_fingerprints(db, wanted))
        self.reports_known |= wanted


def _context(db: Database, on: dt.date) -> _Context:
    with db.raw() as conn:
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
        plans={p.id: p for p in queries.plans(db)},
        units={u.id: u for u in queries.units(db)},
        merged=merged,
        task_versions=task_versions,
        on=on,
    )


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
        self._ctx = _context(db, on or dt.date.today())
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
        for i, w in enumerate(workbooks):
            if isinstance(w, FilePlan):
                added.append(w)
                continue
            path = str(paths[i]) if paths else w.file_name
            fp = FilePlan(path=path, file_name=w.file_name, sha256=w.sha256)
            fp.meta_source = w.meta_source
            if w.sha256 in self._seen_sha:
                fp.error = f"与本次的另一个文件内容完全相同（{self._seen_sha[w.sha256]}），已忽略"
            else:
                self._seen_sha[w.sha256] = w.file_name
                if w.meta is None:
                    _plan_unidentified(db, ctx, w, fp, self._confirm.get(path))
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
        self._files.extend(added)
        return added

    def result(self) -> MergePlan:
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


def _plan_identified(
    db: Database, ctx: _Context, w: ReturnedWorkbook, fp: FilePlan
) -> list[RowPlan | _Changed]:
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
    return _FileRows(ctx, w, ctx.mine(db, plan.id, unit.id), unit.id, plan.year).plan()


_EDITED_LEAD = "灰色栏目（" + "、".join(_LEAD_HEADERS) + "）被改动，该行不予采用"
_BLANK_UNIT_HASH = unit_hash(UnitReport().as_text())


class _FileRows:
    """The rows of one identified file, each decided against the hidden row keys
    and the database (see :class:`Outcome`). The checks run in the order a clerk
    would ask them: which task, is it this unit's, were the grey columns touched,
    can the values be read, did anything change, and did the lead office change
    the task or enter a newer report meanwhile (a conflict)."""

    def __init__(
        self,
        ctx: _Context,
        w: ReturnedWorkbook,
        mine: Mapping[int, UnitAssignment],
        unit_id: int,
        year: int,
    ) -> None:
        meta = w.meta
        assert meta is not None
        self.ctx, self.w, self.meta, self.mine, self.unit_id = ctx, w, meta, mine, unit_id
        self.reader = ctx.reader(year)
        self.seen: set[int] = set()
        self.period = meta.exported_at.strftime("%Y-%m")

    def plan(self) -> list[RowPlan | _Changed]:
        return [self.row(r) for r in self.w.rows]

    def row(self, r: ReturnedRow) -> RowPlan | _Changed:
        """The row's outcome when the file alone decides it, else a :class:`_Changed`."""
        ctx = self.ctx
        seq, name = r.lead[0], r.lead[2]
        task_id = r.task_id
        if task_id is None:
            return RowPlan(
                r.row, None, Outcome.REJECTED, "任务编号缺失或被改动，无法确定是哪项任务", seq, name
            )
        key = self.w.keys.get(task_id)
        if key is None:
            return RowPlan(
                r.row,
                task_id,
                Outcome.REJECTED,
                "该任务不在发给本单位的表中（可能从其他单位的表复制而来）",
                seq,
                name,
            )
        if task_id in self.seen:
            return RowPlan(r.row, task_id, Outcome.REJECTED, "同一任务在表中出现多行", seq, name)
        self.seen.add(task_id)
        if not key.lead_hash or not ctx.hashes.lead(r.lead).startswith(key.lead_hash):
            return RowPlan(r.row, task_id, Outcome.REJECTED, _EDITED_LEAD, seq, name)
        values, text, problems = self.reader.read_with_text(r)
        if values is None:
            return RowPlan(r.row, task_id, Outcome.INVALID, "；".join(problems), seq, name)
        if key.unit_hash and (
            # exported blank (the usual first round): untouched when still blank,
            # which spares hashing every row of it
            not any(text)
            if _BLANK_UNIT_HASH.startswith(key.unit_hash)
            else ctx.hashes.unit(text).startswith(key.unit_hash)
        ):
            return RowPlan(r.row, task_id, Outcome.UNCHANGED, "未修改", seq, name, values)
        a = self.mine.get(task_id)
        if a is None or a.assignment_id != key.assignment_id:
            return RowPlan(
                r.row, task_id, Outcome.REJECTED, "该任务已不再分配给本单位", seq, name, values
            )
        return _Changed(self, r, key, values, text, a)


class _Changed(NamedTuple):
    """A row that differs from what went out, still to be compared with the database:
    its latest report (unchanged? a newer one since the export?) and the versions
    (a conflict?). Decided once the batch's reports are loaded (load_reports)."""

    file: _FileRows
    r: ReturnedRow
    key: RowKey
    values: UnitReport
    text: tuple[str, ...]
    a: UnitAssignment

    @property
    def pair(self) -> tuple[int, int]:
        return (self.a.assignment_id, self.file.unit_id)

    def decide(self, ctx: _Context) -> RowPlan:
        f, r, key, values, a = self.file, self.r, self.key, self.values, self.a
        meta, unit_id, task_id = f.meta, f.unit_id, r.task_id
        assert task_id is not None
        seq, name = r.lead[0], r.lead[2]
        current = ctx.latest.get(self.pair)
        if _same_as(values, self.text, current):
            return RowPlan(
                r.row, task_id, Outcome.UNCHANGED, "与库中最新进展相同", seq, name, values
            )
        if values.status is None:
            where = r.where(_STATUS)
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
            meta.export_id,
            key.assignment_version,
        )
        task_version = ctx.rely_on(task_id, a, unit_id)
        if task_version > key.task_version or a.version > key.assignment_version:
            return RowPlan(
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
            )
        if (
            current is not None
            and current.view.reported_at > meta.exported_at
            and current.export_id != meta.export_id
        ):
            return RowPlan(
                r.row,
                task_id,
                Outcome.CONFLICT,
                f"导出后库中已有更新的进展（{current.view.reported_at:%Y-%m-%d %H:%M}，"
                f"{current.view.source_file or '手工录入'}）",
                seq,
                name,
                values,
                report,
            )
        return RowPlan(r.row, task_id, Outcome.APPLIED, "新进展", seq, name, values, report)


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
    mine = ctx.mine(db, plan.id, unit.id)
    ctx.load_reports(db, ((a.assignment_id, unit.id) for a in mine.values()))
    latest = ctx.latest
    reader = ctx.reader(plan.year)
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
        values, problems = reader.read(r)
        if values is None:
            fp.rows.append(RowPlan(r.row, task, Outcome.INVALID, "；".join(problems), seq, name))
            continue
        a = mine[task]
        current = latest.get((a.assignment_id, unit.id))
        if _same_as(values, values.as_text(), current):
            fp.rows.append(RowPlan(r.row, task, Outcome.UNCHANGED, "与库中最新进展相同", seq, name))
            continue
        if values.status is None:
            fp.rows.append(RowPlan(r.row, task, Outcome.INVALID, "未选择进展状态", seq, name))
            continue
        report = ReportInput(
            assignment_id=a.assignment_id,
            unit_id=unit.id,
            report=values,
            source="workbook",
            source_file=w.file_name,
            source_sha256=w.sha256,
            assignment_version=a.version,
        )
        ctx.rely_on(task, a, unit.id)
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
    check: Callable[[], None] | None = None,
) -> ApplyResult:
    """Write the plan's reports in one transaction, after a checked backup.

    Nothing is written (not even the ledger) when there is nothing to apply.
    Inside the transaction, before writing, the database is compared with what
    the preview relied on (:class:`PlanBasis`); if anything changed — the task
    or assignment edited, a report added or withdrawn, a file merged meanwhile —
    :class:`StalePlanError` is raised and nothing is written: preview again.
    ``check`` is called last before the commit (a job's cancel check: raising
    there rolls everything back).
    """
    with bulk_work():
        return _apply(db, plan, take_conflicts, backup_dir, note, check)


def _apply(
    db: Database,
    plan: MergePlan,
    take_conflicts: Iterable[tuple[int, int]],
    backup_dir: Path | None,
    note: str,
    check: Callable[[], None] | None,
) -> ApplyResult:
    chosen = chosen_reports(plan, take_conflicts)
    if not chosen:
        return ApplyResult(None, 0, 0, None)
    backup = rotating_backup(db.path, "merge", folder=backup_dir).path
    now = dt.datetime.now().replace(microsecond=0)
    files = {id(f): f for f, _ in chosen}
    try:
        with db.transaction() as session:
            conn = session.connection()
            _check_basis(conn.exec_driver_sql, plan, chosen, files.values())
            batch_id = session.execute(
                insert(MergeBatch).returning(MergeBatch.id),
                {"created_at": now, "note": note or f"合并 {len(files)} 个文件", "undone_at": None},
            ).scalar_one()
            add_reports(session, [r for _, r in chosen], batch_id=batch_id)
            tasks = frozenset(
                row[0]
                for row in conn.exec_driver_sql(
                    "SELECT DISTINCT task_id FROM progress WHERE batch_id = ?", (batch_id,)
                )
            )
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
            if check is not None:
                check()
    except BaseException:
        remove_backup(backup)  # nothing was written: the backup is not needed
        raise
    return ApplyResult(batch_id, len(chosen), len(files), backup, tasks)


def _check_basis(execute, plan: MergePlan, chosen, files) -> None:  # type: ignore[no-untyped-def]
    """Raise StalePlanError if what the chosen reports were decided on has changed."""
    basis = plan.basis
    pairs = {(r.assignment_id, r.unit_id) for _f, r in chosen}
    tasks: dict[int, int] = {}
    assignments: dict[int, int] = {}
    ids = sorted({a for a, _ in pairs})
    for start in range(0, len(ids), 900):
        marks = ",".join(str(int(i)) for i in ids[start : start + 900])
        for a_id, task_id, a_version, t_version in execute(
            "SELECT a.id, a.task_id, a.version, t.version FROM assignment a"
            f" JOIN task t ON t.id = a.task_id WHERE a.id IN ({marks})"
        ):
            assignments[a_id] = a_version
            tasks[task_id] = t_version
    changed = []
    for a_id in ids:
        if a_id not in assignments:
            changed.append("有任务分工已被删除")
        elif basis.assignments.get(a_id) != assignments[a_id]:
            changed.append("有任务分工已被修改")
    for task_id, version in tasks.items():
        if task_id in basis.tasks and basis.tasks[task_id] != version:
            changed.append("有任务已被修改")
    now = report_fingerprints(_Execute(execute), pairs)
    for pair in pairs:
        if now.get(pair, (0, 0)) != basis.reports.get(pair, (0, 0)):
            changed.append("有单位的进展已被录入、撤回或恢复")
    shas = sorted({f.sha256 for f in files})
    if shas:
        marks = ",".join("?" * len(shas))
        merged = execute(
            "SELECT f.file_name FROM merged_file f JOIN merge_batch b ON b.id = f.batch_id"
            f" WHERE b.undone_at IS NULL AND f.sha256 IN ({marks})",
            tuple(shas),
        ).fetchall()
        if merged:
            changed.append(f"文件“{merged[0][0]}”已在另一批中合并")
    if changed:
        reasons = "、".join(dict.fromkeys(changed))
        raise StalePlanError(
            f"预览之后数据库已有改动（{reasons}），未写入任何内容，请重新预览后再合并"
        )


class _Execute:
    """A connection-like wrapper so report_fingerprints can run inside a transaction."""

    def __init__(self, execute) -> None:  # type: ignore[no-untyped-def]
        self.execute = execute


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
        ids, _tasks = withdraw_batch(session, batch_id)
    return len(ids)


def withdraw_batch(session: Session, batch_id: int) -> tuple[list[int], set[int]]:
    """Undo a batch inside the caller's transaction: its reports are withdrawn (kept as
    history) and the batch is marked undone, so its files leave the ledger of merged
    files and may be merged again. Returns the withdrawn report ids and their tasks."""
    batch = session.get(MergeBatch, batch_id)
    if batch is None:
        raise LookupError(f"没有第 {batch_id} 批合并")
    if batch.undone_at is not None:
        return [], set()
    ids = list(
        session.scalars(
            select(Progress.id).where(Progress.batch_id == batch_id, ~Progress.withdrawn)
        )
    )
    tasks = withdraw_reports(session, ids)
    session.execute(
        update(MergeBatch)
        .where(MergeBatch.id == batch_id)
        .values(undone_at=dt.datetime.now().replace(microsecond=0))
    )
    return ids, tasks


def restore_batch(session: Session, batch_id: int, report_ids: Sequence[int]) -> set[int]:
    """Redo of :func:`withdraw_batch`: the reports it withdrew come back and the batch's
    files are in the ledger again (a duplicate if merged once more). Refused with
    :class:`StalePlanError` if one of its files was merged again in the meantime."""
    batch = session.get(MergeBatch, batch_id)
    if batch is None:
        raise LookupError(f"没有第 {batch_id} 批合并")
    if batch.undone_at is None:
        return set()
    again = session.execute(
        select(MergedFile.file_name)
        .join(MergeBatch, MergeBatch.id == MergedFile.batch_id)
        .where(
            MergeBatch.undone_at.is_(None),
            MergedFile.sha256.in_(select(MergedFile.sha256).where(MergedFile.batch_id == batch_id)),
        )
    ).first()
    if again is not None:
        raise StalePlanError(f"文件“{again[0]}”在撤销后已重新合并，不能恢复第 {batch_id} 批")
    tasks = restore_reports(session, report_ids)
    session.execute(update(MergeBatch).where(MergeBatch.id == batch_id).values(undone_at=None))
    return tasks
