"""China's working-day calendar: real 2014 facts, clerk-entered years, edge cases."""

from __future__ import annotations

import threading
from datetime import date, timedelta

import chinese_calendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gxdesk.core.workdays import (
    PACKAGE_YEARS,
    CalendarUnknownError,
    DayOverride,
    WorkdayCalendar,
)

CAL = WorkdayCalendar()
FIRST = PACKAGE_YEARS.start
LAST = PACKAGE_YEARS.stop - 1
UNKNOWN = LAST + 1


def d(s: str) -> date:
    return date.fromisoformat(s)


# --- the real calendar ---------------------------------------------------


@pytest.mark.parametrize("day", ["2014-09-28", "2014-10-11", "2014-01-26", "2014-02-08"])
def test_adjusted_weekends_are_working_days(day: str) -> None:
    assert d(day).weekday() >= 5
    assert CAL.is_workday(d(day))


@pytest.mark.parametrize("day", [f"2014-10-0{i}" for i in range(1, 8)])
def test_national_day_week_is_off(day: str) -> None:
    assert not CAL.is_workday(d(day))


def test_spring_festival_2014_is_off() -> None:
    days = [d("2014-01-31") + timedelta(i) for i in range(7)]
    assert [CAL.is_workday(x) for x in days] == [False] * 7
    assert CAL.is_workday(d("2014-02-07"))  # the Friday after


def test_ordinary_days() -> None:
    assert CAL.is_workday(d("2014-09-26"))  # Friday
    assert not CAL.is_workday(d("2014-09-27"))  # Saturday, not adjusted


def test_twenty_working_days_across_national_day() -> None:
    assert CAL.add_workdays(d("2014-09-26"), 20) == d("2014-10-29")


def test_start_day_not_counted_and_adjusted_sunday_counts() -> None:
    assert CAL.add_workdays(d("2014-09-26"), 1) == d("2014-09-28")
    assert CAL.next_workday(d("2014-09-26")) == d("2014-09-28")


def test_start_on_holiday() -> None:
    # From inside the national-day week the first working day is Wed 10-08.
    assert CAL.add_workdays(d("2014-10-03"), 1) == d("2014-10-08")
    assert CAL.add_workdays(d("2014-10-03"), 4) == d("2014-10-11")  # adjusted Saturday


def test_start_on_weekend() -> None:
    assert CAL.add_workdays(d("2014-09-20"), 1) == d("2014-09-22")
    assert CAL.add_workdays(d("2014-09-21"), 5) == d("2014-09-26")


def test_zero_returns_start_even_on_a_holiday() -> None:
    assert CAL.add_workdays(d("2014-10-01"), 0) == d("2014-10-01")


def test_negative_count_rejected() -> None:
    with pytest.raises(ValueError):
        CAL.add_workdays(d("2014-09-26"), -1)


def test_workdays_between_counts_half_open_interval() -> None:
    assert CAL.workdays_between(d("2014-09-26"), d("2014-09-28")) == 1
    assert CAL.workdays_between(d("2014-09-26"), d("2014-10-29")) == 20
    assert CAL.workdays_between(d("2014-10-29"), d("2014-09-26")) == -20
    assert CAL.workdays_between(d("2014-10-01"), d("2014-10-01")) == 0
    assert CAL.workdays_between(d("2014-10-01"), d("2014-10-07")) == 0


def test_year_boundary_within_package() -> None:
    # 2014-12-31 Wed; 2015-01-01..03 off, 2015-01-04 Sunday worked.
    assert CAL.add_workdays(d("2014-12-31"), 1) == d("2015-01-04")
    assert CAL.workdays_between(d("2014-12-30"), d("2015-01-05")) == 3


# --- what the package knows ------------------------------------------------


def test_known_years_match_the_package() -> None:
    chinese_calendar.is_workday(date(FIRST, 1, 1))
    chinese_calendar.is_workday(date(LAST, 12, 31))
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(date(UNKNOWN, 1, 1))
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(date(FIRST - 1, 12, 31))
    assert 2014 in PACKAGE_YEARS
    assert CAL.knows(2014) and CAL.knows(LAST)
    assert not CAL.knows(UNKNOWN) and not CAL.knows(FIRST - 1)
    assert CAL.known_years() == set(PACKAGE_YEARS)


def test_agrees_with_package_for_every_known_day() -> None:
    day, end = date(FIRST, 1, 1), date(LAST, 12, 31)
    while day <= end:
        assert CAL.is_workday(day) == chinese_calendar.is_workday(day), day
        day += timedelta(1)


