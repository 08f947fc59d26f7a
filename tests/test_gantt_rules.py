"""The Gantt view's Qt-free rules: time scale and tiers, day kinds, bars by deadline kind."""

from __future__ import annotations

import datetime as dt

import pytest

from gxdesk.core.model import DeadlineKind, Light, Period, Status
from gxdesk.core.schedule import expected_percent
from gxdesk.core.views import TaskRow
from gxdesk.core.workdays import DayOverride, WorkdayCalendar
from gxdesk.ui.gantt.bars import (
    BarStyle,
    PlanDates,
    bar_for,
    chart_span,
    period_ends,
    row_dates,
    rule_text,
)
from gxdesk.ui.gantt.days import DayKind, DayKinds
from gxdesk.ui.gantt.timescale import ZOOM_LEVELS, TimeScale, TimeUnit, label, zoom_step

D = dt.date
CAL = WorkdayCalendar()
PLAN = PlanDates(2014, D(2014, 9, 26), D(2014, 11, 14))


def _cjk_width(text: str) -> float:
    """A stand-in for font metrics: 12 px a character."""
    return 12.0 * len(text)


def _row(**kw: object) -> TaskRow:
    base: dict[str, object] = dict(
        id=1, plan_id=1, category_id=1, category_seq=1, category_title="类", seq=1,
        name="任务", requirement="", deadline_text="年内", deadline_kind=DeadlineKind.FIXED,
        due=D(2014, 12, 31), deadline_inferred=False, deadline_review=False,
        units_text="市财政局牵头", units_inferred=False, units_review=False,
        status=Status.IN_PROGRESS, light=Light.GREEN, latest_text="", latest_unit="",
        latest_at=None, version=1,
    )  # fmt: skip
    base.update(kw)
    return TaskRow(**base)  # type: ignore[arg-type]


# --- the time scale --------------------------------------------------------------
def test_dates_and_x_map_both_ways():
    scale = TimeScale(D(2014, 1, 1), D(2014, 12, 31), 4.0)
    assert scale.days == 365
    assert scale.width == 365 * 4.0
    assert scale.x_of(D(2014, 1, 1)) == 0
    assert scale.x_of(D(2014, 2, 1)) == 31 * 4.0
    assert scale.x_end(D(2014, 1, 31)) == scale.x_of(D(2014, 2, 1))
    assert scale.x_mid(D(2014, 1, 2)) == 6.0
    for day in (D(2014, 1, 1), D(2014, 6, 30), D(2014, 12, 31)):
        assert scale.date_at(scale.x_of(day)) == day
        assert scale.date_at(scale.x_end(day) - 0.01) == day
    assert scale.date_at(-50) == D(2014, 1, 1)  # clamped
    assert scale.date_at(10**6) == D(2014, 12, 31)
    with pytest.raises(ValueError):
        TimeScale(D(2014, 2, 1), D(2014, 1, 1), 1.0)


def test_the_tier_is_chosen_by_the_space_a_label_needs():
    tiers = [TimeScale(D(2014, 1, 1), D(2014, 12, 31), p).tiers(_cjk_width) for p in ZOOM_LEVELS]
    assert tiers[0] == (TimeUnit.YEAR, TimeUnit.QUARTER)  # 1.2 px a day: "12月" does not fit
    assert (TimeUnit.QUARTER, TimeUnit.MONTH) in tiers
    assert (TimeUnit.MONTH, TimeUnit.WEEK) in tiers
    assert tiers[-1] == (TimeUnit.WEEK, TimeUnit.DAY)  # 40 px a day: day numbers fit
    lowers = [lower for _upper, lower in tiers]
    assert lowers == sorted(lowers, reverse=True)  # zooming in never coarsens the header
    # A wider font needs more room for the same tier.
    wide = TimeScale(D(2014, 1, 1), D(2014, 12, 31), 8.0)
    assert wide.tiers(_cjk_width)[1] is TimeUnit.WEEK
    assert wide.tiers(lambda t: 30.0 * len(t))[1] is TimeUnit.MONTH


