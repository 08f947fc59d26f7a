"""Merge batches: the list, undo (withdraw a batch's reports) and its redo.

An undone batch keeps its reports as history (withdrawn) and leaves the ledger
of merged files, so its files may be merged again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from gxdesk.store.database import Database
from gxdesk.store.merge.records import StalePlanError
from gxdesk.store.progress import restore_reports, withdraw_reports
from gxdesk.store.schema import MergeBatch, MergedFile, Progress


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
