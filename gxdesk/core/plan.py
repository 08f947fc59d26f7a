"""From a table read off a file to a plan the store can hold.

Importers (``gxdesk.exchange``) only read cells; this module interprets them:
category numbering, the plan year, deadline and unit phrases. Nothing here
touches a file or the database.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from gxdesk.core.deadlines import parse_deadline
from gxdesk.core.model import Cell, DeadlineSpec, RawPlan, UnitSpec
from gxdesk.core.numerals import parse_chinese_number
from gxdesk.core.text import fold_width
from gxdesk.core.units import parse_units


class PlanError(ValueError):
    """The table cannot become a plan; the message is for the clerk."""


class PlanYearUnknown(PlanError):
    def __init__(self) -> None:
        super().__init__("无法从标题确定计划年度，请指定年度（--year）")


class PlanAlreadyImported(PlanError):
    """The database already holds a plan of this title and year; nothing was written.

    Importing it again would add a second copy and make it current: task ids
    change and every report seems gone. The caller says how to do it on purpose
    (``--as-new`` on the command line, a question in the window).
    """

    def __init__(self, plan_id: int, title: str, year: int, imported: str, source: str) -> None:
        self.plan_id, self.title, self.year = plan_id, title, year
        where = f"，来自 {source}" if source else ""
        super().__init__(
            f"数据库中已有这份计划：#{plan_id}《{title}》（{year} 年，导入于 {imported}{where}），"
            "未再导入"
        )


@dataclass(frozen=True, slots=True)
class CategoryDraft:
    seq: int
    title: str
    title_raw: str


@dataclass(frozen=True, slots=True)
class TaskDraft:
    category: int  # index into PlanDraft.categories
    seq: int
    name: Cell
    requirement: Cell
    deadline: Cell
    deadline_spec: DeadlineSpec
    units: Cell
    cooperating: Cell
    unit_spec: UnitSpec
    where: str


@dataclass(frozen=True, slots=True)
class PlanDraft:
    title: str
    year: int
    issued: dt.date | None
    categories: tuple[CategoryDraft, ...]
    tasks: tuple[TaskDraft, ...]
    source: str
    warnings: tuple[str, ...]


_CATEGORY_PREFIX = re.compile(r"^\s*([一二三四五六七八九十百零〇两]+|\d+)\s*[、.．,，:：]\s*")
_TITLE_YEAR = re.compile(r"(19|20)\d{2}(?=\s*年)")


def split_category(title: str) -> tuple[int | None, str]:
    """ "三、推进财政资金信息公开" → (3, "推进财政资金信息公开")."""
    m = _CATEGORY_PREFIX.match(fold_width(title))
    if not m:
        return None, title.strip()
    token = m.group(1)
    number = int(token) if token.isdigit() else parse_chinese_number(token)
    return number, title[m.end() :].strip()


def year_from_title(title: str) -> int | None:
    m = _TITLE_YEAR.search(fold_width(title))
    return int(m.group(0)) if m else None


def build_plan(
    raw: RawPlan, *, year: int | None = None, issued: dt.date | None = None
) -> PlanDraft:
    """Interpret ``raw``; the year comes from ``year``, else the title, else PlanYearUnknown."""
    year = year or year_from_title(raw.title)
    if year is None:
        raise PlanYearUnknown()
    if not raw.rows:
        raise PlanError("文件中没有任何工作任务")
    categories: list[CategoryDraft] = []
    by_title: dict[str, int] = {}
    tasks: list[TaskDraft] = []
    warnings = list(raw.warnings)
    for row in raw.rows:
        title = row.category.text or "未分类"
        if title not in by_title:
            number, bare = split_category(title)
            by_title[title] = len(categories)
            categories.append(CategoryDraft(number or len(categories) + 1, bare, row.category.raw))
        if not row.name.text:
            warnings.append(f"{row.where}：工作任务为空，已跳过")
            continue
        tasks.append(
            TaskDraft(
                category=by_title[title],
                seq=len(tasks) + 1,
                name=row.name,
                requirement=row.requirement,
                deadline=row.deadline,
                deadline_spec=parse_deadline(row.deadline.text, year),
                units=row.units,
                cooperating=row.cooperating,
                unit_spec=parse_units(row.units.text, row.cooperating.text),
                where=row.where,
            )
        )
    return PlanDraft(
        title=raw.title,
        year=year,
        issued=issued,
        categories=tuple(categories),
        tasks=tuple(tasks),
        source=raw.source,
        warnings=tuple(warnings),
    )