def test_headers_speak_chinese():
    assert label(TimeUnit.YEAR, D(2014, 1, 1), True) == "2014年"
    assert label(TimeUnit.QUARTER, D(2014, 7, 1), False) == "第三季度"
    assert label(TimeUnit.QUARTER, D(2014, 7, 1), True) == "2014年第三季度"
    assert label(TimeUnit.MONTH, D(2014, 9, 1), False) == "9月"
    assert label(TimeUnit.WEEK, D(2014, 9, 22), False) == "第39周"
    assert label(TimeUnit.DAY, D(2014, 9, 15), False) == "15"
    scale = TimeScale(D(2014, 9, 10), D(2014, 10, 5), 10.0)
    months = list(scale.segments(TimeUnit.MONTH, D(2014, 9, 10), D(2014, 10, 5)))
    assert [s.label for s in months] == ["9月", "10月"]
    assert months[0].start == D(2014, 9, 10)  # clipped to the scale
    assert months[1].start == D(2014, 10, 1) and months[1].end == D(2014, 10, 6)
    weeks = list(scale.segments(TimeUnit.WEEK, D(2014, 9, 22), D(2014, 9, 28)))
    assert [s.label for s in weeks] == ["第39周"]


def test_zoom_steps_stay_within_the_levels():
    assert zoom_step(0, -1) == 0
    assert zoom_step(len(ZOOM_LEVELS) - 1, 1) == len(ZOOM_LEVELS) - 1
    assert zoom_step(3, 1) == 4
    assert all(a < b for a, b in zip(ZOOM_LEVELS, ZOOM_LEVELS[1:], strict=False))


# --- the calendar under the chart ---------------------------------------------------
def test_national_day_is_a_holiday_and_the_makeup_saturday_a_working_day():
    days = DayKinds(CAL)
    for d in range(1, 8):
        assert days.kind(D(2014, 10, d)) is DayKind.HOLIDAY, d  # the weekend inside too
    assert days.kind(D(2014, 10, 11)) is DayKind.MAKEUP  # Saturday, 调休
    assert days.kind(D(2014, 9, 28)) is DayKind.MAKEUP  # Sunday, 调休
    assert days.kind(D(2014, 10, 12)) is DayKind.WEEKEND
    assert days.kind(D(2014, 10, 9)) is DayKind.WORKDAY
    special = dict(days.special_days(D(2014, 9, 27), D(2014, 10, 12)))
    assert D(2014, 10, 9) not in special
    assert special[D(2014, 10, 11)] is DayKind.MAKEUP
    assert list(special) == sorted(special)


def test_an_unknown_year_is_unknown_and_a_clerk_entered_one_is_known():
    year = max(CAL.known_years()) + 3
    assert DayKinds(CAL).kind(D(year, 3, 4)) is DayKind.UNKNOWN
    spans = DayKinds(CAL).special_days(D(year, 1, 1), D(year, 1, 10))
    assert len(spans) == 10 and {k for _d, k in spans} == {DayKind.UNKNOWN}
    entered = WorkdayCalendar(
        overrides=[
            DayOverride(D(year, 10, 1), False),
            DayOverride(D(year, 10, 2), False),
            DayOverride(_saturday_after(D(year, 10, 7)), True),
        ],
        extra_years=[year],
    )
    days = DayKinds(entered)
    assert days.kind(D(year, 10, 1)) in (DayKind.HOLIDAY, DayKind.WEEKEND)
    assert days.kind(_saturday_after(D(year, 10, 7))) is DayKind.MAKEUP
    assert days.kind(D(year, 3, 4)) is not DayKind.UNKNOWN


def _saturday_after(day: dt.date) -> dt.date:
    return day + dt.timedelta(days=(5 - day.weekday()) % 7 or 7)


