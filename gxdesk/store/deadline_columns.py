"""A :class:`DeadlineSpec` as the task table's columns, and back: once each way.

The plan import (:mod:`gxdesk.store.plans`, raw ``executemany``), a task edit
(:mod:`gxdesk.store.edits`, the ORM) and the task list (:mod:`gxdesk.store.queries`,
raw SQL) all go through here, so a new deadline field is added in one place.
"""

from __future__ import annotations

import datetime as dt

from gxdesk.core.model import DeadlineKind, DeadlineSpec, Period

# the task table's columns of a spec, in the order of deadline_row / spec_from_row
DEADLINE_COLUMNS = (
    "deadline_text",
    "deadline_kind",
    "deadline_due",
    "deadline_workdays",
    "deadline_period",
    "deadline_review",
)
# the same columns for a SELECT on the task table aliased ``t``
DEADLINE_SELECT = ", ".join(f"t.{c}" for c in DEADLINE_COLUMNS)

_KINDS = {k.value: k for k in DeadlineKind}
_PERIODS = {p.value: p for p in Period}

_DeadlineRow = tuple[str, str, "str | None", "int | None", "str | None", bool]


def deadline_row(spec: DeadlineSpec) -> _DeadlineRow:
    """The spec's column values in SQLite's text forms (for raw ``executemany``)."""
    return (
        spec.text,
        spec.kind.value,
        spec.due.isoformat() if spec.due else None,
        spec.workdays,
        spec.period.value if spec.period else None,
        spec.needs_review,
    )


def deadline_values(spec: DeadlineSpec) -> dict[str, object]:
    """The spec's column values as the ORM takes them (a date stays a date)."""
    values: dict[str, object] = dict(zip(DEADLINE_COLUMNS, deadline_row(spec), strict=True))
    values["deadline_due"] = spec.due
    return values


def spec_from_row(
    text: str,
    kind: str | None,
    due: str | None,
    workdays: int | None,
    period: str | None,
    review: object = False,
) -> DeadlineSpec:
    """The spec read back from :data:`DEADLINE_COLUMNS` (an unknown kind reads as none)."""
    return DeadlineSpec(
        text,
        _KINDS.get(kind or "", DeadlineKind.NONE),
        dt.date.fromisoformat(due[:10]) if due else None,
        workdays,
        _PERIODS.get(period) if period else None,
        bool(review),
    )
