"""The monthly report laid out as a 公文: text, vector charts, tables, a landscape annex.

Takes a :class:`gxdesk.ops.report.ReportData` (plain values) and writes the PDF;
reads no database. Sections: 一、总体情况 (figures, change since last month,
two charts), 二、逾期未完成任务, 三、下月到期任务, 四、序时进度滞后任务,
五、各单位推进情况 (and who did not report), the issuing office and date, and
the 附件: every task by category with each unit's latest progress.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    Spacer,
)

from gxdesk.core.numerals import chinese_number
from gxdesk.exchange.pdf.fonts import FontSet
from gxdesk.exchange.pdf.page import LANDSCAPE, LINE, TYPE_W, GongwenDoc
from gxdesk.exchange.pdf.styles import Styles, make_styles

if TYPE_CHECKING:
    from gxdesk.core.documents import ReportData

MAX_CHART_UNITS = 20  # units shown in the lights chart (most red and yellow first)
GREEN = colors.Color(0.25, 0.6, 0.3)
YELLOW = colors.Color(0.95, 0.75, 0.1)
RED = colors.Color(0.8, 0.15, 0.15)
GREY = colors.Color(0.7, 0.7, 0.7)
BLUE = colors.Color(0.2, 0.4, 0.7)


def cn_date(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _short_date(d: dt.date | None) -> str:
    return f"{d.month}月{d.day}日" if d else "—"


def _rate(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}%"


def _summary(data: ReportData) -> str:
    f = data.figures
    s = f.by_status
    parts = [
        f"工作要点共分解任务{f.total}项，其中已完成{s.get('已完成', 0)}项、"
        f"推进中{s.get('推进中', 0)}项、未启动{s.get('未启动', 0)}项、"
        f"长期推进{s.get('长期推进', 0)}项"
    ]
    if s.get("暂缓"):
        parts.append(f"、暂缓{s['暂缓']}项")
    parts.append(
        f"。逾期未完成（红灯）{f.red}项，即将到期（黄灯）{f.yellow}项。"
        f"截至{cn_date(data.on)}已到期任务{f.due}项，按期完成{f.on_time}项，"
        f"按期完成率{_rate(f.rate)}。"
    )
    p = data.previous
    if p is not None:

        def delta(now: int, before: int, unit: str = "项") -> str:
            d = now - before
            return "持平" if d == 0 else (f"增加{d}{unit}" if d > 0 else f"减少{-d}{unit}")

        rate = ""
        if f.rate is not None and p.rate is not None:
            d = f.rate - p.rate
            rate = (
                "，按期完成率持平" if abs(d) < 0.05
                else f"，按期完成率{'上升' if d > 0 else '下降'}{abs(d):.1f}个百分点"
            )  # fmt: skip
        parts.append(
            f"与上月末相比，已完成任务{delta(f.done, p.done)}，红灯任务{delta(f.red, p.red)}{rate}。"
        )
    return "".join(parts)


def _drawing(width: float, height: float, st: Styles) -> Drawing:
    d = Drawing(width, height)
    # The renderer starts each drawing in Times-Roman (not embedded) unless told otherwise.
    d.initialFontName = st.fonts.body
    return d


def _stack(
    chart: VerticalBarChart | HorizontalBarChart,
    st: Styles,
    names: list[str],
    name_size: float,
    fills: tuple[colors.Color, ...],
) -> None:
    """The look both report charts share: stacked bars on a light grid, in the body face."""
    chart.categoryAxis.style = "stacked"
    chart.categoryAxis.categoryNames = names
    chart.categoryAxis.labels.fontName = st.fonts.body
    chart.categoryAxis.labels.fontSize = name_size
    chart.valueAxis.valueMin = 0
    chart.valueAxis.forceZero = 1
    chart.valueAxis.labels.fontName = st.fonts.body
    chart.valueAxis.labels.fontSize = 9
    chart.valueAxis.visibleGrid = 1
    chart.valueAxis.gridStrokeColor = colors.Color(0.85, 0.85, 0.85)
    for i, colour in enumerate(fills):
        chart.bars[i].fillColor = colour
        chart.bars[i].strokeColor = None


def _legend(
    st: Styles, x: float, y: float, step: float, pairs: list[tuple[colors.Color, str]]
) -> Legend:
    """One row of colour keys, right-aligned text in the body face."""
    legend = Legend()
    legend.x, legend.y = x, y
    legend.columnMaximum = 1
    legend.deltax = step
    legend.fontName = st.fonts.body
    legend.fontSize = 10.5
    legend.alignment = "right"
    legend.colorNamePairs = pairs
    return legend


def _category_chart(data: ReportData, st: Styles, width: float) -> Drawing:
    cats = data.categories
    height = 62 * mm
    d = _drawing(width, height, st)
    chart = VerticalBarChart()
    chart.x, chart.y = 14 * mm, 16 * mm
    chart.width, chart.height = width - 18 * mm, height - 24 * mm
    chart.data = [
        [c.done for c in cats],
        [c.in_progress for c in cats],
        [c.not_started for c in cats],
    ]
    _stack(chart, st, [chinese_number(c.seq) for c in cats], 10.5, (GREEN, BLUE, GREY))
    d.add(chart)
    d.add(_legend(st, 16 * mm, height - 2 * mm, 26 * mm,
                  [(GREEN, "已完成"), (BLUE, "推进中"), (GREY, "未启动")]))  # fmt: skip
    d.add(String(width / 2, 3 * mm, "各类别任务完成情况（项）", fontName=st.fonts.hei,
                 fontSize=10.5, textAnchor="middle"))  # fmt: skip
    return d


def _lights_chart(data: ReportData, st: Styles, width: float) -> tuple[Drawing, int]:
    ranked = sorted(data.unit_lights, key=lambda u: (-u.red, -u.yellow, u.name))
    shown = list(reversed(ranked[:MAX_CHART_UNITS]))  # the chart draws bottom-up
    row = 6.2 * mm
    height = len(shown) * row + 26 * mm
    d = _drawing(width, height, st)
    chart = HorizontalBarChart()
    chart.x, chart.y = 38 * mm, 14 * mm
    chart.width, chart.height = width - 44 * mm, len(shown) * row
    chart.data = [[u.red for u in shown], [u.yellow for u in shown], [u.green for u in shown]]
    _stack(chart, st, [u.name for u in shown], 9, (RED, YELLOW, GREEN))
    chart.categoryAxis.labels.boxAnchor = "e"
    d.add(chart)
    d.add(_legend(st, 40 * mm, height - 2 * mm, 24 * mm,
                  [(RED, "红灯"), (YELLOW, "黄灯"), (GREEN, "绿灯")]))  # fmt: skip
    d.add(String(width / 2, 3 * mm, "各单位任务红黄绿灯情况（项）", fontName=st.fonts.hei,
                 fontSize=10.5, textAnchor="middle"))  # fmt: skip
    return d, len(ranked)


def _h1(st: Styles, text: str) -> list[Flowable]:
    """A level-one heading, moved to the next page rather than left alone at the foot."""
    return [CondPageBreak(30 * mm), st.p(text, st.h1)]


def _w(*parts: float) -> list[float]:
    """Column widths in millimetres that fill the given share of the type width."""
    return [p * mm for p in parts]


def _body_story(data: ReportData, st: Styles) -> list[Flowable]:
    story: list[Flowable] = [st.p("\n".join(data.title_lines), st.title)]
    if data.subtitle:
        story.append(st.p(f"（{data.subtitle}）", st.subtitle))
    story.append(st.p(f"（截至{cn_date(data.on)}）", st.subtitle))
    scope = f"{data.subtitle}承担的" if data.subtitle else ""
    story.append(
        st.p(f"现将《{data.plan_title}》{scope}各项任务截至{cn_date(data.on)}的推进情况通报如下。",
             st.body)
    )  # fmt: skip
    for note in data.notes:
        story.append(st.p(f"说明：{note}。", st.note))

    story.append(st.p("一、总体情况", st.h1))
    story.append(st.p(_summary(data), st.body))
    story.append(CondPageBreak(70 * mm))
    if data.categories:  # (a plan always has some; a chart of nothing cannot be drawn)
        story.append(st.p("（一）各类别完成情况", st.h2))
        story.append(_category_chart(data, st, TYPE_W))
    if data.unit_lights:
        chart, count = _lights_chart(data, st, TYPE_W)
        head = [st.p("（二）各单位红黄绿灯情况", st.h2)]
        if count > MAX_CHART_UNITS:
            head.append(st.p(f"（共{count}个单位，图中列红灯、黄灯最多的{MAX_CHART_UNITS}个）",
                             st.note))  # fmt: skip
        story.append(KeepTogether([*head, chart]))

    story += _h1(st, "二、逾期未完成任务（红灯）")
    if data.red:
        story.append(
            st.p(
                f"截至{cn_date(data.on)}，已过完成时限仍未完成的任务共{len(data.red)}项：", st.body
            )
        )
        story.append(
            st.table(
                [
                    "编号",
                    "工作任务",
                    "完成时限",
                    "逾期\n工作日",
                    "责任单位",
                    "最新进展",
                    "催办\n次数",
                ],
                [
                    [
                        r.label,
                        r.name,
                        f"{r.deadline_text}\n{_short_date(r.due)}",
                        "—" if r.overdue_workdays is None else str(r.overdue_workdays),
                        r.units_text,
                        r.latest,
                        str(r.chased),
                    ]
                    for r in data.red
                ],
                _w(11, 30, 22, 14, 24, 43, 12),
                center=frozenset({0, 3, 6}),
            )  # fmt: skip
        )
    else:
        story.append(st.p(f"截至{cn_date(data.on)}，无逾期未完成任务。", st.body))

    story += _h1(st, f"三、下月（{data.next_month_label}）到期任务")
    if data.next_month:
        story.append(
            st.table(
                ["编号", "工作任务", "完成时限", "到期日", "责任单位", "当前状态"],
                [
                    [d.label, d.name, d.deadline_text, _short_date(d.due), d.units_text, d.status]
                    for d in data.next_month
                ],
                _w(11, 50, 24, 18, 35, 18),
                center=frozenset({0, 3, 5}),
            )
        )
    else:
        story.append(st.p(f"{data.next_month_label}无到期任务。", st.body))

    story += _h1(st, "四、序时进度滞后任务")
    story.append(
        st.p(
            "序时进度为任务起始日至完成时限之间已过工作日所占比例。以下为报送进度落后序时进度"
            "10个百分点以上、尚未到期的任务（落后30个百分点以上为严重滞后）。",
            st.body,
        )
    )
    far = [x for x in data.lagging if x.lag > 30]
    near = [x for x in data.lagging if x.lag <= 30]
    for n, (label, items) in enumerate(
        (("严重滞后（落后30个百分点以上）", far), ("滞后（落后10至30个百分点）", near)), 1
    ):
        story.append(st.p(f"（{chinese_number(n)}）{label}：{len(items)}项", st.h2))
        story.append(Spacer(1, 2))
        if items:
            story.append(
                st.table(
                    ["编号", "工作任务", "单位", "到期日", "序时进度", "报送进度", "落后"],
                    [
                        [
                            x.label,
                            x.name,
                            x.unit,
                            _short_date(x.due),
                            f"{x.expected}%",
                            f"{x.reported}%",
                            f"{x.lag}",
                        ]
                        for x in items
                    ],
                    _w(11, 46, 31, 18, 18, 18, 14),
                    center=frozenset({0, 3, 4, 5, 6}),
                )  # fmt: skip
            )

    story += _h1(st, "五、各单位推进情况")
    if data.units:
        story.append(
            st.table(
                [
                    "单位",
                    "任务数",
                    "已完成",
                    "红灯",
                    "已到期",
                    "按期完成",
                    "按期完成率",
                    "本月报送",
                    "被催办",
                ],
                [
                    [
                        u.name,
                        str(u.tasks),
                        str(u.done),
                        str(u.red),
                        str(u.due),
                        str(u.on_time),
                        _rate(u.rate),
                        "已报送"
                        if u.reported
                        else ("未报送" if u.expected_to_report else "无需报送"),
                        str(u.chased),
                    ]
                    for u in data.units
                ],
                _w(33, 14, 14, 12, 14, 17, 21, 17, 14),
                center=frozenset(range(1, 9)),
            )  # fmt: skip
        )
    if data.silent_units:
        story.append(
            st.p(
                f"本月未报送进展的单位（{len(data.silent_units)}个）：{'、'.join(data.silent_units)}。"
                "请上述单位抓紧报送。",
                st.body,
            )
        )
    else:
        story.append(st.p("本月各单位均已报送进展。", st.body))
    story.append(Spacer(1, LINE))
    story.append(KeepTogether([st.p(data.office.name, st.signature),
                               st.p(cn_date(data.on), st.signature)]))  # fmt: skip
    return story


def _progress_text(task) -> str:  # type: ignore[no-untyped-def]
    if not task.progress:
        return "尚未报送进展"
    lines = []
    for p in task.progress:
        share = f"，{p.percent}%" if p.percent is not None else ""
        lines.append(f"{p.unit}（{p.status}{share}，{_short_date(p.reported_on)}）：{p.text}")
    return "\n".join(lines)


def _annex_story(data: ReportData, st: Styles) -> list[Flowable]:
    story: list[Flowable] = [
        NextPageTemplate(LANDSCAPE),
        PageBreak(),
        st.p("附件", st.h1),
        st.p("任务推进情况明细表", st.title),
    ]
    for cat in data.detail:
        story.append(CondPageBreak(40 * mm))  # a category's heading never ends a page
        story.append(st.p(f"（{chinese_number(cat.seq)}）{cat.title}", st.h2))
        story.append(
            st.table(
                ["编号", "工作任务", "完成时限", "责任单位", "状态", "各单位最新进展"],
                [
                    [
                        t.label,
                        t.name,
                        t.deadline_text or "—",
                        t.units_text,
                        f"{t.status}\n{t.light.label}",
                        _progress_text(t),
                    ]
                    for t in cat.tasks
                ],
                _w(14, 52, 24, 36, 17, 82),
                center=frozenset({0, 4}),
            )  # fmt: skip
        )
    return story


def report_story(data: ReportData, fonts: FontSet) -> list[Flowable]:
    st = make_styles(fonts)
    return _body_story(data, st) + _annex_story(data, st)


def render_report(data: ReportData, out: Path, *, fonts: FontSet) -> Path:
    """Write the report PDF to ``out`` (through a temporary file beside it)."""
    out = Path(out)
    tmp = out.with_name(out.name + ".part")
    title = data.title + (f"（{data.subtitle}）" if data.subtitle else "")
    doc = GongwenDoc(
        tmp, number_font=fonts.body, title=title, author=data.office.name,
        subject=data.plan_title,
    )  # fmt: skip
    try:
        doc.build(report_story(data, fonts))
        tmp.replace(out)
    finally:
        tmp.unlink(missing_ok=True)
    return out
