"""What each day is on the working-day calendar, as the chart shades it (no Qt).

Only the days that differ from an ordinary working day are kept: weekends,
public holidays, 调休 working weekends, and days of a year the calendar does
not know (shown as unknown, never as a normal year). Each year is classified
once, on first use, from the calendar the window already loaded (clerk-entered
years included), so painting looks days up in a dict.
"""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Protocol


class DayKind(Enum):
    WORKDAY = "workday"
    WEEKEND = "weekend"  # Saturday or Sunday off
    HOLIDAY = "holiday"  # a weekday off: a public holiday
    MAKEUP = "makeup"  # 调休: a Saturday or Sunday that is a working day
    UNKNOWN = "unknown"  # the calendar does not know the year


DAY_KIND_LABELS = {
    DayKind.WORKDAY: "工作日",
    DayKind.WEEKEND: "周末",
    DayKind.HOLIDAY: "法定节假日",
    DayKind.MAKEUP: "调休上班",
    DayKind.UNKNOWN: "日历未知",
}


class WorkdayLookup(Protocol):
    def knows(self, year: int) -> bool: ...
    def is_workday(self, d: dt.date) -> bool: ...


class DayKinds:
    """Per-day kinds from a working-day calendar, cached a year at a time."""

    def __init__(self, calendar: WorkdayLookup) -> None:
        self._calendar = calendar
        self._years: dict[int, dict[int, DayKind] | None] = {}

    def knows(self, year: int) -> bool:
        return self._calendar.knows(year)

    def kind(self, day: dt.date) -> DayKind:
        special = self._year(day.year)
        if special is None:
            return DayKind.UNKNOWN
        return special.get(day.toordinal(), DayKind.WORKDAY)

    def special_days(self, first: dt.date, last: dt.date) -> list[tuple[dt.date, DayKind]]:
        """The days ``first`` … ``last`` that are not ordinary working days, in order."""
        out: list[tuple[dt.date, DayKind]] = []
        lo, hi = first.toordinal(), last.toordinal()
        for year in range(first.year, last.year + 1):
            special = self._year(year)
            if special is None:
                start = max(lo, dt.date(year, 1, 1).toordinal())
                end = min(hi, dt.date(year, 12, 31).toordinal())
                out.extend((dt.date.fromordinal(o), DayKind.UNKNOWN) for o in range(start, end + 1))
                continue
            out.extend(
                (dt.date.fromordinal(o), kind) for o, kind in special.items() if lo <= o <= hi
            )
        return out

    def _year(self, year: int) -> dict[int, DayKind] | None:
        if year in self._years:
            return self._years[year]
        found = self._classify(year) if self._calendar.knows(year) else None
        self._years[year] = found
        return found

    def _classify(self, year: int) -> dict[int, DayKind]:
        """Weekends, holidays and 调休 of ``year``.

        A run of days off that holds a weekday is a holiday as a whole (国庆
        1–7 October, weekend included); a run of only Saturday and Sunday is a
        weekend.
        """
        found: dict[int, DayKind] = {}
        run: list[int] = []
        run_has_weekday = False

        def close_run() -> None:
            kind = DayKind.HOLIDAY if run_has_weekday else DayKind.WEEKEND
            for o in run:
                found[o] = kind
            run.clear()

        day = dt.date(year, 1, 1)
        one = dt.timedelta(days=1)
        while day.year == year:
            weekend = day.weekday() >= 5
            if self._calendar.is_workday(day):
                if run:
                    close_run()
                    run_has_weekday = False
                if weekend:
                    found[day.toordinal()] = DayKind.MAKEUP
            else:
                run.append(day.toordinal())
                run_has_weekday = run_has_weekday or not weekend
            day += one
        if run:
            close_run()
        return dict(sorted(found.items()))
