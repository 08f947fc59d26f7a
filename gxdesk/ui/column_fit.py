"""The task table's columns share the width by what they hold.

With fixed widths, empty 最新进展 / 最近报告 columns kept 100 px each while
工作任务 (the column that stretches) was cut to a few characters at 1280×720.
Now each column asks for what its header and its visible cells need (up to a
cap); when that does not fit, the columns whose text may be cut with "…"
(工作任务, 完成时限, 责任单位, 最新进展) give up width in proportion to what they
asked beyond a few characters, while dates, lights and numbers are never cut.
工作任务 stretches into what is left. Once the clerk drags a column (or a saved
layout is restored) their widths are kept.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from gxdesk.ui.qt import QtCore, QtGui, QtWidgets

#: Below this a shrinkable column is not cut (about three characters and "…").
MIN_CUT = 56


@dataclass(frozen=True)
class Want:
    """What one column asks for: ``desired`` if there is room, never under ``least``;
    ``weight`` is how readily it gives width up (工作任务 gives half as readily)."""

    least: int
    desired: int
    weight: float = 1.0


def share_widths(available: int, wants: Mapping[int, Want]) -> dict[int, int]:
    """Each column's width: all desired if they fit, else the excess is taken from
    the columns in proportion to how far above their least they asked (weighted)."""
    widths = {c: w.desired for c, w in wants.items()}
    excess = sum(widths.values()) - available
    if excess <= 0:
        return widths
    give = {
        c: (w.desired - w.least) * w.weight for c, w in wants.items() if w.desired > w.least
    }
    room = sum(give.values())
    if room <= 0:
        return {c: w.least for c, w in wants.items()}
    ratio = min(1.0, excess / room)
    for c, g in give.items():
        w = wants[c]
        widths[c] = max(w.least, w.desired - int(g * ratio + 0.999))
    return widths


class ColumnFitter(QtCore.QObject):
    """Fits the columns of ``table`` by content; ``stretch`` takes what is left."""

    def __init__(
        self,
        table: QtWidgets.QTableView,
        caps: Mapping[int, int],
        *,
        stretch: int,
        shrinkable: set[int],
    ) -> None:
        super().__init__(table)
        self.table = table
        self.caps = dict(caps)
        self.stretch = stretch
        self.shrinkable = set(shrinkable) | {stretch}
        self.user_sized = False
        self._fitting = False
        # Resizes refit only after the first explicit fit(): the window's first
        # frame (shown before its data) would fit empty columns three times over.
        self._armed = False
        header = table.horizontalHeader()
        # The rows on screen only: Qt's default reads the first 1,000 rows of every
        # column, on every resize (each move of a splitter beside the table).
        header.setResizeContentsPrecision(0)
        header.sectionResized.connect(self._resized)
        table.installEventFilter(self)

    def keep_user_layout(self) -> None:
        """A saved layout was restored: the clerk's widths win over fitting."""
        self.user_sized = True

    def wants(self) -> dict[int, Want]:
        header = self.table.horizontalHeader()
        found = {}
        for col, cap in self.caps.items():
            if header.isSectionHidden(col):
                continue
            label = header.sectionSizeFromContents(col).width()
            content = self.table.sizeHintForColumn(col)
            if col in self.shrinkable:  # its text may end in "…"
                desired = min(max(label, content), cap)
                least = min(desired, MIN_CUT)
            else:  # its cells are never cut (a date wider than the cap too), its header may be
                desired = max(content, min(label, cap))
                least = min(desired, max(content, MIN_CUT))
            found[col] = Want(least, desired, 0.5 if col == self.stretch else 1.0)
        return found

    def fit(self) -> None:
        self._armed = True
        if self.user_sized:
            return
        available = self.table.viewport().width()
        widths = share_widths(available, self.wants())
        self._fitting = True
        try:
            for col, width in widths.items():
                if col != self.stretch:
                    self.table.setColumnWidth(col, width)
        finally:
            self._fitting = False

    def eventFilter(self, watched: QtCore.QObject, event: QtCore.QEvent) -> bool:  # noqa: N802
        if self._armed and watched is self.table and event.type() == QtCore.QEvent.Type.Resize:
            assert isinstance(event, QtGui.QResizeEvent)
            if event.size().width() != event.oldSize().width():  # the fit is by width
                self.fit()
        return False

    def _resized(self, col: int, _old: int, _new: int) -> None:
        if not self._fitting and col in self.caps and col != self.stretch:
            self.user_sized = True
