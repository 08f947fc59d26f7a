"""Undoable edits: each command writes through one ``gxdesk.store.edits`` call.

An edit function returns the values it replaced (``Change.before``); undo calls
the same function with them. The first application happens before the command
is pushed, so an edit the store refuses (``EditError``) never reaches the undo
stack and the clerk sees why.

The file itself may fail under an edit (locked by another program, moved,
replaced, the disk full): the transaction rolls back and the failure becomes a
:class:`DatabaseFailure` (an ``EditError`` with the reason in Chinese), so the
first application is refused like any other. An undo or redo that fails is
taken back: the stack is moved back to where the data is, then the clerk is told.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from gxdesk.store.changes import Change, EditError
from gxdesk.store.errors import describe
from gxdesk.store.progress import (
    ReportInput,
    add_reports,
    restore_reports,
    tasks_of_reports,
    withdraw_reports,
)
from gxdesk.ui.qt import QtCore, QtGui, QtWidgets

if TYPE_CHECKING:
    from gxdesk.store.changes import Transaction
    from gxdesk.ui.context import AppContext

EditFunction = Callable[..., Change]


class DatabaseFailure(EditError):
    """The database file failed under an edit; nothing of the edit was written."""


class StoreCommand(QtGui.QUndoCommand):
    """``do(session)`` / ``undo(session)`` pair, each committed in its own transaction."""

    def __init__(
        self,
        context: AppContext,
        text: str,
        do: Callable[[Transaction], Change],
        undo: Callable[[Transaction], Change],
    ) -> None:
        super().__init__(text)
        self._context = context
        self._do = do
        self._undo = undo
        self._applied = False  # the next redo() is a no-op: the data is already there
        self._undone = False  # the next undo() is a no-op: the data is already without it

    def _run(self, step: Callable[[Transaction], Change]) -> Change:
        db = self._context.db
        assert db is not None
        try:
            with db.transaction() as session:
                change = step(session)
        except Exception as exc:
            line = describe(exc)
            if line is None and not _is_store_refusal(exc):
                raise
            raise DatabaseFailure(line or str(exc)) from exc
        self._context.notify(change)
        return change

    def apply_first(self) -> Change:
        """Apply the edit (raises on refusal); then push with :func:`push`."""
        change = self._run(self._do)
        self._applied = True
        return change

    def redo(self) -> None:
        if self._applied:  # QUndoStack.push calls redo: the edit is already applied
            self._applied = False
            return
        try:
            self._run(self._do)
        except EditError as exc:
            self._undone = True
            self._take_back("无法重做", exc, lambda stack: stack.undo())

    def undo(self) -> None:
        if self._undone:
            self._undone = False
            return
        try:
            self._run(self._undo)
        except EditError as exc:
            self._applied = True
            self._take_back("无法撤销", exc, lambda stack: stack.redo())

    def _take_back(
        self, title: str, exc: Exception, move: Callable[[QtGui.QUndoStack], None]
    ) -> None:
        """After the stack has moved (it does so once this returns), move it back
        without touching the data, and say why."""
        stack = self._context.undo_stack
        window = self._context.window

        def later() -> None:
            move(stack)
            QtWidgets.QMessageBox.warning(window, title, str(exc))

        QtCore.QTimer.singleShot(0, stack, later)


class SymmetricCommand(StoreCommand):
    """An edit ``fn(session, *target, value)`` that ``fn(session, *target, before)`` reverts."""

    def __init__(
        self, context: AppContext, text: str, fn: EditFunction, target: Sequence[Any], value: Any
    ) -> None:
        self._before: Any = None

        def do(session: Transaction) -> Change:
            change = fn(session, *target, value)
            self._before = change.before
            return change

        def undo(session: Transaction) -> Change:
            return fn(session, *target, self._before)

        super().__init__(context, text, do, undo)


class AddReportsCommand(StoreCommand):
    """Add progress reports; undo withdraws them, redo restores them (history is kept)."""

    def __init__(self, context: AppContext, text: str, reports: Sequence[ReportInput]) -> None:
        self.progress_ids: list[int] = []

        def do(session: Transaction) -> Change:
            if self.progress_ids:
                return Change(tasks=frozenset(restore_reports(session, self.progress_ids)))
            self.progress_ids = add_reports(session, reports)
            return Change(tasks=frozenset(tasks_of_reports(session, self.progress_ids)))

        def undo(session: Transaction) -> Change:
            return Change(tasks=frozenset(withdraw_reports(session, self.progress_ids)))

        super().__init__(context, text, do, undo)


def _is_store_refusal(exc: BaseException) -> bool:
    from gxdesk.store.database import DatabaseError

    return isinstance(exc, DatabaseError)


def push(context: AppContext, command: StoreCommand) -> Change:
    """Apply ``command`` now and put it on the undo stack; raises if the store refuses."""
    change = command.apply_first()
    context.undo_stack.push(command)
    return change
