"""The Gantt view: an item view over the task table's own model.

It is a :class:`QAbstractItemView` on the same :class:`TaskTableModel` as the
table and shares the table's selection model, so the rows, their order, their
filter and the selected task are the table's by construction — the two cannot
disagree. Keyboard moves (up/down, page, home/end) and Enter come from Qt's
item-view machinery; Enter and double-click emit ``activated``.

Vertical scrolling is by whole rows (the scroll bar's value is the top row), as
in the table, so the two scroll bars can be linked value to value. Painting
asks :func:`~gxdesk.ui.gantt.chart.paint_chart` for the rows and days on
screen only; bars are computed when a row is first painted, from data in
memory — nothing here reads the database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from gxdesk.ui.gantt.bars import BarStyle, PlanDates, chart_span, rule_text
from gxdesk.ui.gantt.chart import (
    HEADER_HEIGHT,
    NAME_WIDTH,
    ROW_HEIGHT,
    ChartSource,
    Frame,
    paint_chart,
)
from gxdesk.ui.gantt.days import DAY_KIND_LABELS, DayKind
from gxdesk.ui.gantt.timescale import DEFAULT_ZOOM, ZOOM_LEVELS, TimeScale, zoom_step
from gxdesk.ui.labels import cn_date
from gxdesk.ui.qt import ModelIndex, Qt, QtCore, QtGui, QtWidgets, Signal
from gxdesk.ui.task_model import Column, TaskTableModel

if TYPE_CHECKING:
    from gxdesk.core.views import TaskRow
    from gxdesk.core.workdays import WorkdayCalendar


@dataclass(frozen=True)
class ChartInputs:
    """What the chart needs besides the rows: the plan's dates and the calendar."""

    plan: PlanDates
    calendar: WorkdayCalendar
    title: str = ""


