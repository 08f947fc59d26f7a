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

from collections.abc import Sequence
from enum import StrEnum
from typing import NamedTuple


class Outcome(StrEnum):
    """What the merge does with a row of a returned file."""

    APPLIED = "applied"  # new progress
    UNCHANGED = "unchanged"
    CONFLICT = "conflict"  # the lead office changed the assignment after the export
    REJECTED = "rejected"  # not this unit's task, or the lead office's columns edited
    INVALID = "invalid"  # a value that cannot be read
    UNMATCHED = "unmatched"  # no hidden data: needs the clerk's confirmation

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


def row_verdict(
    *,
    lead_untouched: bool,
    unreadable: Sequence[tuple[str, str]],
    untouched: bool,
    has_status: bool,
    same_as_latest: bool | None,
) -> Verdict:
    """Decide one returned row.

    ``unreadable`` holds (field, reason) of each cell the readers cannot read;
    ``untouched`` whether the unit's columns still hash to what went out (only
    meaningful for a readable row); ``same_as_latest`` whether the values equal
    the latest report the database holds (None: not asked yet — the merge asks
    only for the rows that changed; a unit's copy, without a database, passes
    whether the row is blank, which is what an unreported task holds).
    """
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
        return Verdict(Outcome.UNCHANGED, Why.UNTOUCHED, found)
    if same_as_latest is None:
        return Verdict(None, Why.ASK_DATABASE, found)
    if same_as_latest:
        return Verdict(Outcome.UNCHANGED, Why.SAME_AS_LATEST, found)
    if not has_status:
        return Verdict(Outcome.INVALID, Why.NO_STATUS, found)
    return Verdict(None, Why.NEW, found)
