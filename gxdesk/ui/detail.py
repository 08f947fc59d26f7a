"""The detail pane: the selected task's fields, its units, progress entry and history.

Field edits are saved when a field is left (there is no 保存 button to forget);
each is one undoable command. The pane refreshes itself from the context's
``changed`` signal, never because another view told it to. It writes through
the ORM (through store edits), so the window builds it in its deferred start-up phase.
"""

from __future__ import annotations

import datetime as dt

from gxdesk.core.deadlines import explain_due, parse_deadline
from gxdesk.core.model import DeadlineKind, Status, UnitRef
from gxdesk.core.views import AssignmentView, TaskDetail
from gxdesk.core.workbook_data import UnitReport
from gxdesk.store import queries
from gxdesk.store.changes import Change, EditError, TaskEdit, UnitsEdit
from gxdesk.store.edits import edit_task, set_task_units
from gxdesk.store.progress import ReportInput
from gxdesk.ui.commands import AddReportsCommand, SymmetricCommand, push
from gxdesk.ui.context import AppContext
from gxdesk.ui.history_model import AssignmentModel, ProgressHistoryModel
from gxdesk.ui.labels import KIND_LABELS, PERIOD_LABELS, cn_date, unknown_year_text
from gxdesk.ui.qt import QtGui, QtWidgets, Signal, pydate, qdate
from gxdesk.ui.units_dialog import UnitsDialog


def load_detail(context: AppContext, task_id: int) -> TaskDetail | None:
    return queries.task_detail(context.db, task_id) if context.db is not None else None


def describe_deadline(context: AppContext, text: str) -> str:
    """The live reading of a 完成时限 phrase: its kind and, where one follows, its date."""
    plan = context.plan
    year = plan.year if plan else context.on.year
    spec = parse_deadline(text, year)
    if not spec.text:
        return "无完成时限"
    if spec.needs_review:
        return "未能识别，将原样保存（请核对）"
    words = KIND_LABELS[spec.kind]
    if spec.kind is DeadlineKind.RECURRING and spec.period:
        words = f"{words}（{PERIOD_LABELS[spec.period]}）"
    if spec.kind in (DeadlineKind.RELATIVE, DeadlineKind.PER_EVENT):
        words = f"{words}：{spec.workdays} 个工作日"
    deadline = explain_due(
        spec,
        issued=plan.issued_on if plan else None,
        calendar=context.calendar,
        on=context.on,
        year=plan.year if plan else None,
    )
    if deadline.missing_year is not None:
        return f"{words} · {unknown_year_text(deadline.missing_year)}"
    if deadline.due is not None:
        return f"{words} · 截止 {cn_date(deadline.due)}"
    if deadline.note:
        return f"{words} · {deadline.note}"
    return words


