"""Writing a merge: the chosen reports in one transaction, after a checked backup.

Before anything is written the database is compared with what the preview
relied on (:class:`~gxdesk.store.merge.records.PlanBasis`); a ledger of merged
files (sha256 and export id) makes the same file merged twice change nothing,
and the reports written form a batch that ``batches.undo_batch`` can withdraw.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import insert

from gxdesk.runtime import bulk_work
from gxdesk.store.backups import remove_backup, rotating_backup
from gxdesk.store.chunks import CHUNK, chunk_size, id_lists, marks
from gxdesk.store.database import Database
from gxdesk.store.merge.context import report_fingerprints
from gxdesk.store.merge.records import (
    ApplyResult,
    FilePlan,
    MergePlan,
    Outcome,
    StalePlanError,
)
from gxdesk.store.progress import ReportInput, add_reports
from gxdesk.store.schema import MergeBatch, MergedFile

_CHOSEN_BY_CLERK = frozenset({Outcome.CONFLICT, Outcome.WARNING})


def chosen_reports(
    plan: MergePlan, take_conflicts: Iterable[tuple[int, int]] = ()
) -> list[tuple[FilePlan, ReportInput]]:
    """Reports to write: every applied row, plus the rows the clerk chose (file index,
    row): conflicts whose file version should win, rows to verify that were accepted."""
    take = set(take_conflicts)
    out = []
    for i, f in enumerate(plan.files):
        if f.error or f.duplicate_of is not None:
            continue
        for r in f.rows:
            if r.report is None:
                continue
            if r.outcome is Outcome.APPLIED or (
                r.outcome in _CHOSEN_BY_CLERK and (i, r.row) in take
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

    ``take_conflicts`` holds the (file index, row) the clerk chose to write beyond
    the applied rows: conflicts and accepted rows to verify (:func:`chosen_reports`).

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
    # a server keeps its own backups (and a file copy of it is ``backup OUT``)
    backup = None if db.is_server else rotating_backup(db.path, "merge", folder=backup_dir).path
    now = dt.datetime.now().replace(microsecond=0)
    files = {id(f): f for f, _ in chosen}
    try:
        with db.transaction() as session:
            conn = session.connection()
            _check_basis(
                conn.exec_driver_sql, plan, chosen, files.values(), chunk_size(db.is_server)
            )
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
                        "saved_at": f.saved_at,
                    }
                    for f in files.values()
                ],
            )
            if check is not None:
                check()
    except BaseException:
        if backup is not None:
            remove_backup(backup)  # nothing was written: the backup is not needed
        raise
    return ApplyResult(batch_id, len(chosen), len(files), backup, tasks)


def _check_basis(
    execute: Callable[..., Any],
    plan: MergePlan,
    chosen: Sequence[tuple[FilePlan, ReportInput]],
    files: Iterable[FilePlan],
    size: int = CHUNK,
) -> None:
    """Raise StalePlanError if what the chosen reports were decided on has changed."""
    basis = plan.basis
    pairs = {(r.assignment_id, r.unit_id) for _f, r in chosen}
    tasks: dict[int, int] = {}
    assignments: dict[int, int] = {}
    ids = sorted({a for a, _ in pairs})
    for in_list in id_lists(ids, size):
        for a_id, task_id, a_version, t_version in execute(
            "SELECT a.id, a.task_id, a.version, t.version FROM assignment a"
            f" JOIN task t ON t.id = a.task_id WHERE a.id IN ({in_list})"
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
    now = report_fingerprints(_Execute(execute), pairs, size)
    for pair in pairs:
        if now.get(pair, (0, 0)) != basis.reports.get(pair, (0, 0)):
            changed.append("有单位的进展已被录入、撤回或恢复")
    shas = sorted({f.sha256 for f in files})
    if shas:
        merged = execute(
            "SELECT f.file_name FROM merged_file f JOIN merge_batch b ON b.id = f.batch_id"
            f" WHERE b.undone_at IS NULL AND f.sha256 IN ({marks(len(shas))})",
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

    def __init__(self, execute: Callable[..., Any]) -> None:
        self.execute = execute
