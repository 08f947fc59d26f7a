"""Importing a plan file: read, interpret, then write in one transaction.

One workflow for the command line (``import-plan``) and the window (导入工作要点…).
The file is read and interpreted before the database is touched; the write is
one transaction and ``cancelled()`` is asked last inside it, so a cancel at any
point leaves the database as it was. The readers (python-docx, openpyxl) are
imported when a file is read, never at start-up. No Qt here: progress is the
plain callbacks of :mod:`gxdesk.ops.progress`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from gxdesk.core.cancel import JobCancelled
from gxdesk.ops.progress import Cancelled, Step, never, no_step
from gxdesk.store.database import Database

if TYPE_CHECKING:
    from gxdesk.core.plan import PlanDraft


@dataclass(frozen=True)
class PlanImported:
    """What an import wrote, for the window's status line and the command line's output."""

    plan_id: int
    title: str
    categories: int
    tasks: int
    assignments: int
    inferred: int
    needs_review: int
    warnings: tuple[str, ...]

    def summary(self) -> str:
        return (
            f"已导入《{self.title}》：{self.categories} 个类别，{self.tasks} 项任务；"
            f"{self.inferred} 处由合并单元格推断（待确认），{self.needs_review} 处需人工核对"
        )


def read_plan_file(
    path: Path,
    *,
    year: int | None = None,
    issued: dt.date | None = None,
    step: Step = no_step,
) -> PlanDraft:
    """Read and interpret ``path`` without touching any database (``year`` when the title
    gives none; ``issued``, the date relative deadlines count from).

    Raises what the readers and the builder raise (``BadFileError``, ``PlanError``,
    ``PlanYearUnknown``), each with one line for the clerk."""
    from gxdesk.core.plan import build_plan
    from gxdesk.exchange.plan_reader import read_plan

    step(0, 3, f"正在读取 {path.name} …")
    raw = read_plan(path)
    step(1, 3, "正在识别完成时限和责任单位 …")
    return build_plan(raw, year=year, issued=issued)


def save_plan_draft(
    db: Database,
    draft: PlanDraft,
    source_name: str,
    *,
    as_new: bool = False,
    cancelled: Cancelled = never,
) -> PlanImported:
    """Write ``draft`` in one transaction, after a checked backup (in the rotating set);
    ``cancelled()`` is asked last inside it.

    A plan of the same title and year already there raises ``PlanAlreadyImported``
    (the rule is :mod:`gxdesk.store.plans`') unless ``as_new``; it is asked before
    the backup, so a refusal leaves nothing behind."""
    from gxdesk.store import queries
    from gxdesk.store.backups import rotating_backup
    from gxdesk.store.plans import refuse_existing_copy, save_plan

    if not as_new:
        with db.reading() as session:
            refuse_existing_copy(session, draft)
    # a server keeps its own backups; an empty file has nothing a backup could bring back
    if not db.is_server and queries.plans(db):
        rotating_backup(db.path, "import")
    with db.transaction() as session:
        result = save_plan(session, draft, source_name=source_name, as_new=as_new)
        if cancelled():  # the last point a cancel can reach: it rolls the write back
            raise JobCancelled()
    return PlanImported(
        result.plan_id,
        draft.title,
        result.categories,
        result.tasks,
        result.assignments,
        result.inferred,
        result.needs_review,
        tuple(draft.warnings),
    )


def import_plan(
    db: Database,
    path: Path,
    *,
    year: int | None = None,
    issued: dt.date | None = None,
    as_new: bool = False,
    step: Step = no_step,
    cancelled: Cancelled = never,
) -> PlanImported:
    """:func:`read_plan_file` then :func:`save_plan_draft`, with progress; cancel-safe."""
    draft = read_plan_file(path, year=year, issued=issued, step=step)
    step(2, 3, "正在写入数据库 …")
    result = save_plan_draft(db, draft, path.name, as_new=as_new, cancelled=cancelled)
    step(3, 3, "完成")
    return result
