"""gxdesk.ops.plan_import: the one plan import the command line and the window share."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from ui_helpers import OFFSCREEN_NOISE, SEED_TEXT

from gxdesk.core.cancel import JobCancelled
from gxdesk.ops.plan_import import import_plan
from gxdesk.store import queries
from gxdesk.store.database import open_database

ISSUED = dt.date(2014, 9, 26)


def test_import_sets_the_issue_date_and_reports_each_step(tmp_path: Path) -> None:
    db = open_database(tmp_path / "gx.sqlite")
    steps: list[tuple[int, int, str]] = []
    try:
        result = import_plan(db, SEED_TEXT, issued=ISSUED, step=lambda *s: steps.append(s))
        plan = queries.current_plan(db)
        assert plan is not None and plan.id == result.plan_id and plan.issued_on == ISSUED
        assert result.tasks == 34 and "34 项任务" in result.summary()
        assert [s[0] for s in steps] == [0, 1, 2, 3] and all(s[1] == 3 for s in steps)
        # relative deadlines count from the issue date: none lacks its date for that reason
        rows = queries.list_tasks(db, plan.id, on=ISSUED)
        assert not [r for r in rows if r.due_note and r.missing_year is None]
    finally:
        db.close()


def test_a_cancel_inside_the_write_leaves_the_database_byte_identical(tmp_path: Path) -> None:
    path = tmp_path / "gx.sqlite"
    db = open_database(path)
    db.close()
    before = path.read_bytes()
    db = open_database(path)
    try:
        with pytest.raises(JobCancelled):
            import_plan(db, SEED_TEXT, year=2014, cancelled=lambda: True)
        assert queries.current_plan(db) is None
    finally:
        db.close()
    assert path.read_bytes() == before


@pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)
def test_the_window_imports_with_an_issue_date(
    qtbot, tmp_path: Path, monkeypatch, messages
) -> None:  # type: ignore[no-untyped-def]
    """The window's import goes through the same workflow and can set the issue date."""
    from ui_helpers import ON, seed_copy

    from gxdesk.ui.app import build_window

    monkeypatch.setenv("GXDESK_HOME", str(tmp_path / "home"))
    _app, win = build_window(seed_copy(tmp_path), ON, remember=False)
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.ready, timeout=20000):
        win.start()
    try:
        job = win.file_actions.start_import(SEED_TEXT, issued=dt.date(2014, 10, 8))
        assert job is not None
        qtbot.waitUntil(lambda: job.is_finished, timeout=20000)
        assert job.outcome == "done"
        assert win.context.plan is not None and win.context.plan.id == 2
        assert win.context.plan.issued_on == dt.date(2014, 10, 8)
    finally:
        win.context.jobs.wait()
        win.context.db.close()
