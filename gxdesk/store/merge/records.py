"""What a merge preview decides, as plain records the window and the command line show.

A :class:`MergePlan` holds one :class:`FilePlan` per file and one
:class:`RowPlan` per row, plus the :class:`PlanBasis` that
:func:`gxdesk.store.merge.apply.apply_merge` re-checks before writing. Nothing
here reads or writes the database.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from gxdesk.core.row_verdict import OUTCOME_LABELS, Outcome
from gxdesk.core.workbook_data import UnitReport
from gxdesk.store.progress import ReportInput

__all__ = [
    "COUNT_KEYS",
    "OUTCOME_LABELS",
    "ApplyResult",
    "FilePlan",
    "MergePlan",
    "Outcome",
    "PlanBasis",
    "RowPlan",
    "StalePlanError",
    "refused_file",
]

COUNT_KEYS = {
    Outcome.APPLIED: "applied",
    Outcome.UNCHANGED: "unchanged",
    Outcome.CONFLICT: "conflicts",
    Outcome.REJECTED: "rejected",
    Outcome.INVALID: "invalid",
    Outcome.UNMATCHED: "unmatched",
}


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

    def as_json(self) -> dict[str, Any]:
        """The shape of ``merge --json`` (docs/architecture.md, "Interfaces other programs rely on")."""
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
