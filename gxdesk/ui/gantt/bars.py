"""What the chart draws for one task, by deadline kind and state (no Qt).

Dates only: the view and the exports turn them into pixels through the same
:class:`~gxdesk.ui.gantt.timescale.TimeScale`. The light is the row's own (the
table's rule in :mod:`gxdesk.core.status`), and 序时进度 comes from
:mod:`gxdesk.core.schedule`; nothing here decides either again.

- fixed, and relative once the plan's issue date is known: a bar from the
  plan's start to the due date, ending in a marker;
- relative without an issue date (or in a year the calendar lacks): a dashed
  bar over the plan year with a note;
- continuous and recurring: a band across the year, recurring ones with a
  tick at each period's end; per-event: a band, the rule in the tooltip;
- none: an empty row marked 待确认.
"""

from __future__ import annotations

import calendar as _cal
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING

from gxdesk.core.model import DeadlineKind, Period, Status
from gxdesk.core.schedule import WorkdayCounter, expected_percent, plan_start

if TYPE_CHECKING:
    from gxdesk.core.views import TaskRow

UNCONFIRMED = "待确认"
NO_ISSUE_DATE = "印发日期未定"


class BarStyle(Enum):
    BAR = "bar"  # start → due, with an end marker
    DASHED = "dashed"  # a due date that cannot be computed yet
    BAND = "band"  # runs all year (continuous, recurring, per event)
    EMPTY = "empty"  # no deadline: 待确认


@dataclass(frozen=True, slots=True)
class Bar:
    style: BarStyle
    start: dt.date | None  # first day covered
    end: dt.date | None  # last day covered (the due date for a BAR)
    percent: int  # reported progress, 0–100 (100 when done)
    expected: int | None = None  # 序时进度 as of the status date, where it means something
    done: bool = False
    done_on: dt.date | None = None  # completion date, when the report gave one
    late_done: bool = False  # completed after the due date
    ticks: tuple[dt.date, ...] = ()  # period ends of a recurring deadline
    note: str = ""  # short text drawn beside a dashed bar or an empty row


@dataclass(frozen=True, slots=True)
class PlanDates:
    """What every bar of one plan shares."""

    year: int
    issued_on: dt.date | None
    on: dt.date  # the status date

    @property
    def start(self) -> dt.date:
        return plan_start(self.year, self.issued_on)

    @property
    def year_first(self) -> dt.date:
        return dt.date(self.year, 1, 1)

    @property
    def year_last(self) -> dt.date:
        return dt.date(self.year, 12, 31)


def period_ends(period: Period | None, year: int) -> tuple[dt.date, ...]:
    """Each period's last day in ``year``: month ends, quarter ends, or 31 December."""
    if period is Period.MONTH:
        months = range(1, 13)
    elif period is Period.QUARTER:
        months = range(3, 13, 3)
    else:
        months = range(12, 13)
    return tuple(dt.date(year, m, _cal.monthrange(year, m)[1]) for m in months)


def bar_for(row: TaskRow, plan: PlanDates, calendar: WorkdayCounter) -> Bar:
    """The bar of ``row`` in a plan, as of ``plan.on``."""
    done = row.status is Status.DONE
    percent = 100 if done else min(max(row.latest_percent or 0, 0), 100)
    done_on = row.latest_done_on if done else None
    kind = row.deadline_kind
    if kind in (DeadlineKind.FIXED, DeadlineKind.RELATIVE) and row.due is not None:
        start = plan.start
        if row.due < start:  # due before the plan was issued: the work ran from 1 January
            start = min(plan.year_first, row.due)
        expected = None if done else expected_percent(start, row.due, plan.on, calendar)
        return Bar(
            BarStyle.BAR,
            start,
            row.due,
            percent,
            expected,
            done,
            done_on,
            done_on is not None and done_on > row.due,
        )
    if kind in (DeadlineKind.FIXED, DeadlineKind.RELATIVE):
        if row.missing_year is not None:
            note = f"{row.missing_year}年日历未知"
        else:
            note = NO_ISSUE_DATE if kind is DeadlineKind.RELATIVE else UNCONFIRMED
        return Bar(
            BarStyle.DASHED, plan.year_first, plan.year_last, percent, None, done, done_on,
            note=f"{note}：{row.deadline_text}" if row.deadline_text else note,
        )  # fmt: skip
    if kind in (DeadlineKind.CONTINUOUS, DeadlineKind.RECURRING, DeadlineKind.PER_EVENT):
        ticks = period_ends(row.period, plan.year) if kind is DeadlineKind.RECURRING else ()
        return Bar(
            BarStyle.BAND, plan.year_first, plan.year_last, percent, None, done, done_on,
            ticks=ticks,
        )  # fmt: skip
    note = f"{UNCONFIRMED}：{row.deadline_text}" if row.deadline_text else UNCONFIRMED
    return Bar(BarStyle.EMPTY, None, None, percent, None, done, done_on, note=note)


def rule_text(row: TaskRow) -> str:
    """The deadline's rule in words, for the tooltip."""
    kind = row.deadline_kind
    if kind is DeadlineKind.PER_EVENT:
        n = f"{row.workdays}个工作日" if row.workdays is not None else "规定期限"
        return f"按事件：每次事件发生后{n}内完成"
    if kind is DeadlineKind.RELATIVE:
        n = f"{row.workdays}个工作日" if row.workdays is not None else "规定期限"
        return f"计划印发后{n}内完成"
    if kind is DeadlineKind.RECURRING:
        names = {Period.MONTH: "每月", Period.QUARTER: "每季度", Period.YEAR: "每年"}
        return f"定期：{names.get(row.period, '定期')}末完成当期工作" if row.period else "定期"
    if kind is DeadlineKind.CONTINUOUS:
        return "持续推进：全年进行"
    if kind is DeadlineKind.NONE:
        return "无完成时限，待确认"
    return "固定期限"


def row_dates(rows: Iterable[TaskRow]) -> set[dt.date]:
    """The due and completion dates of ``rows``: what :func:`chart_span` must cover."""
    days = {r.due for r in rows} | {r.latest_done_on for r in rows}
    days.discard(None)
    return days  # type: ignore[return-value]


def chart_span(days: Iterable[dt.date | None], plan: PlanDates) -> tuple[dt.date, dt.date]:
    """The days the chart covers: the plan year and beyond, where deadlines fall.

    ``days`` are the deadlines (and completion dates, where known) to cover; the
    window passes its model's distinct due dates, so that opening the chart on
    20,000 rows does not read them all again. A month of margin after the last
    one leaves room for a late completion's mark.
    """
    first, last = min(plan.year_first, plan.start, plan.on), max(plan.year_last, plan.on)
    for day in days:
        if day is not None:
            if day < first:
                first = day
            elif day > last:
                last = day
    return first - dt.timedelta(days=7), last + dt.timedelta(days=31)
