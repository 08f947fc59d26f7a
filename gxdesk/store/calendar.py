"""The clerk's part of the working-day calendar: years the package does not know.

The State Council publishes each year's 放假调休安排 in December; a clerk enters
the holidays and the adjusted working weekends of that year here, and the year
then counts as known (weekdays work, weekends rest, unless a day says otherwise).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from gxdesk.core.workdays import DayOverride
from gxdesk.store.changes import Change
from gxdesk.store.database import Database
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
    record = session.get(CalendarYear, year)
    if record is None:
        session.add(CalendarYear(year=year, note=note))
    else:
        record.note = note
    return len(days)


def entered_years(session: Session) -> list[int]:
    return list(session.scalars(select(CalendarYear.year).order_by(CalendarYear.year)))


def expand(first: dt.date, last: dt.date | None = None) -> list[dt.date]:
    """The days from ``first`` to ``last`` inclusive (a holiday is usually a span)."""
    last = last or first
    if last < first:
        raise ValueError(f"日期范围颠倒：{first.isoformat()}..{last.isoformat()}")
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]


@dataclass(frozen=True)
class EnteredYear:
    """What the clerk entered for one year: its days and a note (e.g. the notice's number)."""

    year: int
    days: tuple[DayOverride, ...] = ()
    note: str = ""


def entered_year(session: Session, year: int) -> EnteredYear | None:
    """The schedule entered for ``year`` (days in date order), or None if it was never entered."""
    record = session.get(CalendarYear, year)
    if record is None:
        return None
    rows = session.execute(
        select(CalendarDay.day, CalendarDay.is_workday, CalendarDay.note)
        .where(CalendarDay.day >= dt.date(year, 1, 1), CalendarDay.day <= dt.date(year, 12, 31))
        .order_by(CalendarDay.day)
    ).all()
    days = tuple(DayOverride(day, bool(work), note or "") for day, work, note in rows)
    return EnteredYear(year, days, record.note or "")


def replace_year(session: Session, year: int, entry: EnteredYear | None) -> EnteredYear | None:
    """Make ``year``'s schedule ``entry`` (None: not entered at all); returns the one it replaced.

    The returned value, passed back, restores the year exactly as it was — the
    window's undo. Checks are :func:`enter_year`'s (``ValueError`` with a
    message for the clerk).
    """
    if entry is not None and entry.year != year:
        raise ValueError(f"录入的是 {entry.year} 年的安排，不是 {year} 年的")
    previous = entered_year(session, year)
    if entry is None:
        session.execute(
            delete(CalendarDay).where(
                CalendarDay.day >= dt.date(year, 1, 1), CalendarDay.day <= dt.date(year, 12, 31)
            )
        )
        session.execute(delete(CalendarYear).where(CalendarYear.year == year))
    else:
        enter_year(session, year, entry.days, entry.note)
    return previous


def read_year(db: Database, year: int) -> tuple[EnteredYear | None, list[int]]:
    """What the calendar dialog shows: ``year``'s entry (None if never entered) and every
    year entered."""
    with db.reading() as session:
        return entered_year(session, year), entered_years(session)


def set_year(session: Session, year: int, entry: EnteredYear | None) -> Change:
    """The window's undoable edit: ``year``'s entries become ``entry``; ``before`` is what
    they were (passed back, it restores them)."""
    return Change(reload=True, before=replace_year(session, year, entry))
