"""The category tree on the left, with its editing actions (add, rename, reorder)."""

from __future__ import annotations

from gxdesk.store.edits import (
    Change,
    EditError,
    add_category,
    move_category,
    remove_category,
    rename_category,
    reorder_categories,
)
from gxdesk.ui.category_model import CategoryColumn, CategoryRoles, CategoryTreeModel
from gxdesk.ui.commands import StoreCommand, SymmetricCommand, push
from gxdesk.ui.context import AppContext
from gxdesk.ui.qt import Qt, QtGui, QtWidgets, Signal


class CategoryTree(QtWidgets.QTreeView):
    """Emits ``category_selected(id or None)``; None is "全部任务"."""

    category_selected = Signal(object)

    def __init__(self, context: AppContext, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.model_ = CategoryTreeModel(self)
        self.setModel(self.model_)
        self.setUniformRowHeights(True)
        self.setAlternatingRowColors(False)
        self.setRootIsDecorated(False)
        self.setItemsExpandable(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(CategoryColumn.TITLE, QtWidgets.QHeaderView.ResizeMode.Stretch)
        for col in (CategoryColumn.TASKS, CategoryColumn.RED, CategoryColumn.YELLOW):
            header.setSectionResizeMode(col, QtWidgets.QHeaderView.ResizeMode.Fixed)
            header.resizeSection(col, 36)
        self.selectionModel().currentChanged.connect(self._current_changed)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.action_add = self._action("新建类别…", self.add_category)
        self.action_rename = self._action("重命名类别…", self.rename_current)
        self.action_up = self._action("上移", lambda: self.move_current(-1))
        self.action_down = self._action("下移", lambda: self.move_current(1))

    def _action(self, text: str, slot: object) -> QtGui.QAction:
        action = QtGui.QAction(text, self)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

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

    def _error(self, exc: Exception) -> None:
        QtWidgets.QMessageBox.warning(self, "无法修改类别", str(exc))

    def add_category(self) -> None:
        plan_id = self.context.plan_id
        if plan_id is None:
            return
        title, ok = QtWidgets.QInputDialog.getText(self, "新建类别", "类别名称：")
        if not ok or not title.strip():
            return
        state: dict[str, int] = {}

        def do(session: object) -> Change:
            change = add_category(session, plan_id, title)  # type: ignore[arg-type]
            state["id"] = change.before
            return change

        def undo(session: object) -> Change:
            return remove_category(session, state["id"])  # type: ignore[arg-type]

        self._push(StoreCommand(self.context, f"新建类别：{title.strip()}", do, undo))

    def rename_current(self) -> None:
        category_id = self.current_category()
        if category_id is None:
            return
        old = self.currentIndex().siblingAtColumn(0).data().split("、", 1)[-1]
        title, ok = QtWidgets.QInputDialog.getText(self, "重命名类别", "类别名称：", text=old)
        if ok and title.strip() and title.strip() != old:
            self._push(
                SymmetricCommand(self.context, "重命名类别", rename_category, [category_id], title)
            )

    def move_current(self, delta: int) -> None:
        category_id = self.current_category()
        plan_id = self.context.plan_id
        if category_id is None or plan_id is None:
            return
        state: dict[str, tuple[int, ...]] = {}

        def do(session: object) -> Change:
            change = move_category(session, category_id, delta)  # type: ignore[arg-type]
            state.setdefault("before", change.before)
            return change

        def undo(session: object) -> Change:
            return reorder_categories(session, plan_id, state["before"])  # type: ignore[arg-type]

        self._push(StoreCommand(self.context, "调整类别顺序", do, undo))
        self.select_category(category_id)

    def _push(self, command: StoreCommand) -> None:
        try:
            push(self.context, command)
        except EditError as exc:
            self._error(exc)
