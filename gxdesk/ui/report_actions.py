"""The 报告 menu: 月报… (options, the report made off the GUI thread, a preview to save or
print), 催办通知… (a folder and a format; the notices written and logged), 发文设置…"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from gxdesk.ui.qt import QtGui, QtWidgets

if TYPE_CHECKING:
    from gxdesk.core.documents import OfficeInfo
    from gxdesk.ui.context import AppContext
    from gxdesk.ui.report_preview import PreviewDialog
    from gxdesk.ui.shell import WindowShell


def install(window: WindowShell, context: AppContext) -> ReportActions:
    """Adds the 报告 menu (before 设置); the window keeps the result."""
    actions = ReportActions(window, context)
    menu = QtWidgets.QMenu("报告(&R)", window)
    window.menuBar().insertMenu(window.menu_settings.menuAction(), menu)
    for text, slot in (
        ("月报…", actions.monthly_report),
        ("催办通知…", actions.reminders),
        ("发文设置…", actions.office_settings),
    ):
        action = QtGui.QAction(text, window)
        action.triggered.connect(slot)
        menu.addAction(action)
    actions.menu = menu
    return actions


class ReportOptions(QtWidgets.QDialog):
    """Which month, which unit (or all)."""

    def __init__(self, context: AppContext, parent: QtWidgets.QWidget | None = None) -> None:
        from gxdesk.store import queries

        super().__init__(parent)
        self.setWindowTitle("生成月报")
        on = context.on
        self.month = QtWidgets.QComboBox()
        year = context.plan.year if context.plan else on.year
        for y, m in [(year, m) for m in range(1, 13)] + [(year + 1, 1)]:
            self.month.addItem(f"{y}年{m}月", f"{y:04d}-{m:02d}")
        found = self.month.findData(f"{on.year:04d}-{on.month:02d}")
        self.month.setCurrentIndex(found if found >= 0 else 0)
        self.unit = QtWidgets.QComboBox()
        self.unit.addItem("全部单位", "")
        assert context.db is not None
        for u in queries.units(context.db):
            if not u.is_group:
                self.unit.addItem(u.name, u.name)
        self.on_label = QtWidgets.QLabel(f"期限和红黄灯按 {on:%Y-%m-%d} 计算（本月已过则按月末）")
        form = QtWidgets.QFormLayout(self)
        form.addRow("报告月份", self.month)
        form.addRow("范围", self.unit)
        form.addRow(self.on_label)
        buttons = QtWidgets.QDialogButtonBox(
            QtWidgets.QDialogButtonBox.StandardButton.Ok
            | QtWidgets.QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def values(self) -> tuple[str, str | None]:
        return str(self.month.currentData()), (str(self.unit.currentData()) or None)


def report_day(month: str, on: dt.date) -> dt.date:
    """The window's "today" for its own month, the month's last day for a month before it."""
    year, m = (int(x) for x in month.split("-"))
    end = dt.date(year + m // 12, m % 12 + 1, 1) - dt.timedelta(days=1)
    return min(end, on) if (year, m) == (on.year, on.month) else end


class ReportActions:
    def __init__(self, window: WindowShell, context: AppContext) -> None:
        self.window = window
        self.context = context
        self.menu: QtWidgets.QMenu | None = None
        self.preview: PreviewDialog | None = None  # the last one shown (tests read it)
        self._folder = Path(tempfile.mkdtemp(prefix="gxdesk-report-"))

    def _ready(self) -> bool:
        if self.context.db is None or self.context.plan_id is None:
            QtWidgets.QMessageBox.information(self.window, "提示", "请先导入工作要点")
            return False
        return True

    def _failed(self, exc: BaseException) -> None:
        from gxdesk.store.errors import describe  # SQLite's and the disk's reasons in Chinese

        QtWidgets.QMessageBox.warning(self.window, "操作失败", describe(exc) or str(exc))

    # --- the monthly report ---------------------------------------------------------
    def monthly_report(self) -> None:
        if not self._ready():
            return
        dialog = ReportOptions(self.context, self.window)
        if dialog.exec() == QtWidgets.QDialog.DialogCode.Accepted:
            month, unit = dialog.values()
            self.make_report(month, unit)

    def make_report(self, month: str, unit: str | None = None) -> None:
        from gxdesk.ops.report import write_report

        db = self.context.db
        assert db is not None
        on = report_day(month, self.context.on)
        name = f"工作推进情况月报_{month}{'_' + unit if unit else ''}.pdf"
        out = self._folder / name

        def work(control):  # type: ignore[no-untyped-def]
            def step(done: int, total: int, text: str) -> None:
                control.check()
                control.progress(done, total, text)

            return write_report(db, out, month=month, unit=unit, on=on, progress=step)

        def done(path: Path) -> None:
            self.show_preview(path, f"月报预览 — {month}", name)

        self.context.run_job("生成月报", work, done, self._failed)

    def show_preview(self, path: Path, title: str, save_name: str) -> PreviewDialog:
        from gxdesk.ui.report_preview import PreviewDialog

        self.preview = PreviewDialog(
            self.context, path, title=title, save_name=save_name, parent=self.window
        )
        self.preview.show()
        return self.preview

    # --- 催办 -------------------------------------------------------------------------
    def reminders(self) -> None:
        if not self._ready():
            return
        folder = QtWidgets.QFileDialog.getExistingDirectory(
            self.window, "选择保存催办通知单的文件夹"
        )
        if not folder:
            return
        formats = ["PDF（直接打印）", "Word 文档 .docx（可修改、盖章）"]
        choice, ok = QtWidgets.QInputDialog.getItem(
            self.window, "催办通知单格式", "格式", formats, 0, False
        )
        if ok:
            self.make_reminders(Path(folder), "pdf" if choice == formats[0] else "docx")

    def make_reminders(self, folder: Path, fmt: str) -> None:
        from gxdesk.ops.remind import write_notices
        from gxdesk.store.changes import Change

        db, on = self.context.db, self.context.on
        assert db is not None

        def work(control):  # type: ignore[no-untyped-def]
            return write_notices(
                db, folder, on=on, fmt=fmt, progress=control.progress, check=control.check
            )

        def done(written) -> None:  # type: ignore[no-untyped-def]
            tasks = frozenset(t for w in written for t in w.tasks)
            self.context.notify(Change(tasks=tasks))
            if not written:
                QtWidgets.QMessageBox.information(
                    self.window, "催办通知", "没有逾期或未报送的单位，无需催办。"
                )
                return
            self.window.status_message(f"已生成催办通知单 {len(written)} 份：{folder}")
            units = "、".join(w.unit for w in written)
            QtWidgets.QMessageBox.information(
                self.window,
                "催办通知",
                f"已生成催办通知单 {len(written)} 份，并记入催办记录：\n{units}\n\n保存在：{folder}",
            )

        self.context.run_job("生成催办通知单", work, done, self._failed)

    # --- 发文设置 ---------------------------------------------------------------------
    def office_settings(self) -> None:
        if self.context.db is None:
            return
        from gxdesk.store.office import office_info

        dialog = OfficeDialog(office_info(self.context.db), self.window)
        if dialog.exec() == QtWidgets.QDialog.DialogCode.Accepted:
            self.save_office(dialog.value())

    def save_office(self, info: OfficeInfo) -> None:
        from gxdesk.store.office import set_office_info

        db = self.context.db
        assert db is not None
        self.context.run_job(
            "保存发文设置",
            lambda _control: set_office_info(db, info),
            lambda _result: self.window.status_message("发文设置已保存"),
            self._failed,
        )


class OfficeDialog(QtWidgets.QDialog):
    """发文机关, contact and the reply deadline printed on the report and the notices."""

    def __init__(self, info, parent: QtWidgets.QWidget | None = None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(parent)
        self.setWindowTitle("发文设置")
        self.name = QtWidgets.QLineEdit(info.name)
        self.contact = QtWidgets.QLineEdit(info.contact)
        self.phone = QtWidgets.QLineEdit(info.phone)
        self.reply = QtWidgets.QSpinBox()
        self.reply.setRange(1, 60)
        self.reply.setValue(info.reply_workdays)
        self.reply.setSuffix(" 个工作日")
        form = QtWidgets.QFormLayout(self)
        form.addRow("发文机关", self.name)
        form.addRow("联系人", self.contact)
        form.addRow("联系电话", self.phone)
        form.addRow("催办回复时限", self.reply)
        buttons = QtWidgets.QDialogButtonBox(
            QtWidgets.QDialogButtonBox.StandardButton.Ok
            | QtWidgets.QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def value(self) -> OfficeInfo:
        from gxdesk.core.documents import OfficeInfo

        return OfficeInfo(
            self.name.text().strip() or OfficeInfo().name,
            self.contact.text().strip(),
            self.phone.text().strip(),
            self.reply.value(),
        )
