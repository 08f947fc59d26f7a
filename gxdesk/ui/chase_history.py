"""The 催办 lines under a task's progress history: which notice chased which unit, when."""

from __future__ import annotations

from typing import TYPE_CHECKING

from gxdesk.ui.qt import QtWidgets

if TYPE_CHECKING:
    from gxdesk.store.database import Database


class ChaseHistory(QtWidgets.QLabel):
    """“催办记录：2014-10-24 市财政局（催办〔2014〕3号）…”, or nothing when never chased."""

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.hide()

    def show_task(self, db: Database | None, task_id: int | None) -> None:
        from gxdesk.store.reminders import reminders_of_task

        found = reminders_of_task(db, task_id) if db is not None and task_id is not None else []
        if not found:
            self.setText("")
            self.hide()
            return
        lines = [f"{r.issued_on:%Y-%m-%d}　{r.unit}（{r.number}）" for r in found]
        self.setText(f"催办记录（共 {len(found)} 次）：\n" + "\n".join(lines))
        self.show()
