"""The rules that turn reports and dates into a task's status and light.

One place for them, so the table, ``tasks --light``, the workbooks and the
monthly report can never disagree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from gxdesk.core.model import Light, Status

DEFAULT_YELLOW_WORKDAYS = 5


def derive_status(latest: Iterable[Status], expected_reporters: int) -> Status:
    """A task's status from the latest report of each unit that must report.

    Done only when every expected unit says done; long-term when all say done or
    long-term; suspended when every report says suspended; not started when no
    unit has reported anything but 未启动; otherwise in progress.
    """
    states = list(latest)
    if not states:
        return Status.NOT_STARTED
    complete = len(states) >= max(expected_reporters, 1)
    kinds = set(states)
    if complete and kinds == {Status.DONE}:
        return Status.DONE
    if complete and kinds <= {Status.DONE, Status.ONGOING}:
        return Status.ONGOING
    if kinds == {Status.SUSPENDED}:
        return Status.SUSPENDED
    if kinds == {Status.NOT_STARTED}:
        return Status.NOT_STARTED
    return Status.IN_PROGRESS


def light_for(
    status: Status,
    due: dt.date | None,
    on: dt.date,
    workdays_until: Callable[[dt.date, dt.date], int],
    yellow_workdays: int = DEFAULT_YELLOW_WORKDAYS,
) -> Light:
    """红灯 overdue and not done; 黄灯 due within ``yellow_workdays`` working days; else 绿灯.

    ``workdays_until(on, due)`` counts working days d with on < d <= due; it is
    only called for dates close enough to matter.
    """
    if due is None or status == Status.DONE:
        return Light.GREEN
    if due < on:
        return Light.RED
    # A window of N working days never spans more than ~3N+20 calendar days.
    if (due - on).days > 3 * yellow_workdays + 20:
        return Light.GREEN
    try:
        left = workdays_until(on, due)
    except ValueError:  # a year the calendar does not know: fall back to calendar days
        left = (due - on).days
    return Light.YELLOW if left <= yellow_workdays else Light.GREEN
