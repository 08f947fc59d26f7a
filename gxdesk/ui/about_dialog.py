"""帮助 → 关于: version, data folder, database in use, and the bundled fonts' licences."""

from __future__ import annotations

from pathlib import Path

from gxdesk.ops.about import about_lines, font_licences
from gxdesk.ui.qt import Qt, QtWidgets


class AboutDialog(QtWidgets.QDialog):
    """The facts a clerk (or whoever supports them) needs, selectable for copying."""

    def __init__(self, database: Path | None, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("关于 政务公开工作台账")
        layout = QtWidgets.QVBoxLayout(self)
        heading = QtWidgets.QLabel("<b>政务公开工作台账</b>")
        layout.addWidget(heading)
        form = QtWidgets.QFormLayout()
        self.values: dict[str, list[str]] = {}
        for label, value in about_lines(database):
            field = QtWidgets.QLabel(value)
            field.setWordWrap(True)
            field.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            form.addRow(f"{label}：", field)
            self.values.setdefault(label, []).append(value)
        layout.addLayout(form)
        self.licence_text = QtWidgets.QPlainTextEdit()
        self.licence_text.setReadOnly(True)
        self.licence_text.setPlainText(
            "\n\n".join(f"【{f.path.name}】\n{f.text.strip()}" for f in font_licences())
        )
        self.licence_text.setMinimumSize(560, 220)
        layout.addWidget(QtWidgets.QLabel("字体许可全文："))
        layout.addWidget(self.licence_text, 1)
        buttons = QtWidgets.QDialogButtonBox(QtWidgets.QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
