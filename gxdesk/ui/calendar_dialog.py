"""设置 → 工作日历…: enter a year's 放假调休安排, see any year's working days on a month grid.

``chinese_calendar`` ships the State Council's schedule for a range of years;
for a later year the clerk types in the notice (国务院办公厅关于N年部分节假日
安排的通知): the holidays and the adjusted working weekends (调休). Until then
every "N个工作日内" deadline of that year has no due date, and the window says so.

The dialog edits a copy of the year's entries; 保存 writes them in one
transaction through :func:`gxdesk.store.calendar.replace_year`, as one undoable
command (undo puts back what the year had before, or un-enters it). The window
then re-reads the calendar and every due date and light moves with it.
"""

from __future__ import annotations

import datetime as dt
from enum import IntEnum

from gxdesk.core.workdays import PACKAGE_YEARS, DayOverride, WorkdayCalendar, built_in_days
from gxdesk.store.calendar import EnteredYear, expand, read_year, set_year
from gxdesk.ui.commands import SymmetricCommand, push
from gxdesk.ui.context import AppContext
from gxdesk.ui.labels import cn_date, cn_weekday
from gxdesk.ui.qt import ModelIndex, Qt, QtCore, QtGui, QtWidgets, pydate, qdate

_BUTTONS = QtWidgets.QDialogButtonBox.StandardButton
LAST_YEAR = 2100
REST, WORK = "休息", "上班"
REST_COLOR, REST_BACKGROUND = "#c5221f", "#fde7e4"  # 放假: red "休" on pale red
WORK_COLOR, WORK_BACKGROUND = "#1a56b0", "#e3edfb"  # 调休上班: blue "班" on pale blue
WEEKEND_COLOR = "#8a8a8a"


def kind_text(is_workday: bool) -> str:
    return WORK if is_workday else REST


class DayColumn(IntEnum):
    DAY = 0
    KIND = 1
    NOTE = 2


class DayRoles(IntEnum):
    DAY = Qt.ItemDataRole.UserRole + 1  # the datetime.date of the row


