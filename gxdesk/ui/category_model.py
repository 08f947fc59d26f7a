"""The category tree: "全部任务" with the plan's categories under it, with counts.

A two-level model (not a ``QTreeWidget``): its counts come from the same rows
the task table shows, so the two never disagree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import IntEnum
from typing import TYPE_CHECKING

from gxdesk.core.model import Light
from gxdesk.core.numerals import category_label
from gxdesk.ui.qt import ModelIndex, Qt, QtCore, QtGui
from gxdesk.ui.task_model import LIGHT_COLORS

if TYPE_CHECKING:
    from gxdesk.core.views import CategoryRow, TaskRow

_ROOT_ID = 0  # internal id of the "全部任务" node; categories use row + 1


class CategoryRoles(IntEnum):
    CATEGORY_ID = Qt.ItemDataRole.UserRole + 1  # None for "全部任务"


class CategoryColumn(IntEnum):
    TITLE = 0
    TASKS = 1
    RED = 2
    YELLOW = 3


_HEADERS = {
    CategoryColumn.TITLE: "类别",
    CategoryColumn.TASKS: "任务",
    CategoryColumn.RED: "红灯",
    CategoryColumn.YELLOW: "黄灯",
}


@dataclass(frozen=True)
class _Counts:
    tasks: int = 0
    red: int = 0
    yellow: int = 0


def _label(cat: CategoryRow) -> str:
    return category_label(cat.seq, cat.title)


class CategoryTreeModel(QtCore.QAbstractItemModel):
    def __init__(self, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self._cats: list[CategoryRow] = []
        self._counts: dict[int | None, _Counts] = {}
        self._title = "全部任务"

    def set_data(
        self, categories: Sequence[CategoryRow], rows: Sequence[TaskRow], title: str = "全部任务"
    ) -> None:
        counts: dict[int | None, list[int]] = {None: [0, 0, 0]}
        for c in categories:
            counts[c.id] = [0, 0, 0]
        for r in rows:
            for key in (None, r.category_id):
                tally = counts.setdefault(key, [0, 0, 0])
                tally[0] += 1
                tally[1] += r.light is Light.RED
                tally[2] += r.light is Light.YELLOW
        self.beginResetModel()
        self._cats = list(categories)
        self._counts = {k: _Counts(*v) for k, v in counts.items()}
        self._title = title
        self.endResetModel()

    def category_ids(self) -> list[int]:
        return [c.id for c in self._cats]

    def root_index(self) -> QtCore.QModelIndex:
        return self.index(0, 0)

    def index_of(self, category_id: int | None) -> QtCore.QModelIndex:
        if category_id is None:
            return self.root_index()
        for i, c in enumerate(self._cats):
            if c.id == category_id:
                return self.index(i, 0, self.root_index())
        return QtCore.QModelIndex()

    # --- model interface ----------------------------------------------------------
    def index(
        self,
        row: int,
        column: int,
        parent: ModelIndex = QtCore.QModelIndex(),  # noqa: B008
    ) -> QtCore.QModelIndex:
        if not self.hasIndex(row, column, parent):
            return QtCore.QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, _ROOT_ID)
        return self.createIndex(row, column, row + 1)

    def parent(self, index: ModelIndex = QtCore.QModelIndex()) -> QtCore.QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid() or index.internalId() == _ROOT_ID:
            return QtCore.QModelIndex()
        return self.createIndex(0, 0, _ROOT_ID)

    def rowCount(self, parent: ModelIndex = QtCore.QModelIndex()) -> int:  # noqa: B008
        if not parent.isValid():
            return 1
        if parent.internalId() == _ROOT_ID and parent.column() == 0:
            return len(self._cats)
        return 0

    def columnCount(self, parent: ModelIndex = QtCore.QModelIndex()) -> int:  # noqa: B008
        return len(CategoryColumn)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> object:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(CategoryColumn)
        ):
            return _HEADERS[CategoryColumn(section)]
        return None

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def _category(self, index: ModelIndex) -> CategoryRow | None:
        if index.internalId() == _ROOT_ID:
            return None
        return self._cats[index.internalId() - 1]

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        cat = self._category(index)
        key = None if cat is None else cat.id
        counts = self._counts.get(key, _Counts())
        col = index.column()
        if role == CategoryRoles.CATEGORY_ID:
            return key
        if role == Qt.ItemDataRole.DisplayRole:
            if col == CategoryColumn.TITLE:
                return self._title if cat is None else _label(cat)
            value = (counts.tasks, counts.red, counts.yellow)[col - 1]
            if col != CategoryColumn.TASKS and not value:
                return ""
            return str(value)
        if role == Qt.ItemDataRole.ToolTipRole:
            title = self._title if cat is None else _label(cat)
            return (
                f"{title}\n共 {counts.tasks} 项任务，红灯 {counts.red} 项，黄灯 {counts.yellow} 项"
            )
        if role == Qt.ItemDataRole.ForegroundRole and col in (
            CategoryColumn.RED,
            CategoryColumn.YELLOW,
        ):
            light = Light.RED if col == CategoryColumn.RED else Light.YELLOW
            return QtGui.QBrush(QtGui.QColor(LIGHT_COLORS[light]))
        if role == Qt.ItemDataRole.TextAlignmentRole and col != CategoryColumn.TITLE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and cat is None:
            font = QtGui.QFont()
            font.setBold(True)
            return font
        return None
