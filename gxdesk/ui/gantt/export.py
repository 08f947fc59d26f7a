"""The chart alone, out of the program: PDF pages, a PNG, or the printer.

Pages are painted by the window's own :func:`~gxdesk.ui.gantt.chart.paint_chart`
into a :class:`QPagedPaintDevice` — a :class:`QPdfWriter` for the file, a
:class:`QPrinter` for the print preview — so the PDF is vector with its text
as text and the bundled CJK font embedded (Qt embeds a subset of each font it
draws with). A4 landscape; when the chart is taller or wider than a page it is
tiled, and every page repeats the task-name column and the time header, with
the title, the status date, a legend and 第 i 页，共 n 页.

Nothing here needs a window: the command line calls it with the offscreen
platform, and it runs on a worker thread for the menu's 导出甘特图….
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from gxdesk.core.model import Light
from gxdesk.ui.gantt.bars import PlanDates, chart_span, row_dates
from gxdesk.ui.gantt.chart import (
    DAY_COLORS,
    DONE_COLOR,
    EXPECTED_TICK,
    HEADER_HEIGHT,
    MAKEUP_MARK,
    MUTED,
    NAME_WIDTH,
    STATUS_LINE,
    TEXT,
    ChartSource,
    Frame,
    paint_chart,
    paint_done_check,
)
from gxdesk.ui.gantt.days import DayKind
from gxdesk.ui.gantt.timescale import TimeScale
from gxdesk.ui.labels import cn_date
from gxdesk.ui.qt import Qt, QtCore, QtGui
from gxdesk.ui.task_model import LIGHT_COLORS

if TYPE_CHECKING:
    from gxdesk.core.views import PlanInfo, TaskRow
    from gxdesk.core.workdays import WorkdayCalendar

LOGICAL_DPI = 96  # pages are laid out in screen pixels, then scaled to the device
PRINT_ROW_HEIGHT = 22
PRINT_NAME_WIDTH = 260
TITLE_HEIGHT = 30
FOOTER_HEIGHT = 26
MIN_PRINT_PX_PER_DAY = 1.6  # narrower and month labels crowd: tile across pages instead
PDF_RESOLUTION = 300
FONT_POINT_SIZE = 9
PNG_LIMIT = 12_000  # pixels a side: beyond this a PNG is a mistake, not a picture


class ExportError(ValueError):
    """A request the export cannot honour (a one-line reason in Chinese)."""


@dataclass(frozen=True)
class Tiling:
    """How the chart is cut into pages: rows down, days across."""

    scale: TimeScale
    rows_per_page: int
    row_pages: int
    day_pages: int
    chart_width: float  # chart pixels a page shows

    @property
    def pages(self) -> int:
        return self.row_pages * self.day_pages


def chart_font() -> QtGui.QFont:
    """The application font (the bundled CJK one, once registered) at print size.

    Sized in pixels of the 96-dpi page layout: a point size would be scaled
    twice, once by the device's resolution and again by the painter's transform.
    """
    font = QtGui.QFont(QtGui.QGuiApplication.font())
    font.setPixelSize(round(FONT_POINT_SIZE * LOGICAL_DPI / 72))
    return font


def tiling(source: ChartSource, page_w: float, page_h: float) -> Tiling:
    first, last = source.span
    days = last.toordinal() - first.toordinal() + 1
    room = page_w - PRINT_NAME_WIDTH
    ppd = max(room / days, MIN_PRINT_PX_PER_DAY)
    scale = TimeScale(first, last, ppd)
    rows_per_page = max(
        1, int((page_h - TITLE_HEIGHT - FOOTER_HEIGHT - HEADER_HEIGHT) // PRINT_ROW_HEIGHT)
    )
    row_pages = max(1, math.ceil(len(source.rows) / rows_per_page))
    day_pages = max(1, math.ceil(scale.width / room - 1e-9))
    return Tiling(scale, rows_per_page, row_pages, day_pages, room)


def paint_pages(device: QtGui.QPagedPaintDevice, source: ChartSource, title: str = "") -> int:
    """Paint the chart onto ``device`` page after page; returns the number of pages."""
    painter = QtGui.QPainter()
    if not painter.begin(device):
        raise ExportError("无法开始绘制页面（打印机或文件不可用）")
    try:
        dpi = device.logicalDpiX()
        factor = dpi / LOGICAL_DPI
        page_w = device.width() / factor
        page_h = device.height() / factor
        plan = tiling(source, page_w, page_h)
        number = 0
        for row_page in range(plan.row_pages):
            for day_page in range(plan.day_pages):
                if number:
                    device.newPage()
                number += 1
                painter.save()
                painter.scale(factor, factor)
                painter.setFont(chart_font())
                _paint_page(painter, source, plan, row_page, day_page, page_w, page_h, title)
                _paint_footer(painter, page_w, page_h, number, plan.pages)
                painter.restore()
        return number
    finally:
        painter.end()


def _paint_page(
    p: QtGui.QPainter,
    source: ChartSource,
    plan: Tiling,
    row_page: int,
    day_page: int,
    page_w: float,
    page_h: float,
    title: str,
) -> None:
    first_row = row_page * plan.rows_per_page
    last_row = min(first_row + plan.rows_per_page, len(source.rows))
    x_offset = day_page * plan.chart_width
    height = HEADER_HEIGHT + (last_row - first_row) * PRINT_ROW_HEIGHT
    width = PRINT_NAME_WIDTH + min(plan.chart_width, plan.scale.width - x_offset)
    days = plan.scale.visible_days(x_offset, x_offset + width - PRINT_NAME_WIDTH)
    _paint_title(p, source, page_w, title, days, (first_row, last_row))
    p.save()
    p.translate(0, TITLE_HEIGHT)
    p.setClipRect(QtCore.QRectF(0, 0, width, height + 1))
    frame = Frame(
        source,
        plan.scale,
        int(math.ceil(width)),
        height,
        x_offset=x_offset,
        first_row=first_row,
        last_row=last_row,
        name_width=PRINT_NAME_WIDTH,
        row_height=PRINT_ROW_HEIGHT,
    )
    paint_chart(p, frame)
    p.setClipping(False)
    p.setPen(QtGui.QPen(MUTED, 0))
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawRect(QtCore.QRectF(0, 0, width, height))
    p.restore()


def _paint_title(
    p: QtGui.QPainter,
    source: ChartSource,
    page_w: float,
    title: str,
    days: tuple[dt.date, dt.date],
    rows: tuple[int, int],
) -> None:
    """Plan title on the left; status date, the page's days and rows on the right."""
    p.save()
    bold = QtGui.QFont(p.font())
    if bold.pixelSize() > 0:
        bold.setPixelSize(bold.pixelSize() + 4)
    else:
        bold.setPointSizeF(bold.pointSizeF() + 3)
    bold.setBold(True)
    p.setFont(bold)
    p.setPen(TEXT)
    heading = title or source.title or "工作任务"
    p.drawText(
        QtCore.QRectF(0, 0, page_w, TITLE_HEIGHT - 6),
        int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
        f"{heading} · 甘特图",
    )
    p.restore()
    p.setPen(MUTED)
    p.drawText(
        QtCore.QRectF(0, 0, page_w, TITLE_HEIGHT - 6),
        int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
        f"状态日期 {cn_date(source.plan.on)} · {cn_date(days[0])}至{cn_date(days[1])} · "
        f"第 {rows[0] + 1}–{rows[1]} 项，共 {len(source.rows)} 项",
    )


