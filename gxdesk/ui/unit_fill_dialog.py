"""A unit fills in its own progress workbook in gxdesk and saves it back.

For a unit that has gxdesk: the workbook the lead office mailed opens in this
window (the file is all it needs — no database of its own), the clerk fills in
the white columns, sees what the lead office's merge would refuse, and saves
to the same file (a ``.bak`` of the previous version is kept) or elsewhere. The
saved file has the format and hidden identity it came with.

Reading and writing run off the GUI thread through ``run_job`` (the window's
``AppContext.run_job``); edits have their own undo stack.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
from collections.abc import Callable
from pathlib import Path
from typing import Any

from gxdesk.core.model import Status
from gxdesk.exchange.unit_copy import UnitCopy
from gxdesk.ui.qt import ModelIndex, Qt, QtCore, QtGui, QtWidgets, Signal
from gxdesk.ui.unit_fill_model import (
    COLUMNS,
    MULTILINE_FIELDS,
    UNIT_FIELDS,
    UnitFillModel,
    UnitFillRoles,
    column_of,
)

RunJob = Callable[..., Any]  # AppContext.run_job(title, work, done, failed)

WIDTHS = {
    "seq": 40,
    "category": 84,
    "name": 120,
    "requirement": 210,
    "deadline": 108,
    "role": 78,
    "light": 44,
    "status": 78,
    "percent": 74,
    "text": 220,
    "done_on": 94,
    "evidence": 110,
    "problems": 110,
    "contact": 64,
    "phone": 104,
    "check": 200,
}
EMPTY = "（空）"
HINT = (
    "灰色栏目由牵头单位维护，不能修改；请填写白色栏目。双击或按 F2 编辑，"
    "Delete 清空，Ctrl+Z 撤销。保存后把文件发回牵头单位即可。"
)


class UnitFillDelegate(QtWidgets.QStyledItemDelegate):
    """Editors fitted to each of the unit's columns: a list, a spin box, a date, text."""

    def __init__(self, on: dt.date, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self._on = on

    def createEditor(  # noqa: N802
        self, parent: QtWidgets.QWidget, option: QtWidgets.QStyleOptionViewItem, index: ModelIndex
    ) -> QtWidgets.QWidget:
        field = index.data(UnitFillRoles.FIELD)
        if field == "status":
            combo = QtWidgets.QComboBox(parent)
            combo.addItem(EMPTY, None)
            for status in Status:
                combo.addItem(status.value, status.value)
            return combo
        if field == "percent":
            spin = QtWidgets.QSpinBox(parent)
            spin.setRange(-1, 100)
            spin.setSuffix("%")
            spin.setSpecialValueText(EMPTY)
            return spin
        if field == "done_on":
            edit = QtWidgets.QDateEdit(parent)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setCalendarPopup(True)
            edit.setMinimumDate(QtCore.QDate(1900, 1, 1))
            edit.setSpecialValueText(EMPTY)
            return edit
        if field in MULTILINE_FIELDS:
            text = QtWidgets.QPlainTextEdit(parent)
            text.setTabChangesFocus(True)
            return text
        return super().createEditor(parent, option, index)

    def setEditorData(self, editor: QtWidgets.QWidget, index: ModelIndex) -> None:  # noqa: N802
        value = index.data(Qt.ItemDataRole.EditRole)
        if isinstance(editor, QtWidgets.QComboBox):
            editor.setCurrentIndex(max(editor.findData(value), 0))
        elif isinstance(editor, QtWidgets.QSpinBox):
            editor.setValue(value if isinstance(value, int) else -1)
        elif isinstance(editor, QtWidgets.QDateEdit):
            if isinstance(value, dt.date):
                editor.setDate(QtCore.QDate(value.year, value.month, value.day))
            else:
                editor.setDate(editor.minimumDate())
                on = self._on
                editor.calendarWidget().setCurrentPage(on.year, on.month)
        elif isinstance(editor, QtWidgets.QPlainTextEdit):
            editor.setPlainText(value or "")
        else:
            super().setEditorData(editor, index)

    def setModelData(  # noqa: N802
        self, editor: QtWidgets.QWidget, model: QtCore.QAbstractItemModel, index: ModelIndex
    ) -> None:
        if isinstance(editor, QtWidgets.QComboBox):
            model.setData(index, editor.currentData())
        elif isinstance(editor, QtWidgets.QSpinBox):
            model.setData(index, None if editor.value() < 0 else editor.value())
        elif isinstance(editor, QtWidgets.QDateEdit):
            day = editor.date()
            model.setData(index, None if day == editor.minimumDate() else day.toPython())
        elif isinstance(editor, QtWidgets.QPlainTextEdit):
            model.setData(index, editor.toPlainText())
        else:
            super().setModelData(editor, model, index)

    def updateEditorGeometry(  # noqa: N802
        self, editor: QtWidgets.QWidget, option: QtWidgets.QStyleOptionViewItem, index: ModelIndex
    ) -> None:
        rect = QtCore.QRect(option.rect)
        if isinstance(editor, QtWidgets.QPlainTextEdit):
            rect.setHeight(max(rect.height(), 110))
            rect.setWidth(max(rect.width(), 260))
        elif isinstance(editor, QtWidgets.QComboBox | QtWidgets.QSpinBox | QtWidgets.QDateEdit):
            rect.setHeight(min(max(rect.height(), 26), 30))
            rect.setWidth(max(rect.width(), 110))
        editor.setGeometry(rect)


class UnitFillDialog(QtWidgets.QDialog):
    """One unit workbook open for filling in (not modal: the clerk may look elsewhere)."""

    saved = Signal(object)  # the Path written

    def __init__(
        self, copy: UnitCopy, run_job: RunJob, parent: QtWidgets.QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.copy = copy
        self._run_job = run_job
        self._closing = False
        self._saving = False
        self.model = UnitFillModel(copy, self)
        self.undo_stack = self.model.undo_stack
        self.setSizeGripEnabled(True)
        self.resize(1400, 780)

        meta = copy.meta
        self.heading = QtWidgets.QLabel()
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.heading.setFont(font)
        self.info = QtWidgets.QLabel()
        self.info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        hint = QtWidgets.QLabel(HINT)
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #595959;")
        self.warnings = QtWidgets.QLabel("\n".join(copy.warnings))
        self.warnings.setWordWrap(True)
        self.warnings.setStyleSheet(
            "background: #FFF2CC; color: #7F6000; padding: 4px; border: 1px solid #FFE699;"
        )
        self.warnings.setVisible(bool(copy.warnings))

        self.table = self._make_table(copy.on)
        self.summary = QtWidgets.QLabel()
        self.summary.setWordWrap(True)

        self.undo_button = QtWidgets.QPushButton("撤销")
        self.undo_button.clicked.connect(self.undo_stack.undo)
        self.save_as_button = QtWidgets.QPushButton("另存为…")
        self.save_as_button.clicked.connect(self.save_as)
        self.save_button = QtWidgets.QPushButton("保存")
        self.save_button.setDefault(False)
        self.save_button.setAutoDefault(False)
        self.save_button.clicked.connect(lambda: self.save())
        self.close_button = QtWidgets.QPushButton("关闭")
        self.close_button.setAutoDefault(False)
        self.close_button.clicked.connect(self.reject)
        for button in (self.undo_button, self.save_as_button):
            button.setAutoDefault(False)

        buttons = QtWidgets.QHBoxLayout()
        buttons.addWidget(self.summary, 1)
        for button in (self.undo_button, self.save_as_button, self.save_button, self.close_button):
            buttons.addWidget(button)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.info)
        layout.addWidget(hint)
        layout.addWidget(self.warnings)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

        self._add_actions()
        self.undo_stack.cleanChanged.connect(self._clean_changed)
        self.undo_stack.canUndoChanged.connect(self.undo_button.setEnabled)
        self.undo_button.setEnabled(False)
        self.model.problems_changed.connect(self._show_summary)
        self.model.dataChanged.connect(self._resize_rows)
        self.heading.setText(f"{meta.plan_year}年政务公开工作进展表（{meta.unit_name}）")
        self._show_info()
        self._show_summary()
        self._clean_changed(True)

    # --- building ---------------------------------------------------------------------
    def _make_table(self, on: dt.date) -> QtWidgets.QTableView:
        table = QtWidgets.QTableView()
        table.setModel(self.model)
        table.setItemDelegate(UnitFillDelegate(on, table))
        table.setWordWrap(True)
        table.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectItems)
        table.setEditTriggers(
            QtWidgets.QAbstractItemView.EditTrigger.DoubleClicked
            | QtWidgets.QAbstractItemView.EditTrigger.EditKeyPressed
            | QtWidgets.QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        table.verticalHeader().hide()
        header = table.horizontalHeader()
        header.setHighlightSections(False)
        header.setMinimumSectionSize(36)
        header.setStretchLastSection(True)
        for i, (field, _text) in enumerate(COLUMNS):
            table.setColumnWidth(i, WIDTHS[field])
        table.resizeRowsToContents()
        first = column_of("status")
        table.setCurrentIndex(self.model.index(0, first))
        return table

    def _add_actions(self) -> None:
        undo = self.undo_stack.createUndoAction(self, "撤销")
        undo.setShortcut(QtGui.QKeySequence.StandardKey.Undo)
        redo = self.undo_stack.createRedoAction(self, "重做")
        redo.setShortcuts(
            [QtGui.QKeySequence("Ctrl+Y"), QtGui.QKeySequence(QtGui.QKeySequence.StandardKey.Redo)]
        )
        save = QtGui.QAction("保存", self)
        save.setShortcut(QtGui.QKeySequence.StandardKey.Save)
        save.triggered.connect(lambda: self.save())
        clear = QtGui.QAction("清空", self)
        clear.setShortcut(QtGui.QKeySequence.StandardKey.Delete)
        clear.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        clear.triggered.connect(self.clear_selection)
        self.table.addAction(clear)
        for action in (undo, redo, save):
            self.addAction(action)
        self.undo_action, self.redo_action = undo, redo

    # --- showing ----------------------------------------------------------------------
    def _show_info(self) -> None:
        copy = self.copy
        self.info.setText(
            f"填报单位：{copy.meta.unit_name}　　截至：{copy.on:%Y年%m月%d日}　　"
            f"牵头单位：{copy.lead_office}　　文件：{copy.path.name}"
        )
        self.info.setToolTip(str(copy.path))

    def _show_summary(self) -> None:
        model = self.model
        text = f"共 {model.rowCount()} 项任务，已填进展状态 {model.filled_count()} 项。"
        problems = model.problem_rows()
        if problems:
            shown = [
                f"第 {model.copy.rows[i].seq} 项：" + "；".join(model.problems(i))
                for i in problems[:3]
            ]
            more = f"……共 {len(problems)} 项" if len(problems) > 3 else ""
            text += (
                f"<br><span style='color:#9C0006'>{len(problems)} 项有问题，"
                "牵头单位合并时将不采用或列为无法识别："
                + html.escape("　".join(shown))
                + more
                + "</span>"
            )
        warned = model.warning_rows()
        if warned:
            shown = [
                f"第 {model.copy.rows[i].seq} 项：" + "；".join(model.warnings(i))
                for i in warned[:3]
            ]
            more = f"……共 {len(warned)} 项" if len(warned) > 3 else ""
            text += (
                f"<br><span style='color:#9C5700'>{len(warned)} 项请核实，"
                "牵头单位合并时将请经办人确认：" + html.escape("　".join(shown)) + more + "</span>"
            )
        self.summary.setText(text)

    def _resize_rows(self, top: QtCore.QModelIndex, bottom: QtCore.QModelIndex) -> None:
        for row in range(top.row(), bottom.row() + 1):
            self.table.resizeRowToContents(row)

    def _clean_changed(self, clean: bool) -> None:
        self.setWindowModified(not clean)
        self.setWindowTitle(f"填报进展 — {self.copy.path.name}[*]")

    # --- editing ----------------------------------------------------------------------
    def clear_selection(self) -> None:
        """Delete: empty the selected cells of the unit's columns (one undo step)."""
        indexes = [
            i
            for i in self.table.selectionModel().selectedIndexes()
            if i.data(UnitFillRoles.FIELD) in UNIT_FIELDS
        ]
        if not indexes:
            return
        self.undo_stack.beginMacro("清空")
        for index in indexes:
            self.model.setData(index, None)
        self.undo_stack.endMacro()

    def _commit_editor(self) -> None:
        """A cell still being edited is committed before saving (focus leaves it)."""
        if self.table.state() == QtWidgets.QAbstractItemView.State.EditingState:
            self.table.setFocus()
            self.save_button.setFocus()

    # --- saving -----------------------------------------------------------------------
    @property
    def is_modified(self) -> bool:
        return not self.undo_stack.isClean()

    def save_as(self) -> None:
        name, _ = QtWidgets.QFileDialog.getSaveFileName(
            self, "另存为", str(self.copy.path), "Excel 工作簿 (*.xlsx)"
        )
        if name:
            dest = Path(name)
            self.save(dest if dest.suffix.lower() == ".xlsx" else dest.with_suffix(".xlsx"))

    def _confirm_problems(self) -> bool:
        count = len(self.model.problem_rows())
        if not count:
            return True
        answer = QtWidgets.QMessageBox.question(
            self,
            "仍要保存？",
            f"有 {count} 项任务的填写有问题（见“提示”栏），牵头单位合并时这些行将不被采用。\n"
            "仍要保存吗？",
            QtWidgets.QMessageBox.StandardButton.Save | QtWidgets.QMessageBox.StandardButton.Cancel,
            QtWidgets.QMessageBox.StandardButton.Cancel,
        )
        return answer == QtWidgets.QMessageBox.StandardButton.Save

    def save(self, dest: Path | None = None, *, then_close: bool = False) -> None:
        """Write the file (same format and identity) off the GUI thread."""
        if self._saving:
            return
        self._commit_editor()
        if not self._confirm_problems():
            return
        copy, values = self.copy, self.model.values()
        target = Path(dest) if dest is not None else copy.path
        index = self.undo_stack.index()

        def work(_control: object) -> tuple[Path, Path | None]:
            from gxdesk.exchange.unit_copy import backup_path, rewrite_unit_workbook

            existed = target.exists()
            path = rewrite_unit_workbook(copy, target, values)
            return path, backup_path(path) if existed else None

        def done(result: tuple[Path, Path | None]) -> None:
            self._saving = False
            path, backup = result
            if path != self.copy.path:
                self.copy = dataclasses.replace(self.copy, path=path)
                self.model.set_copy(self.copy)
                self._show_info()
            if self.undo_stack.index() == index:
                self.undo_stack.setClean()
            self._clean_changed(self.undo_stack.isClean())
            note = f"（原文件已备份为 {backup.name}）" if backup else ""
            self.summary.setText(f"已保存：{path}{note}。请把该文件发回牵头单位。")
            self.saved.emit(path)
            if then_close:
                self._closing = True
                super(UnitFillDialog, self).accept()

        def failed(exc: BaseException) -> None:
            self._saving = False
            QtWidgets.QMessageBox.warning(self, "无法保存", str(exc))

        self._saving = True
        self._run_job("保存进展表", work, done, failed)

    # --- closing ----------------------------------------------------------------------
    def _ask_unsaved(self) -> QtWidgets.QMessageBox.StandardButton:
        return QtWidgets.QMessageBox.question(
            self,
            "保存修改？",
            f"“{self.copy.path.name}”有未保存的修改。关闭前保存吗？",
            QtWidgets.QMessageBox.StandardButton.Save
            | QtWidgets.QMessageBox.StandardButton.Discard
            | QtWidgets.QMessageBox.StandardButton.Cancel,
            QtWidgets.QMessageBox.StandardButton.Save,
        )

    def reject(self) -> None:
        """Close (Esc, the window's ×, 关闭): asks 保存/不保存/取消 when there are edits."""
        if self._closing or not self.is_modified:
            super().reject()
            return
        self._commit_editor()
        answer = self._ask_unsaved()
        if answer == QtWidgets.QMessageBox.StandardButton.Save:
            self.save(then_close=True)
        elif answer == QtWidgets.QMessageBox.StandardButton.Discard:
            self._closing = True
            super().reject()
