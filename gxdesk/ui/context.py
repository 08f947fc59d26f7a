"""What the window's features share: the open database, the plan, "today", jobs.

The main window builds one :class:`AppContext` and hands it to every feature
(the tree, the table, the detail pane, the Excel exchange actions of
``gxdesk.ui.exchange_actions``). Features never call each other to refresh:
after a data change, whoever made it calls :meth:`AppContext.notify` with a
:class:`gxdesk.store.changes.Change`, and each view refreshes itself from the
``changed`` signal.

A feature module such as the Excel exchange (``install(window, context)``) gets:

- ``context.db`` — the open :class:`gxdesk.store.database.Database` (it is
  replaced when the clerk opens another file: read it each time, do not keep it);
- ``context.plan_id`` — the id of the plan on screen, or None for an empty file
  (``context.plan`` is its :class:`gxdesk.core.views.PlanInfo`);
- ``context.calendar`` — the working-day calendar of the open database
  (re-read by ``notify`` for a ``RELOAD`` or plan change, e.g. after the clerk
  entered a year in 设置 → 工作日历…);
- ``context.on`` — the evaluation date ("today", settable by the clerk);
- ``context.preferences`` — :class:`gxdesk.ui.settings.Preferences`
  (``yellow_workdays``, ``default_unit``, ``data_folder``);
- ``context.changed`` — a signal, emitted once per data change with a
  ``Change``; call ``context.notify(change)`` after writing (e.g. after a merge:
  ``Change(tasks=frozenset(ids))`` or ``RELOAD``);
- ``context.run_job(title, work, done, failed=None)`` — runs ``work(control)``
  on a worker thread; a cancellable progress dialog appears if it takes more
  than ~600 ms. ``work`` receives a :class:`gxdesk.ui.jobs.JobControl`: call
  ``control.progress(done, total, text)`` and ``control.check()`` (raises
  :class:`gxdesk.ui.jobs.JobCancelled` once the clerk pressed 取消) — check
  last right before committing, inside the transaction, so a cancel rolls
  back. Pass only paths, ids and plain dataclasses in and out, never ORM
  objects or widgets. ``done(result)`` / ``failed(exc)`` run on the GUI thread;
  a cancelled job calls neither and shows nothing;
- ``context.undo_stack`` — the window's ``QUndoStack`` (push a
  ``gxdesk.ui.commands.StoreCommand`` to make a merge undoable);
- ``context.window`` — the main window: the parent for dialogs; its
  ``menu_file`` is the 文件 menu (add actions there), ``status_message(text)``
  shows a line in the status bar.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from gxdesk.ui.qt import QtCore, QtGui, Signal

if TYPE_CHECKING:
    from gxdesk.core.views import PlanInfo
    from gxdesk.core.workdays import WorkdayCalendar
    from gxdesk.store.changes import Change
    from gxdesk.store.database import Database
    from gxdesk.ui.jobs import Job, JobControl, JobRunner
    from gxdesk.ui.settings import Preferences
    from gxdesk.ui.shell import WindowShell


class AppContext(QtCore.QObject):
    """The shared state of one main window (not a registry: only what all features need)."""

    changed = Signal(object)  # a gxdesk.store.changes.Change, once per data change

    def __init__(
        self,
        db: Database | None,
        *,
        on: dt.date,
        preferences: Preferences,
        jobs: JobRunner | None = None,
        parent: QtCore.QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.plan: PlanInfo | None = None  # the plan on screen (title, year, issue date)
        self._calendar: WorkdayCalendar | None = None  # read with the plan, by reload_plan()
        self.on = on
        self.preferences = preferences
        self._jobs = jobs  # made on first use: nothing runs off the GUI thread before show
        self.undo_stack = QtGui.QUndoStack(self)
        self.window: WindowShell | None = None
        # on a server, the unit whose account is logged in (it may only report for it)
        self.account_unit: str | None = None

    @property
    def jobs(self) -> JobRunner:
        """Runs work off the GUI thread (:mod:`gxdesk.ui.jobs`); one per window."""
        if self._jobs is None:
            from gxdesk.ui.jobs import JobRunner

            self._jobs = JobRunner()
        return self._jobs

    @jobs.setter
    def jobs(self, runner: JobRunner) -> None:
        self._jobs = runner

    @property
    def plan_id(self) -> int | None:
        return self.plan.id if self.plan else None

    @property
    def calendar(self) -> WorkdayCalendar:
        """The working-day calendar of the open database (the built-in one until loaded)."""
        if self._calendar is None:
            from gxdesk.core.workdays import WorkdayCalendar

            self._calendar = WorkdayCalendar()
        return self._calendar

    def reload_plan(self) -> None:
        """Re-read the plan on screen and the working-day calendar from the database."""
        from gxdesk.store import queries

        if self.db is None:
            self.plan = None
            return
        wanted = self.plan_id
        found = {p.id: p for p in queries.plans(self.db)}
        self.plan = found.get(wanted) if wanted in found else queries.current_plan(self.db)
        self._calendar = queries.load_calendar(self.db)

    def notify(self, change: Change) -> None:
        """Tell every view that data changed (call once, after the transaction committed).

        For a change of the plan or of everything (another file, the working-day
        calendar, "today"), the plan and the calendar are re-read first, so that
        every view's slot sees the new ones whatever the order of the slots.
        """
        if change.reload or change.plan:
            self.reload_plan()
        self.changed.emit(change)

    def run_job(
        self,
        title: str,
        work: Callable[[JobControl], Any],
        done: Callable[[Any], object],
        failed: Callable[[BaseException], None] | None = None,
    ) -> Job:
        """Run ``work`` off the GUI thread with a delayed, cancellable progress dialog."""
        return self.jobs.start(title, work, done, failed, parent=self.window)
