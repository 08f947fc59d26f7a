"""The filter bar above the task table: text, unit, status, light, due within N days.

Built before the data are read: :mod:`gxdesk.store.queries` is imported where
the bar reads (the unit list, a unit's tasks), after the window is on screen.
"""

from __future__ import annotations

from dataclasses import replace

from gxdesk.core.model import Light, Status
from gxdesk.ui.context import AppContext
from gxdesk.ui.qt import QtWidgets, Signal
from gxdesk.ui.task_model import TaskFilter


class FilterBar(QtWidgets.QWidget):
    """Emits ``changed`` with the bar's part of the filter (category comes from the tree)."""

    changed = Signal()

    def __init__(self, context: AppContext, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self._unit_tasks: dict[int, frozenset[int]] = {}
        self.search = QtWidgets.QLineEdit()
        self.search.setPlaceholderText("搜索任务、要求、单位、进展…")
        self.search.setClearButtonEnabled(True)
        self.unit = QtWidgets.QComboBox()
        self.unit.setMinimumContentsLength(8)
        self.unit.setSizeAdjustPolicy(
            QtWidgets.QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.status = QtWidgets.QComboBox()
        self.status.addItem("全部状态", None)
        for s in Status:
            self.status.addItem(s.value, s)
        self.light = QtWidgets.QComboBox()
        self.light.addItem("全部提示灯", None)
        for light in Light:
            self.light.addItem(light.label, light)
        self.due_check = QtWidgets.QCheckBox("到期")
        self.due_days = QtWidgets.QSpinBox()
        self.due_days.setRange(0, 250)
        self.due_days.setValue(context.preferences.yellow_workdays)
        self.due_days.setPrefix("≤ ")
        self.due_days.setSuffix(" 个工作日")
        self.due_days.setEnabled(False)
        self.clear = QtWidgets.QToolButton()
        self.clear.setText("清除筛选")
        top = QtWidgets.QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.due_check)
        top.addWidget(self.due_days)
        top.addWidget(self.clear)
        bottom = QtWidgets.QHBoxLayout()
        for label, widget, stretch in (
            ("单位", self.unit, 3),
            ("状态", self.status, 1),
            ("提示灯", self.light, 1),
        ):
            bottom.addWidget(QtWidgets.QLabel(label))
            bottom.addWidget(widget, stretch)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 2)
        layout.setSpacing(4)
        layout.addLayout(top)
        layout.addLayout(bottom)
        self.search.textChanged.connect(self.changed)
        self.unit.currentIndexChanged.connect(self.changed)
        self.status.currentIndexChanged.connect(self.changed)
        self.light.currentIndexChanged.connect(self.changed)
        self.due_check.toggled.connect(self.due_days.setEnabled)
        self.due_check.toggled.connect(self.changed)
        self.due_days.valueChanged.connect(self.changed)
        self.clear.clicked.connect(self.reset)
        self.unit.addItem("全部单位", None)  # the units come with the data (load_units)

    def load_units(self) -> None:
        """Re-read the unit list (after opening a file or editing units), keeping the choice."""
        self._unit_tasks.clear()
        previous = self.unit.currentData()
        self.unit.blockSignals(True)
        self.unit.clear()
        self.unit.addItem("全部单位", None)
        db = self.context.db
        if db is not None:
            from gxdesk.store import queries

            for u in queries.units(db):
                label = f"{u.name}（组）" if u.is_group else u.name
                self.unit.addItem(label, u.id)
        index = self.unit.findData(previous) if previous is not None else 0
        self.unit.setCurrentIndex(max(index, 0))
        self.unit.blockSignals(False)

    def select_unit(self, name: str) -> bool:
        for i in range(self.unit.count()):
            if self.unit.itemText(i) in (name, f"{name}（组）"):
                self.unit.setCurrentIndex(i)
                return True
        return False

    def reset(self) -> None:
        for w in (self.search, self.unit, self.status, self.light, self.due_check):
            w.blockSignals(True)
        self.search.clear()
        self.unit.setCurrentIndex(0)
        self.status.setCurrentIndex(0)
        self.light.setCurrentIndex(0)
        self.due_check.setChecked(False)
        self.due_days.setEnabled(False)
        for w in (self.search, self.unit, self.status, self.light, self.due_check):
            w.blockSignals(False)
        self.changed.emit()

    def forget_unit_tasks(self) -> None:
        self._unit_tasks.clear()

    def apply_to(self, base: TaskFilter) -> TaskFilter:
        unit_id = self.unit.currentData()
        task_ids = None
        if unit_id is not None and self.context.db is not None:
            if unit_id not in self._unit_tasks:
                from gxdesk.store import queries

                found = queries.task_ids_of_unit(self.context.db, unit_id)
                self._unit_tasks[unit_id] = frozenset(found)
            task_ids = self._unit_tasks[unit_id]
        return replace(
            base,
            text=self.search.text(),
            task_ids=task_ids,
            status=Status(status) if (status := self.status.currentData()) else None,
            light=Light(light) if (light := self.light.currentData()) else None,
            due_within=self.due_days.value() if self.due_check.isChecked() else None,
        )