class DayListModel(QtCore.QAbstractTableModel):
    """The entered days of one year, in date order."""

    HEADERS = ("日期", "安排", "说明")

    def __init__(self, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self._days: list[DayOverride] = []
        self._rest = QtGui.QBrush(QtGui.QColor(REST_COLOR))
        self._work = QtGui.QBrush(QtGui.QColor(WORK_COLOR))

    @property
    def days(self) -> list[DayOverride]:
        return self._days

    def set_days(self, days: list[DayOverride]) -> None:
        self.beginResetModel()
        self._days = sorted(days, key=lambda o: o.day)
        self.endResetModel()

    def row_of(self, day: dt.date) -> int:
        return next((i for i, o in enumerate(self._days) if o.day == day), -1)

    def rowCount(self, parent: ModelIndex = QtCore.QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._days)

    def columnCount(self, parent: ModelIndex = QtCore.QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(DayColumn)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> object:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self.HEADERS)
        ):
            return self.HEADERS[section]
        return None

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._days):
            return None
        o = self._days[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == DayColumn.DAY:
                return f"{cn_date(o.day)} {cn_weekday(o.day)}"
            if col == DayColumn.KIND:
                return kind_text(o.is_workday)
            if col == DayColumn.NOTE:
                return o.note
        if role == Qt.ItemDataRole.ForegroundRole and col == DayColumn.KIND:
            return self._work if o.is_workday else self._rest
        if role == DayRoles.DAY:
            return o.day
        return None


class ScheduleCalendar(QtWidgets.QCalendarWidget):
    """A month grid marking each holiday "休" and each working weekend "班", as wall calendars do."""

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self._marks: dict[dt.date, bool] = {}
        self.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
        self.setGridVisible(True)
        self.setVerticalHeaderFormat(
            QtWidgets.QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader
        )
        weekend = QtGui.QTextCharFormat()
        weekend.setForeground(QtGui.QColor(WEEKEND_COLOR))
        for day in (Qt.DayOfWeek.Saturday, Qt.DayOfWeek.Sunday):
            self.setWeekdayTextFormat(day, weekend)

    def show_schedule(
        self, year: int, calendar: WorkdayCalendar, notes: dict[dt.date, str]
    ) -> None:
        """Mark ``year``'s days off on weekdays and working weekends, as ``calendar`` says."""
        self.setDateTextFormat(QtCore.QDate(), QtGui.QTextCharFormat())  # forget the old year
        self.setDateRange(QtCore.QDate(year, 1, 1), QtCore.QDate(year, 12, 31))
        marks: dict[dt.date, bool] = {}
        for day in expand(dt.date(year, 1, 1), dt.date(year, 12, 31)):
            working = calendar.is_workday(day)
            weekend = day.weekday() >= 5
            if working == weekend or (not working and day in notes):
                marks[day] = working
        for day, working in marks.items():
            fmt = QtGui.QTextCharFormat()
            fmt.setForeground(QtGui.QColor(WORK_COLOR if working else REST_COLOR))
            fmt.setBackground(QtGui.QColor(WORK_BACKGROUND if working else REST_BACKGROUND))
            note = notes.get(day, "")
            what = "调休上班" if working else "放假"
            fmt.setToolTip(f"{cn_date(day)} {what}" + (f"（{note}）" if note else ""))
            self.setDateTextFormat(qdate(day), fmt)
        self._marks = marks
        self.updateCells()

    def mark(self, day: dt.date) -> bool | None:
        """True for a marked working weekend, False for a marked day off, None otherwise."""
        return self._marks.get(day)

    def paintCell(self, painter: QtGui.QPainter, rect: QtCore.QRect, date: QtCore.QDate) -> None:
        super().paintCell(painter, rect, date)
        working = self._marks.get(pydate(date))
        if working is None:
            return
        painter.save()
        font = QtGui.QFont(painter.font())
        font.setPointSizeF(max(font.pointSizeF() * 0.7, 6.0))
        painter.setFont(font)
        painter.setPen(QtGui.QColor(WORK_COLOR if working else REST_COLOR))
        painter.drawText(
            rect.adjusted(2, 1, -3, 0),
            int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop),
            "班" if working else "休",
        )
        painter.restore()


def _date_edit() -> QtWidgets.QDateEdit:
    edit = QtWidgets.QDateEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy年M月d日")
    return edit