class CommitTextEdit(QtWidgets.QPlainTextEdit):
    """A multi-line field that, like QLineEdit, says when editing finished (focus left)."""

    editingFinished = Signal()

    def focusOutEvent(self, event: QtGui.QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.editingFinished.emit()


class DetailPane(QtWidgets.QWidget):
    def __init__(self, context: AppContext, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.task: TaskDetail | None = None
        self.tabs = QtWidgets.QTabWidget(self)
        self.header = QtWidgets.QLabel(self)
        self.header.setWordWrap(True)
        self.header.setObjectName("detailHeader")
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(4, 0, 0, 0)
        layout.addWidget(self.header)
        layout.addWidget(self.tabs, 1)
        self._build_task_tab()
        self._build_progress_tab()
        self._build_history_tab()
        context.changed.connect(self._on_changed)
        self.show_task(None)

    # --- building -------------------------------------------------------------
    def _build_task_tab(self) -> None:
        page = QtWidgets.QWidget()
        outer = QtWidgets.QVBoxLayout(page)
        form = QtWidgets.QFormLayout()
        outer.addLayout(form)
        outer.addStretch(1)
        form.setRowWrapPolicy(QtWidgets.QFormLayout.RowWrapPolicy.WrapLongRows)
        self.name_edit = QtWidgets.QLineEdit()
        self.name_edit.editingFinished.connect(self._commit_name)
        self.requirement_edit = CommitTextEdit()
        self.requirement_edit.setTabChangesFocus(True)
        self.requirement_edit.setMaximumHeight(150)
        self.requirement_edit.editingFinished.connect(self._commit_requirement)
        self.deadline_edit = QtWidgets.QLineEdit()
        self.deadline_edit.setPlaceholderText("如：9月底前、年内、实时、文件下发20个工作日内")
        self.deadline_edit.textChanged.connect(self._preview_deadline)
        self.deadline_edit.editingFinished.connect(self._commit_deadline)
        self.deadline_info = QtWidgets.QLabel()
        self.deadline_info.setObjectName("deadlineInfo")
        self.deadline_info.setWordWrap(True)
        self.confirm_deadline = QtWidgets.QPushButton("确认推断的完成时限")
        self.confirm_deadline.clicked.connect(
            lambda: self._edit(TaskEdit(deadline_inferred=False), "确认完成时限")
        )
        self.units_list = QtWidgets.QListView()
        self.units_model = AssignmentModel(self)
        self.units_list.setModel(self.units_model)
        self.units_list.setMaximumHeight(96)
        self.units_text = QtWidgets.QLabel()
        self.units_text.setWordWrap(True)
        self.edit_units = QtWidgets.QPushButton("编辑责任单位…")
        self.edit_units.clicked.connect(self._open_units_dialog)
        self.confirm_units = QtWidgets.QPushButton("确认推断的责任单位")
        self.confirm_units.clicked.connect(
            lambda: self._edit(TaskEdit(units_inferred=False), "确认责任单位")
        )
        units_buttons = QtWidgets.QHBoxLayout()
        units_buttons.addWidget(self.edit_units)
        units_buttons.addWidget(self.confirm_units)
        units_buttons.addStretch(1)
        deadline_row = QtWidgets.QHBoxLayout()
        deadline_row.addWidget(self.deadline_info, 1)
        deadline_row.addWidget(self.confirm_deadline)
        form.addRow("工作任务", self.name_edit)
        form.addRow("工作要求", self.requirement_edit)
        form.addRow("完成时限", self.deadline_edit)
        form.addRow("", deadline_row)
        form.addRow("责任单位", self.units_text)
        form.addRow("", self.units_list)
        form.addRow("", units_buttons)
        scroll = QtWidgets.QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QtWidgets.QFrame.Shape.NoFrame)
        scroll.setWidget(page)
        self.tabs.addTab(scroll, "任务信息")

    def _build_progress_tab(self) -> None:
        page = QtWidgets.QWidget()
        outer = QtWidgets.QVBoxLayout(page)
        form = QtWidgets.QFormLayout()
        outer.addLayout(form)
        outer.addStretch(1)
        self.report_unit = QtWidgets.QComboBox()
        self.report_period = QtWidgets.QLineEdit()
        self.report_period.setPlaceholderText("YYYY-MM")
        self.report_period.setInputMask("0000-00")
        self.report_status = QtWidgets.QComboBox()
        for status in Status:
            self.report_status.addItem(status.value, status)
        self.report_percent = QtWidgets.QSpinBox()
        self.report_percent.setRange(-1, 100)
        self.report_percent.setSpecialValueText("未填")
        self.report_percent.setSuffix("%")
        self.report_percent.setValue(-1)
        self.report_text = QtWidgets.QPlainTextEdit()
        self.report_text.setTabChangesFocus(True)
        self.report_text.setPlaceholderText("进展情况")
        self.report_text.setMaximumHeight(110)
        self.report_done = QtWidgets.QDateEdit()
        self.report_done.setCalendarPopup(True)
        self.report_done.setDisplayFormat("yyyy年M月d日")
        self.report_done_set = QtWidgets.QCheckBox("已完成于")
        self.report_done.setEnabled(False)
        self.report_done_set.toggled.connect(self.report_done.setEnabled)
        done_row = QtWidgets.QHBoxLayout()
        done_row.addWidget(self.report_done_set)
        done_row.addWidget(self.report_done, 1)
        self.report_evidence = QtWidgets.QLineEdit()
        self.report_problems = QtWidgets.QLineEdit()
        self.report_contact = QtWidgets.QLineEdit()
        self.report_phone = QtWidgets.QLineEdit()
        self.report_submit = QtWidgets.QPushButton("提交进展")
        self.report_submit.setDefault(True)
        self.report_submit.clicked.connect(self.submit_report)
        form.addRow("报送单位", self.report_unit)
        form.addRow("报告期间", self.report_period)
        form.addRow("进展状态", self.report_status)
        form.addRow("完成进度", self.report_percent)
        form.addRow("进展情况", self.report_text)
        form.addRow("完成日期", done_row)
        form.addRow("佐证材料", self.report_evidence)
        form.addRow("存在问题", self.report_problems)
        form.addRow("联系人", self.report_contact)
        form.addRow("联系电话", self.report_phone)
        form.addRow("", self.report_submit)
        scroll = QtWidgets.QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QtWidgets.QFrame.Shape.NoFrame)
        scroll.setWidget(page)
        self.tabs.addTab(scroll, "填报进展")

    def _build_history_tab(self) -> None:
        self.history_model = ProgressHistoryModel(self)
        self.history = QtWidgets.QTableView()
        self.history.setModel(self.history_model)
        self.history.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        self.history.verticalHeader().hide()
        self.history.horizontalHeader().setStretchLastSection(True)
        self.history.setWordWrap(False)
        from gxdesk.ui.chase_history import ChaseHistory

        self.chases = ChaseHistory()  # the 催办 notices that named this task
        box = QtWidgets.QWidget()
        column = QtWidgets.QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.history, 1)
        column.addWidget(self.chases)
        self.tabs.addTab(box, "进展记录")

    # --- showing ------------------------------------------------------------------
    def show_task(self, task_id: int | None) -> None:
        self.task = load_detail(self.context, task_id) if task_id is not None else None
        t = self.task
        self.tabs.setEnabled(t is not None)
        if t is None:
            self.header.setText("未选择任务：在中间的任务表中选择一项任务")
            for w in (self.name_edit, self.deadline_edit):
                w.setText("")
            self.requirement_edit.setPlainText("")
            self.units_text.setText("")
            self.units_model.set_rows([])
            self.history_model.set_rows([])
            self.chases.show_task(None, None)
            self.report_unit.clear()
            self.confirm_deadline.hide()
            self.confirm_units.hide()
            self.deadline_info.setText("")
            return
        self.header.setText(
            f"<b>{t.seq}. {t.name}</b><br/><small>{t.category_title} · {t.status}</small>"
        )
        self.name_edit.setText(t.name)
        self.name_edit.setCursorPosition(0)
        if self.requirement_edit.toPlainText() != t.requirement:
            self.requirement_edit.setPlainText(t.requirement)
        self.deadline_edit.setText(t.deadline_text)
        self.deadline_edit.setCursorPosition(0)
        self._preview_deadline(t.deadline_text)
        self.confirm_deadline.setVisible(t.deadline_inferred)
        self.confirm_units.setVisible(t.units_inferred)
        note = "（由合并单元格推断，待确认）" if t.units_inferred else ""
        review = "（未能完全识别，请核对）" if t.units_review else ""
        self.units_text.setText(f"{t.units_text or '（未填写）'}{note}{review}")
        db = self.context.db
        assert db is not None
        assigned = queries.assignments(db, [t.id]).get(t.id, [])
        self.units_model.set_rows(assigned)
        self.history_model.set_rows(queries.progress_history(db, t.id))
        self.chases.show_task(db, t.id)
        self._fill_reporters(assigned)

    def _fill_reporters(self, assigned: list[AssignmentView]) -> None:
        db = self.context.db
        assert db is not None
        previous = self.report_unit.currentText()
        self.report_unit.clear()
        units = {u.id: u for u in queries.units(db)}
        only = self.context.account_unit  # a unit's own login reports for itself alone
        for a in assigned:
            if a.is_group:
                group = units.get(a.unit_id)
                for member in group.members if group else ():
                    m = units[member]
                    if only is None or m.name == only:
                        self.report_unit.addItem(f"{m.name}（{a.unit}成员）", (a.id, m.id))
            elif only is None or a.unit == only:
                self.report_unit.addItem(f"{a.unit}（{a.role.label}）", (a.id, a.unit_id))
        wanted = previous or self.context.preferences.default_unit
        if wanted:
            for i in range(self.report_unit.count()):
                if self.report_unit.itemText(i).startswith(wanted.split("（")[0]):
                    self.report_unit.setCurrentIndex(i)
                    break
        self.report_period.setText(self.context.on.strftime("%Y-%m"))
        self.report_done.setDate(qdate(self.context.on))
        self.report_submit.setEnabled(self.report_unit.count() > 0)

    def _preview_deadline(self, text: str) -> None:
        self.deadline_info.setText(describe_deadline(self.context, text))

    def _on_changed(self, change: Change) -> None:
        if self.task is None:
            return
        if change.lists_reload or self.task.id in change.tasks:
            self.show_task(self.task.id)

    # --- editing --------------------------------------------------------------------
    def _error(self, exc: Exception) -> None:
        QtWidgets.QMessageBox.warning(self, "无法保存", str(exc))

    def _edit(self, edit: TaskEdit, text: str) -> bool:
        if self.task is None:
            return False
        command = SymmetricCommand(self.context, text, edit_task, [self.task.id], edit)
        try:
            push(self.context, command)
        except EditError as exc:
            self._error(exc)
            self.show_task(self.task.id)
            return False
        return True

    def _commit_name(self) -> None:
        if self.task and self.name_edit.text().strip() != self.task.name:
            self._edit(TaskEdit(name=self.name_edit.text()), "修改工作任务")

    def _commit_requirement(self) -> None:
        text = self.requirement_edit.toPlainText()
        if self.task and text.strip() != self.task.requirement:
            self._edit(TaskEdit(requirement=text), "修改工作要求")

    def _commit_deadline(self) -> None:
        text = self.deadline_edit.text()
        if self.task and text.strip() != self.task.deadline_text:
            self._edit(TaskEdit(deadline_text=text, deadline_inferred=False), "修改完成时限")

    def set_units(self, edit: UnitsEdit) -> bool:
        if self.task is None:
            return False
        command = SymmetricCommand(
            self.context, "修改责任单位", set_task_units, [self.task.id], edit
        )
        try:
            push(self.context, command)
        except EditError as exc:
            self._error(exc)
            return False
        return True

    def _open_units_dialog(self) -> None:
        if self.task is None or self.context.db is None:
            return
        dialog = UnitsDialog(
            self.units_model_refs(), [u.name for u in queries.units(self.context.db)], self
        )
        if dialog.exec() == QtWidgets.QDialog.DialogCode.Accepted:
            self.set_units(UnitsEdit(dialog.refs()))

    def units_model_refs(self) -> list[UnitRef]:
        db = self.context.db
        if self.task is None or db is None:
            return []
        return [
            UnitRef(a.unit, a.role, a.is_group)
            for a in queries.assignments(db, [self.task.id]).get(self.task.id, [])
        ]

    def submit_report(self) -> bool:
        if self.task is None:
            return False
        key = self.report_unit.currentData()
        if key is None:
            return False
        text = self.report_text.toPlainText().strip()
        status = Status(self.report_status.currentData())  # combo data come back as str
        percent = self.report_percent.value()
        report = ReportInput(
            assignment_id=key[0],
            unit_id=key[1],
            report=UnitReport(
                status=status,
                percent=None if percent < 0 else percent,
                text=text,
                done_on=pydate(self.report_done.date())
                if self.report_done_set.isChecked()
                else None,
                evidence=self.report_evidence.text().strip(),
                problems=self.report_problems.text().strip(),
                contact=self.report_contact.text().strip(),
                phone=self.report_phone.text().strip(),
            ),
            period=self.report_period.text() if len(self.report_period.text()) == 7 else "",
            reported_at=dt.datetime.now().replace(microsecond=0),
        )
        unit = self.report_unit.currentText().split("（")[0]
        command = AddReportsCommand(self.context, f"填报进展：{unit}", [report])
        try:
            push(self.context, command)
        except (EditError, ValueError) as exc:
            self._error(exc)
            return False
        self.report_text.clear()
        self.report_problems.clear()
        self.report_evidence.clear()
        self.report_percent.setValue(-1)
        self.tabs.setCurrentWidget(self.history)
        return True
