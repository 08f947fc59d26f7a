"""序时进度 and working days overdue, on the real 2014 calendar (调休 included)."""

from __future__ import annotations

from datetime import date

from gxdesk.core.schedule import expected_percent, plan_start, workdays_overdue
from gxdesk.core.workdays import PACKAGE_YEARS, WorkdayCalendar


def test_plan_start_is_issue_date_else_new_year() -> None:
    assert plan_start(2014, None) == date(2014, 1, 1)
    assert plan_start(2014, date(2014, 9, 26)) == date(2014, 9, 26)


def test_expected_percent_counts_working_days_not_calendar_days() -> None:
    cal = WorkdayCalendar()
    start, due = date(2014, 9, 26), date(2014, 10, 31)
    total = cal.workdays_between(start, due)
    # The National Day week adds no working days; the 调休 Saturday 10-11 adds one.
    assert expected_percent(start, due, date(2014, 10, 7), cal) == (
        cal.workdays_between(start, date(2014, 10, 7)) * 100 // total
    )
    assert expected_percent(start, due, date(2014, 10, 7), cal) == expected_percent(
        start, due, date(2014, 9, 30), cal
    )
    assert expected_percent(start, due, date(2014, 10, 11), cal) > expected_percent(
        start, due, date(2014, 10, 10), cal
    )


def test_expected_percent_bounds() -> None:
    cal = WorkdayCalendar()
    start, due = date(2014, 1, 1), date(2014, 12, 31)
    assert expected_percent(start, due, date(2013, 12, 1), cal) == 0
    assert expected_percent(start, due, start, cal) == 0
    assert expected_percent(start, due, due, cal) == 100
    assert expected_percent(start, due, date(2015, 3, 1), cal) == 100
    mid = expected_percent(start, due, date(2014, 7, 1), cal)
    assert mid is not None and 45 <= mid <= 52


def test_unknown_year_gives_none_not_a_guess() -> None:
    cal = WorkdayCalendar()
    far = PACKAGE_YEARS.stop + 1
    assert expected_percent(date(far, 1, 1), date(far, 12, 31), date(far, 6, 1), cal) is None
    assert workdays_overdue(date(far, 1, 5), date(far, 2, 1), cal) is None


def test_workdays_overdue() -> None:
    cal = WorkdayCalendar()
    assert workdays_overdue(date(2014, 9, 30), date(2014, 9, 30), cal) == 0
    assert workdays_overdue(date(2014, 9, 30), date(2014, 9, 1), cal) == 0
    # 10-01..07 are off, 10-08 is the first working day after 9-30.
    assert workdays_overdue(date(2014, 9, 30), date(2014, 10, 7), cal) == 0
    assert workdays_overdue(date(2014, 9, 30), date(2014, 10, 8), cal) == 1
    assert workdays_overdue(date(2014, 9, 30), date(2014, 10, 11), cal) == 4
