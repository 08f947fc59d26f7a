"""Dates ↔ x positions, and the two header tiers a zoom level can afford (no Qt).

The scale is linear in calendar days: a day is ``px_per_day`` wide and day
``first`` starts at x = 0. Which tiers the header shows (quarter over month,
month over week, week over day) is chosen by the space a label needs, measured
by the caller's font (``text_width``), so a label is never squeezed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import IntEnum

QUARTER_NAMES = ("第一季度", "第二季度", "第三季度", "第四季度")

# Zoom levels in pixels per day: about ×1.5 a step, from a year in ~450 px to
# a day wide enough for its number and a 班 mark.
ZOOM_LEVELS: tuple[float, ...] = (1.2, 1.8, 2.6, 3.8, 5.5, 8.0, 12.0, 18.0, 27.0, 40.0)
DEFAULT_ZOOM = 2
LABEL_PADDING = 8  # pixels of air a label needs beside its text


class TimeUnit(IntEnum):
    """The units a header tier counts in, finest first."""

    DAY = 0
    WEEK = 1
    MONTH = 2
    QUARTER = 3
    YEAR = 4


# The narrowest a unit ever is, in days: a label must fit in that.
_MIN_DAYS = {
    TimeUnit.DAY: 1,
    TimeUnit.WEEK: 7,
    TimeUnit.MONTH: 28,
    TimeUnit.QUARTER: 90,
    TimeUnit.YEAR: 365,
}
# The widest label of each unit as the lower tier writes it.
_WIDEST_LOWER = {
    TimeUnit.DAY: "30",
    TimeUnit.WEEK: "第53周",
    TimeUnit.MONTH: "12月",
    TimeUnit.QUARTER: "第三季度",
}


@dataclass(frozen=True, slots=True)
class Segment:
    """One header cell: the days ``start`` ≤ d < ``end`` and their label."""

    start: dt.date
    end: dt.date
    label: str


def unit_start(unit: TimeUnit, day: dt.date) -> dt.date:
    """The first day of the ``unit`` that contains ``day`` (weeks start on Monday)."""
    if unit is TimeUnit.DAY:
        return day
    if unit is TimeUnit.WEEK:
        return day - dt.timedelta(days=day.weekday())
    if unit is TimeUnit.MONTH:
        return day.replace(day=1)
    if unit is TimeUnit.QUARTER:
        return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return dt.date(day.year, 1, 1)


def next_start(unit: TimeUnit, start: dt.date) -> dt.date:
    """The first day of the ``unit`` after the one beginning on ``start``."""
    if unit is TimeUnit.DAY:
        return start + dt.timedelta(days=1)
    if unit is TimeUnit.WEEK:
        return start + dt.timedelta(days=7)
    months = {TimeUnit.MONTH: 1, TimeUnit.QUARTER: 3, TimeUnit.YEAR: 12}[unit]
    month = start.month - 1 + months
    return dt.date(start.year + month // 12, month % 12 + 1, 1)


def label(unit: TimeUnit, start: dt.date, upper: bool) -> str:
    """A header label in Chinese; the upper tier says which year (or month) it is in."""
    if unit is TimeUnit.YEAR:
        return f"{start.year}年"
    if unit is TimeUnit.QUARTER:
        name = QUARTER_NAMES[(start.month - 1) // 3]
        return f"{start.year}年{name}" if upper else name
    if unit is TimeUnit.MONTH:
        return f"{start.year}年{start.month}月" if upper else f"{start.month}月"
    if unit is TimeUnit.WEEK:
        week = start.isocalendar().week
        return f"{start.month}月 第{week}周" if upper else f"第{week}周"
    return str(start.day)


class TimeScale:
    """A linear map from days to x, over ``first`` … ``last`` (both included)."""

    def __init__(self, first: dt.date, last: dt.date, px_per_day: float) -> None:
        if last < first:
            raise ValueError("时间轴的结束日期早于开始日期")
        if px_per_day <= 0:
            raise ValueError("缩放比例必须为正数")
        self.first = first
        self.last = last
        self.px_per_day = px_per_day
        self._origin = first.toordinal()

    @property
    def days(self) -> int:
        return self.last.toordinal() - self._origin + 1

    @property
    def width(self) -> float:
        return self.days * self.px_per_day

    def x_of(self, day: dt.date) -> float:
        """Where ``day`` begins."""
        return (day.toordinal() - self._origin) * self.px_per_day

    def x_end(self, day: dt.date) -> float:
        """Where ``day`` ends (a deadline's bar ends here: the whole due day counts)."""
        return self.x_of(day) + self.px_per_day

    def x_mid(self, day: dt.date) -> float:
        return self.x_of(day) + self.px_per_day / 2

    def date_at(self, x: float) -> dt.date:
        """The day under ``x`` (clamped to the scale's range)."""
        offset = int(x // self.px_per_day)
        offset = min(max(offset, 0), self.days - 1)
        return dt.date.fromordinal(self._origin + offset)

    def with_zoom(self, px_per_day: float) -> TimeScale:
        return TimeScale(self.first, self.last, px_per_day)

    def tiers(self, text_width: Callable[[str], float]) -> tuple[TimeUnit, TimeUnit]:
        """(upper, lower): the finest lower unit whose every label fits, and the unit above."""
        for unit in (TimeUnit.DAY, TimeUnit.WEEK, TimeUnit.MONTH, TimeUnit.QUARTER):
            room = _MIN_DAYS[unit] * self.px_per_day
            if text_width(_WIDEST_LOWER[unit]) + LABEL_PADDING <= room:
                return TimeUnit(unit + 1), unit
        return TimeUnit.YEAR, TimeUnit.QUARTER

    def segments(
        self, unit: TimeUnit, first: dt.date, last: dt.date, *, upper: bool = False
    ) -> Iterator[Segment]:
        """The ``unit`` cells that overlap ``first`` … ``last``, clipped to the scale."""
        first = max(first, self.first)
        last = min(last, self.last)
        start = unit_start(unit, first)
        while start <= last:
            end = next_start(unit, start)
            yield Segment(max(start, self.first), min(end, self.last + dt.timedelta(days=1)),
                          label(unit, start, upper))  # fmt: skip
            start = end

    def visible_days(self, x0: float, x1: float) -> tuple[dt.date, dt.date]:
        """The first and last day that a span ``x0`` … ``x1`` of the scale touches."""
        return self.date_at(x0), self.date_at(max(x0, x1 - 0.001))


def zoom_step(level: int, step: int) -> int:
    """The zoom level ``step`` steps from ``level``, kept within :data:`ZOOM_LEVELS`."""
    return min(max(level + step, 0), len(ZOOM_LEVELS) - 1)


def fitting_zoom(days: int, width: float) -> float:
    """Pixels per day that show ``days`` days in ``width`` pixels."""
    return max(width / max(days, 1), 0.05)
