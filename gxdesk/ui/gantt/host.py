"""Where the Gantt view lives in the main window: a tab beside the task table.

This module is all the window imports at start-up: a tab widget holding the
table and an empty page. The chart (:mod:`gxdesk.ui.gantt.pane`) is imported
and built the first time its tab is shown, or when the menu exports or prints
it, so a clerk who never opens it never pays for it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gxdesk.ui.qt import QtWidgets, Signal

if TYPE_CHECKING:
    from gxdesk.ui.chart_window import ChartWindow
    from gxdesk.ui.gantt.pane import GanttPane

TABLE_TAB = "任务表"
GANTT_TAB = "甘特图"
VIEWS = ("table", "gantt")


class ViewTabs(QtWidgets.QTabWidget):
    """任务表 | 甘特图, over one model; the chart is built on first show."""

    gantt_built = Signal()

    def __init__(self, window: ChartWindow) -> None:
        super().__init__()
        self._window = window
        self.pane: GanttPane | None = None
        self.setDocumentMode(True)
        self.addTab(window.table, TABLE_TAB)
        self._page = QtWidgets.QWidget()
        layout = QtWidgets.QVBoxLayout(self._page)
        layout.setContentsMargins(0, 0, 0, 0)
        self.addTab(self._page, GANTT_TAB)
        self.currentChanged.connect(self._shown)

    def _shown(self, index: int) -> None:
        if index == 1:
            self.build()
        if self.pane is not None:
            self.pane.follow_scrolling(into_gantt=index == 1)

    def build(self) -> GanttPane:
        """The chart pane, built now if it was not yet."""
        if self.pane is None:
            from gxdesk.ui.gantt.pane import GanttPane

            self.pane = GanttPane(self._window)
            layout = self._page.layout()
            assert layout is not None
            layout.addWidget(self.pane)
            self.gantt_built.emit()
        return self.pane

    def show_view(self, name: str) -> None:
        """Bring ``table`` or ``gantt`` to the front (``gui --view``)."""
        self.setCurrentIndex(VIEWS.index(name))

    def install_menu(self, menu: QtWidgets.QMenu) -> None:
        """文件 → 导出甘特图… and 打印甘特图…."""
        menu.addSeparator()
        menu.addAction("导出甘特图…", lambda: self.build().export_dialog())
        menu.addAction("打印甘特图…", lambda: self.build().print_preview())
