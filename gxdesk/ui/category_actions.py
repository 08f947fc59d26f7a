"""Editing the categories from the tree: add, rename, reorder, each one undoable.

Installed on the tree in the window's deferred start-up phase: the edits write
through :mod:`gxdesk.store.edits` (SQLAlchemy), which the tree itself, shown
before the data, must not import.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gxdesk.store.changes import Change, EditError
from gxdesk.store.edits import (
    add_category,
    move_category,
    remove_category,
    rename_category,
    reorder_categories,
)
from gxdesk.ui.category_tree import CategoryTree
from gxdesk.ui.commands import StoreCommand, SymmetricCommand, push
from gxdesk.ui.context import AppContext
from gxdesk.ui.qt import QtGui, QtWidgets

if TYPE_CHECKING:
    from gxdesk.store.changes import Transaction


class CategoryActions:
    """The tree's context-menu actions (新建类别, 重命名, 上移, 下移) and their commands."""

    def __init__(self, tree: CategoryTree, context: AppContext) -> None:
        self.tree = tree
        self.context = context
        self.add = self._action("新建类别…", self.add_category)
        self.rename = self._action("重命名类别…", self.rename_current)
        self.up = self._action("上移", lambda: self.move_current(-1))
        self.down = self._action("下移", lambda: self.move_current(1))

    def _action(self, text: str, slot: object) -> QtGui.QAction:
        action = QtGui.QAction(text, self.tree)
        action.triggered.connect(slot)
        self.tree.addAction(action)
        return action

    def add_category(self) -> None:
        plan_id = self.context.plan_id
        if plan_id is None:
            return
        title, ok = QtWidgets.QInputDialog.getText(self.tree, "新建类别", "类别名称：")
        if not ok or not title.strip():
            return
        state: dict[str, int] = {}

        def do(session: Transaction) -> Change:
            change = add_category(session, plan_id, title)
            state["id"] = change.before
            return change

        def undo(session: Transaction) -> Change:
            return remove_category(session, state["id"])

        self._push(StoreCommand(self.context, f"新建类别：{title.strip()}", do, undo))

    def rename_current(self) -> None:
        category_id = self.tree.current_category()
        if category_id is None:
            return
        old = self.tree.currentIndex().siblingAtColumn(0).data().split("、", 1)[-1]
        title, ok = QtWidgets.QInputDialog.getText(self.tree, "重命名类别", "类别名称：", text=old)
        if ok and title.strip() and title.strip() != old:
            self._push(
                SymmetricCommand(self.context, "重命名类别", rename_category, [category_id], title)
            )

    def move_current(self, delta: int) -> None:
        category_id = self.tree.current_category()
        plan_id = self.context.plan_id
        if category_id is None or plan_id is None:
            return
        state: dict[str, tuple[int, ...]] = {}

        def do(session: Transaction) -> Change:
            change = move_category(session, category_id, delta)
            state.setdefault("before", change.before)
            return change

        def undo(session: Transaction) -> Change:
            return reorder_categories(session, plan_id, state["before"])

        self._push(StoreCommand(self.context, "调整类别顺序", do, undo))
        self.tree.select_category(category_id)

    def _push(self, command: StoreCommand) -> None:
        try:
            push(self.context, command)
        except EditError as exc:
            QtWidgets.QMessageBox.warning(self.tree, "无法修改类别", str(exc))
