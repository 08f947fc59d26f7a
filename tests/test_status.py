"""The status and light rules shared by every face of the program."""

from __future__ import annotations

import datetime as dt

from gxdesk.core.model import Light, Status
from gxdesk.core.status import derive_status, light_for
from gxdesk.core.workdays import WorkdayCalendar

CAL = WorkdayCalendar()
ON = dt.date(2014, 9, 26)


def light(status: Status, due: dt.date | None, yellow: int = 5) -> Light:
    return light_for(status, due, ON, CAL.workdays_between, yellow)


def test_overdue_and_not_done_is_red() -> None:
    assert light(Status.IN_PROGRESS, dt.date(2014, 9, 25)) is Light.RED
    assert light(Status.DONE, dt.date(2014, 9, 25)) is Light.GREEN


def test_yellow_counts_working_days_across_the_national_holiday() -> None:
    # 9-28 (调休 Sunday), 9-29, 9-30, then 10-01..07 off, 10-08 is the 4th working day.
    assert light(Status.NOT_STARTED, dt.date(2014, 10, 8)) is Light.YELLOW
    assert light(Status.NOT_STARTED, dt.date(2014, 10, 9)) is Light.YELLOW  # 5th
    assert light(Status.NOT_STARTED, dt.date(2014, 10, 10)) is Light.GREEN  # 6th
    assert light(Status.NOT_STARTED, dt.date(2014, 10, 10), yellow=6) is Light.YELLOW


def test_due_today_is_yellow_and_no_due_is_green() -> None:
    assert light(Status.NOT_STARTED, ON) is Light.YELLOW
    assert light(Status.NOT_STARTED, None) is Light.GREEN


def test_derive_status() -> None:
    assert derive_status([], 2) is Status.NOT_STARTED
    assert derive_status([Status.DONE], 2) is Status.IN_PROGRESS  # one unit still owes a report
    assert derive_status([Status.DONE, Status.DONE], 2) is Status.DONE
    assert derive_status([Status.DONE, Status.ONGOING], 2) is Status.ONGOING
    assert derive_status([Status.SUSPENDED], 1) is Status.SUSPENDED
    assert derive_status([Status.NOT_STARTED, Status.NOT_STARTED], 2) is Status.NOT_STARTED
    assert derive_status([Status.NOT_STARTED, Status.IN_PROGRESS], 2) is Status.IN_PROGRESS
