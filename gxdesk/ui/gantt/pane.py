"""The Gantt chart beside the task table: the view, its zoom strip and legend.

The view shares the table's model and selection model (one selection, one
order, one filter) and sits in a splitter at the table's right
(:mod:`gxdesk.ui.gantt.host`), its rows level with the table's: the same row
height, its time header as tall as the table's header, and one vertical scroll
position (the two scroll bars are linked value to value; both scroll by whole
rows). The chart's own task-name column is left out on screen, since the
table beside it names the rows; files and paper keep it. Enter or a
double-click on a task opens it in the detail pane, the task editor the table
uses. 导出甘特图… and 打印甘特图… draw the rows the table shows now, in its
order.

The pane itself is the strip of zoom buttons; the host lays out the strip, the
view and the legend (:attr:`GanttPane.view`, :attr:`GanttPane.legend`) so that
the view's top and bottom are the table's.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from gxdesk.ui.gantt.bars import PlanDates
from gxdesk.ui.gantt.chart import ChartSource
from gxdesk.ui.gantt.export import (
    FOOTER_HEIGHT,
    PNG_LIMIT,
    TITLE_HEIGHT,
    paint_legend,
    paint_pages,
    source_for,
    write_pdf,
    write_png,
)
from gxdesk.ui.gantt.timescale import ZOOM_LEVELS
from gxdesk.ui.gantt.view import ChartInputs, GanttView
from gxdesk.ui.labels import cn_date
from gxdesk.ui.qt import Qt, QtCore, QtGui, QtWidgets, print_support
from gxdesk.ui.task_model import TaskRoles

if TYPE_CHECKING:
    from gxdesk.ui.chart_window import ChartWindow

EXPORT_FILTER = "PDF 文件 (*.pdf);;PNG 图片 (*.png)"
_TIER_NAMES = {0: "日", 1: "周", 2: "月", 3: "季度", 4: "年"}


class Legend(QtWidgets.QWidget):
    """The chart's key, painted by the same routine as the printed pages' footer."""

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumHeight(22)
        self.setSizePolicy(QtWidgets.QSizePolicy.Policy.Ignored, QtWidgets.QSizePolicy.Policy.Fixed)

    def paintEvent(self, event: QtGui.QPaintEvent) -> None:
        p = QtGui.QPainter(self)
        try:
            paint_legend(p, QtCore.QPointF(4, self.height() / 2))
        finally:
            p.end()


class GanttPane(QtWidgets.QWidget):
    """The zoom strip; owns the view and the legend the host places beside the table."""

    def __init__(self, window: ChartWindow) -> None:
        super().__init__()
        self._window = window
        self.view = GanttView(window.model, self.inputs, name_width=0)
        self.view.setSelectionModel(window.table.selectionModel())
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.view.activated.connect(self._open_task)
        self.legend = Legend()
        self.preview: QtWidgets.QDialog | None = None
        self._syncing = False
        self._link_scrolling(window.table)

        bar = QtWidgets.QHBoxLayout(self)
        bar.setContentsMargins(4, 2, 4, 2)
        self.zoom_out_button = self._button("缩小", "缩小时间轴（Ctrl+-，或按住 Ctrl 滚动滚轮）")
        self.zoom_in_button = self._button("放大", "放大时间轴（Ctrl+=，或按住 Ctrl 滚动滚轮）")
        year = self._button("全年", "整个计划年度显示在一屏内")
        today = self._button("状态日期", "滚动到状态日期（“今天”）")
        self.zoom_out_button.clicked.connect(self.view.zoom_out)
        self.zoom_in_button.clicked.connect(self.view.zoom_in)
        year.clicked.connect(self.view.fit_year)
        today.clicked.connect(self.view.show_status_date)
        self.scale_label = QtWidgets.QLabel()
        title = QtWidgets.QLabel("甘特图")
        title.setStyleSheet("font-weight: bold")
        bar.addStretch(1)  # over the chart, at the table's right
        for widget in (title, self.zoom_out_button, self.zoom_in_button, year, today):
            bar.addWidget(widget)
        bar.addWidget(self.scale_label)

        shortcut = Qt.ShortcutContext.WidgetWithChildrenShortcut
        for names, standard, slot in (
            (("Ctrl+=", "Ctrl++"), QtGui.QKeySequence.StandardKey.ZoomIn, self.view.zoom_in),
            (("Ctrl+-",), QtGui.QKeySequence.StandardKey.ZoomOut, self.view.zoom_out),
        ):
            keys: list[QtGui.QKeySequence] = []
            standard_keys = QtGui.QKeySequence.keyBindings(standard)
            for key in [QtGui.QKeySequence(n) for n in names] + standard_keys:
                if key not in keys:  # the same key twice makes Qt call the shortcut ambiguous
                    keys.append(key)
            action = QtGui.QAction(self.view)
            action.setShortcuts(keys)
            action.setShortcutContext(shortcut)
            action.triggered.connect(slot)
            self.view.addAction(action)
        self.view.zoom_changed.connect(self._zoom_shown)
        self._zoom_shown(self.view.zoom)

    @staticmethod
    def _button(text: str, tip: str) -> QtWidgets.QToolButton:
        button = QtWidgets.QToolButton()
        button.setText(text)
        button.setToolTip(tip)
        button.setAutoRaise(True)
        return button

    def _zoom_shown(self, level: int) -> None:
        scale = self.view.scale
        if scale is None:
            self.scale_label.setText("")
        else:
            upper, lower = scale.tiers(self.view.fontMetrics().horizontalAdvance)
            self.scale_label.setText(f"{_TIER_NAMES[upper]} / {_TIER_NAMES[lower]}")
        self.zoom_in_button.setEnabled(level < len(ZOOM_LEVELS) - 1)
        self.zoom_out_button.setEnabled(level > 0)

    # --- ties to the window ---------------------------------------------------------
    def inputs(self) -> ChartInputs | None:
        """The plan's dates, the status date and the calendar the window already holds."""
        ctx = self._window.context
        plan = ctx.plan
        if plan is None:
            return None
        return ChartInputs(PlanDates(plan.year, plan.issued_on, ctx.on), ctx.calendar, plan.title)

    def _link_scrolling(self, table: QtWidgets.QTableView) -> None:
        """One vertical position for both: either scroll bar moves the other.

        A range change (a resize, a filter) may clamp one of them while the other
        keeps its value; the table's value then leads, as it is always on screen.
        A hidden chart (its range as stale as its size) never moves the table.
        """
        ours, theirs = self.view.verticalScrollBar(), table.verticalScrollBar()
        view = self.view

        def from_chart(value: int) -> None:
            if view.isVisible():
                self._copy(theirs, value)

        theirs.valueChanged.connect(lambda value: self._copy(ours, value))
        ours.valueChanged.connect(from_chart)
        ours.rangeChanged.connect(lambda *_: self.follow_table())
        theirs.rangeChanged.connect(lambda *_: self.follow_table())
        self.follow_table()

    def follow_table(self) -> None:
        """The chart takes the table's vertical position (after a range change, on show)."""
        self._copy(self.view.verticalScrollBar(), self._window.table.verticalScrollBar().value())

    def _copy(self, bar: QtWidgets.QScrollBar, value: int) -> None:
        if self._syncing:  # the other bar's echo of this very change
            return
        self._syncing = True
        try:
            bar.setValue(value)
        finally:
            self._syncing = False

    def _open_task(self, index: QtCore.QModelIndex) -> None:
        """Enter / double-click: the task in the detail pane, its name field focused."""
        task_id = index.data(TaskRoles.TASK_ID)
        if task_id is None:
            return
        window = self._window
        window.select_task(task_id)
        if window.detail is not None:
            window.detail.name_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    # --- the chart alone: files and paper ------------------------------------------------
    def chart_source(self) -> ChartSource | None:
        """The rows the table shows now, in its order, as of the window's "today"."""
        ctx = self._window.context
        if ctx.plan is None:
            return None
        return source_for(self._window.model.visible_rows, ctx.plan, ctx.on, ctx.calendar)

    def default_name(self) -> str:
        on: dt.date = self._window.context.on
        return f"甘特图-{on.isoformat()}.pdf"

    def export_dialog(self) -> None:
        """文件 → 导出甘特图…: ask where, then write the file off the GUI thread."""
        if self.chart_source() is None:
            self._window.status_message("尚无计划，没有可导出的甘特图")
            return
        name, chosen = QtWidgets.QFileDialog.getSaveFileName(
            self._window, "导出甘特图", self.default_name(), EXPORT_FILTER
        )
        if not name:
            return
        path = Path(name)
        if path.suffix.lower() not in (".pdf", ".png"):
            path = path.with_name(path.name + (".png" if "png" in chosen.lower() else ".pdf"))
        self.export_to(path)

    def export_to(self, path: Path) -> None:
        source = self.chart_source()
        if source is None:
            return
        title = source.title
        rows = len(source.rows)
        # All rows of a PNG at the window's width, as long as a picture can sensibly be.
        size = (1600, min(PNG_LIMIT, TITLE_HEIGHT + FOOTER_HEIGHT + 60 + rows * 26))

        def work(_control: object) -> Path:
            if path.suffix.lower() == ".png":
                write_png(path, source, size, title)
            else:
                write_pdf(path, source, title)
            return path

        def done(result: Path) -> None:
            self._window.status_message(f"已导出甘特图：{result}")

        def failed(exc: BaseException) -> None:
            QtWidgets.QMessageBox.warning(self._window, "导出甘特图", f"未能导出甘特图：{exc}")

        self._window.context.run_job("导出甘特图", work, done, failed)

    def print_preview(self) -> QtWidgets.QDialog | None:
        """文件 → 打印甘特图…: Qt's print preview (in Chinese), A4 landscape."""
        source = self.chart_source()
        if source is None:
            self._window.status_message("尚无计划，没有可打印的甘特图")
            return None
        ps = print_support()
        printer = ps.QPrinter(ps.QPrinter.PrinterMode.HighResolution)
        printer.setPageLayout(
            QtGui.QPageLayout(
                QtGui.QPageSize(QtGui.QPageSize.PageSizeId.A4),
                QtGui.QPageLayout.Orientation.Landscape,
                QtCore.QMarginsF(12, 12, 12, 10),
                QtGui.QPageLayout.Unit.Millimeter,
            )
        )
        printer.setDocName(f"甘特图 {cn_date(source.plan.on)}")
        dialog = ps.QPrintPreviewDialog(printer, self._window)
        dialog.setWindowTitle("打印甘特图")
        dialog.paintRequested.connect(lambda device: paint_pages(device, source, source.title))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.destroyed.connect(lambda *_: setattr(self, "preview", None))
        dialog._printer = printer  # type: ignore[attr-defined, unused-ignore]  # lives as long as the dialog
        self.preview = dialog
        dialog.open()
        shown: QtWidgets.QDialog = dialog  # QtPrintSupport is imported untyped (print_support)
        return shown
