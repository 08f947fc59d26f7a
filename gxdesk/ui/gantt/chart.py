"""Painting the chart with QPainter: one routine for the window, the printer and the files.

:func:`paint_chart` draws a :class:`Frame` — which rows, which days, at which
scale — and nothing else: the view asks for the rows and days on screen, the
export for those of one page. So a frame's cost depends on its size, never on
the plan's, and what is printed is what the window shows.

Layout of a frame: the task-name column on the left and the two-tier time
header on top stay put; the chart area beside and below them shows the days
``x_offset`` onwards and the rows ``first_row`` onwards.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from gxdesk.core.model import Light
from gxdesk.ui.gantt.bars import Bar, BarStyle, PlanDates, bar_for, chart_span, row_dates
from gxdesk.ui.gantt.days import DayKind, DayKinds
from gxdesk.ui.gantt.timescale import TimeScale, TimeUnit
from gxdesk.ui.labels import cn_date
from gxdesk.ui.qt import Qt, QtCore, QtGui
from gxdesk.ui.task_model import LIGHT_COLORS

if TYPE_CHECKING:
    from gxdesk.core.views import TaskRow
    from gxdesk.core.workdays import WorkdayCalendar

NAME_WIDTH = 250
TIER_HEIGHT = 22
ROW_HEIGHT = 26  # the table's row height: the two scroll row by row together
HEADER_HEIGHT = 2 * TIER_HEIGHT
WEEKEND_MIN_PX = 3.0  # below this a weekend is a hairline: shade holidays only

BACKGROUND = QtGui.QColor("#ffffff")
NAME_BACKGROUND = QtGui.QColor("#f7f7f7")
HEADER_BACKGROUND = QtGui.QColor("#eef1f5")
GRID = QtGui.QColor("#dde1e6")
GRID_STRONG = QtGui.QColor("#aab2bd")
TEXT = QtGui.QColor("#202124")
MUTED = QtGui.QColor("#6b7075")
SELECTED = QtGui.QColor("#d4e4fb")
DAY_COLORS = {
    DayKind.WEEKEND: QtGui.QColor("#ececec"),
    DayKind.HOLIDAY: QtGui.QColor("#fadcdc"),
    DayKind.MAKEUP: QtGui.QColor("#fff0cc"),
    DayKind.UNKNOWN: QtGui.QColor("#b0b0b0"),
}
MAKEUP_MARK = QtGui.QColor("#e37400")
STATUS_LINE = QtGui.QColor("#1a56db")
EXPECTED_TICK = QtGui.QColor("#202124")
DONE_COLOR = QtGui.QColor("#5f6b7a")


class ChartSource:
    """The rows a chart shows, with their bars made on first use and kept.

    The view keeps one source per load of the data: sorting and filtering only
    reorder rows whose bars are already known; bars are computed for the rows
    that are painted, so opening the chart costs the same for 30 rows or 20,000.
    """

    def __init__(
        self,
        rows: Sequence[TaskRow],
        plan: PlanDates,
        calendar: WorkdayCalendar,
        title: str = "",
        span: tuple[dt.date, dt.date] | None = None,
    ) -> None:
        self.rows = rows
        self.plan = plan
        self.calendar = calendar
        self.days = DayKinds(calendar)
        self.title = title
        self.span = span or chart_span(row_dates(rows), plan)
        self._bars: dict[int, Bar] = {}

    def with_rows(self, rows: Sequence[TaskRow]) -> ChartSource:
        """The same data in another order or under another filter: bars are kept."""
        other = ChartSource.__new__(ChartSource)
        other.__dict__.update(self.__dict__)
        other.rows = rows
        return other

    def bar(self, row: TaskRow) -> Bar:
        found = self._bars.get(row.id)
        if found is None:
            found = self._bars[row.id] = bar_for(row, self.plan, self.calendar)
        return found

    @property
    def bars_made(self) -> int:
        return len(self._bars)


@dataclass
class Frame:
    """One picture of the chart: which rows and days, where, at which scale."""

    source: ChartSource
    scale: TimeScale
    width: int
    height: int
    x_offset: float = 0.0  # scale x shown at the chart area's left edge
    first_row: int = 0
    y_shift: int = 0  # pixels of the first row above the body (scrolled to the very end)
    last_row: int | None = None  # exclusive; None = as many as fit
    current_row: int = -1
    name_width: int = NAME_WIDTH
    row_height: int = ROW_HEIGHT
    header_height: int = HEADER_HEIGHT

    @property
    def chart_left(self) -> int:
        return self.name_width

    @property
    def chart_width(self) -> float:
        return max(self.width - self.name_width, 0)

    def rows_shown(self) -> range:
        fit = max(0, -(-(self.height - self.header_height + self.y_shift) // self.row_height))
        end = self.first_row + fit
        if self.last_row is not None:
            end = min(end, self.last_row)
        return range(self.first_row, min(end, len(self.source.rows)))

    def x(self, scale_x: float) -> float:
        """Painter x of a scale position."""
        return self.chart_left + scale_x - self.x_offset

    def row_top(self, row: int) -> int:
        return self.header_height + (row - self.first_row) * self.row_height - self.y_shift

    def bar_rect(self, row: int) -> QtCore.QRectF | None:
        """Where the bar of ``row`` lies (None for a row without one)."""
        bar = self.source.bar(self.source.rows[row])
        if bar.start is None or bar.end is None:
            return None
        top = self.row_top(row)
        inset = self.row_height * (0.32 if bar.style is BarStyle.BAND else 0.2)
        x0 = self.x(self.scale.x_of(bar.start))
        x1 = self.x(self.scale.x_end(bar.end))
        return QtCore.QRectF(x0, top + inset, x1 - x0, self.row_height - 2 * inset)

    def status_x(self) -> float:
        return self.x(self.scale.x_mid(self.source.plan.on))

    def days_shown(self) -> tuple[dt.date, dt.date]:
        return self.scale.visible_days(self.x_offset, self.x_offset + self.chart_width)


def paint_chart(p: QtGui.QPainter, frame: Frame) -> None:
    """Draw ``frame`` with its top-left corner at the painter's origin."""
    p.save()
    p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, False)
    p.fillRect(QtCore.QRectF(0, 0, frame.width, frame.height), BACKGROUND)
    rows = frame.rows_shown()
    body = QtCore.QRectF(
        frame.chart_left,
        frame.header_height,
        frame.chart_width,
        frame.height - frame.header_height,
    )
    p.save()
    p.setClipRect(body)
    _paint_days(p, frame, body)
    _paint_grid(p, frame, body)
    if frame.current_row in rows:
        top = frame.row_top(frame.current_row)
        p.fillRect(QtCore.QRectF(0, top, frame.width, frame.row_height), SELECTED)
    for i in rows:
        _paint_bar(p, frame, i)
    _paint_status_line(p, frame, body)
    _paint_status_tag(p, frame)
    p.restore()
    _paint_header(p, frame)
    _paint_names(p, frame, rows)
    p.restore()


