"""Plain domain values shared by every layer.

These are frozen dataclasses and enums, never ORM objects: they cross threads and
layers (core → store → ui) safely, and they are what the command line prints.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum


class DeadlineKind(StrEnum):
    FIXED = "fixed"
    CONTINUOUS = "continuous"
    RECURRING = "recurring"
    RELATIVE = "relative"
    PER_EVENT = "per_event"
    NONE = "none"


class Period(StrEnum):
    """The period of a recurring deadline."""

    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


@dataclass(frozen=True)
class DeadlineSpec:
    """A parsed 完成时限 phrase, before any calendar is consulted.

    ``due`` is set for FIXED. ``workdays`` for RELATIVE and PER_EVENT.
    ``period`` for RECURRING. ``needs_review`` marks a phrase the parser did not
    recognise: it is kept verbatim with kind NONE, never guessed.
    """

    text: str
    kind: DeadlineKind
    due: dt.date | None = None
    workdays: int | None = None
    period: Period | None = None
    needs_review: bool = False


class Role(StrEnum):
    """How a unit stands to a task (the verb after the unit names)."""

    LEAD = "lead"  # 牵头
    CO_LEAD = "co_lead"  # 会同 … 牵头: the second and later leads
    COOPERATING = "cooperating"  # 配合
    RESPONSIBLE = "responsible"  # 负责
    IMPLEMENTING = "implementing"  # 落实

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS: dict[Role, str] = {
    Role.LEAD: "牵头",
    Role.CO_LEAD: "会同牵头",
    Role.COOPERATING: "配合",
    Role.RESPONSIBLE: "负责",
    Role.IMPLEMENTING: "落实",
}


@dataclass(frozen=True)
class UnitRef:
    """One unit (or group of units) named in a 责任单位 phrase."""

    name: str
    role: Role
    is_group: bool = False


@dataclass(frozen=True)
class UnitSpec:
    """A parsed 责任单位 phrase (plus an optional separate 配合单位 column)."""

    text: str
    refs: tuple[UnitRef, ...] = ()
    needs_review: bool = False

    @property
    def leads(self) -> list[str]:
        return [r.name for r in self.refs if not r.is_group and r.role != Role.COOPERATING]

    @property
    def cooperating(self) -> list[str]:
        return [r.name for r in self.refs if not r.is_group and r.role == Role.COOPERATING]

    @property
    def groups(self) -> list[str]:
        return [r.name for r in self.refs if r.is_group]


class Status(StrEnum):
    """进展状态 as a unit reports it."""

    NOT_STARTED = "未启动"
    IN_PROGRESS = "推进中"
    DONE = "已完成"
    ONGOING = "长期推进"
    SUSPENDED = "暂缓"


class Light(StrEnum):
    RED = "red"
    YELLOW = "yellow"
    GREEN = "green"

    @property
    def label(self) -> str:
        return {"red": "红灯", "yellow": "黄灯", "green": "绿灯"}[self.value]


# --- what a plan importer hands to the core -----------------------------------


@dataclass(frozen=True)
class Cell:
    """One table cell as read from a plan file.

    ``text`` is normalised (justification spaces and in-cell line breaks
    removed); ``raw`` is exactly what the file held. ``inferred`` is True when
    the file had nothing here because of a vertical merge (or a blank under a
    filled cell in the text export) and the value was filled down.
    """

    text: str
    raw: str = ""
    inferred: bool = False


EMPTY_CELL = Cell("", "", False)


@dataclass(frozen=True)
class RawRow:
    """One task row of a plan table, as the importer found it."""

    category: Cell
    name: Cell
    requirement: Cell
    deadline: Cell
    units: Cell
    cooperating: Cell = EMPTY_CELL
    seq: str = ""
    where: str = ""  # where in the file, for messages: "第12行", "B7"


@dataclass(frozen=True)
class RawPlan:
    """A plan table read from a file, before any phrase is interpreted."""

    title: str
    rows: tuple[RawRow, ...]
    source: str = ""  # "text" | "docx" | "xlsx"
    warnings: tuple[str, ...] = field(default_factory=tuple)
