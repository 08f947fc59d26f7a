"""The main window: category tree | task table | detail pane, menus and status bar.

Thin on purpose: the features (tree, filter bar, table model, detail pane,
file actions, Excel exchange actions) are their own modules and share one
:class:`AppContext`.

It starts in three steps, so the clerk sees the window at once:

1. ``MainWindow(...)`` builds only what shows: the tree, the filter bar, the
   table and a placeholder for the detail pane. Nothing here imports
   SQLAlchemy (nor the Word, Excel or PDF libraries).
2. :meth:`load` reads the data with plain sqlite3 (:mod:`gxdesk.store.queries`,
   imported there with the core's deadline and calendar code) and puts them
   on screen.
3. :meth:`finish` imports and wires everything that writes (the detail pane,
   the category edits, the menus' commands, the file and Excel exchange
   actions). Until then the menus are empty and the detail pane is a
   placeholder, for a fraction of a second.

:meth:`start` shows the window and runs steps 2 and 3 on the next turns of the
event loop; ``loaded`` and ``ready`` say when each is done.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from gxdesk.core.model import Light
from gxdesk.ui.category_tree import CategoryTree
from gxdesk.ui.chart_window import ChartWindow
from gxdesk.ui.column_fit import ColumnFitter
from gxdesk.ui.context import AppContext
from gxdesk.ui.filter_bar import FilterBar
from gxdesk.ui.gantt.host import ViewSplit
from gxdesk.ui.labels import CALENDAR_MENU, cn_date
from gxdesk.ui.qt import Qt, QtCore, QtGui, QtWidgets, Signal
from gxdesk.ui.settings import WindowState
from gxdesk.ui.task_model import INFERRED_COLOR, Column, TaskFilter, TaskRoles, TaskTableModel

if TYPE_CHECKING:
    from gxdesk.core.views import TaskRow
    from gxdesk.store.changes import Change
    from gxdesk.ui.calendar_dialog import CalendarDialog
    from gxdesk.ui.category_actions import CategoryActions
    from gxdesk.ui.detail import DetailPane
    from gxdesk.ui.exchange_actions import ExchangeActions
    from gxdesk.ui.file_actions import FileActions

APP_TITLE = "政务公开工作台账"
NO_TASK = "未选择任务：在中间的任务表中选择一项任务"
# 工作任务 takes what is left (elided, full text in the tooltip); the others are
# sized for their usual content so that every column fits without scrolling
# from 1280 pixels wide up.
_COLUMN_WIDTHS = {
    Column.SEQ: 38,
    Column.DEADLINE: 80,
    Column.DUE: 104,
    Column.UNITS: 112,
    Column.STATUS: 54,
    Column.LIGHT: 56,
    Column.LATEST: 104,
    Column.REPORTED: 98,
}
_NAME_MIN_WIDTH = 120
#: The most each column asks for when it fits (see ui/column_fit.py); 工作任务 stretches.
_COLUMN_CAPS = {
    **_COLUMN_WIDTHS,
    Column.NAME: 520,
    Column.DEADLINE: 160,
    Column.UNITS: 200,
    Column.LATEST: 260,
}
INFERRED_LEGEND = (
    f'<span style="color:{INFERRED_COLOR}; font-style:italic">橙色斜体</span>'
    "：由合并单元格推断，待确认"
)


def window_title(plan_title: str | None, db_name: str) -> str:
    """The plan, the database file, and the program's name once, at the end.

    Qt's xcb and Windows platforms append the application display name to a
    title that does not already end with it, so it is put last here.
    """
    title = plan_title or "（尚无计划）"
    if db_name:
        title = f"{title} [{db_name}]"
    return f"{title} — {APP_TITLE}"


def splitter_sizes(width: int) -> list[int]:
    """Tree | table | detail for a window ``width`` wide: the table gets the most."""
    tree = max(190, min(300, width * 17 // 100))
    detail = max(280, min(400, width * 23 // 100))
    return [tree, max(_NAME_MIN_WIDTH, width - tree - detail), detail]


class MainWindow(ChartWindow):
    loaded = Signal()  # the data are on screen (step 2)
    ready = Signal()  # every command is wired (step 3)

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
        self.detail: DetailPane | None = None  # built by finish()
        self.category_actions: CategoryActions | None = None
        self.file_actions: FileActions | None = None
        self.exchange: ExchangeActions | None = None  # set by finish()
        self.calendar_notice: QtWidgets.QLabel | None = None  # built when a year is unknown
        self.calendar_dialog: CalendarDialog | None = None
        self.unknown_years: list[int] = []  # years whose holidays the plan needs but nobody gave
        self._loaded = False  # load() has put the data on screen
        centre = QtWidgets.QWidget()
        self._column = column = QtWidgets.QVBoxLayout(centre)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.filter_bar)
        self.views = ViewSplit(self)  # 任务表 | 甘特图 side by side (chart built when shown)
        column.addWidget(self.views, 1)
        self.splitter = QtWidgets.QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.tree)
        self.splitter.addWidget(centre)
        self.splitter.addWidget(self._placeholder())
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setStretchFactor(2, 0)
        self.splitter.setCollapsible(1, False)
        self.setCentralWidget(self.splitter)
        self.counts = QtWidgets.QLabel()
        self.today_label = QtWidgets.QLabel()
        self.statusBar().addWidget(self.counts, 1)
        self.inferred_legend = QtWidgets.QLabel(INFERRED_LEGEND)
        self.inferred_legend.setToolTip("表中橙色斜体的完成时限、责任单位由合并单元格推断，请核对后确认")
        self.inferred_legend.hide()  # shown while the plan has inferred values
        self.statusBar().addPermanentWidget(self.inferred_legend)
        self.statusBar().addPermanentWidget(self.today_label)
        bar = self.menuBar()  # the titles now, so the bar does not jump; entries in finish()
        self.menu_file = bar.addMenu("文件(&F)")
        self.menu_edit = bar.addMenu("编辑(&E)")
        self.menu_view = bar.addMenu("查看(&V)")
        self.menu_settings = bar.addMenu("设置(&S)")
        self.menu_help = bar.addMenu("帮助(&H)")
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
        header = table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setHighlightSections(False)
        header.setMinimumSectionSize(32)
        for col, width in _COLUMN_WIDTHS.items():
            table.setColumnWidth(col, width)
        header.setSectionResizeMode(Column.NAME, QtWidgets.QHeaderView.ResizeMode.Stretch)
        self.column_fit = ColumnFitter(
            table,
            {int(c): w for c, w in _COLUMN_CAPS.items()},
            stretch=Column.NAME,
            shrinkable={Column.DEADLINE, Column.UNITS, Column.LATEST},
        )
        return table

    @staticmethod
    def _placeholder() -> QtWidgets.QWidget:
        """Stands where the detail pane goes until finish() builds it (it looks the same)."""
        label = QtWidgets.QLabel(NO_TASK)
        label.setWordWrap(True)
        label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        label.setContentsMargins(4, 0, 0, 0)
        return label

    def _default_layout(self) -> None:
        self.resize(1400, 860)
        self.splitter.setSizes(splitter_sizes(1400))

    # --- starting -----------------------------------------------------------------------
    def start(self) -> None:
        """Show the window now; load the data and wire the commands on the next turns."""
        self.show()
        QtCore.QTimer.singleShot(0, self._load_then_finish)

    def _load_then_finish(self) -> None:
        self.load()
        # A turn of its own: the rows are painted before the ORM import blocks.
        QtCore.QTimer.singleShot(0, self.finish)

    def finish(self) -> None:
        """Step 3: import and wire what writes (SQLAlchemy); idempotent."""
        if self.detail is not None:
            return
        from gxdesk.ui import exchange_actions
        from gxdesk.ui.category_actions import CategoryActions
        from gxdesk.ui.detail import DetailPane
        from gxdesk.ui.file_actions import FileActions
        from gxdesk.ui.single_writer import ChangeWatcher

        self._tidy()
        self.detail = DetailPane(self.context)
        placeholder = self.splitter.replaceWidget(2, self.detail)
        if placeholder is not None:
            placeholder.deleteLater()
        self.category_actions = CategoryActions(self.tree, self.context)
        self.file_actions = FileActions(self, self.context, self.state or WindowState())
        from gxdesk.ui import server_actions

        self.server = server_actions.install(self, self.context, self.file_actions)
        self.exchange = exchange_actions.install(self, self.context)
        self.watcher = ChangeWatcher(self.context, self)  # another program's changes
        self.views.install_menu(self.menu_file, self.menu_view)
        from gxdesk.ui import report_actions

        self.reports = report_actions.install(self, self.context)  # the 报告 menu
        self.menu_file.addSeparator()
        self.menu_file.addAction("退出", self.close).setShortcut(
            QtGui.QKeySequence.StandardKey.Quit
        )
        self._fill_menus()
        self.detail.show_task(self.current_task_id())
        self.ready.emit()

    def _tidy(self) -> None:
        """Remove the program's own leftovers beside the database (build_window left it)."""
        from gxdesk.store.litter import clean_litter

        if self.context.db is not None:
            clean_litter(self.context.db.path)

    def _fill_menus(self) -> None:
        from gxdesk.ui.dialogs import UnitsGroupsDialog, edit_issue_date

        assert self.category_actions is not None
        edit = self.menu_edit
        undo = self.context.undo_stack.createUndoAction(self, "撤销")
        undo.setShortcut(QtGui.QKeySequence.StandardKey.Undo)
        redo = self.context.undo_stack.createRedoAction(self, "重做")
        redo.setShortcuts(
            [QtGui.QKeySequence("Ctrl+Y"), QtGui.QKeySequence(QtGui.QKeySequence.StandardKey.Redo)]
        )
        edit.addAction(undo)
        edit.addAction(redo)
        edit.addSeparator()
        self.lead_only_actions = [  # disabled for a unit's login on a server (server_actions)
            edit.addAction("单位与分组…", lambda: UnitsGroupsDialog(self.context, self).exec()),
            edit.addAction("计划印发日期…", lambda: edit_issue_date(self.context, self)),
            edit.addAction("新建类别…", self.category_actions.add_category),
        ]
        view = self.menu_view
        view.addAction("设定“今天”…", self._ask_today)
        view.addAction("回到今天", lambda: self.set_today(dt.date.today()))
        view.addSeparator()
        view.addAction("清除筛选", self.filter_bar.reset)
        self.menu_settings.addAction("首选项…", self._preferences)
        self.calendar_action = self.menu_settings.addAction("工作日历…", self.open_calendar)
        self.lead_only_actions.append(self.calendar_action)
        self.menu_help.addAction("关于…", self.show_about)

    def show_about(self) -> None:
        from gxdesk.ui.about_dialog import AboutDialog

        AboutDialog(self.context.db.path if self.context.db else None, self).exec()

    # --- loading and refreshing --------------------------------------------------------
    def load(self) -> None:
        """Step 2: read the plan and its tasks (plain sqlite3) and show them."""
        from gxdesk.store.changes import RELOAD

        self.context.reload_plan()
        self._on_changed(RELOAD)
        self.loaded.emit()

    def _on_changed(self, change: Change) -> None:
        from gxdesk.store import queries

        self._loaded = True
        ctx = self.context  # notify() has re-read the plan and calendar for this change
        if change.lists_reload:
            self.filter_bar.load_units()
        self.filter_bar.forget_unit_tasks()
        plan = ctx.plan
        db_name = ctx.db.label if ctx.db else ""
        self.setWindowTitle(window_title(plan.title if plan else None, db_name))
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
        self._show_calendar_notice(rows)
        self._apply_filter()
        if current is not None:
            self.select_task(current)
        self.today_label.setText(f"今天：{cn_date(ctx.on)}")

    def _show_calendar_notice(self, rows: list[TaskRow]) -> None:
        """Say above the table which tasks lack a due date for want of a year's holidays."""
        missing = [row.missing_year for row in rows if row.missing_year is not None]
        count = len(missing)
        self.unknown_years = sorted(set(missing))
        if not self.unknown_years:
            if self.calendar_notice is not None:
                self.calendar_notice.hide()
            return
        if self.calendar_notice is None:
            self.calendar_notice = notice = QtWidgets.QLabel()
            notice.setObjectName("calendarNotice")
            notice.setWordWrap(True)
            notice.setTextFormat(Qt.TextFormat.RichText)
            notice.setStyleSheet(
                "#calendarNotice { background: #fff4e0; border: 1px solid #f2a600;"
                " border-radius: 3px; padding: 4px 6px; }"
            )
            notice.linkActivated.connect(lambda _link: self.open_calendar())
            self._column.insertWidget(1, notice)
        names = "、".join(f"{y}年" for y in self.unknown_years)
        self.calendar_notice.setText(
            f"<b>{count} 项任务没有截止日期</b>：{names}的放假调休安排未知，"
            f"无法按工作日计算。请在“<a href='calendar'>{CALENDAR_MENU}</a>”中录入"
            "国务院办公厅公布的安排，截止日期和提示灯随即重新计算。"
        )
        self.calendar_notice.show()

    def open_calendar(self, year: int | None = None) -> CalendarDialog:
        """设置 → 工作日历…: opened on the first unknown year the plan needs, if any."""
        from gxdesk.ui.calendar_dialog import CalendarDialog

        if year is None and self.unknown_years:
            year = self.unknown_years[0]
        dialog = CalendarDialog(self.context, self, year)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.destroyed.connect(lambda *_: setattr(self, "calendar_dialog", None))
        self.calendar_dialog = dialog
        dialog.open()
        return dialog

    def _workdays_left(self, due: dt.date) -> int | None:
        try:
            return self.context.calendar.workdays_between(self.context.on, due)
        except ValueError:
            return None

    def _apply_filter(self, *_args: object) -> None:
        if not self._loaded:  # the first frame's tree picks a row: nothing to filter yet
            return
        current = self.current_task_id()
        base = TaskFilter(category_id=self.tree.current_category())
        self.model.set_filter(self.filter_bar.apply_to(base))
        self.column_fit.fit()
        if current is not None and not self.select_task(current):
            self._show_detail(None)
        self._update_counts()

    def _update_counts(self) -> None:
        shown = self.model.visible_rows
        self.inferred_legend.setVisible(
            any(r.deadline_inferred or r.units_inferred for r in self.model.all_rows)
        )
        lights = dict.fromkeys(Light, 0)
        for row in shown:
            lights[row.light] += 1
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
        self._show_detail(task_id)
        return True

    def _row_changed(self, current: QtCore.QModelIndex, _previous: QtCore.QModelIndex) -> None:
        self._show_detail(current.data(TaskRoles.TASK_ID) if current.isValid() else None)

    def _show_detail(self, task_id: int | None) -> None:
        if self.detail is not None:  # before finish(), finish() shows the current task
            self.detail.show_task(task_id)

    # --- commands ---------------------------------------------------------------------
    def status_message(self, text: str) -> None:
        self.statusBar().showMessage(text, 10000)

    def set_today(self, day: dt.date) -> None:
        from gxdesk.store.changes import RELOAD

        self.context.on = day
        self.context.notify(RELOAD)

    def _ask_today(self) -> None:
        from gxdesk.ui.dialogs import ask_date

        day = ask_date(self, "设定“今天”", "按此日期计算提示灯：", self.context.on)
        if day is not None:
            self.set_today(day)

    def _preferences(self) -> None:
        from gxdesk.store import queries
        from gxdesk.store.changes import RELOAD
        from gxdesk.ui.dialogs import PreferencesDialog
        from gxdesk.ui.settings import save_preferences

        units = [u.name for u in queries.units(self.context.db)] if self.context.db else []
        dialog = PreferencesDialog(self.context.preferences, units, self)
        if dialog.exec() == QtWidgets.QDialog.DialogCode.Accepted:
            self.context.preferences = dialog.preferences()
            save_preferences(self.context.preferences)
            self.context.notify(RELOAD)

    # --- drag and drop ----------------------------------------------------------------
    @staticmethod
    def _dropped_files(event: QtGui.QDropEvent | QtGui.QDragEnterEvent) -> list[Path]:
        """The dropped local files if every one is a plan or workbook gxdesk reads."""
        from gxdesk.ui.plan_import import is_plan_file

        urls = event.mimeData().urls() if event.mimeData().hasUrls() else []
        files = [Path(u.toLocalFile()) for u in urls if u.isLocalFile()]
        return files if files and all(is_plan_file(f) for f in files) else []

    def dragEnterEvent(self, event: QtGui.QDragEnterEvent) -> None:
        if self.file_actions is not None and self._dropped_files(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QtGui.QDropEvent) -> None:
        """A plan is imported; units' workbooks are merged, or opened to fill in.

        The same workbook means different work to the lead office (merge it) and
        to a unit (fill it in), so for a single workbook the clerk says which.
        """
        from gxdesk.exchange.unit_copy import is_unit_workbook

        files = self._dropped_files(event)
        if not files:
            event.ignore()
            return
        event.acceptProposedAction()
        # dragEnterEvent accepts only once finish() has built these
        assert self.file_actions is not None and self.exchange is not None
        workbooks = [f for f in files if is_unit_workbook(f)]
        if not workbooks:
            if len(files) > 1:
                self.status_message("一次只能导入一份工作要点")
                return
            self.file_actions.start_import(files[0])
            return
        if len(workbooks) < len(files):
            self.status_message("拖入的文件中混有工作要点和进展表，请分开拖入")
            return
        if len(workbooks) == 1 and self._wants_to_fill(workbooks[0]):
            self.exchange.unit_fill.open(workbooks[0])
        else:
            self.exchange.preview(workbooks)

    def _wants_to_fill(self, path: Path) -> bool:
        box = QtWidgets.QMessageBox(self)
        box.setWindowTitle("进展表")
        box.setText(f"“{path.name}”是一份单位进展表。")
        merge = box.addButton("合并进台账（牵头单位）", QtWidgets.QMessageBox.ButtonRole.AcceptRole)
        fill = box.addButton("打开填报（责任单位）", QtWidgets.QMessageBox.ButtonRole.ActionRole)
        box.setDefaultButton(merge)
        box.exec()
        return box.clickedButton() is fill

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
            self.column_fit.keep_user_layout()
        self.views.restore_state(state)

    def closeEvent(self, event: QtGui.QCloseEvent) -> None:
        focus = QtWidgets.QApplication.focusWidget()
        if focus is not None:
            focus.clearFocus()  # commits a field being edited
        if self.state is not None:
            self.state.set_bytes("geometry", self.saveGeometry())
            self.state.set_bytes("splitter", self.splitter.saveState())
            self.state.set_bytes("table_header", self.table.horizontalHeader().saveState())
            self.views.save_state(self.state)
            self.state.sync()
        self.context.jobs.wait()
        super().closeEvent(event)
