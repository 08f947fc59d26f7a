"""Where the Gantt chart lives in the main window: a pane at the task table's right.

The table and the chart sit side by side in a splitter, row beside row, one
vertical scroll position for both (see :mod:`gxdesk.ui.gantt.pane`), so a
clerk reads a task's columns and its bar on one line. 查看 → 显示甘特图 shows
or hides the chart; the choice and the splitter's sizes are remembered in the
settings file.

This module is all the window imports at start-up: a splitter holding the
table, and a menu action. The chart (:mod:`gxdesk.ui.gantt.pane`) is imported
and built the first time it is shown, or when the menu exports or prints it,
so a clerk who keeps it hidden never pays for it. Left shown at the last
close, it is built on the turn of the event loop after the table's first
paint, so the window itself appears as fast as without it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gxdesk.ui.qt import Qt, QtCore, QtGui, QtWidgets, Signal

if TYPE_CHECKING:
    from gxdesk.ui.chart_window import ChartWindow
    from gxdesk.ui.gantt.pane import GanttPane
    from gxdesk.ui.settings import WindowState

SHOW_ACTION = "显示甘特图"
VIEWS = ("table", "gantt")
SHOWN_KEY = "gantt_shown"  # the settings file's keys (WindowState)
SPLIT_KEY = "gantt_split"
TABLE_MIN_WIDTH = 360  # 序号, 工作任务 and 完成时限 stay readable beside the chart


def default_split(width: int) -> list[int]:
    """Table | chart for a splitter ``width`` wide, before the clerk moves the handle."""
    table = max(TABLE_MIN_WIDTH, width * 9 // 20)
    return [table, max(width - table, 1)]


class ViewSplit(QtWidgets.QWidget):
    """任务表 | 甘特图 side by side over one model; the chart is built when first shown."""

    gantt_built = Signal()
    shown_changed = Signal(bool)

    def __init__(self, window: ChartWindow) -> None:
        super().__init__()
        self._window = window
        self.pane: GanttPane | None = None
        self.wanted = False  # the clerk's choice; the chart may still be waiting to be built
        self._split_state: QtCore.QByteArray | None = None
        self._header_limits = (0, 0)
        self.splitter = QtWidgets.QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(window.table)
        self._layout = QtWidgets.QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(0)
        self._layout.addWidget(self.splitter, 1)
        self.action = QtGui.QAction(SHOW_ACTION, self)
        self.action.setCheckable(True)
        self.action.setToolTip("在任务表右侧显示甘特图，行与行对齐，一同滚动")
        self.action.toggled.connect(self.show_chart)

    # --- showing and hiding -----------------------------------------------------------
    @property
    def chart_shown(self) -> bool:
        """The chart is laid out beside the table (not merely wanted)."""
        return self.pane is not None and not self.pane.view.isHidden()

    def show_view(self, name: str) -> None:
        """``gui --view``: ``gantt`` shows the chart beside the table, ``table`` hides it."""
        self.show_chart(VIEWS.index(name) == 1)

    def show_chart(self, shown: bool = True) -> None:
        """Show or hide the chart; before the window is visible, remember the wish."""
        self.wanted = shown
        if self.action.isChecked() != shown:
            self.action.blockSignals(True)
            self.action.setChecked(shown)
            self.action.blockSignals(False)
        if not shown:
            self._hide_chart()
        elif self.isVisible():
            self._show_chart()
        # else: showEvent builds it once the window is on screen

    def showEvent(self, event: QtGui.QShowEvent) -> None:
        super().showEvent(event)
        if self.wanted and not self.chart_shown:
            # Not a zero timer from here: it can fire before the window's first paint.
            # The table's first paint says the window is on screen; the chart follows
            # on the next turn of the event loop.
            self._window.table.viewport().installEventFilter(self)

    def eventFilter(self, watched: QtCore.QObject, event: QtCore.QEvent) -> bool:
        if event.type() == QtCore.QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QtCore.QTimer.singleShot(0, self._show_wanted)
        return False

    def _show_wanted(self) -> None:
        if self.wanted and self.isVisible():
            self._show_chart()

    def build(self) -> GanttPane:
        """The chart pane, built now (hidden) if it was not yet."""
        if self.pane is None:
            from gxdesk.ui.gantt.pane import GanttPane

            pane = GanttPane(self._window)
            for widget in (pane, pane.view, pane.legend):
                widget.hide()
            self.pane = pane
            self._layout.insertWidget(0, pane)
            self.splitter.addWidget(pane.view)
            self._layout.addWidget(pane.legend)
            self.gantt_built.emit()
        return self.pane

    def _show_chart(self) -> None:
        pane = self.build()
        if self.chart_shown:
            return
        from gxdesk.ui.gantt.chart import HEADER_HEIGHT, ROW_HEIGHT

        table = self._window.table
        header = table.horizontalHeader()
        self._header_limits = (header.minimumHeight(), header.maximumHeight())
        # Row beside row: the same row height, the table's header as tall as the
        # chart's two tiers, and viewports that end at the same y (both keep a
        # horizontal bar). The chart's vertical bar, at the far right, serves both.
        header.setFixedHeight(HEADER_HEIGHT)
        table.verticalHeader().setDefaultSectionSize(ROW_HEIGHT)
        table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        for widget in (pane, pane.view, pane.legend):
            widget.show()
        if self._split_state is None or not self.splitter.restoreState(self._split_state):
            self.splitter.setSizes(default_split(self.splitter.width()))
        pane.follow_table()
        self.shown_changed.emit(True)

    def _hide_chart(self) -> None:
        if self.pane is None or not self.chart_shown:
            return
        self._split_state = self.splitter.saveState()
        for widget in (self.pane, self.pane.view, self.pane.legend):
            widget.hide()
        table = self._window.table
        header = table.horizontalHeader()
        header.setMinimumHeight(self._header_limits[0])
        header.setMaximumHeight(self._header_limits[1])
        table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.shown_changed.emit(False)

    # --- the settings file ------------------------------------------------------------
    def restore_state(self, state: WindowState) -> None:
        """The choice and the sizes of the last close (the chart is built once shown)."""
        self._split_state = state.bytes(SPLIT_KEY)
        self.show_chart(state.flag(SHOWN_KEY, False))

    def save_state(self, state: WindowState) -> None:
        state.set_flag(SHOWN_KEY, self.wanted)
        if self.chart_shown:
            self._split_state = self.splitter.saveState()
        if self._split_state is not None:
            state.set_bytes(SPLIT_KEY, self._split_state)

    # --- menus ----------------------------------------------------------------------
    def install_menu(self, file_menu: QtWidgets.QMenu, view_menu: QtWidgets.QMenu) -> None:
        """文件 → 导出甘特图… and 打印甘特图…; 查看 → 显示甘特图."""
        file_menu.addSeparator()
        file_menu.addAction("导出甘特图…", lambda: self.build().export_dialog())
        file_menu.addAction("打印甘特图…", lambda: self.build().print_preview())
        view_menu.addAction(self.action)
        view_menu.addSeparator()
