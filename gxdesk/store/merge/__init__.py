"""Merging returned unit workbooks: a preview first, then one transaction.

One idea per module:

- :mod:`.records` — what a preview decides (plans of files and rows, the basis
  apply re-checks), as plain records;
- :mod:`.reading` — the unit's columns read fast, each distinct cell once;
- :mod:`.context` — what the preview reads from the database, once per merge;
- :mod:`.planner` — the preview itself, row by row through
  :func:`gxdesk.core.row_verdict.row_verdict`;
- :mod:`.apply` — writing the chosen reports after a checked backup;
- :mod:`.batches` — merge batches, their undo and redo.

The names below are the package's public face; callers import them from here.
"""

from __future__ import annotations

from gxdesk.store.merge.apply import apply_merge, chosen_reports
from gxdesk.store.merge.batches import (
    BatchInfo,
    batches,
    restore_batch,
    undo_batch,
    withdraw_batch,
)
from gxdesk.store.merge.context import report_fingerprints
from gxdesk.store.merge.planner import MergePlanner, plan_merge
from gxdesk.store.merge.reading import ValueReader
from gxdesk.store.merge.records import (
    COUNT_KEYS,
    OUTCOME_LABELS,
    ApplyResult,
    FilePlan,
    MergePlan,
    Outcome,
    PlanBasis,
    RowPlan,
    StalePlanError,
    refused_file,
)

__all__ = [
    "COUNT_KEYS",
    "OUTCOME_LABELS",
    "ApplyResult",
    "BatchInfo",
    "FilePlan",
    "MergePlan",
    "MergePlanner",
    "Outcome",
    "PlanBasis",
    "RowPlan",
    "StalePlanError",
    "ValueReader",
    "apply_merge",
    "batches",
    "chosen_reports",
    "plan_merge",
    "refused_file",
    "report_fingerprints",
    "restore_batch",
    "undo_batch",
    "withdraw_batch",
]