class CalendarDialog(QtWidgets.QDialog):
    """Pick a year; for a year to enter, list its days off and 调休 working days and save them."""

    def __init__(
        self, context: AppContext, parent: QtWidgets.QWidget | None = None, year: int | None = None
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.setWindowTitle("工作日历")
        self.resize(900, 560)
        self._stored: EnteredYear | None = None  # what the database holds for the year shown
        self._year = 0

        self.year_box = QtWidgets.QSpinBox()
        self.year_box.setRange(PACKAGE_YEARS.start, LAST_YEAR)
        self.year_box.setSuffix(" 年")
        self.year_box.setGroupSeparatorShown(False)
        self.state = QtWidgets.QLabel()
        self.state.setObjectName("calendarState")
        self.state.setTextFormat(Qt.TextFormat.RichText)
        self.known = QtWidgets.QLabel()
        self.known.setWordWrap(True)
        self.known.setStyleSheet("color: #555;")
        top = QtWidgets.QHBoxLayout()
        top.addWidget(QtWidgets.QLabel("年份"))
        top.addWidget(self.year_box)
        top.addSpacing(12)
        top.addWidget(self.state, 1)

        # left: the year's days, and the form that adds to them
        self.days = DayListModel(self)
        self.day_list = QtWidgets.QTableView()
        self.day_list.setModel(self.days)
        self.day_list.verticalHeader().hide()
        self.day_list.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        self.day_list.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.ExtendedSelection)
        self.day_list.verticalHeader().setDefaultSectionSize(24)
        header = self.day_list.horizontalHeader()
        header.setHighlightSections(False)
        header.resizeSection(DayColumn.DAY, 150)
        header.resizeSection(DayColumn.KIND, 48)
        header.setStretchLastSection(True)
        self.remove_button = QtWidgets.QPushButton("删除所选日期")
        self.first = _date_edit()
        self.last = _date_edit()
        self.kind = QtWidgets.QComboBox()
        self.kind.addItem("休息（放假）", False)
        self.kind.addItem("上班（调休）", True)
        self.note = QtWidgets.QLineEdit()
        self.note.setPlaceholderText("如：国庆节、春节调休")
        self.add_button = QtWidgets.QPushButton("添加")
        span = QtWidgets.QHBoxLayout()
        span.addWidget(self.first, 1)
        span.addWidget(QtWidgets.QLabel("至"))
        span.addWidget(self.last, 1)
        self.add_box = QtWidgets.QGroupBox("添加日期（一天或一段，如国庆节10月1日至7日）")
        form = QtWidgets.QFormLayout(self.add_box)
        form.addRow("日期", span)
        form.addRow("安排", self.kind)
        form.addRow("说明", self.note)
        form.addRow("", self.add_button)
        self.basis = QtWidgets.QLineEdit()
        self.basis.setPlaceholderText("如：国办发明电〔2026〕7号（可不填）")
        basis_row = QtWidgets.QFormLayout()
        basis_row.addRow("依据", self.basis)
        self.list_title = QtWidgets.QLabel()
        left = QtWidgets.QVBoxLayout()
        left.addWidget(self.list_title)
        left.addWidget(self.day_list, 1)
        left.addWidget(self.remove_button, 0, Qt.AlignmentFlag.AlignLeft)
        left.addWidget(self.add_box)
        left.addLayout(basis_row)

        # right: the month grid and its legend
        self.grid = ScheduleCalendar()
        self.grid.setMinimumSize(360, 280)
        legend = QtWidgets.QHBoxLayout()
        for mark, fg, bg, words in (
            ("休", REST_COLOR, REST_BACKGROUND, "放假（休息）"),
            ("班", WORK_COLOR, WORK_BACKGROUND, "调休上班"),
            ("六", WEEKEND_COLOR, "transparent", "周末"),
        ):
            swatch = QtWidgets.QLabel(mark)
            swatch.setAlignment(Qt.AlignmentFlag.AlignCenter)
            swatch.setFixedSize(22, 18)
            swatch.setStyleSheet(f"color: {fg}; background: {bg}; border: 1px solid #ccc;")
            legend.addWidget(swatch)
            legend.addWidget(QtWidgets.QLabel(words))
            legend.addSpacing(10)
        legend.addStretch(1)
        hint = QtWidgets.QLabel("单击日期可把它填入左侧的“添加日期”。")
        hint.setStyleSheet("color: #555;")
        right = QtWidgets.QVBoxLayout()
        right.addWidget(self.grid, 1)
        right.addLayout(legend)
        right.addWidget(hint)
        right.addStretch(0)

        body = QtWidgets.QHBoxLayout()
        body.addLayout(left, 5)
        body.addSpacing(8)
        body.addLayout(right, 4)
        self.buttons = QtWidgets.QDialogButtonBox(_BUTTONS.Save | _BUTTONS.Cancel)
        self.save_button = self.buttons.button(_BUTTONS.Save)
        self.save_button.setText("保存")
        self.buttons.button(_BUTTONS.Cancel).setText("关闭")
        layout = QtWidgets.QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.known)
        layout.addLayout(body, 1)
        self.pending = QtWidgets.QLabel()
        self.pending.setStyleSheet(f"color: {WORK_COLOR};")
        bottom = QtWidgets.QHBoxLayout()
        bottom.addWidget(self.pending, 1)
        bottom.addWidget(self.buttons)
        layout.addLayout(bottom)

        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.add_button.clicked.connect(self.add_days)
        self.remove_button.clicked.connect(self.remove_selected)
        self.first.dateChanged.connect(self._first_changed)
        self.grid.clicked.connect(self._grid_clicked)
        self.day_list.selectionModel().currentRowChanged.connect(self._row_changed)
        self.basis.textEdited.connect(self._refresh_state)
        self.year_box.setValue(year or self._default_year())
        self.year_box.valueChanged.connect(self._year_changed)
        self._show_year(self.year_box.value())

    # --- which year ---------------------------------------------------------------------
    def _default_year(self) -> int:
        plan = self.context.plan
        return plan.year if plan else self.context.on.year

    @property
    def year(self) -> int:
        return self._year

    @property
    def built_in(self) -> bool:
        return self._year in PACKAGE_YEARS

    def _entry(self) -> EnteredYear:
        return EnteredYear(self._year, tuple(self.days.days), self.basis.text().strip())

    def is_dirty(self) -> bool:
        if self.built_in:
            return False
        if self._stored is None:
            return bool(self.days.days or self.basis.text().strip())
        return self._entry() != self._stored

    def _year_changed(self, year: int) -> None:
        if year == self._year:
            return
        if self.is_dirty():
            answer = QtWidgets.QMessageBox.question(
                self, "工作日历", f"放弃对{self._year}年所做、尚未保存的修改？"
            )
            if answer != QtWidgets.QMessageBox.StandardButton.Yes:
                self.year_box.blockSignals(True)
                self.year_box.setValue(self._year)
                self.year_box.blockSignals(False)
                return
        self._show_year(year)

    def _show_year(self, year: int) -> None:
        """Read ``year`` from the database and show it."""
        db = self.context.db
        assert db is not None
        self._stored, entered = read_year(db, year)
        self._year = year
        if year in PACKAGE_YEARS:
            days = built_in_days(year)
        else:
            days = list(self._stored.days) if self._stored else []
        self.days.set_days(days)
        self.basis.setText(self._stored.note if self._stored else "")
        later = [y for y in entered if y not in PACKAGE_YEARS]
        self.known.setText(
            f"内置日历：{PACKAGE_YEARS.start}–{PACKAGE_YEARS.stop - 1}年（随程序提供，含调休）"
            f"　·　已录入：{'、'.join(f'{y}年' for y in later) or '无'}"
        )
        editable = year not in PACKAGE_YEARS
        self.add_box.setEnabled(editable)
        self.remove_button.setEnabled(editable)
        self.basis.setEnabled(editable)
        self.list_title.setText(
            f"{year}年的节假日和调休上班日（内置，不需录入）"
            if not editable
            else f"{year}年录入的日期（未列出的日子：周一至周五上班，周末休息）"
        )
        self.list_title.setWordWrap(True)
        start = dt.date(year, 10, 1) if self._stored is None and editable else dt.date(year, 1, 1)
        for edit in (self.first, self.last):
            edit.setDate(qdate(start))
        self._refresh()
        self.grid.setSelectedDate(qdate(start))
        self.grid.setCurrentPage(start.year, start.month)

    # --- editing the list ---------------------------------------------------------------
    def _refuse(self, text: str) -> None:
        QtWidgets.QMessageBox.warning(self, "无法添加", text)

    def add_days(self) -> bool:
        """Add the date or span of the form; refuses (with the reason) and returns False."""
        if self.built_in:
            return False
        first, last = pydate(self.first.date()), pydate(self.last.date())
        year = self._year
        for day in (first, last):
            if day.year != year:
                self._refuse(
                    f"{cn_date(day)}不在{year}年内：这里只录入{year}年的日期。"
                    f"要录入{day.year}年的安排，请先在上方把年份改为{day.year}年。"
                )
                return False
        if last < first:
            self._refuse(f"结束日期（{cn_date(last)}）早于开始日期（{cn_date(first)}）。")
            return False
        working: bool = self.kind.currentData()
        note = self.note.text().strip()
        current = {o.day: o for o in self.days.days}
        for day in expand(first, last):
            old = current.get(day)
            if old is not None and old.is_workday != working:
                self._refuse(
                    f"{cn_date(day)}已录入为“{kind_text(old.is_workday)}”，"
                    f"不能同时录入为“{kind_text(working)}”。如要更正，请先删除原来的记录。"
                )
                return False
        for day in expand(first, last):
            current[day] = DayOverride(day, working, note)
        self.days.set_days(list(current.values()))
        self._refresh()
        self._select(first)
        return True

    def remove_selected(self) -> None:
        if self.built_in:
            return
        rows = {i.row() for i in self.day_list.selectionModel().selectedRows()}
        if not rows:
            return
        self.days.set_days([o for i, o in enumerate(self.days.days) if i not in rows])
        self._refresh()

    def _select(self, day: dt.date) -> None:
        row = self.days.row_of(day)
        if row >= 0:
            self.day_list.selectRow(row)
            self.day_list.scrollTo(self.days.index(row, 0))

    def _first_changed(self, date: QtCore.QDate) -> None:
        if self.last.date() < date:
            self.last.setDate(date)

    def _grid_clicked(self, date: QtCore.QDate) -> None:
        if self.built_in:
            return
        self.first.setDate(date)
        self.last.setDate(date)
        self._select(pydate(date))

    def _row_changed(self, current: QtCore.QModelIndex, _previous: QtCore.QModelIndex) -> None:
        day = current.data(DayRoles.DAY) if current.isValid() else None
        if day is not None:
            self.grid.setSelectedDate(qdate(day))

    # --- showing what the year will be ---------------------------------------------------
    def preview_calendar(self) -> WorkdayCalendar:
        """The year as it will be once saved (the list as it is now)."""
        if self.built_in:
            return self.context.calendar
        return WorkdayCalendar(self.days.days, extra_years=[self._year])

    def _refresh(self) -> None:
        notes = {o.day: o.note for o in self.days.days}
        self.grid.show_schedule(self._year, self.preview_calendar(), notes)
        self._refresh_state()

    def _refresh_state(self, *_args: object) -> None:
        year = self._year
        rest = sum(1 for o in self.days.days if not o.is_workday)
        work = len(self.days.days) - rest
        counts = f"放假 {rest} 天，调休上班 {work} 天"
        if self.built_in:
            text = f"<b>{year}年：已知</b>（内置日历，{counts}）"
        elif self._stored is not None:
            text = f"<b>{year}年：已知</b>（已录入，{counts}）"
        else:
            text = (
                f'<b style="color:{REST_COLOR};">{year}年：未知</b>'
                f"——尚未录入，该年按工作日计算的截止日期无法得出"
            )
        self.state.setText(text)
        self.pending.setText(
            f"有未保存的修改：保存后共{counts}，截止日期随即重新计算" if self.is_dirty() else ""
        )
        self.save_button.setEnabled(self.is_dirty())

    # --- saving ---------------------------------------------------------------------------
    def save(self) -> bool:
        """Write the year in one transaction, as one undoable command; close on success."""
        if not self.is_dirty():
            self.accept()
            return True
        entry = self._entry()
        if not entry.days:
            answer = QtWidgets.QMessageBox.question(
                self,
                "工作日历",
                f"{self._year}年没有录入任何放假或调休日期。仍要保存吗？"
                "保存后该年按“周一至周五上班”计算。",
            )
            if answer != QtWidgets.QMessageBox.StandardButton.Yes:
                return False
        command = SymmetricCommand(
            self.context, f"录入{self._year}年工作日历", set_year, [self._year], entry
        )
        try:
            push(self.context, command)
        except ValueError as exc:
            QtWidgets.QMessageBox.warning(self, "无法保存", str(exc))
            return False
        if self.context.window is not None:
            self.context.window.status_message(
                f"已保存{self._year}年工作日历：截止日期和提示灯已重新计算（可撤销：Ctrl+Z）"
            )
        self.accept()
        return True
