"""The main window as the Gantt view's tab and pane see it.

They show the task table's own model and selection beside it, select a task and
focus its detail pane: more of the window than other features use. Typing them
against :class:`gxdesk.ui.main_window.MainWindow` made a circle of imports back
to the module that builds them; they take a :class:`ChartWindow` instead, which
``MainWindow`` is (a base class, not a protocol: it is their dialogs' parent).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gxdesk.ui.qt import QtWidgets
from gxdesk.ui.shell import WindowShell

if TYPE_CHECKING:
    from gxdesk.ui.context import AppContext
    from gxdesk.ui.detail import DetailPane
    from gxdesk.ui.task_model import TaskTableModel


class ChartWindow(WindowShell):
    """What the Gantt view may use of the main window (besides :class:`WindowShell`)."""

    context: AppContext
    model: TaskTableModel  # the table's model: the chart draws the same rows
    table: QtWidgets.QTableView
    detail: DetailPane | None  # built in the window's second start-up phase

    def select_task(self, task_id: int) -> bool:
        """Select ``task_id`` in the table (False if it is not shown)."""
        raise NotImplementedError