class GanttView(QtWidgets.QAbstractItemView):
    zoom_changed = Signal(int)  # the zoom level (an index into ZOOM_LEVELS)

    def __init__(
        self,
        model: TaskTableModel,
        inputs: Callable[[], ChartInputs | None],
        parent: QtWidgets.QWidget | None = None,
        name_width: int = NAME_WIDTH,
    ) -> None:
        super().__init__(parent)
        self._inputs = inputs
        # 0 beside the task table, whose columns name the rows; files and paper keep theirs.
        self.name_width = name_width
        self._zoom = DEFAULT_ZOOM
        self._source: ChartSource | None = None
        self._source_key: tuple[object, ...] = ()
        self._scale: TimeScale | None = None
        self._fitted = False
        self.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.viewport().setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setModel(model)
        model.modelReset.connect(self.reload)
        model.layoutChanged.connect(self.reload)
        self.reload()

    # --- data ------------------------------------------------------------------------
    def task_model(self) -> TaskTableModel:
        model = self.model()
        assert isinstance(model, TaskTableModel)
        return model

    def reload(self) -> None:
        """The model was reset (new data, sort or filter): take its rows, keep known bars."""
        model = self.task_model()
        inputs = self._inputs()
        rows = model.visible_rows
        key: tuple[object, ...] = ()
        if inputs is None:
            self._source = None
        else:
            # The rows list and the calendar are held by the key, so "is" cannot be fooled
            # by a recycled id: a new load of the data is a new list.
            key = (model.all_rows, inputs.plan, inputs.calendar, inputs.title)
            old = self._source_key
            if (
                self._source is not None
                and len(old) == 4
                and old[0] is key[0]
                and old[2] is key[2]
                and old[1:] == key[1:]
            ):
                self._source = self._source.with_rows(rows)
            else:
                span = chart_span(model.due_dates, inputs.plan)
                source = ChartSource(rows, inputs.plan, inputs.calendar, inputs.title, span)
                self._source = source
                first, last = source.span
                self._scale = TimeScale(first, last, ZOOM_LEVELS[self._zoom])
        self._source_key = key
        self.updateGeometries()
        self._fit_once()
        self.viewport().update()

    def _fit_once(self) -> None:
        """On the first data and a real width (whichever comes last): the year in view.

        A view not yet shown has a made-up size: it waits for the resize that shows it.
        """
        if (
            not self._fitted
            and self._source is not None
            and self.isVisible()
            and self.viewport().width() > self.name_width + 100
        ):
            self._fitted = True
            self.fit_year()

    @property
    def source(self) -> ChartSource | None:
        return self._source

    @property
    def scale(self) -> TimeScale | None:
        return self._scale

    def frame(self) -> Frame | None:
        """What is on screen now (the geometry tests and tooltips read it)."""
        if self._source is None or self._scale is None:
            return None
        vp = self.viewport()
        current = self.currentIndex()
        first_row, y_shift = self.top_row()
        return Frame(
            self._source,
            self._scale,
            vp.width(),
            vp.height(),
            x_offset=self.horizontalScrollBar().value(),
            first_row=first_row,
            y_shift=y_shift,
            current_row=current.row() if current.isValid() else -1,
            name_width=self.name_width,
        )

    # --- zoom ---------------------------------------------------------------------
    @property
    def zoom(self) -> int:
        return self._zoom

    def set_zoom(self, level: int, anchor_x: float | None = None) -> None:
        """Zoom to ``level`` keeping the day under ``anchor_x`` (viewport x) where it is."""
        level = zoom_step(level, 0)
        if self._scale is None or level == self._zoom:
            self._zoom = level
            return
        vp_anchor = (
            anchor_x if anchor_x is not None else (self.name_width + self.viewport().width()) / 2
        )
        chart_x = max(vp_anchor - self.name_width, 0)
        old = self._scale
        day_pos = (self.horizontalScrollBar().value() + chart_x) / old.px_per_day
        self._zoom = level
        self._scale = old.with_zoom(ZOOM_LEVELS[level])
        self.updateGeometries()
        self.horizontalScrollBar().setValue(round(day_pos * self._scale.px_per_day - chart_x))
        self.viewport().update()
        self.zoom_changed.emit(level)

    def zoom_in(self) -> None:
        self.set_zoom(self._zoom + 1)

    def zoom_out(self) -> None:
        self.set_zoom(self._zoom - 1)

    def fit_year(self) -> None:
        """The largest zoom at which the plan year fits the chart area."""
        if self._source is None:
            return
        room = max(self.viewport().width() - self.name_width, 100)
        days = 372
        level = 0
        for i, ppd in enumerate(ZOOM_LEVELS):
            if ppd * days <= room:
                level = i
        self.set_zoom(level)
        self.show_day(self._source.plan.year_first - dt.timedelta(days=3), at=0)

    def show_day(self, day: dt.date, at: float | None = None) -> None:
        """Scroll so that ``day`` is at chart x ``at`` (default: a third in)."""
        if self._scale is None:
            return
        room = max(self.viewport().width() - self.name_width, 0)
        at = room / 3 if at is None else at
        self.horizontalScrollBar().setValue(round(self._scale.x_of(day) - at))

    def show_status_date(self) -> None:
        if self._source is not None:
            self.show_day(self._source.plan.on)

    def wheelEvent(self, event: QtGui.QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            step = 1 if event.angleDelta().y() > 0 else -1 if event.angleDelta().y() < 0 else 0
            if step:
                self.set_zoom(self._zoom + step, event.position().x())
            event.accept()
            return
        super().wheelEvent(event)

    # --- geometry for QAbstractItemView -----------------------------------------------
    def _rows_fit(self) -> int:
        return max(1, (self.viewport().height() - HEADER_HEIGHT) // ROW_HEIGHT)

    def updateGeometries(self) -> None:
        rows = self.task_model().rowCount()
        fit = self._rows_fit()
        vbar = self.verticalScrollBar()
        vbar.setRange(0, max(0, rows - fit))
        vbar.setPageStep(fit)
        vbar.setSingleStep(1)
        hbar = self.horizontalScrollBar()
        room = max(self.viewport().width() - self.name_width, 0)
        width = self._scale.width if self._scale is not None else 0
        hbar.setRange(0, max(0, round(width - room)))
        hbar.setPageStep(max(room, 1))
        hbar.setSingleStep(24)
        super().updateGeometries()

    def resizeEvent(self, event: QtGui.QResizeEvent) -> None:
        super().resizeEvent(event)
        self.updateGeometries()
        self._fit_once()

    def top_row(self) -> tuple[int, int]:
        """The first row on screen, and how many of its pixels are above the rows' area.

        Scrolled to the end, the last row sits on the bottom edge, as in the table
        (Qt scrolls a table by rows except there), so the two stay level there too.
        """
        vbar = self.verticalScrollBar()
        value = vbar.value()
        if value > 0 and value == vbar.maximum():
            beyond = self.task_model().rowCount() * ROW_HEIGHT - (
                self.viewport().height() - HEADER_HEIGHT
            )
            if beyond > 0:
                first, shift = divmod(beyond, ROW_HEIGHT)
                return first, shift
        return value, 0

    def horizontalOffset(self) -> int:
        return self.horizontalScrollBar().value()

    def verticalOffset(self) -> int:
        first, shift = self.top_row()
        return first * ROW_HEIGHT + shift

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        self.viewport().update()

    def isIndexHidden(self, index: ModelIndex) -> bool:
        return False

    def row_at(self, y: float) -> int:
        """The row under viewport ``y``, or -1 (header, or below the last row)."""
        if y < HEADER_HEIGHT:
            return -1
        first, shift = self.top_row()
        row = first + int((y - HEADER_HEIGHT + shift) // ROW_HEIGHT)
        return row if 0 <= row < self.task_model().rowCount() else -1

    def indexAt(self, point: QtCore.QPoint) -> QtCore.QModelIndex:
        row = self.row_at(point.y())
        return self.task_model().index(row, Column.NAME) if row >= 0 else QtCore.QModelIndex()

    def visualRect(self, index: ModelIndex) -> QtCore.QRect:
        if not index.isValid():
            return QtCore.QRect()
        first, shift = self.top_row()
        top = HEADER_HEIGHT + (index.row() - first) * ROW_HEIGHT - shift
        return QtCore.QRect(0, top, self.viewport().width(), ROW_HEIGHT)

    def scrollTo(
        self,
        index: ModelIndex,
        hint: QtWidgets.QAbstractItemView.ScrollHint = QtWidgets.QAbstractItemView.ScrollHint.EnsureVisible,
    ) -> None:
        if not index.isValid():
            return
        vbar = self.verticalScrollBar()
        row, top, fit = index.row(), vbar.value(), self._rows_fit()
        Hint = QtWidgets.QAbstractItemView.ScrollHint
        if hint == Hint.PositionAtTop:
            vbar.setValue(row)
        elif hint == Hint.PositionAtBottom:
            vbar.setValue(row - fit + 1)
        elif hint == Hint.PositionAtCenter:
            vbar.setValue(row - fit // 2)
        elif row < top:
            vbar.setValue(row)
        elif row >= top + fit:
            vbar.setValue(row - fit + 1)

    def moveCursor(
        self, action: QtWidgets.QAbstractItemView.CursorAction, modifiers: Qt.KeyboardModifier
    ) -> QtCore.QModelIndex:
        model = self.task_model()
        count = model.rowCount()
        if count == 0:
            return QtCore.QModelIndex()
        current = self.currentIndex()
        row = current.row() if current.isValid() else -1
        Move = QtWidgets.QAbstractItemView.CursorAction
        fit = self._rows_fit()
        if action in (Move.MoveUp, Move.MovePrevious):
            row = max(row - 1, 0)
        elif action in (Move.MoveDown, Move.MoveNext):
            row = min(row + 1, count - 1)
        elif action == Move.MovePageUp:
            row = max(row - fit, 0)
        elif action == Move.MovePageDown:
            row = min(row + fit, count - 1)
        elif action == Move.MoveHome:
            row = 0
        elif action == Move.MoveEnd:
            row = count - 1
        elif row < 0:
            row = 0
        return model.index(row, Column.NAME)

    def setSelection(
        self, rect: QtCore.QRect, command: QtCore.QItemSelectionModel.SelectionFlag
    ) -> None:
        top = self.row_at(rect.top())
        if top < 0:
            return
        bottom = self.row_at(rect.bottom())
        bottom = top if bottom < 0 else bottom
        model = self.task_model()
        selection = QtCore.QItemSelection(
            model.index(min(top, bottom), 0), model.index(max(top, bottom), model.columnCount() - 1)
        )
        self.selectionModel().select(selection, command)

    def visualRegionForSelection(self, selection: QtCore.QItemSelection) -> QtGui.QRegion:
        region = QtGui.QRegion()
        for span in selection.toList():  # the stubs do not know it is iterable
            for row in range(span.top(), span.bottom() + 1):
                region += self.visualRect(self.task_model().index(row, 0))
        return region

    def currentChanged(self, current: ModelIndex, previous: ModelIndex) -> None:
        super().currentChanged(current, previous)
        self.viewport().update()

    def selectionChanged(
        self, selected: QtCore.QItemSelection, deselected: QtCore.QItemSelection
    ) -> None:
        super().selectionChanged(selected, deselected)
        self.viewport().update()

    # --- painting and tooltips ------------------------------------------------------------
    def paintEvent(self, event: QtGui.QPaintEvent) -> None:
        frame = self.frame()
        painter = QtGui.QPainter(self.viewport())
        try:
            if frame is None:
                painter.fillRect(self.viewport().rect(), QtGui.QColor("#ffffff"))
                painter.drawText(
                    self.viewport().rect(), int(Qt.AlignmentFlag.AlignCenter), "尚无计划"
                )
            else:
                painter.setClipRect(event.rect())
                paint_chart(painter, frame)
        finally:
            painter.end()

    def viewportEvent(self, event: QtCore.QEvent) -> bool:
        if event.type() == QtCore.QEvent.Type.ToolTip:
            assert isinstance(event, QtGui.QHelpEvent)
            text = self.tooltip_at(event.pos())
            if text:
                QtWidgets.QToolTip.showText(event.globalPos(), text, self.viewport())
            else:
                QtWidgets.QToolTip.hideText()
                event.ignore()
            return True
        return super().viewportEvent(event)

    def tooltip_at(self, pos: QtCore.QPoint) -> str:
        frame = self.frame()
        if frame is None:
            return ""
        if pos.y() < HEADER_HEIGHT:
            if pos.x() < self.name_width or self._scale is None:
                return ""
            day = self._scale.date_at(frame.x_offset + pos.x() - self.name_width)
            return day_tooltip(frame.source, day)
        row = self.row_at(pos.y())
        if row < 0:
            return ""
        return task_tooltip(frame.source, frame.source.rows[row])


def day_tooltip(source: ChartSource, day: dt.date) -> str:
    kind = source.days.kind(day)
    if kind is DayKind.UNKNOWN:
        return f"{cn_date(day)}：{day.year}年的放假调休安排未知（设置 → 工作日历…）"
    return f"{cn_date(day)}：{DAY_KIND_LABELS[kind]}"


def task_tooltip(source: ChartSource, row: TaskRow) -> str:
    """Task, deadline words, computed due date, units, latest progress (the issue's list)."""
    bar = source.bar(row)
    lines = [row.name, f"完成时限：{row.deadline_text or '（无）'}（{rule_text(row)}）"]
    if row.due is not None:
        lines.append(f"截止日期：{cn_date(row.due)}")
    elif row.due_note:
        lines.append(f"截止日期：{row.due_note}")
    elif bar.style is BarStyle.EMPTY:
        lines.append("截止日期：待确认")
    lines.append(f"责任单位：{row.units_text or '（无）'}")
    state = f"进展状态：{row.status.value} · {row.light.label}"
    if row.latest_percent is not None:
        state += f" · 已完成 {row.latest_percent}%"
    if bar.expected is not None:
        state += f" · 序时进度 {bar.expected}%"
    lines.append(state)
    if bar.done_on is not None:
        late = "（晚于截止日期）" if bar.late_done else ""
        lines.append(f"完成日期：{cn_date(bar.done_on)}{late}")
    if row.latest_text:
        who = f"{row.latest_unit}：" if row.latest_unit else ""
        when = f"（{cn_date(row.latest_at.date())}）" if row.latest_at else ""
        lines.append(f"最新进展：{who}{row.latest_text}{when}")
    else:
        lines.append("最新进展：尚无报告")
    return "\n".join(lines)
