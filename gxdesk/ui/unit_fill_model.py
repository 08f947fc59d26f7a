"""The rows of a unit's own copy of its workbook, as a table the clerk fills in.

One row per task of the file. The lead office's columns and the light are
read-only; the unit's eight columns are edited through :meth:`setData`, which
reads what it is given with the merge's own value readers
(:func:`gxdesk.exchange.unit_copy.read_unit_value`) and pushes the change on the
model's own undo stack, so Ctrl+Z in the dialog undoes edits of this file only.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from enum import IntEnum
from typing import Any

from gxdesk.core.model import Light, Status
from gxdesk.core.values import Unreadable
from gxdesk.core.workbook_data import LEAD_COLUMNS, LIGHT_COLUMN, UNIT_COLUMNS, UnitReport
from gxdesk.exchange.unit_copy import UnitCopy, read_unit_value, row_problems, row_warnings
from gxdesk.ui.qt import ModelIndex, Qt, QtCore, QtGui

CHECK_COLUMN = ("check", "提示")
COLUMNS: tuple[tuple[str, str], ...] = (*LEAD_COLUMNS, LIGHT_COLUMN, *UNIT_COLUMNS, CHECK_COLUMN)
FIELDS = tuple(f for f, _ in COLUMNS)
UNIT_FIELDS = frozenset(f for f, _ in UNIT_COLUMNS)
MULTILINE_FIELDS = frozenset({"text", "evidence", "problems"})
CENTRED = frozenset({"seq", "deadline", "role", "light", "status", "percent", "done_on"})

LEAD_BACKGROUND = QtGui.QColor("#F2F2F2")
LEAD_HEADER = QtGui.QColor("#D9D9D9")  # the workbook's header colours
UNIT_HEADER = QtGui.QColor("#FFE699")
PROBLEM_BACKGROUND = QtGui.QColor("#FDE2E1")
PROBLEM_FOREGROUND = QtGui.QColor("#9C0006")
WARNING_FOREGROUND = QtGui.QColor("#9C5700")
LIGHT_COLOURS = {
    Light.RED: (QtGui.QColor("#FFC7CE"), QtGui.QColor("#9C0006")),
    Light.YELLOW: (QtGui.QColor("#FFEB9C"), QtGui.QColor("#7F6000")),
    Light.GREEN: (QtGui.QColor("#C6EFCE"), QtGui.QColor("#006100")),
}


class UnitFillRoles(IntEnum):
    FIELD = Qt.ItemDataRole.UserRole + 1  # the column's field name ("status", …)
    PROBLEMS = Qt.ItemDataRole.UserRole + 2  # the row's problems, a list of str
    TASK_ID = Qt.ItemDataRole.UserRole + 3


def column_of(field: str) -> int:
    return FIELDS.index(field)


def shown(value: object) -> str:
    """A unit value as the table shows it."""
    if value is None:
        return ""
    if isinstance(value, Unreadable):
        return value.raw
    if isinstance(value, Status):
        return value.value
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


class _SetValue(QtGui.QUndoCommand):
    def __init__(
        self, model: UnitFillModel, row: int, field: str, before: object, after: object
    ) -> None:
        super().__init__(f"修改第 {model.copy.rows[row].seq} 项的{dict(COLUMNS)[field]}")
        self._model, self._row, self._field = model, row, field
        self._before, self._after = before, after

    def redo(self) -> None:
        self._model.apply_value(self._row, self._field, self._after)

    def undo(self) -> None:
        self._model.apply_value(self._row, self._field, self._before)


class UnitFillModel(QtCore.QAbstractTableModel):
    """The copy's rows: lead columns read-only, the unit's columns editable and undoable."""

    problems_changed = QtCore.Signal()

    def __init__(
        self, copy: UnitCopy, parent: QtCore.QObject | None = None, *, on: dt.date | None = None
    ) -> None:
        super().__init__(parent)
        self.copy = copy
        self.on = on or dt.date.today()  # a 完成时间 after it has not come yet
        self._values: list[UnitReport] = [r.values for r in copy.rows]
        self._problems = [row_problems(r, v) for r, v in zip(copy.rows, self._values, strict=True)]
        self._warnings = [
            row_warnings(r, v, self.on) for r, v in zip(copy.rows, self._values, strict=True)
        ]
        self.undo_stack = QtGui.QUndoStack(self)

    # --- what the dialog asks -------------------------------------------------------
    def values(self) -> list[UnitReport]:
        return list(self._values)

    def problem_count(self) -> int:
        return sum(len(p) for p in self._problems)

    def problems(self, row: int) -> list[str]:
        return list(self._problems[row])

    def problem_rows(self) -> list[int]:
        return [i for i, p in enumerate(self._problems) if p]

    def warnings(self, row: int) -> list[str]:
        """What the lead office's merge will ask its clerk to verify in this row."""
        return list(self._warnings[row])

    def warning_rows(self) -> list[int]:
        return [i for i, w in enumerate(self._warnings) if w]

    def filled_count(self) -> int:
        return sum(1 for v in self._values if v.status is not None)

    def set_copy(self, copy: UnitCopy) -> None:
        """After Save As: the same rows, now belonging to another file."""
        self.copy = copy

    def apply_value(self, row: int, field: str, value: object) -> None:
        """Set one value without an undo entry (the undo commands call this)."""
        changes: dict[str, Any] = {field: value}  # a value read by read_unit_value
        self._values[row] = dataclasses.replace(self._values[row], **changes)
        self._problems[row] = row_problems(self.copy.rows[row], self._values[row])
        self._warnings[row] = row_warnings(self.copy.rows[row], self._values[row], self.on)
        col = column_of(field)
        self.dataChanged.emit(self.index(row, col), self.index(row, col))
        check = self.index(row, column_of("check"))
        self.dataChanged.emit(check, check)
        self.problems_changed.emit()

    # --- Qt model ---------------------------------------------------------------------
    def rowCount(self, parent: ModelIndex | None = None) -> int:  # noqa: N802
        return 0 if parent is not None and parent.isValid() else len(self._values)

    def columnCount(self, parent: ModelIndex | None = None) -> int:  # noqa: N802
        return 0 if parent is not None and parent.isValid() else len(COLUMNS)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        field, text = COLUMNS[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return text
        if role == Qt.ItemDataRole.BackgroundRole:
            return UNIT_HEADER if field in UNIT_FIELDS else LEAD_HEADER
        if role == Qt.ItemDataRole.ToolTipRole:
            if field in UNIT_FIELDS:
                return "本单位填写"
            if field == "check":
                return "牵头单位合并时会被拒收或列为无法识别的地方"
            return "牵头单位维护，不能修改"
        return None

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if FIELDS[index.column()] in UNIT_FIELDS:
            base |= Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._values):
            return None
        row = self.copy.rows[index.row()]
        field = FIELDS[index.column()]
        values = self._values[index.row()]
        problems = self._problems[index.row()]
        if role == UnitFillRoles.FIELD:
            return field
        if role == UnitFillRoles.PROBLEMS:
            return list(problems)
        if role == UnitFillRoles.TASK_ID:
            return row.key.task_id
        if field in UNIT_FIELDS:
            return self._unit_data(getattr(values, field), field, role)
        if field == "check":
            return self._check_data(problems, self._warnings[index.row()], role)
        if field == "light":
            return self._light_data(row.light, role)
        text = getattr(row, field)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if role == Qt.ItemDataRole.ToolTipRole and row.lead_edited:
                return f"{text}\n（灰色栏目被改动，牵头单位将不采用该行）"
            return text
        if role == Qt.ItemDataRole.BackgroundRole:
            return PROBLEM_BACKGROUND if row.lead_edited else LEAD_BACKGROUND
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _alignment(field)
        return None

    def _unit_data(self, value: object, field: str, role: int) -> object:
        bad = isinstance(value, Unreadable)
        if role == Qt.ItemDataRole.DisplayRole:
            if field == "percent" and isinstance(value, int):
                return f"{value}%"
            return shown(value)
        if role == Qt.ItemDataRole.EditRole:
            if bad or value is None:
                return None
            return value.value if isinstance(value, Status) else value
        if role == Qt.ItemDataRole.ToolTipRole:
            if isinstance(value, Unreadable):
                return value.reason
            return shown(value) if field in MULTILINE_FIELDS and value else None
        if role == Qt.ItemDataRole.BackgroundRole and bad:
            return PROBLEM_BACKGROUND
        if role == Qt.ItemDataRole.ForegroundRole and bad:
            return PROBLEM_FOREGROUND
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _alignment(field)
        return None

    @staticmethod
    def _check_data(problems: list[str], warnings: list[str], role: int) -> object:
        said = [*problems, *(f"请核实：{w}" for w in warnings)]
        if role == Qt.ItemDataRole.DisplayRole:
            return "；".join(said)
        if role == Qt.ItemDataRole.ToolTipRole:
            return "\n".join(said) or None
        if role == Qt.ItemDataRole.ForegroundRole and said:
            return PROBLEM_FOREGROUND if problems else WARNING_FOREGROUND
        return None

    @staticmethod
    def _light_data(light: Light | None, role: int) -> object:
        if light is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return light.label
        if role == Qt.ItemDataRole.ToolTipRole:
            return "按牵头单位导出当日计算：红灯＝已逾期未完成，黄灯＝即将到期，绿灯＝正常"
        if role == Qt.ItemDataRole.BackgroundRole:
            return LIGHT_COLOURS[light][0]
        if role == Qt.ItemDataRole.ForegroundRole:
            return LIGHT_COLOURS[light][1]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _alignment("light")
        return None

    def setData(  # noqa: N802
        self, index: ModelIndex, value: object, role: int = Qt.ItemDataRole.EditRole
    ) -> bool:
        """Read ``value`` as the merge would and push the change on the undo stack."""
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        field = FIELDS[index.column()]
        if field not in UNIT_FIELDS or not 0 <= index.row() < len(self._values):
            return False
        if isinstance(value, QtCore.QDate):
            value = value.toPython() if value.isValid() else None
        new = read_unit_value(field, value, year=self.copy.year)
        old = getattr(self._values[index.row()], field)
        if new == old:
            return True
        self.undo_stack.push(_SetValue(self, index.row(), field, old, new))
        return True


def _alignment(field: str) -> int:
    horizontal = Qt.AlignmentFlag.AlignHCenter if field in CENTRED else Qt.AlignmentFlag.AlignLeft
    return int(horizontal | Qt.AlignmentFlag.AlignTop)
