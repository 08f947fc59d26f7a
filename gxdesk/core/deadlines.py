"""完成时限 phrases → :class:`DeadlineSpec`, and a spec → a due date.

Why a table of patterns and not a date parser: plans use a small, stable set of
phrasings ("8月底前", "年内", "实时", "文件下发20个工作日内"), and a wrong due date
is worse than none — a task would show 绿灯 when it is late. So a phrase is
either matched exactly (after layout spaces, full-width digits and Chinese
numerals are normalised away) or kept verbatim with kind NONE and
``needs_review=True`` for a clerk to look at. Nothing is guessed.

Rules chosen here, beyond the design table:

- Working days count only when the phrase says 工作日. Calendar days
  ("下发后10日内", "15天内") are not converted: kind NONE, needs_review.
- "N个工作日内" is RELATIVE when its subject is the issue of the plan itself
  (文件/方案/通知 下发/印发/出台/发布, or no noun: "印发后15个工作日内"); it is
  PER_EVENT when the subject names another event (…决定…, …作出…, 收到…,
  受理…, 申请… and similar); with no subject at all, or any other subject, it
  is needs_review.
- "N月" without 底/末 and "每月10日前" are not recognised (needs_review).
- A trailing 完成 or sentence punctuation (。；;) is ignored.
"""

from __future__ import annotations

import calendar as _cal
import re
from collections.abc import Callable
from datetime import date
from typing import NamedTuple, Protocol

from gxdesk.core.model import DeadlineKind, DeadlineSpec, Period
from gxdesk.core.numerals import parse_chinese_number
from gxdesk.core.text import fold_width, normalize
from gxdesk.core.workdays import CalendarUnknownError

__all__ = [
    "NO_ISSUE_DATE",
    "DueDate",
    "WorkdayAdder",
    "canonical_text",
    "explain_due",
    "parse_deadline",
    "resolve_due",
]


class WorkdayAdder(Protocol):
    """What :func:`resolve_due` needs of a calendar (e.g. ``WorkdayCalendar``)."""

    def add_workdays(self, start: date, n: int) -> date: ...


def canonical_text(raw: str | None) -> str:
    """The phrase as stored in ``DeadlineSpec.text``: widths folded, layout removed."""
    return normalize(fold_width(raw or ""))


# --- the key a phrase is matched on ------------------------------------------

_CN_NUMERAL = re.compile(r"[零〇○一二两三四五六七八九十百]+(?=个|月|日|号|天|季度|年|周)")
_TRAILER = re.compile(r"(?:完成)?[。．.；;，,]*$")
_WHITESPACE = re.compile(r"\s+")


def _cn_value(token: str) -> str:
    token = token.replace("○", "〇")
    if not any(u in token for u in "十百"):  # 二〇一五, 八: digit by digit
        return "".join(str(parse_chinese_number(ch)) for ch in token)
    value = parse_chinese_number(token)
    return token if value is None else str(value)


def _key(text: str) -> str:
    key = _WHITESPACE.sub("", text)
    key = _CN_NUMERAL.sub(lambda m: _cn_value(m.group()), key)
    return _TRAILER.sub("", key)


# --- fixed dates -------------------------------------------------------------

_BEFORE = r"(?:前|之前|以前)?"
_YEAR = r"(?:(?P<y>\d{4})年)?"


def _month_end(year: int, month: int) -> date:
    return date(year, month, _cal.monthrange(year, month)[1])


def _year_of(m: re.Match[str], plan_year: int) -> int:
    return int(m.group("y")) if m.group("y") else plan_year


_FIXED: list[tuple[re.Pattern[str], Callable[[re.Match[str], int], date]]] = [
    (
        re.compile(rf"^{_YEAR}(?P<m>\d{{1,2}})月(?:底|末){_BEFORE}$"),
        lambda m, y: _month_end(_year_of(m, y), int(m.group("m"))),
    ),
    (
        re.compile(rf"^{_YEAR}(?P<m>\d{{1,2}})月(?P<d>\d{{1,2}})[日号]{_BEFORE}$"),
        lambda m, y: date(_year_of(m, y), int(m.group("m")), int(m.group("d"))),
    ),
    (
        re.compile(r"^(?:(?P<y>\d{4})年|本年度|本年|年度|年)(?:内|底|末)(?:前|之前|以前)?$"),
        lambda m, y: date(_year_of(m, y), 12, 31),
    ),
    (
        re.compile(rf"^{_YEAR}(?P<h>[上下])半年(?:内|底前?|末前?)?$"),
        lambda m, y: (
            date(_year_of(m, y), 6, 30) if m.group("h") == "上" else date(_year_of(m, y), 12, 31)
        ),
    ),
    (
        re.compile(rf"^{_YEAR}第?(?P<q>[1-4])季度(?:内|底前?|末前?)?$"),
        lambda m, y: _month_end(_year_of(m, y), 3 * int(m.group("q"))),
    ),
]

# --- phrases without a date --------------------------------------------------

_CONTINUOUS = frozenset({"实时", "长期坚持", "持续推进", "长期", "长期推进", "常态化", "及时"})

_RECURRING: dict[str, Period] = {
    "每月": Period.MONTH,
    "每月底前": Period.MONTH,
    "按月": Period.MONTH,
    "每季度": Period.QUARTER,
    "每季": Period.QUARTER,
    "每季度末前": Period.QUARTER,
    "按季度": Period.QUARTER,
    "每年": Period.YEAR,
    "每年底前": Period.YEAR,
    "按年": Period.YEAR,
    "逐年": Period.YEAR,  # 逐年完成: a trailing 完成 is dropped from every key
    "由近及远逐年": Period.YEAR,
}