# --- the calendar under the bars --------------------------------------------------
def _paint_days(p: QtGui.QPainter, frame: Frame, body: QtCore.QRectF) -> None:
    first, last = frame.days_shown()
    scale = frame.scale
    weekends = scale.px_per_day >= WEEKEND_MIN_PX
    width = max(scale.px_per_day, 1.0)
    hatch = QtGui.QBrush(DAY_COLORS[DayKind.UNKNOWN], Qt.BrushStyle.BDiagPattern)
    for day, kind in frame.source.days.special_days(first, last):
        if kind is DayKind.WEEKEND and not weekends:
            continue
        rect = QtCore.QRectF(frame.x(scale.x_of(day)), body.top(), width, body.height())
        if kind is DayKind.UNKNOWN:
            p.fillRect(rect, hatch)
            continue
        p.fillRect(rect, DAY_COLORS[kind])
        if kind is DayKind.MAKEUP:  # 调休: a working weekend, marked along the top
            p.fillRect(QtCore.QRectF(rect.left(), body.top(), width, 4), MAKEUP_MARK)


def _paint_grid(p: QtGui.QPainter, frame: Frame, body: QtCore.QRectF) -> None:
    first, last = frame.days_shown()
    upper, lower = frame.scale.tiers(p.fontMetrics().horizontalAdvance)
    p.setPen(QtGui.QPen(GRID, 0))
    for seg in frame.scale.segments(lower, first, last):
        x = round(frame.x(frame.scale.x_of(seg.start)))
        p.drawLine(QtCore.QPointF(x, body.top()), QtCore.QPointF(x, body.bottom()))
    p.setPen(QtGui.QPen(GRID_STRONG, 0))
    for seg in frame.scale.segments(upper, first, last):
        x = round(frame.x(frame.scale.x_of(seg.start)))
        p.drawLine(QtCore.QPointF(x, body.top()), QtCore.QPointF(x, body.bottom()))
    p.setPen(QtGui.QPen(GRID, 0))
    for i in frame.rows_shown():
        y = frame.row_top(i) + frame.row_height - 0.5
        p.drawLine(QtCore.QPointF(body.left(), y), QtCore.QPointF(body.right(), y))


