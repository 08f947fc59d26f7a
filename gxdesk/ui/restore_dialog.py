"""文件 → 恢复…: the backups of the open database, newest first, and restoring one.

Each row says when the backup was made, before what (合并前, 导入计划前 …), its
size and what it holds (plans, tasks, reports, the last merge), and whether it
carries a checksum; restoring verifies that checksum before anything is
replaced (:func:`gxdesk.store.database.restore_database`). A backup elsewhere
(a USB stick) is chosen with 其他备份文件….
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from gxdesk.store.backups import BackupInfo, backup_folder, list_backups
from gxdesk.ui.qt import Qt, QtWidgets

if TYPE_CHECKING:
    from gxdesk.ui.context import AppContext

COLUMNS = ("备份时间", "原因", "大小", "内容", "校验")


def _size(n: int) -> str:
    return f"{n / 1024:.0f} KB" if n < 1024 * 1024 else f"{n / 1024 / 1024:.1f} MB"


class RestoreDialog(QtWidgets.QDialog):
    """Lists the rotating set; ``chosen`` is the backup to restore once accepted."""

    def __init__(self, context: AppContext, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("从备份恢复")
        self.resize(860, 420)
        self.chosen: Path | None = None
        db = context.db
        self.backups: list[BackupInfo] = (
            list_backups(backup_folder(db.path), db.path.stem) if db is not None else []
        )
        layout = QtWidgets.QVBoxLayout(self)
        where = backup_folder(db.path) if db is not None else ""
        layout.addWidget(QtWidgets.QLabel(f"自动备份（导入、合并、升级、恢复之前）保存在：{where}"))
        self.table = QtWidgets.QTableWidget(len(self.backups), len(COLUMNS), self)
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        for row, b in enumerate(self.backups):
            values = (
                f"{b.created:%Y-%m-%d %H:%M:%S}",
                b.label,
                _size(b.size),
                b.summary(),
                "sha256" if b.sha256 else "无",
            )
            for col, text in enumerate(values):
                item = QtWidgets.QTableWidgetItem(text)
                item.setToolTip(str(b.path))
                self.table.setItem(row, col, item)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(
            3, QtWidgets.QHeaderView.ResizeMode.Stretch
        )
        layout.addWidget(self.table)
        if not self.backups:
            layout.addWidget(QtWidgets.QLabel("还没有自动备份。"))
        buttons = QtWidgets.QDialogButtonBox(self)
        self.restore_button = buttons.addButton(
            "恢复所选备份", QtWidgets.QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.other_button = buttons.addButton(
            "其他备份文件…", QtWidgets.QDialogButtonBox.ButtonRole.ActionRole
        )
        buttons.addButton(QtWidgets.QDialogButtonBox.StandardButton.Close)
        self.restore_button.setEnabled(False)
        self.restore_button.clicked.connect(self._take_selected)
        self.other_button.clicked.connect(self._choose_file)
        buttons.rejected.connect(self.reject)
        self.table.itemSelectionChanged.connect(
            lambda: self.restore_button.setEnabled(bool(self.table.selectedItems()))
        )
        self.table.doubleClicked.connect(lambda _i: self._take_selected())
        layout.addWidget(buttons)
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def select_row(self, row: int) -> None:
        self.table.selectRow(row)

    def _take_selected(self) -> None:
        rows = {i.row() for i in self.table.selectedItems()}
        if rows:
            self.chosen = self.backups[min(rows)].path
            self.accept()

    def _choose_file(self) -> None:
        path, _ = QtWidgets.QFileDialog.getOpenFileName(
            self, "选择备份文件", "", "gxdesk 数据库 (*.sqlite *.db);;所有文件 (*)"
        )
        if path:
            self.chosen = Path(path)
            self.accept()
