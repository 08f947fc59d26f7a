"""The merge preview: every file and row with its outcome, before anything is written.

The clerk filters by outcome, reads conflicts side by side (the task as the file
saw it, the task as it is now), ticks the conflicts whose file version should
win and the rows to verify (待核实: 已完成 at 80%, …) it accepts, confirms the
unit of files that lost their hidden data, then applies.
The applied batch goes on the window's undo stack as a :class:`MergeBatchCommand`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from gxdesk.core.workbook_data import LEAD_COLUMNS, UNIT_COLUMNS
from gxdesk.store.changes import Change
from gxdesk.store.merge import (
    FilePlan,
    MergePlan,
    Outcome,
    RowPlan,
    StalePlanError,
    restore_batch,
    withdraw_batch,
)
from gxdesk.ui.commands import StoreCommand
from gxdesk.ui.qt import ModelIndex, Qt, QtCore, QtGui, QtWidgets, Signal

if TYPE_CHECKING:
    from gxdesk.store.changes import Transaction
    from gxdesk.ui.context import AppContext

COLUMNS = ("文件", "单位", "行", "任务", "结果", "说明", "采用")
# rows the clerk ticks to write: a conflict's file version, an accepted row to verify
_CHOOSABLE = frozenset({Outcome.CONFLICT, Outcome.WARNING})
ALL = "全部"
WARNING_FOREGROUND = QtGui.QColor("#9C5700")


@dataclass(frozen=True, slots=True)
class _Line:
    file_index: int
    file: FilePlan
    row: RowPlan | None  # None: the file itself (refused)


class MergeRowsModel(QtCore.QAbstractTableModel):
    """Rows of the preview (one per returned row; one per refused file)."""

    OutcomeRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, plan: MergePlan, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self._plan = plan
        self._all = [
            _Line(i, f, r)
            for i, f in enumerate(plan.files)
            for r in ([None] if f.error else f.rows)
        ]
        self._lines = list(self._all)
        self.taken: set[tuple[int, int]] = set()

    def set_filter(self, outcome: str) -> None:
        self.beginResetModel()
        if outcome == ALL:
            self._lines = list(self._all)
        elif outcome == "error":
            self._lines = [line for line in self._all if line.row is None]
        else:
            self._lines = [
                line for line in self._all if line.row and line.row.outcome.value == outcome
            ]
        self.endResetModel()

    def line(self, row: int) -> _Line:
        return self._lines[row]

    def rowCount(self, parent: ModelIndex | None = None) -> int:  # noqa: N802
        return 0 if parent is not None and parent.isValid() else len(self._lines)

    def columnCount(self, parent: ModelIndex | None = None) -> int:  # noqa: N802
        return 0 if parent is not None and parent.isValid() else len(COLUMNS)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        line = self._lines[index.row()]
        if index.column() == 6 and line.row and line.row.outcome in _CHOOSABLE:
            base |= Qt.ItemFlag.ItemIsUserCheckable
        return base

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._lines):
            return None
        line = self._lines[index.row()]
        f, r, col = line.file, line.row, index.column()
        if role == Qt.ItemDataRole.DisplayRole or role == Qt.ItemDataRole.ToolTipRole:
            if col == 0:
                return f.file_name
            if col == 1:
                return f.unit or ("（待确认）" if f.needs_confirmation else "")
            if r is None:
                return {4: "拒收整个文件", 5: f.error}.get(col, "")
            if col == 2:
                return str(r.row)
            if col == 3:
                return f"{r.seq} {r.name}".strip()
            if col == 4:
                return r.outcome.label
            if col == 5:
                return r.reason
            return ""
        if role == Qt.ItemDataRole.ForegroundRole and col in (4, 5):
            if r is not None and r.outcome is Outcome.WARNING:
                return WARNING_FOREGROUND
            return None
        if role == Qt.ItemDataRole.CheckStateRole and col == 6:
            if r is not None and r.outcome in _CHOOSABLE:
                taken = (line.file_index, r.row) in self.taken
                return Qt.CheckState.Checked if taken else Qt.CheckState.Unchecked
            return None
        if role == self.OutcomeRole:
            return r.outcome.value if r else "error"
        return None

    def setData(  # noqa: N802
        self, index: ModelIndex, value: object, role: int = Qt.ItemDataRole.EditRole
    ) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.CheckStateRole or index.column() != 6:
            return False
        line = self._lines[index.row()]
        if line.row is None or line.row.outcome not in _CHOOSABLE:
            return False
        key = (line.file_index, line.row.row)
        checked = (
            Qt.CheckState(value) == Qt.CheckState.Checked if not isinstance(value, bool) else value
        )
        if checked:
            self.taken.add(key)
            self._untick_other_returns(line)
        else:
            self.taken.discard(key)
        self.dataChanged.emit(index, index, [role])
        return True

    def _untick_other_returns(self, line: _Line) -> None:
        """One row of a task per export: ticking one return's row unticks the other's."""
        r = line.row
        if r is None or not r.other:
            return
        for other in self._all:
            o = other.row
            if (
                o is not None
                and other is not line
                and o.task_id == r.task_id
                and other.file.export_id == line.file.export_id
                and (other.file_index, o.row) in self.taken
            ):
                self.taken.discard((other.file_index, o.row))
                if other in self._lines:
                    at = self.index(self._lines.index(other), 6)
                    self.dataChanged.emit(at, at, [Qt.ItemDataRole.CheckStateRole])

    def accept_all_warnings(self) -> None:
        """Tick every row to verify (待核实), whether shown by the filter or not."""
        self.taken |= self._plan.rows_to_verify()
        if self._lines:
            self.dataChanged.emit(
                self.index(0, 6),
                self.index(len(self._lines) - 1, 6),
                [Qt.ItemDataRole.CheckStateRole],
            )


class MergeDialog(QtWidgets.QDialog):
    """Preview of a merge; ``accepted`` means: apply, taking ``taken_conflicts``;
    :data:`RECONFIRM` means: preview again with the units just confirmed."""

    RECONFIRM = 2  # exec()'s result beside Accepted (1) and Rejected (0)

    reconfirm = Signal(object)  # {path: unit id} chosen for files without hidden data

    def __init__(
        self,
        plan: MergePlan,
        *,
        units: list[tuple[int, str]] | None = None,
        parent: QtWidgets.QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("合并回收的进展表 — 预览")
        self.resize(1100, 640)
        self.plan = plan
        self.model = MergeRowsModel(plan, self)
        c = plan.counts()
        summary = QtWidgets.QLabel(
            f"{len(plan.files)} 个文件：新进展 {c['applied']} 条，无变化 {c['unchanged']}，"
            f"冲突 {c['conflicts']}，拒收 {c['rejected']}，无法识别 {c['invalid']}，"
            f"待确认 {c['unmatched']}，待核实 {c['warnings']}；"
            f"整个文件被拒收 {len(plan.refused)} 个。"
            + ("待核实的行（如已完成但进度不足 100%）勾选“采用”后才写入。" if c["warnings"] else "")
            + "点“应用”后先备份数据库，再一次性写入。"
        )
        summary.setWordWrap(True)
        seconds = [f"{f.file_name}：{f.replaces}" for f in plan.files if f.replaces]
        self.second_returns = QtWidgets.QLabel("\n".join(seconds))
        self.second_returns.setWordWrap(True)
        self.second_returns.setVisible(bool(seconds))
        self.filter = QtWidgets.QComboBox()
        self.filter.addItem(ALL, ALL)
        for o in Outcome:
            self.filter.addItem(o.label, o.value)
        self.filter.addItem("拒收的文件", "error")
        self.filter.currentIndexChanged.connect(
            lambda _i: self.model.set_filter(self.filter.currentData())
        )
        self.table = QtWidgets.QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setStretchLastSection(False)
        self.table.horizontalHeader().setSectionResizeMode(
            5, QtWidgets.QHeaderView.ResizeMode.Stretch
        )
        for col, width in ((0, 260), (1, 110), (2, 40), (3, 200), (4, 70), (6, 70)):
            self.table.setColumnWidth(col, width)
        self.table.verticalHeader().setVisible(False)
        self.table.selectionModel().currentRowChanged.connect(self._show_detail)
        self.detail = QtWidgets.QTextBrowser()
        self.detail.setMaximumHeight(170)

        self._confirm: dict[str, QtWidgets.QComboBox] = {}
        confirm_box = QtWidgets.QFormLayout()
        for f in plan.files:
            if f.needs_confirmation and units:
                combo = QtWidgets.QComboBox()
                combo.addItem("（请选择填报单位）", None)
                for unit_id, name in units:
                    combo.addItem(name, unit_id)
                hint = combo.findText(f.unit_hint) if f.unit_hint else -1
                if hint >= 0:
                    combo.setCurrentIndex(hint)
                self._confirm[f.path] = combo
                confirm_box.addRow(f"{f.file_name}（缺少识别信息）：", combo)
        self.buttons = QtWidgets.QDialogButtonBox()
        self.apply_button = self.buttons.addButton(
            "应用", QtWidgets.QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.buttons.addButton("取消", QtWidgets.QDialogButtonBox.ButtonRole.RejectRole)
        if c["warnings"]:
            accept_all = self.buttons.addButton(
                f"全部采用待核实的 {c['warnings']} 行",
                QtWidgets.QDialogButtonBox.ButtonRole.ActionRole,
            )
            accept_all.clicked.connect(self.model.accept_all_warnings)
        if self._confirm:
            again = self.buttons.addButton(
                "按所选单位重新预览", QtWidgets.QDialogButtonBox.ButtonRole.ActionRole
            )
            again.clicked.connect(self._reconfirm)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        top = QtWidgets.QHBoxLayout()
        top.addWidget(QtWidgets.QLabel("显示："))
        top.addWidget(self.filter)
        top.addStretch(1)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addWidget(self.second_returns)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.detail)
        if self._confirm:
            layout.addLayout(confirm_box)
        layout.addWidget(self.buttons)

    @property
    def taken_conflicts(self) -> set[tuple[int, int]]:
        """The rows ticked to write: conflicts taken from the file, rows to verify accepted."""
        return set(self.model.taken)

    def _reconfirm(self) -> None:
        chosen = {
            path: combo.currentData()
            for path, combo in self._confirm.items()
            if combo.currentData() is not None
        }
        self.reconfirm.emit(chosen)
        self.done(self.RECONFIRM)

    def _show_detail(self, current: QtCore.QModelIndex, _previous: QtCore.QModelIndex) -> None:
        if not current.isValid():
            self.detail.clear()
            return
        line = self.model.line(current.row())
        r = line.row
        if r is None:
            self.detail.setPlainText(f"{line.file.file_name}\n{line.file.error}")
            return
        parts = [f"<b>{r.outcome.label}</b>：{_esc(r.reason)}"]
        if r.outcome is Outcome.WARNING:
            parts.append("核实无误请勾选“采用”，否则该行不写入。")
        if r.values is not None and not r.other:  # all eight columns, as written, two a line
            cells = [
                f"<td>{h}</td><td>{_esc(t + '%' if f == 'percent' and t else t) or '—'}</td>"
                for (f, h), t in zip(UNIT_COLUMNS, r.values.as_text(), strict=True)
            ]
            rows = "".join(f"<tr>{a}{b}</tr>" for a, b in zip(cells[::2], cells[1::2], strict=True))
            parts.append(f"表中填报：<table border=1 cellspacing=0 cellpadding=3>{rows}</table>")
        if r.other:  # two returns of the same export disagree: both, side by side
            rows = "".join(
                f"<tr><td>{h}</td><td>{_esc(_cell(f, a))}</td><td>{_esc(_cell(f, b))}</td></tr>"
                for (f, h), a, b in zip(
                    UNIT_COLUMNS,
                    r.values.as_text() if r.values else ("",) * 8,
                    r.other,
                    strict=False,
                )
            )
            parts.append(
                "<table border=1 cellspacing=0 cellpadding=3>"
                f"<tr><th></th><th>本文件</th><th>{_esc(r.other_source)}</th></tr>"
                f"{rows}</table>勾选“采用”则写入本文件的这一行，否则保留另一份。"
            )
        if r.outcome is Outcome.CONFLICT and r.in_file and r.task_id is not None:
            now = r.current
            rows = "".join(
                f"<tr><td>{h}</td><td>{_esc(a)}</td><td>{_esc(b)}</td></tr>"
                for (_f, h), a, b in zip(LEAD_COLUMNS, r.in_file, now or ("",) * 6, strict=False)
            )
            parts.append(
                "<table border=1 cellspacing=0 cellpadding=3>"
                "<tr><th></th><th>导出时（表中）</th><th>现在（库中）</th></tr>"
                f"{rows}</table>勾选“采用文件”则仍写入表中的进展。"
            )
        self.detail.setHtml("<br>".join(parts))


def _cell(field: str, text: str) -> str:
    return (text + "%" if field == "percent" and text else text) or "—"


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class MergeBatchCommand(StoreCommand):
    """A merge batch on the undo stack, pushed after the batch was written.

    Undo withdraws the batch's reports (kept as history) and takes its files out
    of the ledger, so the same files may be merged again; redo restores exactly
    the reports the undo withdrew and puts the files back in the ledger (merging
    them again is then a duplicate). A redo the store refuses (a file of the
    batch was merged again meanwhile) is explained and dropped from the stack.
    """

    def __init__(
        self, context: AppContext, batch_id: int, tasks: frozenset[int], text: str
    ) -> None:
        self.batch_id = batch_id
        self.withdrawn: list[int] = []

        def do(session: Transaction) -> Change:
            return Change(tasks=frozenset(restore_batch(session, batch_id, self.withdrawn)) | tasks)

        def undo(session: Transaction) -> Change:
            self.withdrawn, changed = withdraw_batch(session, batch_id)
            return Change(tasks=frozenset(changed) | tasks)

        super().__init__(context, text, do, undo)
        self._applied = True  # written by the merge job: the push's redo does nothing

    def redo(self) -> None:
        try:
            super().redo()
        except (StalePlanError, LookupError) as exc:
            self._refused(exc)

    def undo(self) -> None:
        try:
            super().undo()
        except LookupError as exc:
            self._refused(exc)

    def _refused(self, exc: BaseException) -> None:
        self.setObsolete(True)
        QtWidgets.QMessageBox.warning(self._context.window, "无法完成", str(exc))
