"""The words and date formats a person reads in the window (no Qt here)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from gxdesk.core.model import DeadlineKind, Light, Period, Role, Status

if TYPE_CHECKING:
    from gxdesk.core.views import TaskRow

KIND_LABELS: dict[DeadlineKind, str] = {
    DeadlineKind.FIXED: "固定期限",
    DeadlineKind.CONTINUOUS: "持续推进",
    DeadlineKind.RECURRING: "定期",
    DeadlineKind.RELATIVE: "印发后工作日",
    DeadlineKind.PER_EVENT: "按事件",
    DeadlineKind.NONE: "未定",
}

PERIOD_LABELS: dict[Period, str] = {
    Period.MONTH: "每月",
    Period.QUARTER: "每季度",
    Period.YEAR: "每年",
}

LIGHT_LABELS: dict[Light, str] = {light: light.label for light in Light}
STATUS_LABELS: dict[Status, str] = {s: s.value for s in Status}
ROLE_LABELS: dict[Role, str] = {r: r.label for r in Role}


def cn_date(day: dt.date | None) -> str:
    """2014年9月30日 (empty for None)."""
    if day is None:
        return ""
    return f"{day.year}年{day.month}月{day.day}日"


def cn_datetime(moment: dt.datetime | None) -> str:
    if moment is None:
        return ""
    return f"{cn_date(moment.date())} {moment:%H:%M}"


def cn_period(period: str) -> str:
    """'2014-09' → 2014年9月."""
    try:
        year, month = period.split("-")
        return f"{int(year)}年{int(month)}月"
    except ValueError:
        return period


CALENDAR_MENU = "设置 → 工作日历…"
WEEKDAYS = "一二三四五六日"


def cn_weekday(day: dt.date) -> str:
    """周一 … 周日."""
    return f"周{WEEKDAYS[day.weekday()]}"


def unknown_year_text(year: int) -> str:
    """Why a due date is missing when ``year``'s holidays are unknown, and where to fix it."""
    return (
        f"{year}年的放假调休安排未知，无法计算截止日期："
        f"请在“{CALENDAR_MENU}”中录入国务院办公厅公布的{year}年放假调休安排"
    )


def due_note_text(row: TaskRow) -> str:
    """Why a row has no due date, as the window says it (pointing at the menu that fixes it)."""
    return unknown_year_text(row.missing_year) if row.missing_year is not None else row.due_note
