"""完成时限 phrases: parse_deadline and resolve_due."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from conftest import seed_cells
from hypothesis import given
from hypothesis import strategies as st

from gxdesk.core.deadlines import parse_deadline, resolve_due
from gxdesk.core.model import DeadlineKind, DeadlineSpec, Period

FIXED = DeadlineKind.FIXED
Y = 2014


class WeekendCalendar:
    """Working days are Monday to Friday; the start day is not counted."""

    def add_workdays(self, start: date, n: int) -> date:
        d = start
        while n > 0:
            d += timedelta(days=1)
            if d.weekday() < 5:
                n -= 1
        return d


@pytest.mark.parametrize(
    ("phrase", "due"),
    [
        ("8月底前", date(2014, 8, 31)),
        ("8月底", date(2014, 8, 31)),
        ("8月31日前", date(2014, 8, 31)),
        ("8月31日", date(2014, 8, 31)),
        ("6月底前", date(2014, 6, 30)),
        ("9月底前", date(2014, 9, 30)),
        ("十月底前", date(2014, 10, 31)),
        ("十二月底前", date(2014, 12, 31)),
        ("十一月三十日前", date(2014, 11, 30)),
        ("８月底前", date(2014, 8, 31)),
        ("2015年10月底前", date(2015, 10, 31)),
        ("2015年3月15日前", date(2015, 3, 15)),
        ("二〇一五年十月底前", date(2015, 10, 31)),
        ("２０１５年１０月底前", date(2015, 10, 31)),
        ("上半年", date(2014, 6, 30)),
        ("下半年", date(2014, 12, 31)),
        ("第一季度", date(2014, 3, 31)),
        ("第二季度", date(2014, 6, 30)),
        ("第三季度", date(2014, 9, 30)),
        ("第四季度", date(2014, 12, 31)),
        ("第3季度", date(2014, 9, 30)),
        ("一季度", date(2014, 3, 31)),
        ("三季度", date(2014, 9, 30)),
        ("年内", date(2014, 12, 31)),
        ("年  内", date(2014, 12, 31)),
        ("年底前", date(2014, 12, 31)),
        ("年底", date(2014, 12, 31)),
        ("本年度内", date(2014, 12, 31)),
        ("2015年底前", date(2015, 12, 31)),
        ("8月底前完成", date(2014, 8, 31)),
        ("8 月 底 前", date(2014, 8, 31)),
    ],
)
def test_fixed(phrase: str, due: date) -> None:
    spec = parse_deadline(phrase, Y)
    assert (spec.kind, spec.due, spec.needs_review) == (FIXED, due, False)


@pytest.mark.parametrize(
    ("phrase", "year", "due"),
    [
        ("2月底前", 2016, date(2016, 2, 29)),
        ("2月底前", 2015, date(2015, 2, 28)),
        ("2月底前", 2000, date(2000, 2, 29)),
        ("2月底前", 1900, date(1900, 2, 28)),
        ("2月29日前", 2016, date(2016, 2, 29)),
    ],
)
def test_february_month_end_and_leap_years(phrase: str, year: int, due: date) -> None:
    assert parse_deadline(phrase, year).due == due


@pytest.mark.parametrize(
    "phrase", ["13月底前", "0月底前", "2月30日前", "4月31日", "2月29日前", "十三月底前"]
)
def test_invalid_dates_need_review(phrase: str) -> None:
    spec = parse_deadline(phrase, 2015)  # 2015 is not a leap year
    assert spec == DeadlineSpec(phrase, DeadlineKind.NONE, needs_review=True)


@pytest.mark.parametrize(
    "phrase", ["实时", "实  时", "长期坚持", "持续推进", "长期", "常态化", "及时"]
)
def test_continuous(phrase: str) -> None:
    spec = parse_deadline(phrase, Y)
    assert (spec.kind, spec.due, spec.needs_review) == (DeadlineKind.CONTINUOUS, None, False)


@pytest.mark.parametrize(
    ("phrase", "period"),
    [
        ("每月", Period.MONTH),
        ("每季度", Period.QUARTER),
        ("每年", Period.YEAR),
        ("逐年完成", Period.YEAR),
        ("由近及远逐年完成", Period.YEAR),
        ("由近及远 逐年完成", Period.YEAR),
        ("由近及远\n逐年完成", Period.YEAR),
    ],
)
def test_recurring(phrase: str, period: Period) -> None:
    spec = parse_deadline(phrase, Y)
    assert (spec.kind, spec.period, spec.due) == (DeadlineKind.RECURRING, period, None)


@pytest.mark.parametrize(
    ("phrase", "text", "kind", "n"),
    [
        ("文件下发20个工作日内", "文件下发20个工作日内", DeadlineKind.RELATIVE, 20),
        ("文件下发20\n个工作日内", "文件下发20个工作日内", DeadlineKind.RELATIVE, 20),
        ("文件下发二十个工作日内", "文件下发二十个工作日内", DeadlineKind.RELATIVE, 20),
        ("文件下发２０个工作日内", "文件下发20个工作日内", DeadlineKind.RELATIVE, 20),
        ("文件印发后15个工作日内", "文件印发后15个工作日内", DeadlineKind.RELATIVE, 15),
        ("文件印发后十五个工作日内", "文件印发后十五个工作日内", DeadlineKind.RELATIVE, 15),
        ("印发后15个工作日内", "印发后15个工作日内", DeadlineKind.RELATIVE, 15),
        ("本方案下发后10个工作日内", "本方案下发后10个工作日内", DeadlineKind.RELATIVE, 10),
        ("与文件同步", "与文件同步", DeadlineKind.RELATIVE, 0),
        (
            "处罚决定文件下发20个工作日内",
            "处罚决定文件下发20个工作日内",
            DeadlineKind.PER_EVENT,
            20,
        ),
        (
            "行政许可决定作出之日起二十个工作日内",
            "行政许可决定作出之日起二十个工作日内",
            DeadlineKind.PER_EVENT,
            20,
        ),
        (
            "收到申请之日起15个工作日内",
            "收到申请之日起15个工作日内",
            DeadlineKind.PER_EVENT,
            15,
        ),
        (
            "自审批决定作出之日起7个工作日内",
            "自审批决定作出之日起7个工作日内",
            DeadlineKind.PER_EVENT,
            7,
        ),
    ],
)
def test_working_days(phrase: str, text: str, kind: DeadlineKind, n: int) -> None:
    assert parse_deadline(phrase, Y) == DeadlineSpec(text, kind, workdays=n)


@pytest.mark.parametrize(
    "phrase",
    [
        "文件下发后10日内",  # calendar days: never converted
        "收到申请之日起15天内",
        "20个工作日内",  # no subject: whose issue?
        "领导满意为止",
        "8月",
        "每月10日前",
        "视情况而定",
        "2014",
        "—",
    ],
)
def test_unrecognised_phrases_are_kept_and_flagged(phrase: str) -> None:
    assert parse_deadline(phrase, Y) == DeadlineSpec(phrase, DeadlineKind.NONE, needs_review=True)


@pytest.mark.parametrize("phrase", ["", "   ", "\n", "\u3000"])
def test_empty_is_none_without_review(phrase: str) -> None:
    assert parse_deadline(phrase, Y) == DeadlineSpec("", DeadlineKind.NONE)


# --- the seed plan -------------------------------------------------------------

SEED_DEADLINES = [
    ("由近及远逐年完成", DeadlineKind.RECURRING, None, None),
    ("8月底前", FIXED, date(2014, 8, 31), None),
    ("6月底前", FIXED, date(2014, 6, 30), None),
    ("9月底前", FIXED, date(2014, 9, 30), None),
    ("文件下发20\n个工作日内", DeadlineKind.RELATIVE, None, 20),
    ("处罚决定文件下发20个工作日内", DeadlineKind.PER_EVENT, None, 20),
    ("年  内", FIXED, date(2014, 12, 31), None),
    ("实  时", DeadlineKind.CONTINUOUS, None, None),
]


@pytest.mark.parametrize(("phrase", "kind", "due", "n"), SEED_DEADLINES)
def test_seed_phrases(phrase: str, kind: DeadlineKind, due: date | None, n: int | None) -> None:
    spec = parse_deadline(phrase, 2014)
    assert (spec.kind, spec.due, spec.workdays, spec.needs_review) == (kind, due, n, False)


def test_every_seed_deadline_cell_is_understood() -> None:
    specs = [parse_deadline(cell, 2014) for cell in seed_cells(3)]
    assert not [s.text for s in specs if s.needs_review]
    kinds = {s.kind for s in specs}
    assert kinds == {
        FIXED,
        DeadlineKind.RECURRING,
        DeadlineKind.RELATIVE,
        DeadlineKind.PER_EVENT,
        DeadlineKind.CONTINUOUS,
        DeadlineKind.NONE,  # merged cells, filled in by the importer
    }


# --- resolve_due ---------------------------------------------------------------

CAL = WeekendCalendar()
ON = date(2014, 5, 20)


def test_resolve_fixed() -> None:
    spec = parse_deadline("8月底前", 2014)
    assert resolve_due(spec, issued=None, calendar=CAL, on=ON) == date(2014, 8, 31)


def test_resolve_relative_counts_working_days_after_issue() -> None:
    spec = parse_deadline("文件下发20个工作日内", 2014)
    # Friday 2014-09-26 + 20 weekdays (Sept 29 … Oct 24) = Friday 2014-10-24.
    due = resolve_due(spec, issued=date(2014, 9, 26), calendar=CAL, on=ON)
    assert due == date(2014, 10, 24)


def test_resolve_relative_issue_day_not_counted() -> None:
    spec = DeadlineSpec("x", DeadlineKind.RELATIVE, workdays=1)
    assert resolve_due(spec, issued=date(2014, 9, 22), calendar=CAL, on=ON) == date(2014, 9, 23)
    # Friday + 1 working day is the next Monday.
    assert resolve_due(spec, issued=date(2014, 9, 26), calendar=CAL, on=ON) == date(2014, 9, 29)


def test_resolve_relative_zero_is_the_issue_day() -> None:
    spec = parse_deadline("与文件同步", 2014)
    issued = date(2014, 9, 27)  # a Saturday: 0 working days is still the issue day
    assert resolve_due(spec, issued=issued, calendar=CAL, on=ON) == issued


def test_resolve_relative_without_issue_date_is_none() -> None:
    spec = parse_deadline("文件下发20个工作日内", 2014)
    assert spec.kind is DeadlineKind.RELATIVE
    assert resolve_due(spec, issued=None, calendar=CAL, on=ON) is None


@pytest.mark.parametrize(
    ("phrase", "on", "due"),
    [
        ("每月", date(2014, 5, 20), date(2014, 5, 31)),
        ("每月", date(2016, 2, 1), date(2016, 2, 29)),
        ("每月", date(2014, 12, 31), date(2014, 12, 31)),
        ("每季度", date(2014, 5, 20), date(2014, 6, 30)),
        ("每季度", date(2014, 1, 1), date(2014, 3, 31)),
        ("每季度", date(2014, 10, 1), date(2014, 12, 31)),
        ("由近及远逐年完成", date(2015, 3, 1), date(2015, 12, 31)),
    ],
)
def test_resolve_recurring_is_end_of_current_period(phrase: str, on: date, due: date) -> None:
    spec = parse_deadline(phrase, 2014)
    assert resolve_due(spec, issued=date(2014, 1, 2), calendar=CAL, on=on) == due


@pytest.mark.parametrize("phrase", ["实时", "处罚决定文件下发20个工作日内", "", "领导满意为止"])
def test_resolve_without_due_date(phrase: str) -> None:
    spec = parse_deadline(phrase, 2014)
    assert spec.kind in {DeadlineKind.CONTINUOUS, DeadlineKind.PER_EVENT, DeadlineKind.NONE}
    assert resolve_due(spec, issued=date(2014, 9, 26), calendar=CAL, on=ON) is None


def test_resolve_relative_with_chinas_calendar() -> None:
    from gxdesk.core.workdays import WorkdayCalendar

    spec = parse_deadline("文件下发20个工作日内", 2014)
    due = resolve_due(spec, issued=date(2014, 9, 26), calendar=WorkdayCalendar(), on=ON)
    # 国庆 Oct 1–7 off; Sunday Sept 28 and Saturday Oct 11 worked (调休).
    assert due == date(2014, 10, 29)


# --- properties ----------------------------------------------------------------

PHRASE_CHARS = (
    "0123456789０８一二三十〇两月底末前日号年内上下半第季度每实时长期坚持持续推进逐完成由近及远"
    + ("文件下发印后个工作天之起处罚决定收到申请同步与本 \n\u3000。")
)
phrases = st.one_of(st.text(), st.text(alphabet=PHRASE_CHARS, max_size=20))
years = st.integers(min_value=1, max_value=9998)


@given(phrases, years)
def test_property_never_raises_and_is_consistent(text: str, year: int) -> None:
    spec = parse_deadline(text, year)
    assert (spec.kind is DeadlineKind.FIXED) == (spec.due is not None)
    if spec.kind is DeadlineKind.NONE:
        assert spec.due is None and spec.workdays is None and spec.period is None
    assert (spec.kind is DeadlineKind.RECURRING) == (spec.period is not None)
    assert (spec.kind in {DeadlineKind.RELATIVE, DeadlineKind.PER_EVENT}) == (
        spec.workdays is not None
    )
    assert spec.needs_review == (spec.kind is DeadlineKind.NONE and spec.text != "")


@given(phrases, years)
def test_property_parse_is_idempotent_on_its_text(text: str, year: int) -> None:
    spec = parse_deadline(text, year)
    assert parse_deadline(spec.text, year) == spec


def test_recurring_stays_within_the_plan_year() -> None:
    spec = parse_deadline("每季度", 2014)
    cal = WeekendCalendar()
    late = resolve_due(spec, issued=None, calendar=cal, on=date(2026, 11, 26), year=2014)
    early = resolve_due(spec, issued=None, calendar=cal, on=date(2013, 5, 1), year=2014)
    inside = resolve_due(spec, issued=None, calendar=cal, on=date(2014, 5, 1), year=2014)
    assert (late, early, inside) == (date(2014, 12, 31), date(2014, 3, 31), date(2014, 6, 30))
    assert resolve_due(spec, issued=None, calendar=cal, on=date(2026, 11, 26)) == date(2026, 12, 31)


class NoCalendar:
    """A calendar that knows no year (as for a year nobody has entered)."""

    def add_workdays(self, start: date, n: int) -> date:
        from gxdesk.core.workdays import CalendarUnknownError

        raise CalendarUnknownError(start.year)


def test_explain_due_gives_the_date_or_why_there_is_none() -> None:
    """One home for a deadline's explanation: the task list, the detail pane, the report
    and the Gantt view all take the due date, its note and the missing year from here."""
    from gxdesk.core.deadlines import NO_ISSUE_DATE, DueDate, explain_due

    relative = parse_deadline("印发后15个工作日内", Y)
    on = date(Y, 10, 1)
    issued = date(Y, 9, 26)
    got = explain_due(relative, issued=issued, calendar=WeekendCalendar(), on=on, year=Y)
    assert got == DueDate(WeekendCalendar().add_workdays(issued, 15))
    assert explain_due(relative, issued=None, calendar=WeekendCalendar(), on=on, year=Y) == DueDate(
        None, NO_ISSUE_DATE
    )
    unknown = explain_due(relative, issued=issued, calendar=NoCalendar(), on=on, year=Y)
    assert unknown.due is None and unknown.missing_year == Y and str(Y) in unknown.note
    continuous = parse_deadline("长期坚持", Y)
    assert explain_due(continuous, issued=None, calendar=NoCalendar(), on=on) == DueDate(None)
