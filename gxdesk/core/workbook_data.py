"""What a unit's progress workbook holds, as plain data.

The writer (``gxdesk.exchange.unit_workbook``) turns a :class:`UnitSheet` into a
file; the reader (``gxdesk.exchange.workbook_reader``) turns a returned file into
a :class:`ReturnedWorkbook`; the merge engine (``gxdesk.store.merge``) decides
what each returned row means. Keeping the shapes here lets ``store`` and
``exchange`` agree without importing each other.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from gxdesk.core.model import Light, Status
from gxdesk.core.values import Unreadable

FORMAT = "gxdesk-unit-workbook"
FORMAT_VERSION = 1

# (field, header) in sheet order. The lead office's columns first, then the light,
# then the unit's columns, then the row key.
LEAD_COLUMNS: tuple[tuple[str, str], ...] = (
    ("seq", "序号"),
    ("category", "类别"),
    ("name", "工作任务"),
    ("requirement", "工作要求"),
    ("deadline", "完成时限"),
    ("role", "责任分工"),
)
LIGHT_COLUMN = ("light", "预警")
UNIT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("status", "进展状态"),
    ("percent", "完成进度%"),
    ("text", "进展情况"),
    ("done_on", "完成时间"),
    ("evidence", "佐证材料"),
    ("problems", "存在问题"),
    ("contact", "联系人"),
    ("phone", "联系电话"),
)
KEY_COLUMN = ("key", "任务编号")
ALL_COLUMNS = (*LEAD_COLUMNS, LIGHT_COLUMN, *UNIT_COLUMNS, KEY_COLUMN)
TEXT_FIELDS = ("text", "evidence", "problems", "contact", "phone")

_SPACE = re.compile(r"\s+")


def header_key(text: object) -> str:
    """A header cell reduced for matching: no spaces, no ％/% variants, no 注 marks."""
    s = _SPACE.sub("", str(text or "")).replace("％", "%").replace("（", "(").replace("）", ")")
    return s


HEADER_FIELDS: dict[str, str] = {header_key(h): f for f, h in ALL_COLUMNS}
HEADER_FIELDS.update(
    {
        "完成进度": "percent",
        "完成进度(%)": "percent",
        "进度": "percent",
        "状态": "status",
        "进展": "text",
        "完成时限(日期)": "deadline",
        "责任单位": "role",
        "电话": "phone",
        "编号": "key",
    }
)


def task_key(task_id: int) -> str:
    """The visible row key of a task (column 任务编号)."""
    return f"T{task_id}"


_TASK_KEY = re.compile(r"\s*[Tt]\s*(\d{1,12})\s*")


def parse_task_key(text: object) -> int | None:
    """``T123`` (spaces, a lower-case ``t`` or full-width digits allowed) → 123.

    The key exactly as exported (``T`` and ASCII digits) is read without the
    regular expression: every returned row has one.
    """
    if type(text) is str and text[:1] == "T" and 1 < len(text) <= 13:
        digits = text[1:]
        if digits.isascii() and digits.isdigit():
            return int(digits)
    m = _TASK_KEY.fullmatch(str(text or ""))
    return int(m.group(1)) if m else None


def _digest(values: Iterable[str]) -> str:
    # empty cells are common (and need no splitting)
    joined = "\x1f".join(["".join(v.split()) if v else v for v in values])
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:16]


def lead_hash(values: Iterable[str]) -> str:
    """Hash of the lead office's columns of one row (layout whitespace ignored)."""
    return _digest(values)


def unit_hash(values: Iterable[str]) -> str:
    """Hash of the unit's columns as they went out (the pre-filled report)."""
    return _digest(values)


# --- the unit's report ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class UnitReport:
    """What a unit reports on a task: its eight columns, in :data:`UNIT_COLUMNS` order.

    One shape for the latest report pre-filled into an export, a returned row as
    the merge reads it, a report being written and a unit's own copy being filled
    in, so all of them compare and hash alike. ``status``, ``percent`` and
    ``done_on`` hold an :class:`Unreadable` only in a unit's own copy: what the
    clerk typed in Excel and the readers cannot read, shown and written back as
    the text it was. The merge and the database never hold one.
    """

    status: Status | Unreadable | None = None
    percent: int | Unreadable | None = None
    text: str = ""
    done_on: dt.date | Unreadable | None = None
    evidence: str = ""
    problems: str = ""
    contact: str = ""
    phone: str = ""

    def is_readable(self) -> bool:
        """Whether no cell holds an :class:`Unreadable` (only then is there text to hash)."""
        return not (
            type(self.status) is Unreadable
            or type(self.percent) is Unreadable
            or type(self.done_on) is Unreadable
        )

    def as_text(self) -> tuple[str, ...]:
        """The columns as comparable text: what the pre-fill hash is taken of.

        The exported files carry this hash; a change here makes every workbook
        already sent out look edited.
        """
        if not self.is_readable():
            raise ValueError("an unreadable value has no text to compare")
        status, percent, done_on = self.status, self.percent, self.done_on
        return (
            status.value if isinstance(status, Status) else "",
            "" if percent is None else str(percent),
            self.text,
            done_on.isoformat() if isinstance(done_on, dt.date) else "",
            self.evidence,
            self.problems,
            self.contact,
            self.phone,
        )

    def is_empty(self) -> bool:
        """Nothing filled in (an untouched row of a task never reported on)."""
        return self.is_readable() and not any(self.as_text())

    def cells(self) -> tuple[object, ...]:
        """The eight cells as the workbook is written (50% → 0.5; unreadable → its text)."""
        status: object = self.status
        percent: object = self.percent
        done_on: object = self.done_on
        if isinstance(status, Unreadable):
            status = status.raw
        elif isinstance(status, Status):
            status = status.value
        if isinstance(percent, Unreadable):
            percent = percent.raw
        elif isinstance(percent, int):
            percent = percent / 100
        if isinstance(done_on, Unreadable):
            done_on = done_on.raw
        return (
            status,
            percent,
            self.text or None,
            done_on,
            self.evidence or None,
            self.problems or None,
            self.contact or None,
            self.phone or None,
        )