# --- unknown years -----------------------------------------------------------


def test_unknown_year_is_an_error_naming_the_year() -> None:
    with pytest.raises(CalendarUnknownError, match=f"{UNKNOWN}年") as info:
        CAL.is_workday(date(UNKNOWN, 3, 2))
    assert info.value.year == UNKNOWN
    assert "工作日历" in str(info.value)
    assert isinstance(info.value, ValueError)


def test_spanning_into_unknown_year_is_an_error() -> None:
    with pytest.raises(CalendarUnknownError, match=f"{UNKNOWN}年"):
        CAL.add_workdays(date(LAST, 12, 20), 20)
    with pytest.raises(CalendarUnknownError, match=f"{UNKNOWN}年"):
        CAL.workdays_between(date(LAST, 12, 20), date(UNKNOWN, 1, 10))


def test_last_day_of_last_known_year_then_unknown() -> None:
    with pytest.raises(CalendarUnknownError):
        CAL.next_workday(date(LAST, 12, 31))


def test_override_alone_does_not_make_a_year_known() -> None:
    cal = WorkdayCalendar([DayOverride(date(UNKNOWN, 1, 1), False, "元旦")])
    assert not cal.knows(UNKNOWN)
    with pytest.raises(CalendarUnknownError):
        cal.is_workday(date(UNKNOWN, 1, 1))


# --- clerk-entered years and corrections ------------------------------------


def _adjusted(y: int) -> date:
    """The first weekend day after New Year's Day 1–3: the clerk's 调休 day."""
    return next(date(y, 1, i) for i in range(4, 11) if date(y, 1, i).weekday() >= 5)


def _clerk_year(y: int) -> WorkdayCalendar:
    """A clerk-entered year: Jan 1–3 off, the first weekend day after worked."""
    overrides = [DayOverride(date(y, 1, i), False, "元旦") for i in (1, 2, 3)]
    overrides.append(DayOverride(_adjusted(y), True, "元旦调休"))
    return WorkdayCalendar(overrides, extra_years=[y])


def _clerk_rule(x: date) -> bool:
    """The clerk's year as written by hand, independent of the code under test."""
    if x.year != UNKNOWN:
        return chinese_calendar.is_workday(x)
    return (x.weekday() < 5 and not (x.month == 1 and x.day <= 3)) or x == _adjusted(UNKNOWN)


def test_extra_year_with_overrides() -> None:
    cal = _clerk_year(UNKNOWN)
    assert cal.knows(UNKNOWN) and UNKNOWN in cal.known_years()
    day = date(UNKNOWN, 1, 1)
    while day.year == UNKNOWN:
        assert cal.is_workday(day) == _clerk_rule(day), day
        day += timedelta(1)
    assert not cal.is_workday(date(UNKNOWN, 1, 2))
    assert cal.is_workday(_adjusted(UNKNOWN))


@pytest.mark.parametrize("n", [1, 2, 5, 15, 30])
def test_spanning_year_boundary_into_clerk_year(n: int) -> None:
    cal = _clerk_year(UNKNOWN)
    start = date(LAST, 12, 20)
    day, counted = start, 0
    while counted < n:
        day += timedelta(1)
        counted += _clerk_rule(day)
    assert cal.add_workdays(start, n) == day
    assert cal.workdays_between(start, day) == n
    # Jan 4 is a weekday or else the adjusted weekend day: a working day either way.
    assert cal.next_workday(date(LAST, 12, 31)) == date(UNKNOWN, 1, 4)


def test_new_years_day_counts_when_the_clerk_says_so() -> None:
    cal = WorkdayCalendar(extra_years=[UNKNOWN])  # no overrides: Monday–Friday only
    first_weekday = next(
        date(UNKNOWN, 1, i) for i in range(1, 8) if date(UNKNOWN, 1, i).weekday() < 5
    )
    assert cal.next_workday(date(LAST, 12, 31)) == first_weekday
    assert cal.workdays_between(date(LAST, 12, 31), first_weekday) == 1
    # Rolling over from inside December must count 1 January too.
    december = CAL.workdays_between(date(LAST, 12, 20), date(LAST, 12, 31))
    assert cal.add_workdays(date(LAST, 12, 20), december + 1) == first_weekday


