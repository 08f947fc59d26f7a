"""The category tree on the left: "全部任务" and the plan's categories, with counts.

A view only, shown before the data are loaded; its editing actions (add,
rename, reorder) are :mod:`gxdesk.ui.category_actions`, installed once the
window is on screen.
"""

from __future__ import annotations

from gxdesk.ui.category_model import CategoryColumn, CategoryRoles, CategoryTreeModel
from gxdesk.ui.context import AppContext
from gxdesk.ui.qt import ModelIndex, Qt, QtCore, QtGui, QtWidgets, Signal

COUNT_COLUMN_WIDTH = 32  # "红灯" and a two-digit count


class _WrappingTitles(QtWidgets.QStyledItemDelegate):
    """Row heights for titles wrapped to the title column's width (a view knows no width)."""

    def __init__(self, tree: CategoryTree) -> None:
        super().__init__(tree)
        self._tree = tree

    def sizeHint(self, option: QtWidgets.QStyleOptionViewItem, index: ModelIndex) -> QtCore.QSize:
        hint = super().sizeHint(option, index)
        if index.column() != CategoryColumn.TITLE:
            return hint
        indent = self._tree.indentation() if index.parent().isValid() else 0
        width = self._tree.header().sectionSize(CategoryColumn.TITLE) - indent - 2
        if width <= 0:
            return hint
        text = str(index.data() or "")
        bounds = QtGui.QFontMetrics(option.font).boundingRect(
            QtCore.QRect(0, 0, width, 10_000), int(Qt.TextFlag.TextWordWrap), text
        )
        return QtCore.QSize(hint.width(), max(hint.height(), bounds.height() + 4))


class CategoryTree(QtWidgets.QTreeView):
    """Emits ``category_selected(id or None)``; None is "全部任务"."""

    category_selected = Signal(object)

    def __init__(self, context: AppContext, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.model_ = CategoryTreeModel(self)
        self.setModel(self.model_)
        self.setAlternatingRowColors(False)
        self.setRootIsDecorated(False)
        self.setItemsExpandable(False)
        self.setIndentation(12)
        # A handful of rows: long titles wrap rather than lose their ending.
        self.setUniformRowHeights(False)
        self.setWordWrap(True)
        self.setItemDelegateForColumn(CategoryColumn.TITLE, _WrappingTitles(self))
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(CategoryColumn.TITLE, QtWidgets.QHeaderView.ResizeMode.Stretch)
        for col in (CategoryColumn.TASKS, CategoryColumn.RED, CategoryColumn.YELLOW):
            header.setSectionResizeMode(col, QtWidgets.QHeaderView.ResizeMode.Fixed)
            header.resizeSection(col, COUNT_COLUMN_WIDTH)
        header.sectionResized.connect(self._title_resized)
        self.selectionModel().currentChanged.connect(self._current_changed)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)

    def _title_resized(self, column: int, _old: int, _new: int) -> None:
        if column == CategoryColumn.TITLE:
            # Once the header has settled: re-measure the wrapped rows (a handful: cheap).
            QtCore.QTimer.singleShot(0, self, self.doItemsLayout)

    def current_category(self) -> int | None:
        index = self.currentIndex()
        return index.data(CategoryRoles.CATEGORY_ID) if index.isValid() else None

    def select_category(self, category_id: int | None) -> None:
        index = self.model_.index_of(category_id)
        if not index.isValid():
            index = self.model_.root_index()
        self.setCurrentIndex(index)

    def _current_changed(self, current: object, _previous: object) -> None:
        self.category_selected.emit(self.current_category())
