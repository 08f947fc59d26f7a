"""Excel exchange actions of the main window: export unit workbooks, merge, export the ledger.

Each action asks for paths on the GUI thread, runs the job of
:mod:`gxdesk.ops.exchange` through ``context.run_job`` (off the GUI thread,
cancellable), and shows the result. Only paths, ids and plain dataclasses cross
threads.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from gxdesk.ui.qt import QtGui, QtWidgets

if TYPE_CHECKING:
    from gxdesk.ops.exchange import ExportedFile
    from gxdesk.store.database import Database
    from gxdesk.store.merge import ApplyResult, MergePlan
    from gxdesk.ui.context import AppContext
    from gxdesk.ui.jobs import JobControl
    from gxdesk.ui.shell import WindowShell


def install(window: WindowShell, context: AppContext) -> ExchangeActions:
    """Adds the Excel exchange actions to the window's 文件 menu; the window keeps the result."""
    menu = window.menu_file
    menu.addSeparator()
    actions = ExchangeActions(window, context)
    for text, slot in (
        ("导出各单位进展表…", actions.export_units),
        ("合并回收的进展表…", actions.merge),
        ("导出台账…", actions.export_plan),
    ):
        action = QtGui.QAction(text, window)
        action.triggered.connect(slot)
        menu.addAction(action)
        if slot != actions.export_plan:  # they write: not for a unit's login on a server
            actions.lead_only.append(action)
    # A unit with its own gxdesk fills in the workbook it was sent (no database needed).
    menu.addAction(actions.unit_fill.action())
    return actions


class ExchangeActions:
    def __init__(self, window: WindowShell, context: AppContext) -> None:
        from gxdesk.ui.unit_fill_actions import UnitFillActions

        self.window = window
        self.context = context
        self.unit_fill = UnitFillActions(window, context)
        self.lead_only: list[QtGui.QAction] = []

    def _ready(self) -> bool:
        if self.context.db is None or self.context.plan_id is None:
            QtWidgets.QMessageBox.information(self.window, "提示", "请先导入工作要点")
            return False
        return True

    def _db(self) -> Database:
        """The open database (the actions run only with one: see :meth:`_ready`)."""
        db = self.context.db
        assert db is not None
        return db

    def _failed(self, exc: BaseException) -> None:
        from gxdesk.store.errors import describe  # SQLite's and the disk's reasons in Chinese

        QtWidgets.QMessageBox.warning(self.window, "操作失败", describe(exc) or str(exc))

    # --- export -------------------------------------------------------------------

    def export_units(self) -> None:
        if not self._ready():
            return
        folder = QtWidgets.QFileDialog.getExistingDirectory(self.window, "选择保存进展表的文件夹")
        if folder:
            self.run_export_units(Path(folder))

    def run_export_units(self, folder: Path) -> None:
        from gxdesk.ops.exchange import export_units
        from gxdesk.store.exports import unreachable_tasks

        db, on, plan_id = self._db(), self.context.on, self.context.plan_id
        assert plan_id is not None

        def work(control: JobControl) -> tuple[list[ExportedFile], list[tuple[str, str]]]:
            files = export_units(
                db,
                folder,
                on=on,
                plan_id=plan_id,
                step=control.progress,
                cancelled=lambda: control.cancelled,
            )
            return files, unreachable_tasks(db, plan_id)

        def done(result: tuple[list[ExportedFile], list[tuple[str, str]]]) -> None:
            files, missed = result
            self.window.status_message(f"已导出 {len(files)} 个单位的进展表到 {folder}")
            if missed:
                lines = "\n".join(f"· {name}（{units}）" for name, units in missed)
                QtWidgets.QMessageBox.information(
                    self.window,
                    "有任务没有单位填报",
                    f"以下任务的责任单位组还没有成员，没有写进任何单位的进展表：\n{lines}\n\n"
                    "可在“编辑 → 单位与分组…”中指定成员后再导出。",
                )

        self.context.run_job("导出各单位进展表", work, done, self._failed)

    def export_plan(self) -> None:
        if not self._ready():
            return
        name, _ = QtWidgets.QFileDialog.getSaveFileName(
            self.window, "导出台账", "政务公开工作台账.xlsx", "Excel 工作簿 (*.xlsx)"
        )
        if not name:
            return
        from gxdesk.ops.exchange import export_plan

        db, on = self._db(), self.context.on
        self.context.run_job(
            "导出台账",
            lambda _control: export_plan(db, Path(name), on=on),
            lambda out: self.window.status_message(f"已导出台账：{out}"),
            self._failed,
        )

    # --- merge --------------------------------------------------------------------

    def merge(self) -> None:
        if not self._ready():
            return
        names, _ = QtWidgets.QFileDialog.getOpenFileNames(
            self.window, "选择回收的进展表", "", "Excel 工作簿 (*.xlsx *.xlsm);;所有文件 (*)"
        )
        if names:
            self.preview([Path(n) for n in names])

    def preview(self, paths: list[Path], confirm_units: dict[str, int] | None = None) -> None:
        from gxdesk.ops.exchange import expand_paths, preview_merge

        db, on = self._db(), self.context.on
        files, _skipped = expand_paths(paths)

        def work(control: JobControl) -> MergePlan:
            return preview_merge(
                db,
                files,
                confirm_units=confirm_units,
                on=on,
                step=control.progress,
                cancelled=lambda: control.cancelled,
            )

        self.context.run_job(
            "读取回收的进展表", work, lambda plan: self.show_preview(plan, files), self._failed
        )

    def show_preview(self, plan: MergePlan, files: list[Path]) -> None:
        from gxdesk.store import queries
        from gxdesk.ui.merge_dialog import MergeDialog

        db = self.context.db
        assert db is not None
        units = [(u.id, u.name) for u in queries.units(db) if not u.is_group]
        dialog = MergeDialog(plan, units=units, parent=self.window)
        chosen: dict[str, int] = {}
        dialog.reconfirm.connect(chosen.update)
        result = dialog.exec()
        if result == MergeDialog.RECONFIRM and chosen:
            self.preview(files, chosen)
        elif result == QtWidgets.QDialog.DialogCode.Accepted:
            self.apply(plan, dialog.taken_conflicts)

    def apply(self, plan: MergePlan, taken: set[tuple[int, int]]) -> None:
        from gxdesk.store.changes import Change
        from gxdesk.store.merge import apply_merge

        db = self._db()

        def done(result: ApplyResult) -> None:
            from gxdesk.ui.merge_dialog import MergeBatchCommand

            if result.batch_id is None:
                self.window.status_message("没有需要写入的新进展")
                return
            text = f"合并第 {result.batch_id} 批（{result.applied} 条进展）"
            self.context.undo_stack.push(
                MergeBatchCommand(self.context, result.batch_id, result.tasks, text)
            )  # already written: pushing does not write again; Ctrl+Z withdraws the batch
            self.context.notify(Change(tasks=result.tasks))
            self.window.status_message(
                f"已合并第 {result.batch_id} 批：{result.applied} 条进展，"
                f"来自 {result.files} 个文件（合并前已备份，可撤销）"
            )

        def work(control: JobControl) -> ApplyResult:
            # control.check raises once the clerk pressed 取消: inside the transaction,
            # so a cancelled merge writes nothing
            return apply_merge(db, plan, take_conflicts=taken, check=control.check)

        self.context.run_job("写入进展", work, done, self._failed)