# --- working days after an event --------------------------------------------

_WORKDAYS = re.compile(r"^(?P<subj>.*?)(?P<n>\d{1,4})个?工作日(?:内|以内|之内)$")
_SUBJECT_TRIM = re.compile(r"^(?:自|从|在|于)|(?:之日起|之日后|之日|日起|起|以后|之后|后)$")
_PLAN_ISSUE = re.compile(
    r"^(?:本|该)?(?:文件|方案|通知|要点|意见)?(?:正式)?(?:下发|印发|出台|发布)$"
)
_EVENT = re.compile(
    r"决定|作出|做出|收到|受理|申请|形成|产生|生成|变更|批准|核准|审批|许可|处罚|"
    r"发生|签订|办结|登记|立案|公示|结束"
)
_SAME_AS_PLAN = re.compile(r"^与(?:本|该)?(?:文件|方案|通知)(?:下发|印发)?同步(?:进行|公开|开展)?$")


def _parse_workdays(key: str) -> tuple[DeadlineKind, int] | None:
    if _SAME_AS_PLAN.match(key):
        return DeadlineKind.RELATIVE, 0
    m = _WORKDAYS.match(key)
    if not m:
        return None
    subject = m.group("subj")
    for _ in range(2):  # "自…之日起": a prefix and a suffix
        subject = _SUBJECT_TRIM.sub("", subject)
    n = int(m.group("n"))
    if _PLAN_ISSUE.match(subject):
        return DeadlineKind.RELATIVE, n
    if subject and _EVENT.search(subject):
        return DeadlineKind.PER_EVENT, n
    return None


# --- public ------------------------------------------------------------------


def parse_deadline(text: str, year: int) -> DeadlineSpec:
    """Interpret a 完成时限 phrase of a plan for ``year`` (raw or normalised text)."""
    phrase = canonical_text(text)
    if not phrase:
        return DeadlineSpec("", DeadlineKind.NONE)
    key = _key(phrase)
    for pattern, build in _FIXED:
        m = pattern.match(key)
        if m:
            try:
                due = build(m, year)
            except ValueError:  # 13月底前, 2月30日前, 0000年…
                break
            return DeadlineSpec(phrase, DeadlineKind.FIXED, due=due)
    else:
        if key in _CONTINUOUS:
            return DeadlineSpec(phrase, DeadlineKind.CONTINUOUS)
        if key in _RECURRING:
            return DeadlineSpec(phrase, DeadlineKind.RECURRING, period=_RECURRING[key])
        found = _parse_workdays(key)
        if found:
            return DeadlineSpec(phrase, found[0], workdays=found[1])
    return DeadlineSpec(phrase, DeadlineKind.NONE, needs_review=True)


def _period_end(period: Period, on: date) -> date:
    if period is Period.MONTH:
        return _month_end(on.year, on.month)
    if period is Period.QUARTER:
        return _month_end(on.year, 3 * ((on.month - 1) // 3 + 1))
    return date(on.year, 12, 31)


def resolve_due(
    spec: DeadlineSpec,
    *,
    issued: date | None,
    calendar: WorkdayAdder,
    on: date,
    year: int | None = None,
) -> date | None:
    """The date ``spec`` falls due, as seen on ``on``; None when it has no due date.

    FIXED → its date. RELATIVE → ``spec.workdays`` working days after ``issued``
    (the issue day not counted; 0 → the issue day), None while the plan has no
    issue date. RECURRING → the end of the month / quarter / year containing
    ``on``, kept within the plan ``year`` when given (looking at a 2014 plan in
    2026 shows its last period, 2014-12-31, not 2026's). CONTINUOUS, PER_EVENT
    and NONE → None.
    """
    if spec.kind is DeadlineKind.FIXED:
        return spec.due
    if spec.kind is DeadlineKind.RELATIVE:
        if issued is None or spec.workdays is None:
            return None
        return calendar.add_workdays(issued, spec.workdays)
    if spec.kind is DeadlineKind.RECURRING and spec.period is not None:
        if year is not None:
            on = min(max(on, date(year, 1, 1)), date(year, 12, 31))
        return _period_end(spec.period, on)
    return None


NO_ISSUE_DATE = "计划未设印发日期，暂无法计算"


class DueDate(NamedTuple):
    """A deadline as the clerk is told it: the due date, or why there is none.

    ``note`` says why a deadline that should have a date has none (the plan's
    issue date unset, the calendar lacking a year); ``missing_year`` is that
    year when the calendar is the reason, for the window to point at the menu
    that fixes it. Both empty for a date, and for a kind that never has one.
    """

    due: date | None
    note: str = ""
    missing_year: int | None = None


def explain_due(
    spec: DeadlineSpec,
    *,
    issued: date | None,
    calendar: WorkdayAdder,
    on: date,
    year: int | None = None,
) -> DueDate:
    """:func:`resolve_due` with the reason when it cannot give a date: the one place the
    task list, the detail pane, the report and the Gantt view take a deadline from."""
    try:
        due = resolve_due(spec, issued=issued, calendar=calendar, on=on, year=year)
    except CalendarUnknownError as exc:
        return DueDate(None, str(exc), exc.year)
    if due is None and spec.kind is DeadlineKind.RELATIVE and issued is None:
        return DueDate(None, NO_ISSUE_DATE)
    return DueDate(due)
