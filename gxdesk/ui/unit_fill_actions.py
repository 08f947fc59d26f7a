"""文件 → 打开本单位进展表…: a unit opens the workbook the lead office mailed.

Needs no database: the file carries everything. Kept light to import (the
window installs it once it has loaded): the readers are imported inside the
job, the dialog only when a file has been read.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from gxdesk.ui.qt import Qt, QtGui, QtWidgets

if TYPE_CHECKING:
    from gxdesk.exchange.unit_copy import UnitCopy
    from gxdesk.ui.context import AppContext
    from gxdesk.ui.unit_fill_dialog import UnitFillDialog

ACTION_TEXT = "打开本单位进展表…"
FILTER = "进展表 (*.xlsx);;所有文件 (*)"


def is_unit_workbook(path: Path) -> bool:
    """For drag and drop: a unit's workbook (hidden identity) rather than a plan .xlsx."""
    from gxdesk.exchange.unit_copy import is_unit_workbook as check

    return path.suffix.lower() == ".xlsx" and check(path)


class UnitFillActions:
    """Opens unit workbooks into :class:`UnitFillDialog` windows (several may be open)."""

    def __init__(self, window: QtWidgets.QWidget, context: AppContext) -> None:
        self.window = window
        self.context = context
        self.dialogs: list[UnitFillDialog] = []

    def action(self) -> QtGui.QAction:
        action = QtGui.QAction(ACTION_TEXT, self.window)
        action.setStatusTip("单位填报：打开牵头单位发来的进展表，填写后按原格式保存发回")
        action.triggered.connect(self.ask_and_open)
        return action

    def ask_and_open(self) -> None:
        name, _ = QtWidgets.QFileDialog.getOpenFileName(self.window, "打开本单位进展表", "", FILTER)
        if name:
            self.open(Path(name))

    def open(self, path: Path) -> None:
        """Read ``path`` off the GUI thread, then show it for filling in."""

        def work(_control: object) -> UnitCopy:
            from gxdesk.exchange.unit_copy import read_unit_copy

            return read_unit_copy(path)

        self.context.run_job("打开进展表", work, self.show, self._failed)

    def show(self, copy: UnitCopy) -> UnitFillDialog:
        from gxdesk.ui.unit_fill_dialog import UnitFillDialog

        for dialog in self.dialogs:
            if dialog.copy.path == copy.path:  # already open: bring it forward
                dialog.raise_()
                dialog.activateWindow()
                return dialog
        dialog = UnitFillDialog(copy, self.context.run_job, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _result: self.dialogs.remove(dialog))
        self.dialogs.append(dialog)
        dialog.show()
        return dialog

    def _failed(self, exc: BaseException) -> None:
        QtWidgets.QMessageBox.warning(self.window, "无法打开进展表", str(exc))
