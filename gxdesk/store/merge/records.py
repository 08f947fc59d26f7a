"""What a merge preview decides, as plain records the window and the command line show.

A :class:`MergePlan` holds one :class:`FilePlan` per file and one
:class:`RowPlan` per row, plus the :class:`PlanBasis` that
:func:`gxdesk.store.merge.apply.apply_merge` re-checks before writing. Nothing
here reads or writes the database.
"""

from __future__ import annotations

import datetime as dt
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
    Outcome.WARNING: "warnings",
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
    warnings: tuple[str, ...] = ()  # what looks wrong in the values (Outcome.WARNING)
    # a row where two returns of the same export disagree: the other one's unit
    # columns (UnitReport.as_text) and which return that is, for side by side
    other: tuple[str, ...] = ()
    other_source: str = ""


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
    saved_at: dt.datetime | None = None  # when the unit saved it (its own clock, UTC)
    replaces: str = ""  # a second return of the same export: which earlier one, in Chinese

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
            "saved_at": self.saved_at.isoformat(timespec="seconds") if self.saved_at else None,
            "replaces": self.replaces or None,
            "hidden_data": self.meta_source or None,
            "rows": [
                {
                    "row": r.row,
                    "task": r.task_id,
                    "outcome": r.outcome.value,
                    "reason": r.reason,
                    "warnings": list(r.warnings),
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

    def rows_to_verify(self) -> set[tuple[int, int]]:
        """(file index, row) of every row held for the clerk to accept (Outcome.WARNING)."""
        return {
            (i, r.row)
            for i, f in enumerate(self.files)
            for r in f.rows
            if r.outcome is Outcome.WARNING
        }

    def without_files_to_verify(self) -> MergePlan:
        """The plan without the files that hold a row to verify: where nobody can
        accept a row (the command line without ``--accept-warnings``) such a file
        waits whole, and is not recorded as merged, so it can be merged again."""
        held = {i for i, _row in self.rows_to_verify()}
        return MergePlan([f for i, f in enumerate(self.files) if i not in held], self.basis)


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
