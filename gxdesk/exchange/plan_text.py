"""The plan table as exported from Word to plain text.

Format (see docs/architecture.md, "The seed plan text"): the first line is the title; every
table cell begins with a TAB; a line without a leading TAB continues the cell
above (a line break inside the cell); blank lines separate rows but cannot be
trusted (stray ones break category 六's row), so rows are rebuilt by COUNTING
cells. The number of cells per row is the number of header cells: the table
starts with a run of cells whose text names a column (类别, 工作任务, …).

Rules decided here:

* a blank line never becomes cell content unless a continuation line follows
  it in the same cell; trailing blank lines of a cell are dropped;
* a line holding only a TAB is an empty cell; a TAB in the middle of a line
  starts a further cell (so "\\tA\\tB" is two cells, as Word also writes them);
* after the last complete row, leftover cells must all be empty, otherwise the
  file is refused (a missing cell would shift every following column);
* empty 完成时限/责任单位 take the value above within the category
  (``inferred=True``, ``raw=""``), an empty 类别 is the category above;
* there is no 序号 column unless the header has one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gxdesk.core.model import RawPlan
from gxdesk.core.text import normalize
from gxdesk.exchange.plan_table import (
    HEADER_EXPECTED,
    Slot,
    TableRow,
    build_plan,
    header_field,
    match_header,
)
from gxdesk.exchange.safety import DEFAULT_LIMITS, BadFileError, Limits


@dataclass
class _TextCell:
    line: int
    lines: list[str] = field(default_factory=list)
    blanks: int = 0  # blank lines seen since the last content line of this cell

    def add(self, part: str) -> None:
        self.lines.extend([""] * self.blanks)
        self.blanks = 0
        self.lines.append(part)

    @property
    def raw(self) -> str:
        return "\n".join(self.lines)


def _split_cells(text: str) -> tuple[str, list[_TextCell]]:
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").replace("\x0b", "\n")
    title_lines: list[str] = []
    cells: list[_TextCell] = []
    for no, line in enumerate(text.split("\n"), start=1):
        if not line.strip(" \u3000\t") and "\t" not in line:
            if cells:
                cells[-1].blanks += 1
            continue
        first, *rest = line.split("\t")
        if first:
            if cells:
                cells[-1].add(first)
            else:
                title_lines.append(first.strip())
        for part in rest:
            cells.append(_TextCell(no, [part]))
    title = next((t for t in title_lines if t), "")
    return title, cells


def read_plan_text(text: str, limits: Limits = DEFAULT_LIMITS) -> RawPlan:
    """Read the Word-table text export of a plan into a :class:`RawPlan`."""
    title, cells = _split_cells(text)
    n = 0
    while n < len(cells) and header_field(normalize(cells[n].raw)) is not None:
        n += 1
    header_texts = [normalize(c.raw) for c in cells[:n]]
    cols = match_header(header_texts)
    if cols is None:
        raise BadFileError(HEADER_EXPECTED)
    body = cells[n:]
    full = len(body) - len(body) % n
    leftover = body[full:]
    if any(normalize(c.raw) for c in leftover):
        raise BadFileError(
            f"第{leftover[0].line}行起的最后一个表格行只有{len(leftover)}个单元格（应为{n}个），"
            "无法按单元格数重建表格"
        )
    if full // n > limits.max_rows:
        raise BadFileError(f"表格行数过多（{full // n} 行，上限 {limits.max_rows}）")
    rows = []
    for start in range(0, full, n):
        chunk = body[start : start + n]
        slots = {f: Slot(chunk[i].raw) for f, i in cols.items()}
        rows.append(TableRow(where=f"第{chunk[0].line}行", slots=slots))
    header = {f: header_texts[i] for f, i in cols.items()}
    return build_plan(
        title,
        rows,
        source="text",
        header=header,
        fill_blank=frozenset({"deadline", "units"}),
    )
