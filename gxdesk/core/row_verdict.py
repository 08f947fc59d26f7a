"""What a returned row comes to: the one verdict the merge and the unit's own copy share.

The lead office's merge (``gxdesk.store.merge.planner``) decides every row of a
returned workbook; a unit filling its copy in the window
(``gxdesk.exchange.unit_copy.row_problems``) is warned, cell by cell, of what
that merge would refuse. Both ask :func:`row_verdict`, so the window can never
promise a row the merge then rejects. The checks run in the order a clerk would
ask them: were the grey columns touched, can the values be read, did anything
change since the export, is it what the database already holds, and — when it
is new — does it say which 进展状态.

Which task a row is, whether it is still the unit's and whether the lead office
changed the task since the export (a conflict) need the database: they stay in
the planner.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from enum import StrEnum
from typing import NamedTuple

from gxdesk.core.model import Status
from gxdesk.core.workbook_data import UnitReport


class Outcome(StrEnum):
    """What the merge does with a row of a returned file."""

    APPLIED = "applied"  # new progress
    UNCHANGED = "unchanged"
    CONFLICT = "conflict"  # the lead office changed the assignment after the export
    REJECTED = "rejected"  # not this unit's task, or the lead office's columns edited
    INVALID = "invalid"  # a value that cannot be read
    UNMATCHED = "unmatched"  # no hidden data: needs the clerk's confirmation
    WARNING = "warning"  # new progress that looks wrong: written once the clerk accepts it

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
    Outcome.WARNING: "待核实",
}


class Why(StrEnum):
    """Which rule settled a row (each caller words it for its own reader)."""

    LEAD_EDITED = "lead_edited"  # the grey columns differ from their hash
    UNREADABLE = "unreadable"  # a status, percent or date the readers cannot read
    UNTOUCHED = "untouched"  # the unit's columns still hash to what went out
    SAME_AS_LATEST = "same_as_latest"  # changed, but to what the database already holds
    NO_STATUS = "no_status"  # new progress without a 进展状态
    NEW = "new"  # new progress: applied, unless the database finds a conflict
    ASK_DATABASE = "ask_database"  # changed: whether it is new needs the latest report


class Verdict(NamedTuple):
    """A row's outcome, the rule that gave it, and every problem found.

    ``outcome`` is None while the database still has a say (:attr:`Why.NEW`:
    applied unless a conflict; :attr:`Why.ASK_DATABASE`: compare with the latest
    report first). ``problems`` lists, in the order they decide, each
    ``(rule, field, reason)``: the field of the cell (``""`` for the grey columns)
    and the reader's reason for an unreadable one.
    """

    outcome: Outcome | None
    why: Why
    problems: tuple[tuple[Why, str, str], ...] = ()
    warnings: tuple[str, ...] = ()  # see implausible(): for the clerk to accept, not refusals


def row_verdict(
    *,
    lead_untouched: bool,
    unreadable: Sequence[tuple[str, str]],
    untouched: bool,
    has_status: bool,
    same_as_latest: bool | None,
    report: UnitReport | None = None,
    on: dt.date | None = None,
) -> Verdict:
    """Decide one returned row.

    ``unreadable`` holds (field, reason) of each cell the readers cannot read;
    ``untouched`` whether the unit's columns still hash to what went out (only
    meaningful for a readable row); ``same_as_latest`` whether the values equal
    the latest report the database holds (None: not asked yet — the merge asks
    only for the rows that changed; a unit's copy, without a database, passes
    whether the row is blank, which is what an unreported task holds).
    ``report`` (the values read) and ``on`` (the day it is judged on) give the
    :func:`implausible` warnings of a readable row.
    """
    warnings = implausible(report, on) if report is not None and on is not None else ()
    if lead_untouched and not unreadable and not warnings:
        # nearly every row: settled without building anything
        if untouched:
            return _UNTOUCHED
        if same_as_latest is None:
            return _ASK_DATABASE
        if same_as_latest:
            return _SAME_AS_LATEST
        return _NEW if has_status else _NO_STATUS
    problems: list[tuple[Why, str, str]] = []
    if not lead_untouched:
        problems.append((Why.LEAD_EDITED, "", ""))
    problems.extend((Why.UNREADABLE, field, reason) for field, reason in unreadable)
    changed = not unreadable and not untouched
    if changed and same_as_latest is False and not has_status:
        problems.append((Why.NO_STATUS, "status", ""))
    found = tuple(problems)
    if found and found[0][0] is not Why.NO_STATUS:
        first = found[0][0]
        return Verdict(
            Outcome.REJECTED if first is Why.LEAD_EDITED else Outcome.INVALID, first, found
        )
    if not changed:
        return Verdict(Outcome.UNCHANGED, Why.UNTOUCHED, found, warnings)
    if same_as_latest is None:
        return Verdict(None, Why.ASK_DATABASE, found, warnings)
    if same_as_latest:
        return Verdict(Outcome.UNCHANGED, Why.SAME_AS_LATEST, found, warnings)
    if not has_status:
        return Verdict(Outcome.INVALID, Why.NO_STATUS, found, warnings)
    return Verdict(None, Why.NEW, found, warnings)


def implausible(report: UnitReport, on: dt.date) -> tuple[str, ...]:
    """What a readable report says that can be so but seldom is, in Chinese.

    已完成 below 100%, a 完成时间 after ``on`` (not yet come), a 完成时间 for a
    task 未启动: usually a slip in the spreadsheet, sometimes true. The merge
    holds such a row until the clerk accepts it (:attr:`Outcome.WARNING`); the
    unit's own window shows the same words while it is filled in.
    """
    found = []
    status, percent, done_on = report.status, report.percent, report.done_on
    if status is Status.DONE and type(percent) is int and percent < 100:
        found.append(f"进展状态为已完成，完成进度却只有 {percent}%")
    if isinstance(done_on, dt.date) and done_on > on:
        found.append(f"完成时间 {done_on:%Y-%m-%d} 晚于 {on:%Y-%m-%d}，尚未到来")
    if status is Status.NOT_STARTED and isinstance(done_on, dt.date):
        found.append("进展状态为未启动，却填写了完成时间")
    return tuple(found)


def corrects(saved_at: dt.datetime | None, earlier_saved_at: dt.datetime | None) -> bool:
    """Whether a second return of the same export that disagrees with an earlier one on
    a row corrects it: only when the unit saved it later (both times known, by the
    workbooks' own clocks). Otherwise the row is a conflict for the clerk to decide:
    a stale copy sent again must not overwrite what the unit reported since."""
    return saved_at is not None and earlier_saved_at is not None and saved_at > earlier_saved_at


# the verdicts of rows without a problem in the file, built once (a merge asks for
# one per row, twice for a changed row)
_UNTOUCHED = Verdict(Outcome.UNCHANGED, Why.UNTOUCHED)
_ASK_DATABASE = Verdict(None, Why.ASK_DATABASE)
_SAME_AS_LATEST = Verdict(Outcome.UNCHANGED, Why.SAME_AS_LATEST)
_NO_STATUS = Verdict(Outcome.INVALID, Why.NO_STATUS, ((Why.NO_STATUS, "status", ""),))
_NEW = Verdict(None, Why.NEW)
