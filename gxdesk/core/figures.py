"""The rules behind the monthly report's figures, in one place.

按期完成率: of the tasks already due (due date before the day of the report), the
share finished on or before their due date. 序时进度 lag: how many points a
reported percent falls short of the time-proportional expected percent
(:func:`gxdesk.core.schedule.expected_percent`); more than 10 points is 滞后,
more than 30 is 严重滞后.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

LAG_BEHIND = 10  # points below 序时进度: 滞后
LAG_FAR_BEHIND = 30  # 严重滞后


def is_due(due: dt.date | None, on: dt.date) -> bool:
    """A task counts towards the on-time rate once its due date has passed."""
    return due is not None and due < on


def finished_on_time(due: dt.date | None, finished: dt.date | None) -> bool:
    return due is not None and finished is not None and finished <= due


def on_time_rate(items: Iterable[tuple[dt.date | None, dt.date | None]], on: dt.date) -> tuple[int, int]:
    """(finished on time, due) over ``(due, finished)`` pairs; finished is None if not done."""
    due_count = done = 0
    for due, finished in items:
        if is_due(due, on):
            due_count += 1
            done += finished_on_time(due, finished)
    return done, due_count


def percent(part: int, whole: int) -> float | None:
    """A share in percent, None where there is nothing to divide (shown as “—”)."""
    return None if whole == 0 else 100.0 * part / whole


def lag_level(expected: int | None, reported: int | None) -> int:
    """0 on schedule, 1 滞后 (> 10 points), 2 严重滞后 (> 30 points)."""
    if expected is None or reported is None:
        return 0
    lag = expected - reported
    return 2 if lag > LAG_FAR_BEHIND else 1 if lag > LAG_BEHIND else 0
