"""What an edit changed, and the edits' own values: plain dataclasses, no database.

Kept apart from :mod:`gxdesk.store.edits` (which needs SQLAlchemy) so that the
window can show the data, and every view can listen for changes, before the ORM
is imported: the ORM is needed only when something is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any, TypeAlias

from gxdesk.core.model import UnitRef

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    # What a store edit runs in. The window only passes it on to store functions
    # (``StoreCommand``), never queries it, so it names the type from here.
    Transaction: TypeAlias = Session


class EditError(ValueError):
    """An edit that cannot be made; the message is for the clerk."""


@dataclass(frozen=True)
class Change:
    """What an edit (or an import, a merge, an undo) changed.

    ``tasks``: ids of tasks whose row must be re-read. ``categories``: the
    category list changed (the tree reloads). ``units``: units or groups
    changed. ``plan``: plan-level fields (issue date) changed, so due dates may
    move. ``reload``: everything must be re-read (another database, a new plan,
    another "today"). ``before``: the replaced values, for undo.
    """

    tasks: frozenset[int] = frozenset()
    categories: bool = False
    units: bool = False
    plan: bool = False
    reload: bool = False
    before: Any = field(default=None, compare=False)

    @property
    def lists_reload(self) -> bool:
        """True when whole lists, not single rows, must be re-read."""
        return self.reload or self.plan or self.categories or self.units

    def __or__(self, other: Change) -> Change:
        return Change(
            self.tasks | other.tasks,
            self.categories or other.categories,
            self.units or other.units,
            self.plan or other.plan,
            self.reload or other.reload,
        )


RELOAD = Change(reload=True)


@dataclass(frozen=True)
class TaskEdit:
    """New values of some of a task's fields (None = leave as it is).

    ``deadline_text`` is re-parsed for the plan's year; ``*_inferred=False``
    confirms a value filled in from a merged cell.
    """

    name: str | None = None
    requirement: str | None = None
    deadline_text: str | None = None
    deadline_inferred: bool | None = None
    units_inferred: bool | None = None

    def given(self) -> dict[str, Any]:
        return {
            f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name) is not None
        }


@dataclass(frozen=True)
class UnitsEdit:
    """A task's units with roles, and the phrase flags that go with them."""

    refs: tuple[UnitRef, ...]
    text: str | None = None  # None: rendered from refs
    inferred: bool = False
    review: bool | None = None  # None: from parsing the text


@dataclass(frozen=True)
class UnitEdit:
    """A unit's own record (name, short name, contact, phone)."""

    name: str
    short_name: str = ""
    contact: str = ""
    phone: str = ""
