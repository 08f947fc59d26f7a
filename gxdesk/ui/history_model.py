"""Read-only models of the detail pane: a task's units, and its progress history."""

from __future__ import annotations

from collections.abc import Sequence
from enum import IntEnum

from gxdesk.core.views import AssignmentView, ProgressView
from gxdesk.ui.labels import cn_date, cn_datetime, cn_period
from gxdesk.ui.qt import ModelIndex, Qt, QtCore

_INVALID = QtCore.QModelIndex()


class HistoryRoles(IntEnum):
    PROGRESS_ID = Qt.ItemDataRole.UserRole + 1


_HISTORY_HEADERS = ("报告时间", "单位", "期间", "状态", "进度", "进展情况", "完成日期", "来源")


def _history_cell(p: ProgressView, col: int) -> str:
    if col == 0:
        return cn_datetime(p.reported_at)
    if col == 1:
        return p.unit
    if col == 2:
        return cn_period(p.period)
    if col == 3:
        return p.status.value
    if col == 4:
        return "" if p.percent is None else f"{p.percent}%"
    if col == 5:
        return p.text
    if col == 6:
        return cn_date(p.done_on)
    if col == 7:
        return "手工录入" if p.source == "manual" else (p.source_file or "单位报送")
    return ""


class ProgressHistoryModel(QtCore.QAbstractTableModel):
    """Every report on one task, newest first."""

    def __init__(self, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[ProgressView] = []

    def set_rows(self, rows: Sequence[ProgressView]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: ModelIndex = _INVALID) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = _INVALID) -> int:
        return 0 if parent.isValid() else len(_HISTORY_HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> object:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(_HISTORY_HEADERS)
        ):
            return _HISTORY_HEADERS[section]
        return None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        p = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return _history_cell(p, index.column())
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [f"{p.unit} · {cn_period(p.period)} · {p.status.value}", p.text]
            for label, value in (
                ("佐证材料", p.evidence),
                ("存在问题", p.problems),
                ("联系人", p.contact),
                ("电话", p.phone),
            ):
                if value:
                    lines.append(f"{label}：{value}")
            return "\n".join(line for line in lines if line)
        if role == HistoryRoles.PROGRESS_ID:
            return p.id
        return None


class AssignmentModel(QtCore.QAbstractListModel):
    """A task's units with their roles ("市财政局 · 牵头")."""

    def __init__(self, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[AssignmentView] = []

    def set_rows(self, rows: Sequence[AssignmentView]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: ModelIndex = _INVALID) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        a = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            group = "（单位组，各成员分别报送）" if a.is_group else ""
            inferred = "（推断）" if a.inferred else ""
            return f"{a.unit} · {a.role.label}{group}{inferred}"
        return None