def test_only_the_counted_days_need_a_known_year() -> None:
    # The eve of the first known year is itself unknown, but it is never counted.
    eve = date(FIRST - 1, 12, 31)
    first = CAL.next_workday(eve)
    assert first.year == FIRST and CAL.is_workday(first)
    assert CAL.workdays_between(eve, first) == 1
    assert CAL.add_workdays(eve, 0) == eve
    with pytest.raises(CalendarUnknownError, match=f"{FIRST - 1}年"):
        CAL.add_workdays(date(FIRST - 1, 12, 30), 1)


def test_overrides_beat_the_package() -> None:
    cal = WorkdayCalendar(
        [
            DayOverride(d("2014-10-08"), False, "更正"),
            DayOverride(d("2014-10-04"), True, "更正"),
        ]
    )
    assert not cal.is_workday(d("2014-10-08"))
    assert cal.is_workday(d("2014-10-04"))
    assert cal.add_workdays(d("2014-09-30"), 1) == d("2014-10-04")
    assert cal.add_workdays(d("2014-09-30"), 2) == d("2014-10-09")
    assert CAL.is_workday(d("2014-10-08"))  # the shared default calendar is untouched


def test_extra_year_already_in_package_keeps_package_schedule() -> None:
    cal = WorkdayCalendar(extra_years=[2014])
    assert not cal.is_workday(d("2014-10-01"))
    assert cal.is_workday(d("2014-09-28"))


def test_conflicting_overrides_rejected() -> None:
    with pytest.raises(ValueError):
        WorkdayCalendar([DayOverride(d("2014-10-08"), False), DayOverride(d("2014-10-08"), True)])
    same = WorkdayCalendar(
        [DayOverride(d("2014-10-08"), False, "a"), DayOverride(d("2014-10-08"), False, "b")]
    )
    assert not same.is_workday(d("2014-10-08"))


# --- properties --------------------------------------------------------------

_days = st.dates(min_value=date(FIRST, 1, 1), max_value=date(LAST - 1, 12, 31))


@settings(deadline=None)
@given(start=_days, n=st.integers(0, 60))
def test_workdays_between_inverts_add_workdays(start: date, n: int) -> None:
    end = CAL.add_workdays(start, n)
    assert CAL.workdays_between(start, end) == n
    assert CAL.workdays_between(end, start) == -n


@settings(deadline=None)
@given(start=_days, n=st.integers(1, 60))
def test_add_workdays_matches_day_by_day_count(start: date, n: int) -> None:
    day, counted = start, 0
    while counted < n:
        day += timedelta(1)
        counted += chinese_calendar.is_workday(day)
    assert CAL.add_workdays(start, n) == day


# --- many deadlines and threads -----------------------------------------------


def test_twenty_thousand_deadlines_from_cold_caches_are_right() -> None:
    """A plan's worth of 20-working-day deadlines on a fresh calendar (its speed is
    in benchmarks/bench_store.py, which resolves 20,000 tasks' deadlines)."""
    cal = WorkdayCalendar()
    span = date(LAST - 1, 12, 1).toordinal() - date(FIRST, 1, 1).toordinal()
    starts = [
        date.fromordinal(date(FIRST, 1, 1).toordinal() + i * 7919 % span) for i in range(20000)
    ]
    due = [cal.add_workdays(s, 20) for s in starts]
    for start, end in list(zip(starts, due, strict=True))[::97]:
        day, counted = start, 0
        while counted < 20:
            day += timedelta(1)
            counted += chinese_calendar.is_workday(day)
        assert end == day, start


def test_concurrent_first_use_gives_same_answers() -> None:
    cal = WorkdayCalendar()
    starts = [date(y, m, 15) for y in range(FIRST, LAST) for m in (1, 6, 10)]
    expected = [CAL.add_workdays(s, 20) for s in starts]
    results: list[list[date]] = []
    barrier = threading.Barrier(8)

    def work() -> None:
        barrier.wait()
        results.append([cal.add_workdays(s, 20) for s in starts])

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [expected] * 8


def test_every_package_year_agrees_with_chinese_calendar_day_by_day() -> None:
    """The calendar builds a year from the package's tables directly (its is_workday
    rescans every holiday per call); every day of every year it ships must agree."""
    cal = WorkdayCalendar()
    for year in PACKAGE_YEARS:
        day, disagree = date(year, 1, 1), []
        while day.year == year:
            if cal.is_workday(day) != chinese_calendar.is_workday(day):
                disagree.append(day)
            day += timedelta(days=1)
        assert disagree == [], (year, disagree[:5])
