"""Where a task stands against time: its start, its 序时进度, how late it is.

The monthly report (behind-schedule list, working days overdue) and the Gantt
view (the expected-progress tick, bars from start to due) ask the same
questions; they are answered here, once, on China's working-day calendar.
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol


class WorkdayCounter(Protocol):
    def workdays_between(self, a: dt.date, b: dt.date) -> int: ...


def plan_start(year: int, issued_on: dt.date | None) -> dt.date:
    """A task runs from the plan's issue date, or from 1 January when none is set.

    An issue date in an earlier year (a plan issued in December for the next
    year) still starts the work on that date.
    """
    return issued_on if issued_on is not None else dt.date(year, 1, 1)


def expected_percent(
    start: dt.date, due: dt.date, on: dt.date, calendar: WorkdayCounter
) -> int | None:
    """序时进度: the share of working days elapsed between ``start`` and ``due`` on ``on``.

    0 on or before the start, 100 on or after the due date, the working-day share
    (rounded down) in between. ``None`` where the calendar does not know a year in
    between, so a guess is never shown as a figure.
    """
    if on <= start:
        return 0
    if on >= due or due <= start:
        return 100
    try:
        total = calendar.workdays_between(start, due)
        elapsed = calendar.workdays_between(start, on)
    except ValueError:  # CalendarUnknownError is a ValueError
        return None
    if total <= 0:
        return 100
    return min(100, elapsed * 100 // total)


def workdays_overdue(due: dt.date, on: dt.date, calendar: WorkdayCounter) -> int | None:
    """Working days after ``due`` up to and including ``on``; 0 when not yet due.

    ``None`` where the calendar does not know a year in between.
    """
    if on <= due:
        return 0
    try:
        return calendar.workdays_between(due, on)
    except ValueError:
        return None