# --- one task ---------------------------------------------------------------------
def _light_color(row: TaskRow) -> QtGui.QColor:
    return QtGui.QColor(LIGHT_COLORS[row.light])


def _paint_bar(p: QtGui.QPainter, frame: Frame, i: int) -> None:
    row = frame.source.rows[i]
    bar = frame.source.bar(row)
    top = frame.row_top(i)
    rect = frame.bar_rect(i)
    color = DONE_COLOR if bar.done and row.light is Light.GREEN else _light_color(row)
    p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
    if rect is None:  # no deadline: 待确认
        _note(p, frame, top, frame.x(frame.scale.x_of(frame.source.plan.year_first)), bar.note)
        return
    if bar.style is BarStyle.DASHED:
        pen = QtGui.QPen(color, 1.2, Qt.PenStyle.DashLine)
        p.setPen(pen)
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawRect(rect)
        _note(p, frame, top, max(rect.left(), frame.chart_left) + 4, bar.note)
        return
    light = _pastel(color, 0.28 if bar.style is BarStyle.BAR else 0.18)
    p.setPen(QtGui.QPen(color, 1))
    if bar.style is BarStyle.BAND and row.deadline_kind.value == "per_event":
        p.setBrush(QtGui.QBrush(color, Qt.BrushStyle.Dense6Pattern))
    else:
        p.setBrush(light)
    p.drawRect(rect)
    if bar.percent:
        fill = QtCore.QRectF(
            rect.left(), rect.top(), rect.width() * bar.percent / 100, rect.height()
        )
        p.fillRect(fill, color)
    for tick in bar.ticks:  # each period's end of a recurring deadline
        x = frame.x(frame.scale.x_end(tick))
        p.setPen(QtGui.QPen(color.darker(130), 1.5))
        p.drawLine(QtCore.QPointF(x, rect.top() - 3), QtCore.QPointF(x, rect.bottom() + 3))
    if bar.style is BarStyle.BAR:
        _end_marker(p, rect.right(), rect.center().y(), rect.height() * 0.9, color)
    if bar.expected is not None and 0 < bar.expected <= 100:  # 序时进度
        x = rect.left() + rect.width() * bar.expected / 100
        p.setPen(QtGui.QPen(EXPECTED_TICK, 2))
        p.drawLine(QtCore.QPointF(x, rect.top() - 3), QtCore.QPointF(x, rect.bottom() + 3))
    if bar.done:
        _done_marker(p, frame, bar, rect)
    p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, False)


def _pastel(color: QtGui.QColor, share: float) -> QtGui.QColor:
    """``color`` mixed with white: opaque, so holidays under a bar do not tint it."""
    return QtGui.QColor(
        round(255 + (color.red() - 255) * share),
        round(255 + (color.green() - 255) * share),
        round(255 + (color.blue() - 255) * share),
    )


def _end_marker(p: QtGui.QPainter, x: float, y: float, size: float, color: QtGui.QColor) -> None:
    half = size / 2
    diamond = QtGui.QPolygonF(
        [
            QtCore.QPointF(x, y - half),
            QtCore.QPointF(x + half * 0.8, y),
            QtCore.QPointF(x, y + half),
            QtCore.QPointF(x - half * 0.8, y),
        ]
    )
    p.setPen(QtGui.QPen(color.darker(140), 1))
    p.setBrush(color)
    p.drawPolygon(diamond)


