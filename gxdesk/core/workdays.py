"""China's working-day calendar, for deadlines such as "文件下发20个工作日内".

Working days are China's: weekends off, public holidays off, adjusted working
weekends (调休) on. The ``chinese_calendar`` package ships the State Council's
schedule for a range of years; for later years the clerk enters the schedule
(``extra_years`` plus ``overrides``). A date in a year nobody knows raises
:class:`CalendarUnknownError` — guessing "weekends only" would silently move
deadlines across a Spring Festival.

Counting follows 期间开始之日不计算在内: the start day itself is never counted,
so "20 working days after D" is the 20th working day strictly after D.

Each year is turned once, lazily and under a lock, into a sorted tuple of
working-day ordinals; all queries are bisections on those tuples, so the object
is cheap to query from several threads at once.
"""

from __future__ import annotations

import threading
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import chinese_calendar


def _package_years() -> range:
    """Years ``chinese_calendar`` answers for, read from the package's own data.

    The package validates a date by ``min(holidays).year <= year <=
    max(holidays).year`` and raises ``NotImplementedError`` outside; using the
    same rule keeps us in step with whatever package version is installed.
    """
    years = [d.year for d in chinese_calendar.holidays]
    return range(min(years), max(years) + 1)


PACKAGE_YEARS: range = _package_years()


class CalendarUnknownError(ValueError):
    """A date falls in a year whose holiday schedule nobody has supplied."""

    def __init__(self, year: int) -> None:
        self.year = year
        super().__init__(
            f"{year}年的节假日安排未知：请在“工作日历”中录入国务院办公厅公布的该年放假调休安排"
            f"（内置日历仅含{PACKAGE_YEARS.start}–{PACKAGE_YEARS.stop - 1}年）"
        )


@dataclass(frozen=True)
class DayOverride:
    """One clerk-entered day: a holiday on a weekday, or a working weekend (调休)."""

    day: date
    is_workday: bool
    note: str = ""


class WorkdayCalendar:
    """China's working days: the package's schedule, the clerk's years, and corrections.

    For a year the package knows, its schedule is the base; for a year in
    ``extra_years`` the base is "Monday–Friday". In both, an override for a day
    wins (a clerk may correct the package). An override alone does not make its
    year known: a year's schedule is all or nothing, so that a half-entered year
    is reported rather than guessed.
    """

    def __init__(
        self, overrides: Iterable[DayOverride] = (), extra_years: Iterable[int] = ()
    ) -> None:
        self._overrides: dict[int, bool] = {}
        for o in overrides:
            key = o.day.toordinal()
            if self._overrides.get(key, o.is_workday) != o.is_workday:
                raise ValueError(f"{o.day.isoformat()} 的工作日设置前后矛盾")
            self._overrides[key] = o.is_workday
        self._extra_years = frozenset(extra_years)
        self._years: dict[int, tuple[int, ...]] = {}
        self._lock = threading.Lock()

    # --- what is known -------------------------------------------------

    def knows(self, year: int) -> bool:
        """True if the year's schedule comes from the package or the clerk."""
        return year in PACKAGE_YEARS or year in self._extra_years

    def known_years(self) -> set[int]:
        """All years that can be queried (package years plus clerk-entered years)."""
        return set(PACKAGE_YEARS) | self._extra_years

    # --- queries -------------------------------------------------------

    def is_workday(self, d: date) -> bool:
        """True if ``d`` is a working day; :class:`CalendarUnknownError` if unknown."""
        ords = self._year(d.year)
        o = d.toordinal()
        i = bisect_right(ords, o)
        return i > 0 and ords[i - 1] == o

    def add_workdays(self, start: date, n: int) -> date:
        """The ``n``-th working day after ``start``, ``start`` itself not counted.

        ``n == 0`` returns ``start`` unchanged (whatever day it is); ``n < 0``
        raises ``ValueError`` — deadlines only run forwards.
        """
        if n < 0:
            raise ValueError(f"工作日数不能为负数：{n}")
        if n == 0:
            return start
        after = start.toordinal()
        year = date.fromordinal(after + 1).year  # the first day that may count
        while True:
            ords = self._year(year)
            i = bisect_right(ords, after)  # first working day > after
            if i + n - 1 < len(ords):
                return date.fromordinal(ords[i + n - 1])
            n -= len(ords) - i
            year += 1
            after = date(year, 1, 1).toordinal() - 1

    def workdays_between(self, a: date, b: date) -> int:
        """Number of working days ``d`` with ``a < d <= b``; ``-workdays_between(b, a)`` if b < a.

        Half-open like :meth:`add_workdays`, so that
        ``workdays_between(a, add_workdays(a, n)) == n`` for every ``n >= 0``.
        Equal dates give 0 without consulting the calendar.
        """
        if b < a:
            return -self.workdays_between(b, a)
        if a == b:
            return 0
        lo, hi = a.toordinal(), b.toordinal()
        first_year = date.fromordinal(lo + 1).year  # days counted start at a + 1
        total = 0
        for year in range(first_year, b.year + 1):
            ords = self._year(year)
            total += bisect_right(ords, hi) - bisect_right(ords, lo)
        return total

    def next_workday(self, d: date) -> date:
        """The first working day strictly after ``d`` (same as ``add_workdays(d, 1)``)."""
        return self.add_workdays(d, 1)

    # --- per-year cache ------------------------------------------------

    def _year(self, year: int) -> tuple[int, ...]:
        """Sorted ordinals of the year's working days, built once per year."""
        ords = self._years.get(year)
        if ords is None:
            with self._lock:
                ords = self._years.get(year)
                if ords is None:
                    ords = self._years[year] = self._build_year(year)
        return ords

    def _build_year(self, year: int) -> tuple[int, ...]:
        if year in PACKAGE_YEARS:
            base = _package_workday
        elif year in self._extra_years:

            def base(d: date) -> bool:
                return d.weekday() < 5
        else:
            raise CalendarUnknownError(year)
        first, last = date(year, 1, 1).toordinal(), date(year, 12, 31).toordinal()
        days = []
        for o in range(first, last + 1):
            override = self._overrides.get(o)
            if base(date.fromordinal(o)) if override is None else override:
                days.append(o)
        return tuple(days)


def _package_workday(d: date) -> bool:
    """``chinese_calendar.is_workday`` without its check of the year's range, which
    scans every holiday of the package twice per call: building one year took ~20-50 ms
    that way (the window's task list and each command build at least one), ~0.1 ms here.
    Held equal to the package's own answer for all its years by tests/test_workdays.py."""
    return d in chinese_calendar.workdays or (
        d.weekday() < 5 and d not in chinese_calendar.holidays
    )


HOLIDAY_NAMES = {  # chinese_calendar's names, as the State Council's notice says them
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


def built_in_days(year: int) -> list[DayOverride]:
    """The package's holidays and 调休 working days of ``year``, named in Chinese."""
    days = [
        DayOverride(d, False, HOLIDAY_NAMES.get(name, name))
        for d, name in chinese_calendar.holidays.items()
        if d.year == year
    ]
    days += [
        DayOverride(d, True, HOLIDAY_NAMES.get(name, name) + "调休")
        for d, name in chinese_calendar.workdays.items()
        if d.year == year
    ]
    return sorted(days, key=lambda o: o.day)
