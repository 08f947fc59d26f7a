"""Read-only rows the store hands to the command line and the window.

Named tuples and slotted frozen dataclasses: as light as tuples in memory, safe
to pass between threads, and never live ORM objects.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from gxdesk.core.model import DeadlineKind, Light, Period, Role, Status

if TYPE_CHECKING:  # imported where used: the window's task list needs none of the workbook's rules
    from gxdesk.core.workbook_data import UnitReport


@dataclass(frozen=True, slots=True)
class PlanInfo:
    id: int
    title: str
    year: int
    issued_on: dt.date | None
    revision: int


@dataclass(frozen=True, slots=True)
class CategoryRow:
    id: int
    plan_id: int
    seq: int
    title: str


class TaskRow(NamedTuple):
    """One line of the task list (the table, `tasks`, the report).

    A named tuple, not a dataclass: 20,000 of them are built per refresh, and a
    tuple is the cheapest immutable row Python has (a frozen dataclass's
    ``__init__`` measured ~1.5× slower here).
    """

    id: int
    plan_id: int
    category_id: int
    category_seq: int
    category_title: str
    seq: int
    name: str
    requirement: str
    deadline_text: str
    deadline_kind: DeadlineKind
    due: dt.date | None
    deadline_inferred: bool
    deadline_review: bool
    units_text: str
    units_inferred: bool
    units_review: bool
    status: Status
    light: Light
    latest_text: str
    latest_unit: str
    latest_at: dt.datetime | None
    version: int
    due_note: str = ""  # why no due date could be computed (e.g. a year the calendar lacks)
    missing_year: int | None = None  # that year, when the calendar is the reason
    # What a time line needs beyond the table's columns (read in the same query):
    workdays: int | None = None  # N of "N个工作日内" (relative and per-event deadlines)
    period: Period | None = None  # the period of a recurring deadline
    latest_percent: int | None = None  # percent of the latest report
    latest_done_on: dt.date | None = None  # completion date of the latest report


@dataclass(frozen=True, slots=True)
class TaskDetail:
    """One task's own fields as the detail pane edits them."""

    id: int
    category_title: str
    seq: int
    name: str
    requirement: str
    deadline_text: str
    deadline_inferred: bool
    deadline_review: bool
    units_text: str
    units_inferred: bool
    units_review: bool
    status: str


@dataclass(frozen=True, slots=True)
class AssignmentView:
    id: int
    task_id: int
    unit_id: int
    unit: str
    role: Role
    is_group: bool
    inferred: bool
    version: int
    position: int


@dataclass(frozen=True, slots=True)
class ProgressView:
    id: int
    assignment_id: int
    task_id: int
    unit_id: int
    unit: str
    period: str
    status: Status
    percent: int | None
    text: str
    done_on: dt.date | None
    evidence: str
    problems: str
    contact: str
    phone: str
    reported_at: dt.datetime
    source: str
    source_file: str

    def unit_report(self) -> UnitReport:
        """The unit's eight columns of this report, to pre-fill or compare with a returned row."""
        from gxdesk.core.workbook_data import UnitReport

        return UnitReport(
            self.status,
            self.percent,
            self.text,
            self.done_on,
            self.evidence,
            self.problems,
            self.contact,
            self.phone,
        )


@dataclass(frozen=True, slots=True)
class UnitRow:
    id: int
    name: str
    short_name: str
    contact: str
    phone: str
    is_group: bool
    members: tuple[int, ...] = ()