# --- bars by deadline kind ----------------------------------------------------------------
def test_a_fixed_deadline_runs_from_the_issue_date_to_the_due_date():
    bar = bar_for(_row(latest_percent=30), PLAN, CAL)
    assert bar.style is BarStyle.BAR
    assert (bar.start, bar.end) == (D(2014, 9, 26), D(2014, 12, 31))
    assert bar.percent == 30
    assert bar.expected == expected_percent(D(2014, 9, 26), D(2014, 12, 31), PLAN.on, CAL)
    assert 0 < bar.expected < 100
    no_issue = bar_for(_row(), PlanDates(2014, None, PLAN.on), CAL)
    assert no_issue.start == D(2014, 1, 1)
    # Due before the plan was issued: the work ran from 1 January, and it is overdue.
    early = bar_for(_row(due=D(2014, 6, 30), light=Light.RED), PLAN, CAL)
    assert (early.start, early.end) == (D(2014, 1, 1), D(2014, 6, 30))
    assert early.expected == 100


def test_a_relative_deadline_without_an_issue_date_is_dashed_with_a_note():
    row = _row(deadline_kind=DeadlineKind.RELATIVE, deadline_text="文件下发20个工作日内",
               due=None, workdays=20)  # fmt: skip
    bar = bar_for(row, PlanDates(2014, None, PLAN.on), CAL)
    assert bar.style is BarStyle.DASHED
    assert "印发日期未定" in bar.note and "文件下发20个工作日内" in bar.note
    known = bar_for(row._replace(due=CAL.add_workdays(PLAN.issued_on, 20)), PLAN, CAL)
    assert known.style is BarStyle.BAR and known.start == PLAN.issued_on
    missing = bar_for(row._replace(missing_year=2031), PLAN, CAL)
    assert missing.style is BarStyle.DASHED and "2031年日历未知" in missing.note


def test_continuous_recurring_and_per_event_deadlines_are_bands_across_the_year():
    cont = bar_for(_row(deadline_kind=DeadlineKind.CONTINUOUS, due=None), PLAN, CAL)
    assert cont.style is BarStyle.BAND
    assert (cont.start, cont.end) == (D(2014, 1, 1), D(2014, 12, 31))
    assert cont.ticks == ()
    rec = bar_for(
        _row(deadline_kind=DeadlineKind.RECURRING, period=Period.QUARTER, due=D(2014, 12, 31)),
        PLAN,
        CAL,
    )
    assert rec.style is BarStyle.BAND
    assert rec.ticks == (D(2014, 3, 31), D(2014, 6, 30), D(2014, 9, 30), D(2014, 12, 31))
    assert len(period_ends(Period.MONTH, 2014)) == 12
    event = _row(deadline_kind=DeadlineKind.PER_EVENT, due=None, workdays=20)
    assert bar_for(event, PLAN, CAL).style is BarStyle.BAND
    assert "每次事件发生后20个工作日内" in rule_text(event)


def test_no_deadline_is_an_empty_row_marked_unconfirmed():
    bar = bar_for(_row(deadline_kind=DeadlineKind.NONE, deadline_text="", due=None), PLAN, CAL)
    assert bar.style is BarStyle.EMPTY and bar.start is None
    assert bar.note == "待确认"


def test_done_is_full_and_a_late_completion_shows_as_late():
    on_time = bar_for(_row(status=Status.DONE, latest_done_on=D(2014, 12, 20)), PLAN, CAL)
    assert on_time.done and on_time.percent == 100 and not on_time.late_done
    assert on_time.done_on == D(2014, 12, 20)
    assert on_time.expected is None  # nothing left to be behind on
    late = bar_for(
        _row(status=Status.DONE, due=D(2014, 10, 31), latest_done_on=D(2014, 11, 10)), PLAN, CAL
    )
    assert late.late_done


def test_the_chart_spans_the_plan_year_and_the_deadlines_beyond_it():
    rows = [
        _row(due=D(2015, 3, 31)),
        _row(due=None, deadline_kind=DeadlineKind.CONTINUOUS),
        _row(due=D(2014, 12, 31), status=Status.DONE, latest_done_on=D(2015, 5, 4)),
    ]
    assert row_dates(rows) == {D(2015, 3, 31), D(2014, 12, 31), D(2015, 5, 4)}
    first, last = chart_span(row_dates(rows), PLAN)
    assert first <= D(2014, 1, 1) and last >= D(2015, 5, 4)
    first, last = chart_span([], PlanDates(2014, None, D(2016, 5, 1)))
    assert last >= D(2016, 5, 1)  # the status date is always on the chart