def _paint_footer(p: QtGui.QPainter, page_w: float, page_h: float, number: int, pages: int) -> None:
    top = page_h - FOOTER_HEIGHT + 6
    p.setPen(TEXT)
    p.drawText(
        QtCore.QRectF(0, top, page_w, FOOTER_HEIGHT - 6),
        int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
        f"第 {number} 页，共 {pages} 页",
    )
    paint_legend(p, QtCore.QPointF(0, top + (FOOTER_HEIGHT - 6) / 2))


LEGEND = (
    ("red", "红灯 逾期未完成"),
    ("yellow", "黄灯 即将到期"),
    ("green", "绿灯 正常"),
    ("done", "已完成"),
    ("expected", "序时进度"),
    ("status", "状态日期"),
    ("holiday", "节假日"),
    ("weekend", "周末"),
    ("makeup", "调休上班"),
    ("unknown", "日历未知"),
)


def paint_legend(p: QtGui.QPainter, at: QtCore.QPointF) -> None:
    """A one-line key to the colours, starting at ``at`` (its vertical centre)."""
    metrics = p.fontMetrics()
    x, y = at.x(), at.y()
    for key, text in LEGEND:
        box = QtCore.QRectF(x, y - 5, 16, 10)
        if key in ("red", "yellow", "green"):
            p.fillRect(box, QtGui.QColor(LIGHT_COLORS[Light(key)]))
        elif key == "done":
            p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
            p.fillRect(box, DONE_COLOR)
            paint_done_check(p, x + 8, y, 12)
            p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, False)
        elif key == "expected":
            p.setPen(QtGui.QPen(EXPECTED_TICK, 2))
            p.drawLine(QtCore.QPointF(x + 8, y - 7), QtCore.QPointF(x + 8, y + 7))
        elif key == "status":
            p.setPen(QtGui.QPen(STATUS_LINE, 2))
            p.drawLine(QtCore.QPointF(x + 8, y - 7), QtCore.QPointF(x + 8, y + 7))
        elif key == "unknown":
            p.fillRect(box, QtGui.QBrush(DAY_COLORS[DayKind.UNKNOWN], Qt.BrushStyle.BDiagPattern))
            p.setPen(QtGui.QPen(DAY_COLORS[DayKind.UNKNOWN], 0))
            p.drawRect(box)
        else:
            kind = {"holiday": DayKind.HOLIDAY, "weekend": DayKind.WEEKEND}.get(key, DayKind.MAKEUP)
            p.fillRect(box, DAY_COLORS[kind])
            if kind is DayKind.MAKEUP:
                p.fillRect(QtCore.QRectF(x, y - 5, 16, 3), MAKEUP_MARK)
        p.setPen(TEXT)
        p.drawText(QtCore.QPointF(x + 20, y + metrics.ascent() / 2 - 1), text)
        x += 20 + metrics.horizontalAdvance(text) + 14


