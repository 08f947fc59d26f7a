"""What the Gantt tab needs of the main window, as a protocol.

The window imports the tab; the tab must not import the window back (not even
for type hints), so it names the few things it uses here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from gxdesk.ui.context import AppContext
    from gxdesk.ui.qt import QtWidgets
    from gxdesk.ui.task_model import TaskTableModel


class DetailEditor(Protocol):
    name_edit: QtWidgets.QLineEdit


class GanttWindow(Protocol):
    """The main window, as far as the Gantt tab is concerned."""

    context: AppContext
    model: TaskTableModel
    table: QtWidgets.QTableView
    detail: DetailEditor | None

    def select_task(self, task_id: int) -> bool: ...

    def status_message(self, text: str) -> None: ...
