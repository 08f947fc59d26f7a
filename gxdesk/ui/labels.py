"""The words and date formats a person reads in the window (no Qt here)."""

from __future__ import annotations

import datetime as dt

from gxdesk.core.model import DeadlineKind, Light, Period, Role, Status

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