def _done_marker(p: QtGui.QPainter, frame: Frame, bar: Bar, rect: QtCore.QRectF) -> None:
    """A check at the completion date; a late one is joined to the due date in red."""
    if bar.done_on is None:
        x = rect.right() - rect.height()
    else:
        x = frame.x(frame.scale.x_mid(bar.done_on))
    y = rect.center().y()
    s = rect.height() * 0.45
    check = [QtCore.QPointF(x - s, y), QtCore.QPointF(x - s / 3, y + s * 0.7),
             QtCore.QPointF(x + s, y - s * 0.8)]  # fmt: skip
    if bar.late_done:  # red, outside the bar, joined to the due date
        red = QtGui.QColor(LIGHT_COLORS[Light.RED])
        p.setPen(QtGui.QPen(red, 1.5, Qt.PenStyle.DotLine))
        p.drawLine(QtCore.QPointF(rect.right(), y), QtCore.QPointF(x, y))
        p.setPen(QtGui.QPen(QtGui.QColor("#ffffff"), 4))
        p.drawPolyline(check)
        p.setPen(QtGui.QPen(red, 2))
    else:  # white on the filled bar
        p.setPen(QtGui.QPen(QtGui.QColor("#ffffff"), 2.2))
    p.drawPolyline(check)


def paint_done_check(p: QtGui.QPainter, x: float, y: float, size: float) -> None:
    """The done check alone (for the legend)."""
    s = size * 0.45
    p.setPen(QtGui.QPen(QtGui.QColor("#ffffff"), 2))
    p.drawPolyline([QtCore.QPointF(x - s, y), QtCore.QPointF(x - s / 3, y + s * 0.7),
                    QtCore.QPointF(x + s, y - s * 0.8)])  # fmt: skip


def _note(p: QtGui.QPainter, frame: Frame, top: int, x: float, text: str) -> None:
    if not text:
        return
    p.setPen(MUTED)
    x = max(x, frame.chart_left + 4)
    rect = QtCore.QRectF(x, top, frame.width - x - 4, frame.row_height)
    elided = p.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, int(rect.width()))
    p.drawText(rect, int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft), elided)


def _paint_status_line(p: QtGui.QPainter, frame: Frame, body: QtCore.QRectF) -> None:
    x = frame.status_x()
    if not body.left() <= x <= body.right():
        return
    p.setPen(QtGui.QPen(STATUS_LINE, 2))
    p.drawLine(QtCore.QPointF(x, body.top()), QtCore.QPointF(x, body.bottom()))


# --- the fixed parts: header and names ----------------------------------------------
def _paint_header(p: QtGui.QPainter, frame: Frame) -> None:
    scale = frame.scale
    full = QtCore.QRectF(0, 0, frame.width, frame.header_height)
    p.fillRect(full, HEADER_BACKGROUND)
    first, last = frame.days_shown()
    metrics = p.fontMetrics()
    upper, lower = scale.tiers(metrics.horizontalAdvance)
    p.save()
    p.setClipRect(QtCore.QRectF(frame.chart_left, 0, frame.chart_width, frame.header_height + 1))
    for unit, top, is_upper in ((upper, 0, True), (lower, TIER_HEIGHT, False)):
        for seg in scale.segments(unit, first, last, upper=is_upper):
            x0 = frame.x(scale.x_of(seg.start))
            x1 = frame.x(scale.x_of(seg.end))
            cell = QtCore.QRectF(x0, top, x1 - x0, TIER_HEIGHT)
            p.setPen(QtGui.QPen(GRID_STRONG, 0))
            p.drawLine(QtCore.QPointF(round(x0), top), QtCore.QPointF(round(x0), top + TIER_HEIGHT))
            if unit is TimeUnit.DAY:
                kind = frame.source.days.kind(seg.start)
                if kind is not DayKind.WORKDAY:
                    p.fillRect(cell.adjusted(1, 1, 0, 0), DAY_COLORS[kind])
                p.setPen(MAKEUP_MARK if kind is DayKind.MAKEUP else TEXT)
                text = seg.label
            else:
                p.setPen(TEXT)
                text = seg.label
                if is_upper and not frame.source.days.knows(seg.start.year):
                    text += "（日历未知）"  # shown as unknown, never as an ordinary year
            # A label stays in view while its cell is partly scrolled off.
            left = max(x0, frame.chart_left)
            visible = QtCore.QRectF(left, top, max(x1 - left, 0), TIER_HEIGHT)
            align = Qt.AlignmentFlag.AlignVCenter | (
                Qt.AlignmentFlag.AlignHCenter
                if unit is TimeUnit.DAY or not is_upper
                else Qt.AlignmentFlag.AlignLeft
            )
            if visible.width() >= metrics.horizontalAdvance(text) + 4 or unit is TimeUnit.DAY:
                p.drawText(visible.adjusted(4 if is_upper else 0, 0, 0, 0), int(align), text)
    p.restore()
    p.setPen(QtGui.QPen(GRID_STRONG, 0))
    p.drawLine(QtCore.QPointF(0, TIER_HEIGHT), QtCore.QPointF(frame.width, TIER_HEIGHT))
    p.drawLine(
        QtCore.QPointF(0, frame.header_height - 0.5),
        QtCore.QPointF(frame.width, frame.header_height - 0.5),
    )
    if frame.name_width <= 0:  # beside the task table: its header names the column
        return
    corner = QtCore.QRectF(0, 0, frame.name_width, frame.header_height)
    p.fillRect(corner, HEADER_BACKGROUND)
    p.setPen(TEXT)
    p.drawText(
        QtCore.QRectF(8, TIER_HEIGHT, frame.name_width - 8, TIER_HEIGHT),
        int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft),
        "工作任务",
    )
    p.setPen(STATUS_LINE)
    p.drawText(
        QtCore.QRectF(8, 0, frame.name_width - 8, TIER_HEIGHT),
        int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft),
        f"状态日期：{cn_date(frame.source.plan.on)}",
    )