def pdf_writer(path: Path) -> QtGui.QPdfWriter:
    writer = QtGui.QPdfWriter(str(path))
    writer.setResolution(PDF_RESOLUTION)
    writer.setTitle("甘特图")
    writer.setCreator("gxdesk")
    layout = QtGui.QPageLayout(
        QtGui.QPageSize(QtGui.QPageSize.PageSizeId.A4),
        QtGui.QPageLayout.Orientation.Landscape,
        QtCore.QMarginsF(12, 12, 12, 10),
        QtGui.QPageLayout.Unit.Millimeter,
    )
    writer.setPageLayout(layout)
    return writer


def write_pdf(path: Path, source: ChartSource, title: str = "") -> int:
    """The chart as an A4 landscape PDF at ``path``; returns the number of pages."""
    writer = pdf_writer(path)
    pages = paint_pages(writer, source, title)
    del writer  # the file is complete once the writer is gone
    return pages


def render_image(source: ChartSource, size: tuple[int, int], title: str = "") -> QtGui.QImage:
    """The whole time range across ``size``; rows from the top while they fit."""
    width, height = size
    if not (200 <= width <= PNG_LIMIT and 150 <= height <= PNG_LIMIT):
        raise ExportError(f"图片尺寸应在 200x150 到 {PNG_LIMIT}x{PNG_LIMIT} 之间：{width}x{height}")
    image = QtGui.QImage(width, height, QtGui.QImage.Format.Format_RGB32)
    image.setDotsPerMeterX(round(LOGICAL_DPI / 0.0254))
    image.setDotsPerMeterY(round(LOGICAL_DPI / 0.0254))
    image.fill(QtGui.QColor("#ffffff"))
    first, last = source.span
    days = last.toordinal() - first.toordinal() + 1
    scale = TimeScale(first, last, (width - NAME_WIDTH) / days)
    p = QtGui.QPainter(image)
    try:
        p.setFont(QtGui.QGuiApplication.font())
        fit = max(0, (height - TITLE_HEIGHT - FOOTER_HEIGHT - HEADER_HEIGHT) // 26)
        p.translate(8, 0)
        _paint_title(p, source, width - 16, title, (first, last), (0, min(len(source.rows), fit)))
        p.translate(-8, 0)
        p.translate(0, TITLE_HEIGHT)
        frame = Frame(source, scale, width, height - TITLE_HEIGHT - FOOTER_HEIGHT)
        paint_chart(p, frame)
        p.translate(0, -TITLE_HEIGHT)
        shown = len(frame.rows_shown())
        hidden = len(source.rows) - shown
        top = height - FOOTER_HEIGHT + 4
        paint_legend(p, QtCore.QPointF(8, top + (FOOTER_HEIGHT - 4) / 2))
        if hidden > 0:
            p.setPen(MUTED)
            p.drawText(
                QtCore.QRectF(0, top, width - 8, FOOTER_HEIGHT - 4),
                int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                f"另有 {hidden} 项未能显示（请加大图片高度，或导出 PDF）",
            )
    finally:
        p.end()
    return image


def write_png(path: Path, source: ChartSource, size: tuple[int, int], title: str = "") -> None:
    if not render_image(source, size, title).save(str(path), b"PNG"):
        raise ExportError(f"无法写入图片：{path}")


def source_for(
    rows: Sequence[TaskRow],
    plan: PlanInfo,
    on: dt.date,
    calendar: WorkdayCalendar,
    first: dt.date | None = None,
    last: dt.date | None = None,
) -> ChartSource:
    """The chart of ``rows`` as of ``on``, its days narrowed to ``first`` … ``last`` if given."""
    dates = PlanDates(plan.year, plan.issued_on, on)
    start, end = chart_span(row_dates(rows), dates)
    start, end = first or start, last or end
    if end < start:
        raise ExportError(f"结束日期 {end.isoformat()} 早于开始日期 {start.isoformat()}")
    return ChartSource(rows, dates, calendar, plan.title, span=(start, end))
