"""The monthly 工作推进情况月报: everything it says, gathered from the store as plain values.

:func:`gather_report` reads the plan, the lights, the latest reports, the 催办
log and last month's standing into a :class:`ReportData` (frozen dataclasses,
no database, no Qt), which :mod:`gxdesk.exchange.report_pdf` lays out.
:func:`write_report` is both in one call, for the command line, the window and
the self-test.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from gxdesk.core.documents import (
    CategoryFigure,
    DetailCategory,
    DetailTask,
    DueItem,
    Figures,
    LagItem,
    Previous,
    ProgressLine,
    RedItem,
    ReportData,
    UnitLights,
    UnitSummary,
)
from gxdesk.core.figures import lag_level, on_time_rate, percent
from gxdesk.core.model import Light, Status
from gxdesk.core.schedule import expected_percent, plan_start, workdays_overdue
from gxdesk.core.status import DEFAULT_YELLOW_WORKDAYS, light_for
from gxdesk.core.views import ProgressView, TaskRow
from gxdesk.store import queries
from gxdesk.store.database import Database
from gxdesk.store.office import office_info
from gxdesk.store.reminders import chase_counts
from gxdesk.store.report_queries import statuses_before, units_reported

if TYPE_CHECKING:
    from gxdesk.exchange.pdf.fonts import FontSet

Progress = Callable[[int, int, str], None]


class ReportError(ValueError):
    """A report that cannot be made (no plan, unknown unit, a bad month); for the clerk."""


def parse_month(text: str) -> tuple[int, int]:
    try:
        year, month = (int(x) for x in text.split("-"))
        dt.date(year, month, 1)
    except ValueError:
        raise ReportError(f"月份格式应为 YYYY-MM：{text}") from None
    return year, month


def _month_end(year: int, month: int) -> dt.date:
    nxt = dt.date(year + month // 12, month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def _label(row: TaskRow) -> str:
    """1.3: the third task of category 一 (Arabic: “一-3” reads as a dash in print)."""
    return f"{row.category_seq}.{row.seq}"


def _finished(views: list[ProgressView]) -> dt.date | None:
    """When a task was finished: the last completion date among its done reports."""
    done = [v.done_on or v.reported_at.date() for v in views if v.status is Status.DONE]
    return max(done) if done else None


def _latest_line(views: list[ProgressView]) -> str:
    if not views:
        return "尚未报送进展"
    v = max(views, key=lambda p: (p.reported_at, p.id))
    share = f"（{v.percent}%）" if v.percent is not None else ""
    return f"{v.unit}：{v.status.value}{share}{v.text}"


def resolve_dates(
    month: str | None, on: dt.date | None, today: dt.date | None = None
) -> tuple[str, dt.date]:
    """The report's month and its evaluation day.

    Without ``on``: today, or the month's last day when the month is already over.
    Without ``month``: the month of ``on``.
    """
    today = today or dt.date.today()
    if month is None:
        on = on or today
        return f"{on.year:04d}-{on.month:02d}", on
    year, m = parse_month(month)
    if on is None:
        end = _month_end(year, m)
        on = end if end < today else max(today, dt.date(year, m, 1))
    return f"{year:04d}-{m:02d}", on


def gather_report(
    db: Database,
    *,
    month: str | None = None,
    unit: str | None = None,
    on: dt.date | None = None,
    yellow_workdays: int = DEFAULT_YELLOW_WORKDAYS,
    progress: Progress | None = None,
) -> ReportData:
    """Everything the report prints, as of ``on`` for ``month`` (see :func:`resolve_dates`)."""
    step = progress or (lambda _d, _t, _s: None)
    month, on = resolve_dates(month, on)
    year, m = parse_month(month)
    plan = queries.current_plan(db)
    if plan is None:
        raise ReportError("数据库中还没有工作要点，请先导入")
    step(0, 5, "读取任务")
    calendar = queries.load_calendar(db)
    rows = queries.list_tasks(db, plan.id, on=on, calendar=calendar, yellow_workdays=yellow_workdays)
    all_units = queries.units(db)
    unit_row = None
    if unit:
        try:
            unit_row = queries.unit_by_name(db, unit)
        except LookupError as exc:
            raise ReportError(str(exc)) from None
        mine = queries.task_ids_of_unit(db, unit_row.id)
        rows = [r for r in rows if r.id in mine]
        if not rows:
            raise ReportError(f"{unit_row.name}没有承担本计划的任务，无需生成月报")
    ids = [r.id for r in rows]
    step(1, 5, "读取进展")
    latest = queries.latest_progress(db, ids)
    assigned = queries.assignments(db, ids)
    chases = chase_counts(db, before=on)
    chased_task: Counter[int] = Counter()
    chased_unit: Counter[int] = Counter()
    for (u, t), n in chases.items():
        chased_task[t] += n
        chased_unit[u] += n
    notes = sorted({r.due_note for r in rows if r.due_note and r.missing_year is not None})

    # 1. figures, and last month's
    by_status = Counter(r.status.value for r in rows)
    lights = Counter(r.light for r in rows)
    finished = {r.id: _finished(latest.get(r.id, [])) for r in rows}
    done_on_time, due_count = on_time_rate(
        ((r.due, finished[r.id] if r.status is Status.DONE else None) for r in rows), on
    )
    figures = Figures(
        len(rows), dict(by_status), lights[Light.RED], lights[Light.YELLOW],
        done_on_time, due_count, percent(done_on_time, due_count),
    )  # fmt: skip
    step(2, 5, "对比上月")
    first = dt.date(year, m, 1)
    prev_end = first - dt.timedelta(days=1)
    previous = None
    if plan.issued_on is None or prev_end >= plan.issued_on:
        before = statuses_before(db, plan.id, dt.datetime.combine(first, dt.time()))
        prev_rows = queries.list_tasks(db, plan.id, on=prev_end, calendar=calendar)
        keep = set(ids)
        prev_rows = [r for r in prev_rows if r.id in keep]
        prev_status = {r.id: before.get(r.id, Status.NOT_STARTED) for r in prev_rows}
        red_prev = sum(
            light_for(prev_status[r.id], r.due, prev_end, calendar.workdays_between) is Light.RED
            for r in prev_rows
        )
        p_done, p_due = on_time_rate(
            (
                (r.due, finished[r.id] if prev_status[r.id] is Status.DONE else None)
                for r in prev_rows
            ),
            prev_end,
        )
        previous = Previous(
            f"{prev_end.year:04d}-{prev_end.month:02d}",
            sum(s is Status.DONE for s in prev_status.values()),
            red_prev,
            percent(p_done, p_due),
        )

    # 2. charts
    cats: dict[int, list[TaskRow]] = defaultdict(list)
    for r in rows:
        cats[r.category_seq].append(r)
    categories = tuple(
        CategoryFigure(
            seq, group[0].category_title, len(group),
            sum(r.status is Status.DONE for r in group),
            sum(r.status in (Status.IN_PROGRESS, Status.ONGOING) for r in group),
            sum(r.status in (Status.NOT_STARTED, Status.SUSPENDED) for r in group),
        )
        for seq, group in sorted(cats.items())
    )  # fmt: skip

    # 3. red list, 4. next month
    overdue = sorted(
        ((r.due, r) for r in rows if r.light is Light.RED and r.due is not None),
        key=lambda pair: pair[0],
    )
    red = tuple(
        RedItem(
            r.id, _label(r), r.name, r.deadline_text, due,
            workdays_overdue(due, on, calendar), r.units_text,
            _latest_line(latest.get(r.id, [])), chased_task[r.id],
        )
        for due, r in overdue
    )  # fmt: skip
    ny, nm = (year + 1, 1) if m == 12 else (year, m + 1)
    n_first, n_end = dt.date(ny, nm, 1), _month_end(ny, nm)
    next_month = tuple(
        DueItem(r.id, _label(r), r.name, r.deadline_text, r.due, r.units_text, r.status.value)
        for r in sorted(rows, key=lambda r: (r.due or n_end, r.category_seq, r.seq))
        if r.due and n_first <= r.due <= n_end and r.status is not Status.DONE
    )

    # 5. 序时进度
    start = plan_start(plan.year, plan.issued_on)
    lagging = []
    for r in rows:
        if r.due is None or r.due < on or r.status is Status.DONE:
            continue
        expected = expected_percent(start, r.due, on, calendar)
        for v in latest.get(r.id, []):
            if unit_row is not None and v.unit_id != unit_row.id:
                continue
            if v.status is not Status.DONE and lag_level(expected, v.percent):
                assert expected is not None and v.percent is not None
                lagging.append(LagItem(r.id, _label(r), r.name, v.unit, r.due, expected, v.percent))
    lagging.sort(key=lambda x: (-x.lag, x.due, x.label))

    # 6. per unit
    step(3, 5, "各单位情况")
    reported = units_reported(db, plan.id, month)
    members = {u.id: u.members for u in all_units}
    unit_tasks: dict[int, set[int]] = defaultdict(set)
    for task_id, views in assigned.items():
        for a in views:
            targets = members.get(a.unit_id, ()) if a.is_group else (a.unit_id,)
            for uid in targets:
                unit_tasks[uid].add(task_id)
    by_id = {r.id: r for r in rows}
    own: dict[tuple[int, int], ProgressView] = {}
    for task_id, reports in latest.items():
        for v in reports:
            own[(v.unit_id, task_id)] = v
    summaries = []
    for reporter in all_units:
        if reporter.is_group or reporter.id not in unit_tasks:
            continue
        if unit_row is not None and reporter.id != unit_row.id:
            continue
        tasks = [by_id[t] for t in sorted(unit_tasks[reporter.id]) if t in by_id]
        if not tasks:
            continue

        def unit_done(r: TaskRow, uid: int = reporter.id) -> dt.date | None:
            v = own.get((uid, r.id))
            if v is not None and v.status is Status.DONE:
                return v.done_on or v.reported_at.date()
            return None

        ok, due_n = on_time_rate(((r.due, unit_done(r)) for r in tasks), on)
        expected_to_report = any(r.status is not Status.DONE for r in tasks)
        summaries.append(
            UnitSummary(
                reporter.id, reporter.name, len(tasks), sum(unit_done(r) is not None for r in tasks),
                sum(r.light is Light.RED for r in tasks), ok, due_n, percent(ok, due_n),
                reporter.id in reported, expected_to_report, chased_unit[reporter.id],
            )
        )  # fmt: skip
    unit_lights = tuple(
        UnitLights(
            s.name,
            *(
                sum(by_id[t].light is light for t in unit_tasks[s.unit_id] if t in by_id)
                for light in (Light.RED, Light.YELLOW, Light.GREEN)
            ),
        )
        for s in summaries
    )
    silent = tuple(s.name for s in summaries if s.expected_to_report and not s.reported)

    # 7. detail
    step(4, 5, "任务明细")
    detail = tuple(
        DetailCategory(
            seq,
            group[0].category_title,
            tuple(
                DetailTask(
                    _label(r), r.name, r.deadline_text, r.due, r.status.value, r.light,
                    r.units_text,
                    tuple(
                        ProgressLine(v.unit, v.status.value, v.percent, v.text,
                                     v.reported_at.date())
                        for v in latest.get(r.id, [])
                    ),
                )
                for r in group
            ),
        )
        for seq, group in sorted(cats.items())
    )  # fmt: skip
    head, tail = f"{year}年政府信息公开工作", f"推进情况月报（{m}月）"
    return ReportData(
        title=head + tail,
        title_lines=(head, tail),
        subtitle=unit_row.name if unit_row else "",
        month=month,
        on=on,
        plan_title=plan.title,
        office=office_info(db),
        figures=figures,
        previous=previous,
        categories=categories,
        unit_lights=unit_lights,
        red=red,
        next_month=next_month,
        next_month_label=f"{nm}月",
        lagging=tuple(lagging),
        units=tuple(summaries),
        silent_units=silent,
        detail=detail,
        notes=tuple(notes),
    )


def document_fonts() -> FontSet:
    """The faces of the printed documents: the PC's own 公文 fonts, else the bundled ones."""
    from gxdesk.exchange.pdf.fonts import report_fonts
    from gxdesk.paths import resource

    return report_fonts(resource("fonts"))


def write_report(
    db: Database,
    out: Path,
    *,
    month: str | None = None,
    unit: str | None = None,
    on: dt.date | None = None,
    progress: Progress | None = None,
) -> Path:
    """Gather and print the monthly report to ``out`` (a PDF); returns ``out``.

    The same data and ``on`` give byte-identical files. The file is written beside
    ``out`` first and moved into place, so a failure never leaves half a PDF.
    """
    from gxdesk.exchange.report_pdf import render_report

    data = gather_report(db, month=month, unit=unit, on=on, progress=progress)
    return render_report(data, Path(out), fonts=document_fonts())
