"""At 1280×720 the task table gives 工作任务 the width empty columns do not need."""

from __future__ import annotations

import pytest
from ui_helpers import OFFSCREEN_NOISE, ON, seed_copy

from gxdesk.ui.column_fit import MIN_CUT, Want, share_widths
from gxdesk.ui.main_window import INFERRED_LEGEND
from gxdesk.ui.task_model import Column

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)


def test_everything_desired_when_it_fits():
    wants = {0: Want(40, 40), 1: Want(56, 300), 2: Want(56, 100)}
    assert share_widths(1000, wants) == {0: 40, 1: 300, 2: 100}


def test_the_excess_is_taken_in_proportion_to_what_each_asked_beyond_its_least():
    wants = {0: Want(40, 40), 1: Want(56, 356), 2: Want(56, 156)}  # 300 and 100 to give
    widths = share_widths(396, wants)  # 156 too many
    assert widths[0] == 40
    assert widths[1] == 356 - 117 and widths[2] == 156 - 39
    assert sum(widths.values()) <= 396


def test_nothing_goes_below_its_least():
    wants = {0: Want(40, 40), 1: Want(56, 300)}
    assert share_widths(10, wants) == {0: 40, 1: 56}


@pytest.fixture
def window(qtbot, tmp_path, monkeypatch, messages):
    from gxdesk.ui.app import build_window
    from gxdesk.ui.main_window import splitter_sizes

    monkeypatch.setenv("GXDESK_HOME", str(tmp_path / "home"))
    _app, win = build_window(seed_copy(tmp_path), ON, remember=False)
    qtbot.addWidget(win)
    win.resize(1280, 720)
    win.splitter.setSizes(splitter_sizes(1280))
    with qtbot.waitSignal(win.ready, timeout=20000):
        win.start()
    qtbot.waitUntil(lambda: win.table.viewport().width() > 300)
    win.column_fit.fit()
    yield win
    win.context.jobs.wait()
    win.context.db.close()


def test_at_1280_the_task_name_gets_the_room_of_the_empty_columns(window):
    table = window.table
    name = table.columnWidth(Column.NAME)
    latest = table.columnWidth(Column.LATEST)
    reported = table.columnWidth(Column.REPORTED)
    assert latest <= 80 and reported <= 80  # no report in the seed: header width at most
    assert name >= 2 * max(latest, reported)
    assert name >= 200  # it was 112 with fixed widths
    for col in (Column.DUE, Column.STATUS, Column.LIGHT):  # dates and lights are never cut
        assert table.columnWidth(col) >= table.sizeHintForColumn(col)
    assert min(table.columnWidth(c) for c in Column) >= min(MIN_CUT, 38)


def test_a_column_the_clerk_dragged_keeps_its_width(window):
    window.table.setColumnWidth(Column.LATEST, 150)
    window.column_fit.fit()
    window.resize(1400, 760)
    window.column_fit.fit()
    assert window.table.columnWidth(Column.LATEST) == 150


def test_the_orange_italic_is_explained_on_screen(window):
    legend = window.inferred_legend
    assert legend.isVisible()
    assert "橙色斜体" in legend.text() and "推断" in legend.text()
    assert legend.text() == INFERRED_LEGEND


def test_fitting_reads_the_rows_on_screen_only(window):
    """Qt's default measured 1,000 rows of every column on every resize of the table —
    each move of the splitter beside the Gantt chart; the fit measures what shows."""
    table, model = window.table, window.model
    seed = model.all_rows
    rows = [seed[i % len(seed)]._replace(id=100_000 + i) for i in range(3000)]
    far = 500  # well below the screen, within Qt's default 1,000
    rows[far] = rows[far]._replace(deadline_text="文件下发后二十个工作日内完成" * 2)
    model.set_rows(rows)
    window.column_fit.fit()
    width = table.columnWidth(Column.DEADLINE)
    assert table.rowAt(table.viewport().height() - 1) < far
    table.scrollTo(model.index(far, Column.DEADLINE))
    window.column_fit.fit()
    assert table.columnWidth(Column.DEADLINE) > width  # measured once it is on screen
