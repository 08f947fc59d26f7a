"""The Gantt chart beside the task table of the real main window, on a copy of the seed,
offscreen (pytest-qt)."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import pytest
from ui_helpers import OFFSCREEN_NOISE, ON, seed_copy

from gxdesk.core.model import Light
from gxdesk.store import queries
from gxdesk.ui.gantt.chart import DAY_COLORS, HEADER_HEIGHT, ROW_HEIGHT, STATUS_LINE
from gxdesk.ui.gantt.days import DayKind
from gxdesk.ui.gantt.timescale import ZOOM_LEVELS, TimeUnit
from gxdesk.ui.qt import Qt, QtCore, QtGui, QtWidgets
from gxdesk.ui.task_model import LIGHT_COLORS, Column, TaskFilter

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)

JIEDU = "信息解读工作"  # 8月底前: due 2014-08-31, not done → red on 2014-09-30


@pytest.fixture
def window(qtbot, tmp_path, monkeypatch, messages):
    from gxdesk.ui.app import build_window

    monkeypatch.setenv("GXDESK_HOME", str(tmp_path / "home"))
    _app, win = build_window(seed_copy(tmp_path), ON, remember=False)
    qtbot.addWidget(win)
    win.resize(1600, 1000)
    with qtbot.waitSignal(win.ready, timeout=20000):
        win.start()
    yield win
    win.context.jobs.wait()
    win.context.db.close()


@pytest.fixture
def gantt(window, qtbot):
    assert window.views.pane is None  # not built until first shown
    with qtbot.waitSignal(window.views.gantt_built):
        window.views.show_view("gantt")
    view = window.views.pane.view
    qtbot.waitUntil(lambda: view.viewport().width() > 400)
    return view


def _row_index(view, name: str) -> int:
    rows = view.source.rows
    return next(i for i, r in enumerate(rows) if r.name == name)


def _grab(view) -> QtGui.QImage:
    view.viewport().repaint()
    return view.viewport().grab().toImage()


def _near(color: QtGui.QColor, expected: QtGui.QColor, tolerance: int = 8) -> bool:
    return all(
        abs(a - b) <= tolerance
        for a, b in zip(color.getRgb()[:3], expected.getRgb()[:3], strict=True)
    )


def test_rows_follow_the_tables_sort_and_filter(window, gantt):
    def ids() -> list[int]:
        return [r.id for r in gantt.source.rows]

    assert ids() == [r.id for r in window.model.visible_rows]
    assert len(ids()) == 34
    dues = {r.due for r in window.model.all_rows if r.due is not None}
    assert set(window.model.due_dates) == dues  # the span the chart covers comes from these
    first, last = gantt.scale.first, gantt.scale.last
    assert first <= min(dues) and last >= max(dues)
    window.table.sortByColumn(Column.DUE, Qt.SortOrder.DescendingOrder)
    assert ids() == [r.id for r in window.model.visible_rows]
    assert ids() != sorted(ids())
    # The tree's category filter, as the clerk uses it.
    cats = window.tree.model_.category_ids()
    window.tree.select_category(cats[3])
    window.tree.category_selected.emit(cats[3])
    shown = window.model.visible_rows
    assert 0 < len(shown) < 34
    assert ids() == [r.id for r in shown]
    window.model.set_filter(TaskFilter(light=Light.RED))
    assert ids() == [r.id for r in window.model.visible_rows]
    # What is painted at a row is the table's row there.
    for i in range(len(shown)):
        y = HEADER_HEIGHT + i * ROW_HEIGHT + ROW_HEIGHT // 2
        index = gantt.indexAt(QtCore.QPoint(gantt.viewport().width() // 2, y))
        assert index.row() == i or not index.isValid()


def test_selection_syncs_both_ways_and_keys_move_it(window, gantt, qtbot):
    window.table.selectRow(5)
    assert gantt.currentIndex().row() == 5
    assert window.table.selectionModel() is gantt.selectionModel()
    y = HEADER_HEIGHT + 7 * ROW_HEIGHT + ROW_HEIGHT // 2
    x = gantt.viewport().width() // 2
    qtbot.mouseClick(gantt.viewport(), Qt.MouseButton.LeftButton, pos=QtCore.QPoint(x, y))
    assert window.table.currentIndex().row() == 7
    assert window.current_task_id() == window.model.task_at(7).id
    assert window.detail.task.id == window.model.task_at(7).id
    gantt.setFocus()
    qtbot.keyClick(gantt, Qt.Key.Key_Down)
    assert window.table.currentIndex().row() == 8
    qtbot.keyClick(gantt, Qt.Key.Key_Up)
    qtbot.keyClick(gantt, Qt.Key.Key_Up)
    assert window.current_task_id() == window.model.task_at(6).id
    with qtbot.waitSignal(gantt.activated):
        qtbot.keyClick(gantt, Qt.Key.Key_Return)
    assert QtWidgets.QApplication.focusWidget() is window.detail.name_edit
    assert window.detail.name_edit.text() == window.model.task_at(6).name
    # A double-click opens the task under the mouse the same way.
    y = HEADER_HEIGHT + 2 * ROW_HEIGHT + ROW_HEIGHT // 2
    where = QtCore.QPoint(x - 40, y)
    qtbot.mousePress(gantt.viewport(), Qt.MouseButton.LeftButton, pos=where)
    qtbot.mouseRelease(gantt.viewport(), Qt.MouseButton.LeftButton, pos=where)
    with qtbot.waitSignal(gantt.activated):
        qtbot.mouseDClick(gantt.viewport(), Qt.MouseButton.LeftButton, pos=where)
    assert window.detail.name_edit.text() == window.model.task_at(2).name


def _window_y(widget: QtWidgets.QWidget, y: int) -> int:
    return widget.mapTo(widget.window(), QtCore.QPoint(0, y)).y()


def _assert_rows_level(window, gantt) -> None:  # type: ignore[no-untyped-def]
    """The table's first row is the chart's, and every row on screen lies at one y."""
    table = window.table
    top = table.rowAt(0)
    assert top == gantt.frame().first_row
    assert gantt.verticalScrollBar().value() == table.verticalScrollBar().value()
    model = window.model
    shown = range(top, min(top + gantt.verticalScrollBar().pageStep() + 1, model.rowCount()))
    assert len(shown) >= 5
    for row in shown:
        in_table = _window_y(table.viewport(), table.rowViewportPosition(row))
        in_chart = _window_y(gantt.viewport(), gantt.frame().row_top(row))
        assert in_table == in_chart, row
        assert table.rowHeight(row) == gantt.frame().row_height
        bar = gantt.frame().bar_rect(row)
        if bar is not None:  # the bar lies inside its row's band
            assert in_chart < _window_y(gantt.viewport(), int(bar.center().y())) < in_chart + 26


def test_table_and_chart_side_by_side_rows_level(window, gantt, qtbot):
    table = window.table
    assert gantt.isVisible() and table.isVisible()  # on screen together, not in tabs
    left = table.mapTo(window, QtCore.QPoint(table.width(), 0)).x()
    assert gantt.mapTo(window, QtCore.QPoint(0, 0)).x() > left - 1  # the chart at the right
    assert _window_y(table, 0) == _window_y(gantt, 0)
    header = table.horizontalHeader()
    assert header.height() == gantt.frame().header_height  # the time header as tall
    assert gantt.name_width == 0  # the table names the rows on screen
    _assert_rows_level(window, gantt)


def test_one_vertical_position_both_ways(window, gantt, qtbot):
    window.resize(1600, 520)
    table, ours = window.table, gantt.verticalScrollBar()
    qtbot.waitUntil(lambda: ours.maximum() > 15 and table.verticalScrollBar().maximum() > 15)
    assert ours.maximum() == table.verticalScrollBar().maximum()
    for value in (7, 0, 13, ours.maximum(), 2):
        table.verticalScrollBar().setValue(value)  # the table moves the chart
        assert ours.value() == value
        _assert_rows_level(window, gantt)
    for value in (11, ours.maximum(), 4, 0):
        ours.setValue(value)  # and the chart the table
        assert table.verticalScrollBar().value() == value
        _assert_rows_level(window, gantt)

    # The wheel over the chart scrolls both; with Ctrl it zooms and scrolls nothing.
    def wheel(modifiers: Qt.KeyboardModifier, dy: int) -> None:
        where = QtCore.QPointF(gantt.viewport().width() / 2, 200)
        event = QtGui.QWheelEvent(
            where, QtCore.QPointF(gantt.viewport().mapToGlobal(where.toPoint())),
            QtCore.QPoint(), QtCore.QPoint(0, dy), Qt.MouseButton.NoButton,
            modifiers, Qt.ScrollPhase.NoScrollPhase, False,
        )  # fmt: skip
        QtWidgets.QApplication.sendEvent(gantt.viewport(), event)

    wheel(Qt.KeyboardModifier.NoModifier, -120)
    moved = ours.value()
    assert moved > 0 and table.verticalScrollBar().value() == moved
    _assert_rows_level(window, gantt)
    zoom = gantt.zoom
    wheel(Qt.KeyboardModifier.ControlModifier, 120)
    assert gantt.zoom == zoom + 1 and ours.value() == moved
    # The wheel over the table (its own bar hidden: the chart's serves both).
    assert not table.verticalScrollBar().isVisible() and ours.isVisible()
    event = QtGui.QWheelEvent(
        QtCore.QPointF(100, 100), QtCore.QPointF(table.viewport().mapToGlobal(QtCore.QPoint(100, 100))),
        QtCore.QPoint(), QtCore.QPoint(0, -120), Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False,
    )  # fmt: skip
    QtWidgets.QApplication.sendEvent(table.viewport(), event)
    assert ours.value() > moved
    _assert_rows_level(window, gantt)
    # A filter shortens both alike; sorting keeps them level.
    window.model.set_filter(TaskFilter(text="公开"))
    qtbot.waitUntil(lambda: ours.maximum() == table.verticalScrollBar().maximum())
    ours.setValue(ours.maximum())
    _assert_rows_level(window, gantt)
    window.table.sortByColumn(Column.DUE, Qt.SortOrder.DescendingOrder)
    ours.setValue(3)
    _assert_rows_level(window, gantt)


def test_keys_in_the_chart_scroll_the_table_with_the_selection(window, gantt, qtbot):
    window.resize(1600, 520)
    qtbot.waitUntil(lambda: gantt.verticalScrollBar().maximum() > 15)
    window.table.selectRow(0)
    gantt.setFocus()
    for _ in range(gantt.verticalScrollBar().pageStep() + 3):
        qtbot.keyClick(gantt, Qt.Key.Key_Down)
    row = gantt.verticalScrollBar().pageStep() + 3
    assert window.table.currentIndex().row() == row
    assert gantt.verticalScrollBar().value() > 0  # followed the selection down
    _assert_rows_level(window, gantt)
    with qtbot.waitSignal(gantt.activated):
        qtbot.keyClick(gantt, Qt.Key.Key_Enter)
    assert window.detail.name_edit.text() == window.model.task_at(row).name


def test_the_menu_hides_and_shows_the_chart(window, gantt, qtbot):
    action = next(a for a in window.menu_view.actions() if a.text() == "显示甘特图")
    assert action.isCheckable() and action.isChecked()
    table = window.table
    action.trigger()
    assert not gantt.isVisible() and not window.views.pane.isVisible()
    assert table.verticalScrollBar().isVisible()  # the table's own bar is back
    qtbot.waitUntil(lambda: table.horizontalHeader().height() < 44)  # and its usual header
    # Hidden, the chart's range is stale: scrolling and filtering the table alone
    # must keep the table where the clerk put it.
    window.resize(1600, 520)
    qtbot.waitUntil(lambda: table.verticalScrollBar().maximum() > 15)
    table.verticalScrollBar().setValue(table.verticalScrollBar().maximum())
    bottom = table.verticalScrollBar().value()
    window.model.set_filter(TaskFilter(text="信息"))
    qtbot.wait(20)
    kept = table.verticalScrollBar().value()
    assert kept == min(bottom, table.verticalScrollBar().maximum())
    action.trigger()
    assert gantt.isVisible() and action.isChecked()
    qtbot.waitUntil(lambda: table.horizontalHeader().height() == 44)
    qtbot.waitUntil(lambda: gantt.verticalScrollBar().value() == table.verticalScrollBar().value())
    _assert_rows_level(window, gantt)


def _fits_the_year(view) -> bool:  # type: ignore[no-untyped-def]
    room = view.viewport().width() - view.name_width
    largest = view.zoom == len(ZOOM_LEVELS) - 1 or ZOOM_LEVELS[view.zoom + 1] * 372 > room
    return view.scale.px_per_day * 365 <= room and largest


def test_zoom_changes_the_scale_and_the_tiers(window, gantt, qtbot):
    assert _fits_the_year(gantt)  # first shown: the whole plan year, as large as it fits
    measure = gantt.fontMetrics().horizontalAdvance
    gantt.set_zoom(0)
    coarse = gantt.scale.px_per_day
    assert gantt.scale.tiers(measure)[1] in (TimeUnit.QUARTER, TimeUnit.MONTH)
    gantt.zoom_in()
    assert gantt.scale.px_per_day == ZOOM_LEVELS[1] > coarse
    # Ctrl+wheel zooms in, keeping the day under the mouse in place.
    gantt.set_zoom(4)
    x = gantt.viewport().width() * 0.7
    day = gantt.scale.date_at(gantt.horizontalScrollBar().value() + x - gantt.name_width)
    event = QtGui.QWheelEvent(
        QtCore.QPointF(x, 200), QtCore.QPointF(gantt.viewport().mapToGlobal(QtCore.QPoint(int(x), 200))),
        QtCore.QPoint(), QtCore.QPoint(0, 120), Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.ControlModifier, Qt.ScrollPhase.NoScrollPhase, False,
    )  # fmt: skip
    QtWidgets.QApplication.sendEvent(gantt.viewport(), event)
    assert gantt.zoom == 5
    after = gantt.scale.date_at(gantt.horizontalScrollBar().value() + x - gantt.name_width)
    assert abs((after - day).days) <= 1
    # The shortcuts and the buttons.
    pane = window.views.pane
    window.activateWindow()
    gantt.setFocus()
    qtbot.keyClick(gantt, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert gantt.zoom == 6
    qtbot.keyClick(gantt, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert gantt.zoom == 5
    pane.zoom_in_button.click()
    assert gantt.zoom == 6
    gantt.set_zoom(len(ZOOM_LEVELS) - 1)
    assert gantt.scale.tiers(measure) == (TimeUnit.WEEK, TimeUnit.DAY)
    assert not pane.zoom_in_button.isEnabled()
    assert pane.scale_label.text() == "周 / 日"


def test_a_bar_ends_on_its_due_date(window, gantt):
    i = _row_index(gantt, JIEDU)
    row = gantt.source.rows[i]
    assert row.due == dt.date(2014, 8, 31) and row.light is Light.RED
    gantt.set_zoom(5)
    gantt.show_day(dt.date(2014, 8, 1))
    frame = gantt.frame()
    rect = frame.bar_rect(i)
    assert rect.right() == pytest.approx(frame.x(frame.scale.x_end(dt.date(2014, 8, 31))))
    assert rect.right() == pytest.approx(frame.x(frame.scale.x_of(dt.date(2014, 9, 1))))
    # And it is painted there, in the row's light: red inside, not red past the end marker.
    image = _grab(gantt)
    y = int(rect.center().y()) + 2
    red = QtGui.QColor(LIGHT_COLORS[Light.RED])
    inside = image.pixelColor(int(rect.right()) - 12, y)
    past = image.pixelColor(int(rect.right()) + 12, y)
    assert inside.red() > inside.green() + 30 and inside.red() > inside.blue() + 30, inside.name()
    assert not _near(past, inside, 30), past.name()
    assert red.red() > red.green()


def _free_row(view, after: dt.date) -> int:
    """A row with no bar after ``after`` and not selected, so the day colours show."""
    current = view.currentIndex().row()
    for i, row in enumerate(view.source.rows):
        bar = view.source.bar(row)
        if i != current and i < 20 and (bar.end is None or bar.end < after) and bar.start:
            return i
    raise LookupError("no free row")


def test_national_day_shaded_and_the_makeup_saturday_marked(window, gantt):
    gantt.set_zoom(7)  # 18 px a day
    gantt.show_day(dt.date(2014, 9, 20), at=0)
    frame = gantt.frame()
    row = _free_row(gantt, dt.date(2014, 9, 1))
    image = _grab(gantt)
    y = frame.row_top(row) + ROW_HEIGHT // 2
    for d in range(1, 8):
        x = int(frame.x(frame.scale.x_mid(dt.date(2014, 10, d))))
        assert _near(image.pixelColor(x, y), DAY_COLORS[DayKind.HOLIDAY]), d
    x = int(frame.x(frame.scale.x_mid(dt.date(2014, 10, 11))))
    assert _near(image.pixelColor(x, y), DAY_COLORS[DayKind.MAKEUP])
    x = int(frame.x(frame.scale.x_mid(dt.date(2014, 10, 9))))
    assert _near(image.pixelColor(x, y), QtGui.QColor("#ffffff"))
    x = int(frame.x(frame.scale.x_mid(dt.date(2014, 10, 12))))  # an ordinary Sunday
    assert _near(image.pixelColor(x, y), DAY_COLORS[DayKind.WEEKEND])
    assert "调休上班" in gantt.tooltip_at(QtCore.QPoint(x - 18, 10))  # header: 10月11日
    assert "法定节假日" in gantt.tooltip_at(
        QtCore.QPoint(int(frame.x(frame.scale.x_mid(dt.date(2014, 10, 3)))), 10)
    )


def test_the_status_line_sits_on_the_status_date(window, gantt):
    gantt.set_zoom(6)
    gantt.show_status_date()
    frame = gantt.frame()
    assert frame.source.plan.on == ON
    x = frame.status_x()
    assert x == pytest.approx(frame.x(frame.scale.x_mid(ON)))
    image = _grab(gantt)
    row = _free_row(gantt, ON)
    color = image.pixelColor(int(x), frame.row_top(row) + ROW_HEIGHT // 2)
    assert _near(color, STATUS_LINE, 30), color.name()
    # Another "today" moves it.
    window.set_today(dt.date(2014, 10, 20))
    assert gantt.frame().source.plan.on == dt.date(2014, 10, 20)


def test_tooltip_tells_task_deadline_due_units_and_progress(window, gantt):
    i = _row_index(gantt, JIEDU)
    gantt.scrollTo(gantt.model().index(i, 1))
    y = gantt.visualRect(gantt.model().index(i, 1)).center().y()
    text = gantt.tooltip_at(QtCore.QPoint(600, y))
    row = gantt.source.rows[i]
    for part in (JIEDU, "8月底前", "2014年8月31日", row.units_text, "最新进展", "红灯"):
        assert part in text, part


def test_painting_and_zooming_read_nothing_from_the_database(window, gantt, monkeypatch):
    calls = []
    db = window.context.db
    original = type(db).raw

    def counting(self):  # type: ignore[no-untyped-def]
        calls.append(1)
        return original(self)

    monkeypatch.setattr(type(db), "raw", counting)
    for level in range(len(ZOOM_LEVELS)):
        gantt.set_zoom(level)
        gantt.viewport().repaint()
    for value in range(0, gantt.verticalScrollBar().maximum() + 1):
        gantt.verticalScrollBar().setValue(value)
        gantt.viewport().repaint()
    assert calls == []


def _pdf_text(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_menu_export_writes_the_rows_the_table_shows(window, qtbot, tmp_path, monkeypatch):
    out = tmp_path / "chart.pdf"
    monkeypatch.setattr(
        QtWidgets.QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), "PDF 文件 (*.pdf)")
    )
    cats = window.tree.model_.category_ids()
    window.tree.select_category(cats[0])
    window.tree.category_selected.emit(cats[0])
    names = [r.name for r in window.model.visible_rows]
    action = next(a for a in window.menu_file.actions() if a.text() == "导出甘特图…")
    action.trigger()
    window.context.jobs.wait()
    qtbot.waitUntil(lambda: "已导出甘特图" in window.statusBar().currentMessage())
    text = _pdf_text(out).replace(" ", "")
    assert JIEDU in text
    assert all(name[:6] in text for name in names)
    assert "行政审批信息公开" not in text  # another category: filtered out as in the table
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True).stdout
    assert "WenQuanYi" in fonts and " yes " in fonts


def test_print_preview_opens_and_paints_pages(window, qtbot, tmp_path):
    action = next(a for a in window.menu_file.actions() if a.text() == "打印甘特图…")
    action.trigger()
    dialog = window.views.pane.preview
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.windowTitle() == "打印甘特图"
    # The same pages, sent to a PDF printer.
    from gxdesk.ui.gantt.export import paint_pages
    from gxdesk.ui.qt import print_support

    ps = print_support()
    printer = dialog._printer
    out = tmp_path / "printed.pdf"
    printer.setOutputFormat(ps.QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(out))
    pages = paint_pages(printer, window.views.pane.chart_source())
    assert pages == 2
    dialog.close()
    assert JIEDU in _pdf_text(out).replace(" ", "")


def test_opened_in_front_before_the_data_it_fits_the_year_once_they_come(
    qtbot, tmp_path, monkeypatch, messages
):
    from gxdesk.ui.app import build_window

    monkeypatch.setenv("GXDESK_HOME", str(tmp_path / "home"))
    _app, win = build_window(seed_copy(tmp_path), ON, remember=False)
    qtbot.addWidget(win)
    win.resize(1600, 1000)
    win.views.show_view("gantt")  # as `gui --view gantt` does, before start()
    assert win.views.pane is None  # built once the window is on screen, not before
    painted = []

    class Painted(QtCore.QObject):
        def eventFilter(self, watched, event):  # type: ignore[no-untyped-def]
            if event.type() == QtCore.QEvent.Type.Paint:
                painted.append(1)
            return False

    watcher = Painted()
    win.table.viewport().installEventFilter(watcher)
    seen = []
    win.views.gantt_built.connect(lambda: seen.append((win.isVisible(), len(painted))))
    with qtbot.waitSignal(win.ready, timeout=20000):
        win.start()
    qtbot.waitUntil(lambda: bool(seen))
    assert seen[0][0] and seen[0][1] > 0  # the table was painted before the chart was built
    view = win.views.pane.view
    assert len(view.source.rows) == 34
    assert _fits_the_year(view)
    win.context.jobs.wait()
    win.context.db.close()


def _remembering_window(qtbot, db: Path):  # type: ignore[no-untyped-def]
    from gxdesk.ui.app import build_window

    _app, win = build_window(db, ON, remember=True)
    qtbot.addWidget(win)
    win.resize(1400, 860)  # the offscreen screen is smaller than the saved geometry
    return win


def test_the_chart_and_its_splitter_survive_a_restart(qtbot, tmp_path, monkeypatch, messages):
    monkeypatch.setenv("GXDESK_HOME", str(tmp_path / "home"))
    db = seed_copy(tmp_path)
    win = _remembering_window(qtbot, db)
    with qtbot.waitSignal(win.ready, timeout=20000):
        win.start()
    assert win.views.pane is None  # hidden on first use: never built
    action = next(a for a in win.menu_view.actions() if a.text() == "显示甘特图")
    assert not action.isChecked()
    action.trigger()
    split = win.views.splitter
    total = sum(split.sizes())
    split.setSizes([total - 300, 300])
    sizes = split.sizes()
    assert sizes[1] == 300
    win.close()
    win.context.db.close()
    settings = (tmp_path / "home").rglob("settings.ini")
    text = "\n".join(path.read_text(encoding="utf-8") for path in settings)
    assert "gantt_shown=true" in text and "gantt_split=" in text

    again = _remembering_window(qtbot, db)
    assert again.views.pane is None  # the window shows first; the chart a turn later
    with qtbot.waitSignal(again.views.gantt_built, timeout=20000):
        again.start()
    qtbot.waitUntil(lambda: again.views.chart_shown and again.views.pane.view.isVisible())
    restored = again.views.splitter.sizes()
    assert all(abs(a - b) <= 4 for a, b in zip(restored, sizes, strict=True)), restored
    qtbot.waitUntil(lambda: again.detail is not None)  # finish() has filled the menus
    shown = next(a for a in again.menu_view.actions() if a.text() == "显示甘特图")
    assert shown.isChecked()
    shown.trigger()  # hidden at the close: hidden, and not built, at the next start
    again.close()
    again.context.jobs.wait()
    again.context.db.close()
    third = _remembering_window(qtbot, db)
    with qtbot.waitSignal(third.ready, timeout=20000):
        third.start()
    qtbot.wait(50)
    assert third.views.pane is None and not third.views.wanted
    third.close()
    third.context.jobs.wait()
    third.context.db.close()


def test_reported_percent_and_a_late_completion_reach_the_bars(window, gantt):
    """Reports written through the store show on the chart after the window's reload."""
    from gxdesk.core.model import Status
    from gxdesk.core.workbook_data import UnitReport
    from gxdesk.store.changes import RELOAD
    from gxdesk.store.progress import ReportInput, add_reports
    from gxdesk.ui.gantt.bars import BarStyle

    db = window.context.db
    by_name = {r.name: r for r in window.model.all_rows}
    audit, budget = by_name["财政预算执行和其它财政收支审计信息公开"], by_name["预算和决算公开"]
    units = {u.name: u.id for u in queries.units(db)}
    found = queries.assignments(db, [audit.id, budget.id])
    assignments = {task_id: views[0].id for task_id, views in found.items()}
    at = dt.datetime(2014, 10, 12, 9, 0)
    with db.transaction() as session:
        add_reports(
            session,
            [
                ReportInput(assignments[audit.id], units["市审计局"],
                            UnitReport(Status.DONE, 100, "已公开", dt.date(2014, 10, 10)),
                            reported_at=at),
                ReportInput(assignments[budget.id], units["市财政局"],
                            UnitReport(Status.IN_PROGRESS, 40, "部门预算已公开"), reported_at=at),
            ],
        )  # fmt: skip
    window.set_today(dt.date(2014, 10, 20))
    window.context.notify(RELOAD)
    rows = {r.id: r for r in gantt.source.rows}
    done = gantt.source.bar(rows[audit.id])
    assert done.style is BarStyle.BAR and done.done and done.percent == 100
    assert done.done_on == dt.date(2014, 10, 10) and done.late_done  # due 9月30日
    going = gantt.source.bar(rows[budget.id])
    assert going.percent == 40 and not going.done
    assert going.expected is not None and 0 < going.expected < 100
    i = next(i for i, r in enumerate(gantt.source.rows) if r.id == budget.id)
    gantt.scrollTo(gantt.model().index(i, 1))
    y = gantt.visualRect(gantt.model().index(i, 1)).center().y()
    tip = gantt.tooltip_at(QtCore.QPoint(600, y))
    assert "已完成 40%" in tip and f"序时进度 {going.expected}%" in tip and "部门预算已公开" in tip


def test_menu_export_as_png_adds_the_suffix_the_filter_chose(window, qtbot, tmp_path, monkeypatch):
    chosen = tmp_path / "chart"
    monkeypatch.setattr(
        QtWidgets.QFileDialog,
        "getSaveFileName",
        lambda *a, **k: (str(chosen), "PNG 图片 (*.png)"),
    )
    window.views.build().export_dialog()
    window.context.jobs.wait()
    qtbot.waitUntil(lambda: "已导出甘特图" in window.statusBar().currentMessage())
    image = QtGui.QImage(str(tmp_path / "chart.png"))
    assert image.width() == 1600
    assert image.height() >= 34 * ROW_HEIGHT  # every row of the table, not one screenful
