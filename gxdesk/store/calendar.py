"""The clerk's part of the working-day calendar: years the package does not know.

The State Council publishes each year's 放假调休安排 in December; a clerk enters
the holidays and the adjusted working weekends of that year here, and the year
then counts as known (weekdays work, weekends rest, unless a day says otherwise).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from gxdesk.core.workdays import DayOverride
from gxdesk.store.schema import CalendarDay, CalendarYear


def enter_year(session: Session, year: int, days: Iterable[DayOverride], note: str = "") -> int:
    """Record ``year``'s schedule (replacing what was entered for it); returns the day count."""
    days = list(days)
    for day in days:
        if day.day.year != year:
            raise ValueError(f"{day.day.isoformat()} 不在 {year} 年内")
    seen: dict[dt.date, bool] = {}
    for day in days:
        if seen.setdefault(day.day, day.is_workday) != day.is_workday:
            raise ValueError(f"{day.day.isoformat()} 同时被录入为工作日和休息日")
    session.execute(
        delete(CalendarDay).where(
            CalendarDay.day >= dt.date(year, 1, 1), CalendarDay.day <= dt.date(year, 12, 31)
        )
    )
    if days:
        session.execute(
            insert(CalendarDay),
            [{"day": d.day, "is_workday": d.is_workday, "note": d.note} for d in days],
        )
    if session.get(CalendarYear, year) is None:
        session.add(CalendarYear(year=year, note=note))
    else:
        session.get(CalendarYear, year).note = note  # type: ignore[union-attr]
    return len(days)


def entered_years(session: Session) -> list[int]:
    return list(session.scalars(select(CalendarYear.year).order_by(CalendarYear.year)))


def expand(first: dt.date, last: dt.date | None = None) -> list[dt.date]:
    """The days from ``first`` to ``last`` inclusive (a holiday is usually a span)."""
    last = last or first
    if last < first:
        raise ValueError(f"日期范围颠倒：{first.isoformat()}..{last.isoformat()}")
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
