"""What the printed documents say, as plain values: the monthly report and the 催办 notices.

Gathered by :mod:`gxdesk.ops.report` and :mod:`gxdesk.ops.remind` from the
store, laid out by :mod:`gxdesk.exchange.report_pdf`, ``notice_pdf`` and
``notice_docx``: frozen dataclasses that cross threads and layers, never ORM rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from gxdesk.core.model import Light, Status

DEFAULT_REPLY_WORKDAYS = 5


@dataclass(frozen=True)
class OfficeInfo:
    """Who issues the report and the 催办通知单, and how soon units must answer."""

    name: str = "市人民政府办公室"
    contact: str = ""
    phone: str = ""
    reply_workdays: int = DEFAULT_REPLY_WORKDAYS  # 回复时限: N working days after the notice


@dataclass(frozen=True)
class Figures:
    total: int
    by_status: dict[str, int]  # Status value → count
    red: int
    yellow: int
    on_time: int  # finished by the due date, of those already due
    due: int
    rate: float | None  # 按期完成率 in percent

    @property
    def done(self) -> int:
        return self.by_status.get(Status.DONE.value, 0)


@dataclass(frozen=True)
class Previous:
    """The standing at the end of last month, to say what changed."""

    month: str
    done: int
    red: int
    rate: float | None


@dataclass(frozen=True)
class RedItem:
    task_id: int
    label: str  # 1.3: category and task number
    name: str
    deadline_text: str
    due: dt.date
    overdue_workdays: int | None
    units_text: str
    latest: str
    chased: int  # notices that named this task so far


@dataclass(frozen=True)
class DueItem:
    task_id: int
    label: str
    name: str
    deadline_text: str
    due: dt.date
    units_text: str
    status: str


@dataclass(frozen=True)
class LagItem:
    task_id: int
    label: str
    name: str
    unit: str
    due: dt.date
    expected: int
    reported: int

    @property
    def lag(self) -> int:
        return self.expected - self.reported


@dataclass(frozen=True)
class UnitSummary:
    unit_id: int
    name: str
    tasks: int
    done: int
    red: int
    on_time: int
    due: int
    rate: float | None
    reported: bool
    expected_to_report: bool
    chased: int


@dataclass(frozen=True)
class ProgressLine:
    unit: str
    status: str
    percent: int | None
    text: str
    reported_on: dt.date


@dataclass(frozen=True)
class DetailTask:
    label: str
    name: str
    deadline_text: str
    due: dt.date | None
    status: str
    light: Light
    units_text: str
    progress: tuple[ProgressLine, ...]


@dataclass(frozen=True)
class DetailCategory:
    seq: int
    title: str
    tasks: tuple[DetailTask, ...]


@dataclass(frozen=True)
class CategoryFigure:
    seq: int
    title: str
    total: int
    done: int
    in_progress: int  # 推进中 and 长期推进
    not_started: int  # 未启动 and 暂缓


@dataclass(frozen=True)
class UnitLights:
    name: str
    red: int
    yellow: int
    green: int


@dataclass(frozen=True)
class ReportData:
    title: str
    title_lines: tuple[str, ...]  # the title as printed: broken where its words allow
    subtitle: str  # the unit, for a one-unit report; else ""
    month: str  # YYYY-MM
    on: dt.date
    plan_title: str
    office: OfficeInfo
    figures: Figures
    previous: Previous | None
    categories: tuple[CategoryFigure, ...]
    unit_lights: tuple[UnitLights, ...]
    red: tuple[RedItem, ...]
    next_month: tuple[DueItem, ...]
    next_month_label: str
    lagging: tuple[LagItem, ...]  # 10 < lag, sorted by lag, far behind first
    units: tuple[UnitSummary, ...]
    silent_units: tuple[str, ...]  # expected to report this month and did not
    detail: tuple[DetailCategory, ...]
    notes: tuple[str, ...] = field(default_factory=tuple)  # e.g. a year the calendar lacks


@dataclass(frozen=True)
class NoticeTask:
    task_id: int
    label: str
    name: str
    deadline_text: str
    due: dt.date
    overdue_workdays: int | None
    chased_before: int  # notices to this unit that named this task before this one


@dataclass(frozen=True)
class Notice:
    unit_id: int
    unit: str
    number: str  # 催办〔2014〕3号
    on: dt.date
    reply_by: dt.date | None  # None where the calendar does not know the year
    tasks: tuple[NoticeTask, ...]  # overdue and not done by this unit
    silent: bool  # did not report this month
    month: str
    plan_title: str
    office: OfficeInfo