# --- out --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SheetRow:
    """One task of a unit's workbook, with the unit's latest report pre-filled."""

    task_id: int
    assignment_id: int
    task_version: int
    assignment_version: int
    seq: str
    category: str
    name: str
    requirement: str
    deadline: str
    role: str
    light: Light
    report: UnitReport = UnitReport()

    def lead_values(self) -> tuple[str, ...]:
        return (self.seq, self.category, self.name, self.requirement, self.deadline, self.role)


@dataclass(frozen=True, slots=True)
class ExportMeta:
    """The identifying data a workbook carries (hidden sheet and document properties)."""

    plan_id: int
    plan_revision: int
    plan_year: int
    unit_id: int
    unit_name: str
    export_id: str
    exported_at: dt.datetime


class RowKey(NamedTuple):
    """Per-row hidden data: which assignment, at which version, and the hashes.

    A named tuple, not a dataclass: a merge reads one per returned row and a
    tuple is built in a third of the time.
    """

    task_id: int
    assignment_id: int
    task_version: int
    assignment_version: int
    lead_hash: str
    unit_hash: str


@dataclass(frozen=True)
class UnitSheet:
    """Everything one unit's workbook shows."""

    meta: ExportMeta
    plan_title: str
    on: dt.date
    rows: tuple[SheetRow, ...]
    lead_office: str = "政府办公室（政务公开办）"


# --- in ---------------------------------------------------------------------------


UNIT_FIELDS: tuple[str, ...] = tuple(f for f, _ in UNIT_COLUMNS)


# --- Excel's cell limit ---------------------------------------------------------------

CELL_LIMIT = 32_767  # characters Excel holds in one cell; a longer one it cannot open


def too_long_reason(text: str) -> str:
    """Why a returned cell of ``text`` is refused (read only when it is over the limit)."""
    return f"有 {len(text):,} 字，超过 Excel 单元格 {CELL_LIMIT:,} 字的上限"


def long_text_cells(values: UnitReport) -> list[tuple[str, str]]:
    """(field, reason) of each text column of ``values`` over Excel's cell limit.

    Such a cell was written by something other than Excel, or Excel could not
    open the file: taking it would put it into every workbook written later.
    """
    return [
        (name, too_long_reason(text))
        for name in TEXT_FIELDS
        if len(text := getattr(values, name)) > CELL_LIMIT
    ]


def fit_cell(text: str) -> str:
    """``text`` as a workbook cell may hold it: cut to Excel's limit, saying so."""
    if len(text) <= CELL_LIMIT:
        return text
    note = "……（另有 {:,} 字超出 Excel 单元格上限，未写入）"
    kept = CELL_LIMIT - len(note.format(len(text)))  # the longest the note can be
    return text[:kept] + note.format(len(text) - kept)


class ReturnedRow(NamedTuple):
    """One non-empty data row of a returned workbook, values as the reader found them.

    ``values`` holds the unit's columns in :data:`UNIT_FIELDS` order, as the
    spreadsheet held them (str, float, date, …; None for an empty cell or a
    missing column); ``letters`` the column letter of each (``""`` when the
    column is missing), shared by all rows of a sheet. ``lead`` is the lead
    office's columns as text, in LEAD_COLUMNS order. Cell addresses are made
    only when asked for (:meth:`where`, :attr:`cells`): most rows never need one.
    A named tuple (like :class:`RowKey`): one is built for every returned row.
    """

    row: int  # 1-based sheet row
    key: str
    task_id: int | None
    lead: tuple[str, ...]
    values: tuple[object, ...] = (None,) * len(UNIT_FIELDS)
    letters: tuple[str, ...] = ("",) * len(UNIT_FIELDS)

    def where(self, index: int) -> str:
        """The address of unit column ``index`` (``"K12"``), or ``""`` if it is missing."""
        letter = self.letters[index]
        return f"{letter}{self.row}" if letter else ""

    @property
    def cells(self) -> dict[str, tuple[object, str]]:
        """field → (value, cell address) for the unit's columns present in the sheet."""
        return {
            f: (v, f"{c}{self.row}")
            for f, v, c in zip(UNIT_FIELDS, self.values, self.letters, strict=True)
            if c
        }


@dataclass(frozen=True)
class ReturnedWorkbook:
    """A returned file after reading: identity (if any survived) and rows."""

    file_name: str
    sha256: str
    sheet: str
    meta: ExportMeta | None
    meta_source: str  # "sheet", "properties" or "" (lost)
    keys: dict[int, RowKey]
    rows: tuple[ReturnedRow, ...]
    missing_columns: tuple[str, ...] = ()
    unit_hint: str = ""  # a unit name seen in the title or file name (fallback only)
    warnings: tuple[str, ...] = ()
    saved_at: dt.datetime | None = None  # when the unit saved it (its own clock, UTC)
