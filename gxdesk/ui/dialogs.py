"""Small dialogs: units and groups, the plan's issue date, "today", preferences."""

from __future__ import annotations

import datetime as dt

from gxdesk.store import queries
from gxdesk.store.changes import EditError, UnitEdit
from gxdesk.store.edits import edit_unit, set_group_members, set_plan_issued
from gxdesk.ui.commands import SymmetricCommand, push
from gxdesk.ui.context import AppContext
from gxdesk.ui.qt import Qt, QtGui, QtWidgets, pydate, qdate
from gxdesk.ui.settings import Preferences

_BUTTONS = QtWidgets.QDialogButtonBox.StandardButton


def _date_edit(day: dt.date) -> QtWidgets.QDateEdit:
    edit = QtWidgets.QDateEdit(qdate(day))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy年M月d日")
    return edit


def ask_date(parent: QtWidgets.QWidget, title: str, label: str, day: dt.date) -> dt.date | None:
    dialog = QtWidgets.QDialog(parent)
    dialog.setWindowTitle(title)
    edit = _date_edit(day)
    buttons = QtWidgets.QDialogButtonBox(_BUTTONS.Ok | _BUTTONS.Cancel)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    layout = QtWidgets.QFormLayout(dialog)
    layout.addRow(label, edit)
    layout.addRow(buttons)
    if dialog.exec() != QtWidgets.QDialog.DialogCode.Accepted:
        return None
    return pydate(edit.date())


def edit_issue_date(context: AppContext, parent: QtWidgets.QWidget) -> None:
    plan = context.plan
    if plan is None:
        return
    day = ask_date(parent, "计划印发日期", "印发日期：", plan.issued_on or context.on)
    if day is None or day == plan.issued_on:
        return
    command = SymmetricCommand(context, "设置印发日期", set_plan_issued, [plan.id], day)
    try:
        push(context, command)
    except EditError as exc:
        QtWidgets.QMessageBox.warning(parent, "无法保存", str(exc))


class PreferencesDialog(QtWidgets.QDialog):
    def __init__(self, prefs: Preferences, units: list[str], parent: QtWidgets.QWidget) -> None:
        super().__init__(parent)
        self.setWindowTitle("首选项")
        self.yellow = QtWidgets.QSpinBox()
        self.yellow.setRange(0, 60)
        self.yellow.setValue(prefs.yellow_workdays)
        self.yellow.setSuffix(" 个工作日")
        self.unit = QtWidgets.QComboBox()
        self.unit.addItem("（无）", "")
        for name in units:
            self.unit.addItem(name, name)
        self.unit.setCurrentIndex(max(self.unit.findData(prefs.default_unit), 0))
        self.folder = QtWidgets.QLineEdit(prefs.data_folder)
        self.folder.setPlaceholderText("默认：用户数据目录")
        browse = QtWidgets.QPushButton("选择…")
        browse.clicked.connect(self._browse)
        row = QtWidgets.QHBoxLayout()
        row.addWidget(self.folder, 1)
        row.addWidget(browse)
        buttons = QtWidgets.QDialogButtonBox(_BUTTONS.Ok | _BUTTONS.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QtWidgets.QFormLayout(self)
        form.addRow("黄灯提前", self.yellow)
        form.addRow("默认单位", self.unit)
        form.addRow("数据文件夹", row)
        form.addRow(buttons)

    def _browse(self) -> None:
        folder = QtWidgets.QFileDialog.getExistingDirectory(self, "数据文件夹", self.folder.text())
        if folder:
            self.folder.setText(folder)

    def preferences(self) -> Preferences:
        return Preferences(self.yellow.value(), self.unit.currentData(), self.folder.text().strip())


class UnitsGroupsDialog(QtWidgets.QDialog):
    """Edit a unit's record; for a group (市级各部门), tick who belongs to it."""

    def __init__(self, context: AppContext, parent: QtWidgets.QWidget) -> None:
        super().__init__(parent)
        self.context = context
        self.setWindowTitle("单位与分组")
        self.resize(620, 520)
        self.pick = QtWidgets.QComboBox()
        self.name = QtWidgets.QLineEdit()
        self.short = QtWidgets.QLineEdit()
        self.contact = QtWidgets.QLineEdit()
        self.phone = QtWidgets.QLineEdit()
        self.save = QtWidgets.QPushButton("保存单位信息")
        self.save.clicked.connect(self._save_unit)
        self.members_model = QtGui.QStandardItemModel(self)
        self.members = QtWidgets.QListView()
        self.members.setModel(self.members_model)
        self.save_members = QtWidgets.QPushButton("保存组成员")
        self.save_members.clicked.connect(self._save_members)
        self.members_box = QtWidgets.QGroupBox("组成员（各成员分别报送该组的任务）")
        box = QtWidgets.QVBoxLayout(self.members_box)
        box.addWidget(self.members)
        box.addWidget(self.save_members)
        form = QtWidgets.QFormLayout()
        form.addRow("单位", self.pick)
        form.addRow("名称", self.name)
        form.addRow("简称", self.short)
        form.addRow("联系人", self.contact)
        form.addRow("电话", self.phone)
        form.addRow("", self.save)
        close = QtWidgets.QDialogButtonBox(_BUTTONS.Close)
        close.rejected.connect(self.reject)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.members_box, 1)
        layout.addWidget(close)
        self.pick.currentIndexChanged.connect(self._show)
        self._reload()

    def _reload(self, keep: int | None = None) -> None:
        assert self.context.db is not None
        self._units = {u.id: u for u in queries.units(self.context.db)}
        self.pick.blockSignals(True)
        self.pick.clear()
        for u in self._units.values():
            self.pick.addItem(f"{u.name}（组）" if u.is_group else u.name, u.id)
        self.pick.setCurrentIndex(max(self.pick.findData(keep), 0) if keep else 0)
        self.pick.blockSignals(False)
        self._show()

    def _show(self) -> None:
        u = self._units.get(self.pick.currentData())
        if u is None:
            return
        self.name.setText(u.name)
        self.short.setText(u.short_name)
        self.contact.setText(u.contact)
        self.phone.setText(u.phone)
        self.members_box.setVisible(u.is_group)
        self.members_model.clear()
        if u.is_group:
            for other in self._units.values():
                if other.is_group:
                    continue
                item = QtGui.QStandardItem(other.name)
                item.setCheckable(True)
                item.setEditable(False)
                item.setData(other.id, Qt.ItemDataRole.UserRole)
                checked = other.id in u.members
                item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
                self.members_model.appendRow(item)

    def _push(self, command: SymmetricCommand) -> None:
        try:
            push(self.context, command)
        except EditError as exc:
            QtWidgets.QMessageBox.warning(self, "无法保存", str(exc))
        self._reload(self.pick.currentData())

    def _save_unit(self) -> None:
        unit_id = self.pick.currentData()
        edit = UnitEdit(self.name.text(), self.short.text(), self.contact.text(), self.phone.text())
        self._push(SymmetricCommand(self.context, "修改单位信息", edit_unit, [unit_id], edit))

    def _save_members(self) -> None:
        unit_id = self.pick.currentData()
        members = [
            self.members_model.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.members_model.rowCount())
            if self.members_model.item(i).checkState() == Qt.CheckState.Checked
        ]
        self._push(
            SymmetricCommand(self.context, "修改组成员", set_group_members, [unit_id], members)
        )
