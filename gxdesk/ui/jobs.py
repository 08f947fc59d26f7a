"""Work off the GUI thread: a cancel flag, a progress report, a delayed dialog.

As in Anki's progress manager: the worker never touches a widget. The GUI
thread polls the job with a timer, shows a progress dialog only if the job runs
longer than ~600 ms (short jobs flash nothing), and cancels through a flag the
worker checks. Only plain values cross threads.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from gxdesk.core.cancel import JobCancelled
from gxdesk.ui.qt import Qt, QtCore, QtWidgets

__all__ = ["Job", "JobCancelled", "JobControl", "JobRunner"]

DIALOG_DELAY_MS = 600
POLL_MS = 50


class JobControl:
    """What the worker sees: whether to stop, and where to report progress."""

    def __init__(self) -> None:
        self._cancel = threading.Event()
        self._lock = threading.Lock()
        self._progress: tuple[int, int, str] = (0, 0, "")

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def cancel(self) -> None:
        self._cancel.set()

    def check(self) -> None:
        if self._cancel.is_set():
            raise JobCancelled

    def progress(self, done: int, total: int = 0, text: str = "") -> None:
        """Report progress (``total`` 0 = unknown) and stop here if cancelled."""
        with self._lock:
            self._progress = (done, total, text)
        self.check()

    def snapshot(self) -> tuple[int, int, str]:
        with self._lock:
            return self._progress


_PENDING = object()


class Job(QtCore.QObject):
    """One running job, owned by the GUI thread."""

    finished = QtCore.Signal()  # after done/failed ran, or after a cancel

    def __init__(
        self,
        title: str,
        work: Callable[[JobControl], Any],
        done: Callable[[Any], object],
        failed: Callable[[BaseException], None] | None,
        parent_widget: QtWidgets.QWidget | None,
    ) -> None:
        super().__init__()
        self.title = title
        self.control = JobControl()
        self._work = work
        self._done = done
        self._failed = failed
        self._parent_widget = parent_widget
        self._result: Any = _PENDING
        self._error: BaseException | None = None
        self._finished = threading.Event()
        self.dialog: QtWidgets.QProgressDialog | None = None
        self.outcome = ""  # "done" | "failed" | "cancelled" once finished
        self._timer = QtCore.QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._poll)
        self._delay = QtCore.QTimer(self)
        self._delay.setSingleShot(True)
        self._delay.setInterval(DIALOG_DELAY_MS)
        self._delay.timeout.connect(self._show_dialog)

    # worker thread -----------------------------------------------------------
    def run_in_worker(self) -> None:
        try:
            self._result = self._work(self.control)
        except BaseException as exc:  # noqa: BLE001 - handed to the GUI thread
            self._error = exc
        finally:
            self._finished.set()

    # GUI thread --------------------------------------------------------------
    def start_polling(self) -> None:
        self._timer.start()
        self._delay.start()

    def cancel(self) -> None:
        self.control.cancel()

    @property
    def is_finished(self) -> bool:
        return bool(self.outcome)

    def _show_dialog(self) -> None:
        if self._finished.is_set() or self.dialog is not None:
            return
        dialog = QtWidgets.QProgressDialog(self.title, "取消", 0, 0, self._parent_widget)
        dialog.setWindowTitle(self.title)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.canceled.connect(self.cancel)
        self.dialog = dialog
        dialog.show()
        self._update_dialog()

    def _update_dialog(self) -> None:
        if self.dialog is None:
            return
        done, total, text = self.control.snapshot()
        if self.control.cancelled:
            self.dialog.setLabelText("正在取消…")
            return
        self.dialog.setMaximum(max(total, 0))
        if total:
            self.dialog.setValue(min(done, total))
        if text:
            self.dialog.setLabelText(text)

    def _poll(self) -> None:
        if not self._finished.is_set():
            self._update_dialog()
            return
        self._timer.stop()
        self._delay.stop()
        if self.dialog is not None:
            self.dialog.canceled.disconnect(self.cancel)
            self.dialog.close()
            self.dialog.deleteLater()
            self.dialog = None
        if isinstance(self._error, JobCancelled) or (
            self._error is None and self.control.cancelled and self._result is _PENDING
        ):
            self.outcome = "cancelled"
        elif self._error is not None:
            self.outcome = "failed"
            if self._failed is not None:
                self._failed(self._error)
            else:
                raise self._error
        else:
            self.outcome = "done"
            self._done(self._result)
        self.finished.emit()


class _Runnable(QtCore.QRunnable):
    def __init__(self, job: Job) -> None:
        super().__init__()
        self._job = job

    def run(self) -> None:
        self._job.run_in_worker()


class JobRunner:
    """Starts jobs on a thread pool; ``synchronous=True`` runs them inline (tests)."""

    def __init__(self, *, synchronous: bool = False) -> None:
        self.synchronous = synchronous
        self.pool = QtCore.QThreadPool()
        self.pool.setMaxThreadCount(2)
        self.active: list[Job] = []

    def start(
        self,
        title: str,
        work: Callable[[JobControl], Any],
        done: Callable[[Any], object],
        failed: Callable[[BaseException], None] | None = None,
        *,
        parent: QtWidgets.QWidget | None = None,
    ) -> Job:
        job = Job(title, work, done, failed, parent)
        self.active.append(job)
        job.finished.connect(lambda: self.active.remove(job))
        if self.synchronous:
            job.run_in_worker()
            job._poll()
        else:
            job.start_polling()
            self.pool.start(_Runnable(job))
        return job

    def wait(self, msecs: int = 30000) -> bool:
        """Block until every worker thread is idle (for shutdown and tests)."""
        return self.pool.waitForDone(msecs)
