"""Undoable edits: each command writes through one ``gxdesk.store.edits`` call.

An edit function returns the values it replaced (``Change.before``); undo calls
the same function with them. The first application happens before the command
is pushed, so an edit the store refuses (``EditError``) never reaches the undo
stack and the clerk sees why.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from gxdesk.store.changes import Change
from gxdesk.store.progress import (
    ReportInput,
    add_reports,
    restore_reports,
    tasks_of_reports,
    withdraw_reports,
)
from gxdesk.ui.qt import QtGui

if TYPE_CHECKING:
    from gxdesk.store.changes import Transaction
    from gxdesk.ui.context import AppContext

EditFunction = Callable[..., Change]


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
        self._applied = False

    def _run(self, step: Callable[[Transaction], Change]) -> Change:
        db = self._context.db
        assert db is not None
        with db.transaction() as session:
            change = step(session)
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
        self._run(self._do)

    def undo(self) -> None:
        self._run(self._undo)


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


def push(context: AppContext, command: StoreCommand) -> Change:
    """Apply ``command`` now and put it on the undo stack; raises if the store refuses."""
    change = command.apply_first()
    context.undo_stack.push(command)
    return change
