"""The 文件 menu's own actions: open, new, import a plan, backup, restore, recent files."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from gxdesk.store.changes import RELOAD
from gxdesk.store.database import DatabaseError, backup_database, open_database, restore_database
from gxdesk.store.errors import DISK_FAILURES, describe
from gxdesk.ui.jobs import Job
from gxdesk.ui.plan_import import PLAN_FILTER, import_plan, is_plan_file
from gxdesk.ui.qt import QtGui, QtWidgets
from gxdesk.ui.settings import WindowState

if TYPE_CHECKING:
    from gxdesk.ops.plan_import import PlanImported
    from gxdesk.store.database import Database
    from gxdesk.ui.context import AppContext
    from gxdesk.ui.restore_dialog import RestoreDialog
    from gxdesk.ui.shell import WindowShell

DB_FILTER = "gxdesk 数据库 (*.sqlite *.db);;所有文件 (*)"
#: What a failing file or disk raises (said in Chinese by ``describe``); anything else is a bug.
FILE_FAILURES: tuple[type[BaseException], ...] = (DatabaseError, *DISK_FAILURES)


class FileActions:
    def __init__(self, window: WindowShell, context: AppContext, state: WindowState) -> None:
        self.window = window
        self.context = context
        self.state = state
        self.last_job: Job | None = None
        self.connect_server: Callable[[str], None] | None = None  # set by ui.server_actions
        menu = window.menu_file
        self.open = self._add(
            menu, "打开数据库…", self.open_database, QtGui.QKeySequence.StandardKey.Open
        )
        self.new = self._add(
            menu, "新建空数据库…", self.new_database, QtGui.QKeySequence.StandardKey.New
        )
        self.recent_menu = menu.addMenu("最近打开")
        menu.addSeparator()
        self.import_plan = self._add(menu, "导入工作要点…", self.choose_plan_file, "Ctrl+I")
        menu.addSeparator()
        self.backup = self._add(menu, "备份数据库…", self.backup_database)
        self.restore = self._add(menu, "恢复…", self.restore_database)
        menu.addSeparator()
        self.fill_recent()

    def _add(
        self,
        menu: QtWidgets.QMenu,
        text: str,
        slot: Callable[[], object],
        shortcut: str | QtGui.QKeySequence.StandardKey | None = None,
    ) -> QtGui.QAction:
        action = menu.addAction(text)
        action.triggered.connect(slot)
        if shortcut is not None:
            action.setShortcut(QtGui.QKeySequence(shortcut))
        return action

    def _folder(self) -> str:
        return str(self.context.preferences.folder())

    def _fail(self, title: str, exc: BaseException) -> None:
        QtWidgets.QMessageBox.warning(self.window, title, describe(exc) or str(exc))

    # --- databases -----------------------------------------------------------------
    def switch_to(self, path: Path) -> bool:
        from gxdesk.ui.single_writer import AlreadyOpen, claim, open_for_window

        old = self.context.db
        # a window that holds its database's writer lock holds the next one's too
        writer = old is not None and (old.lock_kind == "window" or old.read_only)
        try:
            db = open_for_window(path, self.window) if writer else open_database(path)
        except FILE_FAILURES as exc:
            self._fail("无法打开数据库", exc)
            return False
        if writer:
            assert old is not None
            if old.path.resolve() == db.path.resolve():
                old.close()  # the same file again (e.g. after a restore): hand the lock on
                old = None
            try:
                claim(db, self.window)
            except AlreadyOpen:
                db.close()
                self.window.status_message(f"{path.name} 已在另一个窗口中打开，已切换到那个窗口")
                return False
            except DatabaseError as exc:
                db.close()
                self._fail("无法打开数据库", exc)
                return False
        self.use(db)
        self.state.add_recent(path)
        self.state.set_last_database(path)
        self.fill_recent()
        return True

    def use(self, db: Database) -> None:
        """Show ``db`` from now on (a file, or a server: ``ui.server_actions``)."""
        old = self.context.db
        self.context.db = db
        self.context.plan = None
        if old is not None:
            old.close()
        self.context.undo_stack.clear()
        self.context.reload_plan()
        self.context.notify(RELOAD)

    def open_database(self) -> None:
        path, _ = QtWidgets.QFileDialog.getOpenFileName(
            self.window, "打开数据库", self._folder(), DB_FILTER
        )
        if path:
            self.switch_to(Path(path))

    def new_database(self) -> None:
        path, _ = QtWidgets.QFileDialog.getSaveFileName(
            self.window, "新建空数据库", str(Path(self._folder()) / "新台账.sqlite"), DB_FILTER
        )
        if not path:
            return
        target = Path(path)
        if target.exists():
            QtWidgets.QMessageBox.warning(self.window, "新建空数据库", f"文件已存在：{target.name}")
            return
        self.switch_to(target)

    def fill_recent(self) -> None:
        self.recent_menu.clear()
        for item in self.state.recent_files():
            action = self.recent_menu.addAction(item)
            action.triggered.connect(lambda _checked=False, p=item: self.open_recent(p))
        self.recent_menu.setEnabled(bool(self.recent_menu.actions()))

    def open_recent(self, item: str) -> None:
        """A recent file, or a server address (connected as 文件 → 连接服务器数据库… does)."""
        from gxdesk.store.server.address import is_server_address

        if is_server_address(item):
            if self.connect_server is not None:
                self.connect_server(item)
            return
        self.switch_to(Path(item))

    def backup_database(self) -> None:
        db = self.context.db
        if db is None:
            return
        name = f"{db.path.stem}-备份.sqlite"
        path, _ = QtWidgets.QFileDialog.getSaveFileName(
            self.window, "备份数据库", str(Path(self._folder()) / name), DB_FILTER
        )
        if not path:
            return
        try:
            backup_database(db.path, Path(path))
        except FILE_FAILURES as exc:
            self._fail("备份失败", exc)
            return
        self.window.status_message(f"已备份到 {path}")

    def restore_dialog(self) -> RestoreDialog:
        from gxdesk.ui.restore_dialog import RestoreDialog

        return RestoreDialog(self.context, self.window)

    def restore_database(self) -> None:
        db = self.context.db
        if db is None:
            return
        dialog = self.restore_dialog()
        if dialog.exec() != QtWidgets.QDialog.DialogCode.Accepted or dialog.chosen is None:
            return
        self.restore_from(dialog.chosen)

    def restore_from(self, path: Path) -> bool:
        """Replace the open database with the backup ``path`` (asks first)."""
        db = self.context.db
        if db is None:
            return False
        answer = QtWidgets.QMessageBox.question(
            self.window,
            "从备份恢复",
            f"用备份 {Path(path).name} 替换当前数据库？\n当前数据库会先另存一份备份。",
        )
        if answer != QtWidgets.QMessageBox.StandardButton.Yes:
            return False
        target = db.path
        db.close()
        ok = True
        try:
            restore_database(Path(path), target)
        except FILE_FAILURES as exc:
            self._fail("恢复失败", exc)
            ok = False
        self.switch_to(target)
        if ok:
            self.window.status_message(f"已从 {Path(path).name} 恢复")
        return ok

    # --- importing a plan -------------------------------------------------------------
    def choose_plan_file(self) -> None:
        path, _ = QtWidgets.QFileDialog.getOpenFileName(
            self.window, "导入工作要点", self._folder(), PLAN_FILTER
        )
        if path:
            self.start_import(Path(path))

    def start_import(
        self,
        path: Path,
        year: int | None = None,
        issued: dt.date | None = None,
        *,
        as_new: bool = False,
    ) -> Job | None:
        """Import ``path`` as a job; ``issued`` is the plan's issue date (relative deadlines
        count from it), else the plan has none until 设置印发日期. A plan already in the
        database is imported again only when the clerk says so (``as_new``)."""
        db = self.context.db
        if db is None:
            return None
        if not is_plan_file(path):
            self._fail("无法导入", ValueError(f"只能导入 .txt、.docx 或 .xlsx 文件：{path.name}"))
            return None

        def done(outcome: PlanImported) -> None:
            self.context.plan = None
            self.context.reload_plan()
            self.context.notify(RELOAD)
            self.window.status_message(outcome.summary())
            if outcome.warnings:
                QtWidgets.QMessageBox.information(
                    self.window, "导入提示", "\n".join(outcome.warnings[:20])
                )

        def failed(exc: BaseException) -> None:
            from gxdesk.core.plan import PlanAlreadyImported, PlanYearUnknown

            if isinstance(exc, PlanAlreadyImported):
                answer = QtWidgets.QMessageBox.question(
                    self.window,
                    "计划已导入",
                    f"{exc}。\n\n仍要作为新的一份计划导入吗？新的一份将成为当前计划，"
                    "任务重新编号；原计划和它的进展都保留在数据库中。",
                )
                if answer == QtWidgets.QMessageBox.StandardButton.Yes:
                    self.start_import(path, year, issued, as_new=True)
                return

            if isinstance(exc, PlanYearUnknown):
                year_, ok = QtWidgets.QInputDialog.getInt(
                    self.window,
                    "计划年度",
                    "无法从标题确定年度，请输入计划年度：",
                    self.context.on.year,
                    2000,
                    2100,
                )
                if ok:
                    self.start_import(path, year_, issued)
                return
            self._fail("导入失败", exc)

        self.last_job = self.context.run_job(
            f"正在导入 {path.name}",
            lambda control: import_plan(
                db, path, control, year=year, issued=issued, as_new=as_new
            ),
            done,
            failed,
        )
        return self.last_job