def _paint_status_tag(p: QtGui.QPainter, frame: Frame) -> None:
    """The status date, written at the foot of its line (the header keeps its labels)."""
    x = frame.status_x()
    if not frame.chart_left <= x <= frame.width:
        return
    on = frame.source.plan.on
    text = f"{on.month}月{on.day}日"
    width = p.fontMetrics().horizontalAdvance(text) + 10
    rows = frame.rows_shown()
    bottom = min(frame.height, frame.row_top(rows.stop)) if rows else frame.height
    tag = QtCore.QRectF(x - width / 2, bottom - TIER_HEIGHT + 2, width, TIER_HEIGHT - 4)
    p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(STATUS_LINE)
    p.drawRoundedRect(tag, 3, 3)
    p.setPen(QtGui.QColor("#ffffff"))
    p.drawText(tag, int(Qt.AlignmentFlag.AlignCenter), text)
    p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, False)


def _paint_names(p: QtGui.QPainter, frame: Frame, rows: range) -> None:
    if frame.name_width <= 0:
        return
    body = QtCore.QRectF(0, frame.header_height, frame.name_width, frame.height)
    p.save()
    p.setClipRect(body)
    p.fillRect(body, NAME_BACKGROUND)
    metrics = p.fontMetrics()
    for i in rows:
        row = frame.source.rows[i]
        top = frame.row_top(i)
        if i == frame.current_row:
            p.fillRect(QtCore.QRectF(0, top, frame.name_width, frame.row_height), SELECTED)
        p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(_light_color(row))
        p.drawEllipse(QtCore.QRectF(6, top + frame.row_height / 2 - 5, 10, 10))
        p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, False)
        p.setPen(MUTED)
        seq = f"{row.category_seq}.{row.seq}"
        p.drawText(
            QtCore.QRectF(20, top, 40, frame.row_height),
            int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft),
            seq,
        )
        p.setPen(TEXT)
        room = frame.name_width - 60
        name = metrics.elidedText(row.name, Qt.TextElideMode.ElideRight, room)
        p.drawText(
            QtCore.QRectF(56, top, room, frame.row_height),
            int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft),
            name,
        )
        p.setPen(QtGui.QPen(GRID, 0))
        y = top + frame.row_height - 0.5
        p.drawLine(QtCore.QPointF(0, y), QtCore.QPointF(frame.name_width, y))
    p.restore()
    p.setPen(QtGui.QPen(GRID_STRONG, 0))
    x = frame.name_width - 0.5
    p.drawLine(QtCore.QPointF(x, 0), QtCore.QPointF(x, frame.height))
