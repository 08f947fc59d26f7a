"""Importing a plan file from the window: parse, then write in one transaction.

Runs as a job off the GUI thread. The file is read and interpreted before the
database is touched; the write is one transaction and the cancel flag is
checked last inside it, so a cancel at any point leaves the file as it was.
The readers (python-docx, openpyxl) are imported here, inside the job, never
at start-up.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from gxdesk.store.database import Database
from gxdesk.ui.jobs import JobControl

PLAN_SUFFIXES = (".txt", ".docx", ".xlsx")
PLAN_FILTER = "工作要点分解表 (*.txt *.docx *.xlsx);;所有文件 (*)"


@dataclass(frozen=True)
class ImportOutcome:
    plan_id: int
    title: str
    categories: int
    tasks: int
    inferred: int
    needs_review: int
    warnings: tuple[str, ...]

    def summary(self) -> str:
        return (
            f"已导入《{self.title}》：{self.categories} 个类别，{self.tasks} 项任务；"
            f"{self.inferred} 处由合并单元格推断（待确认），{self.needs_review} 处需人工核对"
        )


def is_plan_file(path: Path) -> bool:
    return path.suffix.lower() in PLAN_SUFFIXES


def import_plan(
    db: Database,
    path: Path,
    control: JobControl,
    *,
    year: int | None = None,
    as_new: bool = False,
) -> ImportOutcome:
    """The job: read ``path``, build the plan, save it; cancel-safe (see module doc).

    A plan already in the database is refused (``PlanAlreadyImported``) unless ``as_new``.
    """
    from gxdesk.core.plan import build_plan
    from gxdesk.exchange.plan_reader import read_plan
    from gxdesk.store.plans import save_plan

    control.progress(0, 3, f"正在读取 {path.name} …")
    raw = read_plan(path)
    control.progress(1, 3, "正在识别完成时限和责任单位 …")
    draft = build_plan(raw, year=year)
    control.progress(2, 3, "正在写入数据库 …")
    with db.transaction() as session:
        result = save_plan(session, draft, source_name=path.name, as_new=as_new)
        control.check()  # the last point a cancel can reach: it rolls the write back
    control.progress(3, 3, "完成")
    return ImportOutcome(
        result.plan_id,
        draft.title,
        result.categories,
        result.tasks,
        result.inferred,
        result.needs_review,
        tuple(draft.warnings),
    )
