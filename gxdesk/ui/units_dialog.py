"""Editing a task's units with their roles: type the phrase, or set each unit's role."""

from __future__ import annotations

from collections.abc import Sequence

from gxdesk.core.model import Role, UnitRef
from gxdesk.core.units import is_group_name, parse_units
from gxdesk.store.edits import render_units
from gxdesk.ui.qt import QtWidgets


class UnitsDialog(QtWidgets.QDialog):
    """Rows of (unit, role); the phrase at the top fills them, the preview shows the result."""

    def __init__(
        self, refs: Sequence[UnitRef], known_units: Sequence[str], parent: QtWidgets.QWidget | None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("编辑责任单位")
        self.resize(560, 380)
        self._known = sorted(known_units)
        self.phrase = QtWidgets.QLineEdit(render_units(refs))
        self.phrase.setPlaceholderText("如：市财政局牵头；配合：市审计局、市监察局")
        parse = QtWidgets.QPushButton("按文字识别")
        parse.clicked.connect(self._from_phrase)
        top = QtWidgets.QHBoxLayout()
        top.addWidget(self.phrase, 1)
        top.addWidget(parse)
        self.rows_box = QtWidgets.QWidget()
        self.grid = QtWidgets.QGridLayout(self.rows_box)
        self.grid.setColumnStretch(0, 1)
        scroll = QtWidgets.QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.rows_box)
        add = QtWidgets.QPushButton("添加单位")
        add.clicked.connect(lambda: self._add_row(UnitRef("", Role.LEAD)))
        self.preview = QtWidgets.QLabel()
        self.preview.setWordWrap(True)
        buttons = QtWidgets.QDialogButtonBox(
            QtWidgets.QDialogButtonBox.StandardButton.Ok
            | QtWidgets.QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(QtWidgets.QLabel("责任单位（文字）："))
        layout.addLayout(top)
        layout.addWidget(scroll, 1)
        layout.addWidget(add)
        layout.addWidget(self.preview)
        layout.addWidget(buttons)
        self._rows: list[tuple[QtWidgets.QComboBox, QtWidgets.QComboBox, QtWidgets.QWidget]] = []
        for ref in refs:
            self._add_row(ref)
        self._update_preview()

    def _add_row(self, ref: UnitRef) -> None:
        name = QtWidgets.QComboBox()
        name.setEditable(True)
        name.addItems(self._known)
        name.setCurrentText(ref.name)
        role = QtWidgets.QComboBox()
        for r in Role:
            role.addItem(r.label, r)
        role.setCurrentIndex(list(Role).index(ref.role))
        remove = QtWidgets.QPushButton("移除")
        row = len(self._rows)
        self.grid.addWidget(name, row, 0)
        self.grid.addWidget(role, row, 1)
        self.grid.addWidget(remove, row, 2)
        entry = (name, role, remove)
        self._rows.append(entry)
        remove.clicked.connect(lambda: self._remove(entry))
        name.currentTextChanged.connect(self._update_preview)
        role.currentIndexChanged.connect(self._update_preview)
        self._update_preview()

    def _remove(
        self, entry: tuple[QtWidgets.QComboBox, QtWidgets.QComboBox, QtWidgets.QWidget]
    ) -> None:
        self._rows.remove(entry)
        for w in entry:
            self.grid.removeWidget(w)
            w.deleteLater()
        self._update_preview()

    def _clear(self) -> None:
        for entry in list(self._rows):
            self._remove(entry)

    def _from_phrase(self) -> None:
        spec = parse_units(self.phrase.text())
        self._clear()
        for ref in spec.refs:
            self._add_row(ref)

    def refs(self) -> tuple[UnitRef, ...]:
        out: list[UnitRef] = []
        seen: set[str] = set()
        for name, role, _remove in self._rows:
            text = name.currentText().strip()
            if text and text not in seen:
                seen.add(text)
                out.append(UnitRef(text, role.currentData(), is_group_name(text)))
        return tuple(out)

    def _update_preview(self) -> None:
        text = render_units(self.refs())
        self.preview.setText(f"将保存为：{text or '（无责任单位）'}")
