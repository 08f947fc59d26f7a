"""Importing a plan file from the window: which files, and the job that runs the import.

The workflow itself is :func:`gxdesk.ops.plan_import.import_plan`, shared with
the command line; here it runs as a job off the GUI thread, its progress and
cancel going through the job's control.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from gxdesk.ops.plan_import import PlanImported
from gxdesk.store.database import Database
from gxdesk.ui.jobs import JobControl

PLAN_SUFFIXES = (".txt", ".docx", ".xlsx")
PLAN_FILTER = "工作要点分解表 (*.txt *.docx *.xlsx);;所有文件 (*)"


def is_plan_file(path: Path) -> bool:
    return path.suffix.lower() in PLAN_SUFFIXES


def import_plan(
    db: Database,
    path: Path,
    control: JobControl,
    *,
    year: int | None = None,
    issued: dt.date | None = None,
) -> PlanImported:
    """The job: :func:`gxdesk.ops.plan_import.import_plan` with the job's progress and cancel."""
    from gxdesk.ops import plan_import

    return plan_import.import_plan(
        db,
        path,
        year=year,
        issued=issued,
        step=control.progress,
        cancelled=lambda: control.cancelled,
    )
