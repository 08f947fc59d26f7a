"""The main window: category tree | task table | detail pane, menus and status bar.

Thin on purpose: the features (tree, filter bar, table model, detail pane,
file actions, Excel exchange actions) are their own modules and share one
:class:`AppContext`. Data are loaded after the window is shown.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from gxdesk.core.model import Light
from gxdesk.store import queries
from gxdesk.store.edits import RELOAD, Change
from gxdesk.ui import exchange_actions
from gxdesk.ui.category_tree import CategoryTree
from gxdesk.ui.context import AppContext
from gxdesk.ui.detail import DetailPane
from gxdesk.ui.dialogs import PreferencesDialog, UnitsGroupsDialog, ask_date, edit_issue_date
from gxdesk.ui.file_actions import FileActions
from gxdesk.ui.filter_bar import FilterBar
from gxdesk.ui.labels import cn_date
from gxdesk.ui.plan_import import is_plan_file
from gxdesk.ui.qt import Qt, QtCore, QtGui, QtWidgets
from gxdesk.ui.settings import WindowState, save_preferences
from gxdesk.ui.task_model import Column, TaskFilter, TaskRoles, TaskTableModel

APP_TITLE = "政务公开工作台账"
_COLUMN_WIDTHS = {
    Column.SEQ: 44,
    Column.NAME: 210,
    Column.DEADLINE: 112,
    Column.DUE: 106,
    Column.UNITS: 150,
    Column.STATUS: 64,
    Column.LIGHT: 62,
    Column.LATEST: 160,
    Column.REPORTED: 100,
}


class MainWindow(QtWidgets.QMainWindow):
    def __init__(self, context: AppContext, state: WindowState | None = None) -> None:
        super().__init__()
        self.context = context
        self.state = state
        context.window = self
        self.setWindowTitle(APP_TITLE)
        self.setAcceptDrops(True)
        self.tree = CategoryTree(context)
        self.filter_bar = FilterBar(context)
        self.model = TaskTableModel(self)
        self.table = self._make_table()
        self.detail = DetailPane(context)
        centre = QtWidgets.QWidget()
        column = QtWidgets.QVBoxLayout(centre)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.filter_bar)
        column.addWidget(self.table, 1)
        self.splitter = QtWidgets.QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.tree)
        self.splitter.addWidget(centre)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setStretchFactor(2, 0)
        self.splitter.setCollapsible(1, False)
        self.setCentralWidget(self.splitter)
        self.counts = QtWidgets.QLabel()
        self.today_label = QtWidgets.QLabel()
        self.statusBar().addWidget(self.counts, 1)
        self.statusBar().addPermanentWidget(self.today_label)
        self._build_menus()
        self.file_actions = FileActions(self, context, state or WindowState())
        exchange_actions.install(self, context)
        self.menu_file.addSeparator()
        self.menu_file.addAction("退出", self.close).setShortcut(
            QtGui.QKeySequence.StandardKey.Quit
        )
        self.tree.category_selected.connect(self._apply_filter)
        self.filter_bar.changed.connect(self._apply_filter)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        context.changed.connect(self._on_changed)
        self._default_layout()
        if state is not None:
            self._restore_state(state)

    # --- building ---------------------------------------------------------------------
    def _make_table(self) -> QtWidgets.QTableView:
        table = QtWidgets.QTableView()
        table.setModel(self.model)
        table.setSortingEnabled(True)
        table.horizontalHeader().setSortIndicator(Column.SEQ, Qt.SortOrder.AscendingOrder)
        table.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.SingleSelection)
        table.setWordWrap(False)
        table.setTextElideMode(Qt.TextElideMode.ElideRight)
        table.setAlternatingRowColors(True)
        table.verticalHeader().hide()
        table.verticalHeader().setDefaultSectionSize(26)
        table.horizontalHeader().setStretchLastSection(True)
        table.horizontalHeader().setHighlightSections(False)
        for col, width in _COLUMN_WIDTHS.items():
            table.setColumnWidth(col, width)
        return table

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.menu_file = bar.addMenu("文件(&F)")
        edit = bar.addMenu("编辑(&E)")
        undo = self.context.undo_stack.createUndoAction(self, "撤销")
        undo.setShortcut(QtGui.QKeySequence.StandardKey.Undo)
        redo = self.context.undo_stack.createRedoAction(self, "重做")
        redo.setShortcuts([QtGui.QKeySequence("Ctrl+Y"), QtGui.QKeySequence.StandardKey.Redo])
        edit.addAction(undo)
        edit.addAction(redo)
        edit.addSeparator()
        edit.addAction("单位与分组…", lambda: UnitsGroupsDialog(self.context, self).exec())
        edit.addAction("计划印发日期…", lambda: edit_issue_date(self.context, self))
        edit.addAction("新建类别…", self.tree.add_category)
        view = bar.addMenu("查看(&V)")
        view.addAction("设定“今天”…", self._ask_today)
        view.addAction("回到今天", lambda: self.set_today(dt.date.today()))
        view.addSeparator()
        view.addAction("清除筛选", self.filter_bar.reset)
        settings = bar.addMenu("设置(&S)")
        settings.addAction("首选项…", self._preferences)

    def _default_layout(self) -> None:
        self.resize(1400, 860)
        self.splitter.setSizes([290, 760, 400])

    # --- loading and refreshing --------------------------------------------------------
    def load(self) -> None:
        """Read the plan and its tasks (called once the window is on screen)."""
        self.context.reload_plan()
        self._on_changed(RELOAD)

    def _on_changed(self, change: Change) -> None:
        ctx = self.context
        if change.reload or change.plan:
            ctx.reload_plan()
        if change.lists_reload:
            self.filter_bar.load_units()
        self.filter_bar.forget_unit_tasks()
        plan = ctx.plan
        title = f"{plan.title} — {APP_TITLE}" if plan else f"{APP_TITLE}（尚无计划）"
        db_name = ctx.db.path.name if ctx.db else ""
        self.setWindowTitle(f"{title} [{db_name}]" if db_name else title)
        current = self.current_task_id()
        category = self.tree.current_category()
        if plan is None or ctx.db is None:
            rows, cats = [], []
        else:
            rows = queries.list_tasks(
                ctx.db,
                plan.id,
                on=ctx.on,
                calendar=ctx.calendar,
                yellow_workdays=ctx.preferences.yellow_workdays,
            )
            cats = queries.categories(ctx.db, plan.id)
        self.tree.blockSignals(True)
        self.tree.model_.set_data(cats, rows, plan.title if plan else "全部任务")
        self.tree.expandAll()
        self.tree.select_category(category)
        self.tree.blockSignals(False)
        self.model.set_rows(rows, self._workdays_left)
        self._apply_filter()
        if current is not None:
            self.select_task(current)
        self.today_label.setText(f"今天：{cn_date(ctx.on)}")

    def _workdays_left(self, due: dt.date) -> int | None:
        try:
            return self.context.calendar.workdays_between(self.context.on, due)
        except ValueError:
            return None

    def _apply_filter(self, *_args: object) -> None:
        current = self.current_task_id()
        base = TaskFilter(category_id=self.tree.current_category())
        self.model.set_filter(self.filter_bar.apply_to(base))
        if current is not None and not self.select_task(current):
            self.detail.show_task(None)
        self._update_counts()

    def _update_counts(self) -> None:
        shown = self.model.visible_rows
        lights = queries.light_counts(shown)
        self.counts.setText(
            f"共 {len(self.model.all_rows)} 项任务，显示 {len(shown)} 项 · "
            f"红灯 {lights[Light.RED]} · 黄灯 {lights[Light.YELLOW]} · 绿灯 {lights[Light.GREEN]}"
        )

    # --- selection ------------------------------------------------------------------
    def current_task_id(self) -> int | None:
        index = self.table.currentIndex()
        return index.data(TaskRoles.TASK_ID) if index.isValid() else None

    def select_task(self, task_id: int) -> bool:
        row = self.model.row_of(task_id)
        if row < 0:
            return False
        self.table.setCurrentIndex(self.model.index(row, Column.NAME))
        self.detail.show_task(task_id)
        return True

    def _row_changed(self, current: QtCore.QModelIndex, _previous: QtCore.QModelIndex) -> None:
        self.detail.show_task(current.data(TaskRoles.TASK_ID) if current.isValid() else None)

    # --- commands ---------------------------------------------------------------------
    def status_message(self, text: str) -> None:
        self.statusBar().showMessage(text, 10000)

    def set_today(self, day: dt.date) -> None:
        self.context.on = day
        self.context.notify(RELOAD)

    def _ask_today(self) -> None:
        day = ask_date(self, "设定“今天”", "按此日期计算提示灯：", self.context.on)
        if day is not None:
            self.set_today(day)

    def _preferences(self) -> None:
        units = [u.name for u in queries.units(self.context.db)] if self.context.db else []
        dialog = PreferencesDialog(self.context.preferences, units, self)
        if dialog.exec() == QtWidgets.QDialog.DialogCode.Accepted:
            self.context.preferences = dialog.preferences()
            save_preferences(self.context.preferences)
            self.context.notify(RELOAD)

    # --- drag and drop ----------------------------------------------------------------
    @staticmethod
    def _dropped_plan(event: QtGui.QDropEvent | QtGui.QDragEnterEvent) -> Path | None:
        urls = event.mimeData().urls() if event.mimeData().hasUrls() else []
        files = [Path(u.toLocalFile()) for u in urls if u.isLocalFile()]
        return files[0] if len(files) == 1 and is_plan_file(files[0]) else None

    def dragEnterEvent(self, event: QtGui.QDragEnterEvent) -> None:
        if self._dropped_plan(event) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QtGui.QDropEvent) -> None:
        path = self._dropped_plan(event)
        if path is None:
            event.ignore()
            return
        event.acceptProposedAction()
        self.file_actions.start_import(path)

    # --- window state ---------------------------------------------------------------
    def _restore_state(self, state: WindowState) -> None:
        geometry = state.bytes("geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        splitter = state.bytes("splitter")
        if splitter is not None:
            self.splitter.restoreState(splitter)
        header = state.bytes("table_header")
        if header is not None:
            self.table.horizontalHeader().restoreState(header)

    def closeEvent(self, event: QtGui.QCloseEvent) -> None:
        focus = QtWidgets.QApplication.focusWidget()
        if focus is not None:
            focus.clearFocus()  # commits a field being edited
        if self.state is not None:
            self.state.set_bytes("geometry", self.saveGeometry())
            self.state.set_bytes("splitter", self.splitter.saveState())
            self.state.set_bytes("table_header", self.table.horizontalHeader().saveState())
            self.state.sync()
        self.context.jobs.wait()
        super().closeEvent(event)
