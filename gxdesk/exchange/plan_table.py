"""What the three plan readers share: header matching and building rows.

A reader turns its file into :class:`TableRow` objects — for each field, the
cell's raw text and whether a merge put it there — and :func:`build_plan` turns
those into :class:`~gxdesk.core.model.RawRow` objects with the same rules for
every format:

* a row with no content of its own (vertical merges do not count) is skipped;
* a row that repeats the header is skipped;
* a row holding one text only, that is either in the 类别 column or reads like a
  category heading ("一、…", "（二）…", "第三部分…"), starts a new category and is
  not a task;
* a row holding one text only that starts with 注/备注/说明 is a footer note and
  ends the table (later rows are ignored, with a warning if they hold text);
* a merged cell takes the text of the merge's first cell: ``inferred=True`` and
  ``raw=""`` (the file holds nothing at that position);
* an empty 类别 means "same category" (inferred);
* an empty field listed in ``fill_blank`` (the text export: 完成时限, 责任单位)
  takes the value of the row above *within the same category* (inferred); a row
  that starts a category never inherits.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from gxdesk.core.model import EMPTY_CELL, Cell, RawPlan, RawRow
from gxdesk.core.text import normalize

FIELDS = ("seq", "category", "name", "requirement", "deadline", "units", "cooperating")

SYNONYMS: dict[str, tuple[str, ...]] = {
    "seq": ("序号", "编号", "序"),
    "category": ("类别", "工作类别", "分类", "类型", "项目类别", "工作分类"),
    "name": ("工作任务", "任务", "主要任务", "重点任务", "任务名称", "工作事项", "工作项目"),
    "requirement": (
        "工作要求",
        "具体要求",
        "要求",
        "工作内容",
        "任务要求",
        "主要内容",
        "具体内容",
        "工作目标",
    ),
    "deadline": ("完成时限", "时限", "完成时间", "时间要求", "完成期限", "时间节点", "时限要求"),
    "units": ("责任单位", "牵头单位", "责任部门", "牵头部门", "负责单位", "承办单位"),
    "cooperating": ("配合单位", "协办单位", "配合部门", "协助单位", "协办部门"),
}
FIELD_LABELS = {
    "seq": "序号",
    "category": "类别",
    "name": "工作任务",
    "requirement": "工作要求",
    "deadline": "完成时限",
    "units": "责任单位",
    "cooperating": "配合单位",
}
HEADER_EXPECTED = "未找到表头：需要包含“工作任务”“完成时限”“责任单位”等列"

_NAME_TO_FIELD = {name: f for f, names in SYNONYMS.items() for name in names}
_HEADER_JUNK = re.compile(r"[\s\u3000*＊:：]+")
_HEADER_NOTE = re.compile(r"[（(][^（）()]*[)）]$")
_HEADING = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[)）]|第[一二三四五六七八九十]+[部分类项])"
)
_FOOTER = re.compile(r"^(?:注|备注|说明|附注)[\s:：]")


def header_field(text: str | None) -> str | None:
    """The field a header cell names ("工   作   要   求" → "requirement")."""
    if not text:
        return None
    key = _HEADER_JUNK.sub("", text)
    if len(key) > 20:
        return None
    found = _NAME_TO_FIELD.get(key)
    if found is None:
        found = _NAME_TO_FIELD.get(_HEADER_NOTE.sub("", key))
    return found


def match_header(cells: Sequence[str | None]) -> dict[str, int] | None:
    """Map fields to column indexes if ``cells`` is a plan table's header row.

    A header must name 工作任务 and 完成时限 or 责任单位, and at least three
    fields in all. When a field is named twice the first column wins.
    """
    found: dict[str, int] = {}
    for i, text in enumerate(cells):
        f = header_field(text)
        if f is not None and f not in found:
            found[f] = i
    if "name" not in found or not ({"deadline", "units"} & found.keys()) or len(found) < 3:
        return None
    return found


@dataclass(frozen=True)
class Slot:
    """One field of one row as a reader found it."""

    raw: str = ""
    merged: bool = False  # covered by a merge whose first cell is elsewhere
    vertical: bool = False  # ... whose first cell is in an earlier row


EMPTY_SLOT = Slot()


@dataclass
class TableRow:
    where: str
    slots: Mapping[str, Slot]


@dataclass
class _State:
    category: Cell | None = None
    prev: dict[str, Cell] = field(default_factory=dict)


def _own_texts(row: TableRow) -> dict[str, str]:
    out = {}
    for f, s in row.slots.items():
        if s.vertical:
            continue
        t = normalize(s.raw)
        if t:
            out[f] = t
    return out


def build_plan(
    title: str,
    rows: Iterable[TableRow],
    *,
    source: str,
    header: Mapping[str, str] | None = None,
    fill_blank: frozenset[str] = frozenset(),
    warnings: Sequence[str] = (),
) -> RawPlan:
    """Turn reader rows into a :class:`RawPlan` (see the module docstring)."""
    out: list[RawRow] = []
    notes = list(warnings)
    st = _State()
    header_keys = {f: _HEADER_JUNK.sub("", t) for f, t in (header or {}).items()}
    ended_at: str | None = None
    for row in rows:
        own = _own_texts(row)
        if ended_at is not None:
            if own:
                notes.append(f"{ended_at}的表尾注释之后还有内容（{row.where}），已忽略")
                break
            continue
        if not own:
            continue
        if header_keys and all(
            _HEADER_JUNK.sub("", row.slots.get(f, EMPTY_SLOT).raw) == t
            for f, t in header_keys.items()
        ):
            continue
        distinct = set(own.values())
        if len(distinct) == 1:
            text = next(iter(distinct))
            if _FOOTER.match(text + " "):
                ended_at = row.where
                continue
            if set(own) == {"category"} or _HEADING.match(text):
                first = next(f for f in FIELDS if f in own)
                raw = row.slots[first].raw
                st = _State(category=Cell(text, raw, False))
                continue
        out.append(_make_row(row, st, fill_blank, notes))
    return RawPlan(title=title, rows=tuple(out), source=source, warnings=tuple(notes))


def _make_row(row: TableRow, st: _State, fill_blank: frozenset[str], notes: list[str]) -> RawRow:
    cells: dict[str, Cell] = {}
    # category first: it decides whether the row above counts for fill-down
    cat = row.slots.get("category", EMPTY_SLOT)
    cat_text = normalize(cat.raw)
    if cat_text and not cat.merged:
        st.category = Cell(cat_text, cat.raw, False)
        st.prev = {}
        cells["category"] = st.category
    elif cat_text:  # merged: the first cell of the merge holds the category
        if st.category is None or st.category.text != cat_text:
            st.category = Cell(cat_text, "", True)
            st.prev = {}
        cells["category"] = Cell(cat_text, "", True)
    elif st.category is not None:
        cells["category"] = Cell(st.category.text, "", True)
    else:
        cells["category"] = EMPTY_CELL
    for f in FIELDS:
        if f in ("category", "seq"):
            continue
        s = row.slots.get(f, EMPTY_SLOT)
        text = normalize(s.raw)
        if text and not s.merged:
            cells[f] = Cell(text, s.raw, False)
        elif text:
            cells[f] = Cell(text, "", True)
        elif f in fill_blank and st.prev.get(f, EMPTY_CELL).text:
            cells[f] = Cell(st.prev[f].text, "", True)
        else:
            cells[f] = EMPTY_CELL
    if not cells["name"].text:
        notes.append(f"{row.where}没有“工作任务”")
    st.prev = cells
    return RawRow(
        category=cells["category"],
        name=cells["name"],
        requirement=cells["requirement"],
        deadline=cells["deadline"],
        units=cells["units"],
        cooperating=cells["cooperating"],
        seq=normalize(row.slots.get("seq", EMPTY_SLOT).raw),
        where=row.where,
    )
