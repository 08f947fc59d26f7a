"""The plan table in an .xlsx 分解表.

Rules decided here:

* The first worksheet that has a header row is read; the header is found by
  content anywhere in the sheet (title/subtitle/blank rows above it, columns in
  any order, optional 序号/配合单位 columns).
* Title: the first non-empty cell above the header (row by row, left to right).
* Merged ranges are merges: the range's top-left value is real; the other
  cells of the range take it with ``inferred=True`` (``raw=""``). Merges in the
  title rows above the header do not matter (only the title is read there).
* A blank cell that is not merged: 类别 → same category (inferred), since
  hand-made sheets often leave it blank; every other field stays empty.
* Rows with no content of their own are skipped; a row whose only text starts
  with 注/备注/说明 is a footer note and ENDS the table (see plan_table).
* Values only (``data_only=True``): a formula cell gives its cached value (none
  if the file was never calculated); text beginning with = + - @ is data and
  is kept verbatim. Numbers: integers without ".0"; dates as "2015年10月31日"
  (the way 完成时限 is written), with the time if it is not midnight.
* The used range is computed from cells that hold a value, never from the
  sheet's declared dimension; more rows/columns than the limits are refused.
"""

from __future__ import annotations

import bisect
import datetime as dt
import os
from typing import Any

from gxdesk.core.model import RawPlan
from gxdesk.core.text import normalize
from gxdesk.exchange.own_workbooks import own_workbook_refusal
from gxdesk.exchange.plan_table import (
    HEADER_EXPECTED,
    Slot,
    TableRow,
    build_plan,
    match_header,
)
from gxdesk.exchange.safety import DEFAULT_LIMITS, BadFileError, Limits, open_workbook_values


def cell_text(value: Any) -> str:
    """A cell value as text: strings verbatim, numbers and dates written sensibly."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        day = f"{value.year}年{value.month}月{value.day}日"
        if value.time() == dt.time(0, 0):
            return day
        return f"{day} {value:%H:%M}"
    if isinstance(value, dt.date):
        return f"{value.year}年{value.month}月{value.day}日"
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, dt.timedelta):
        return str(value)
    return str(value)


class _Merges:
    """Merged ranges per column, for the columns that are read."""

    def __init__(self, ranges: Any, columns: set[int], first_row: int) -> None:
        self._by_col: dict[int, list[tuple[int, int, int, int]]] = {c: [] for c in columns}
        for rng in ranges:
            if (
                rng.max_row <= first_row
                or rng.min_row == rng.max_row
                and rng.min_col == rng.max_col
            ):
                continue
            for c in columns:
                if rng.min_col <= c <= rng.max_col:
                    self._by_col[c].append((rng.min_row, rng.max_row, rng.min_row, rng.min_col))
        self._starts: dict[int, list[int]] = {}
        for c, spans in self._by_col.items():
            spans.sort()
            self._starts[c] = [s[0] for s in spans]

    def origin(self, row: int, col: int) -> tuple[int, int] | None:
        """Top-left of the merge covering (row, col), if any."""
        starts = self._starts.get(col)
        if not starts:
            return None
        i = bisect.bisect_right(starts, row) - 1
        if i < 0:
            return None
        lo, hi, orow, ocol = self._by_col[col][i]
        return (orow, ocol) if lo <= row <= hi else None


def read_plan_xlsx(path: str | os.PathLike[str], limits: Limits = DEFAULT_LIMITS) -> RawPlan:
    """Read a plan table from the first worksheet of an .xlsx that has a header."""
    wb = open_workbook_values(path, limits)
    try:
        refusal = own_workbook_refusal(wb)
        if refusal:
            raise BadFileError(refusal)
        for ws in wb.worksheets:
            plan = _read_sheet(ws, limits)
            if plan is not None:
                return plan
    finally:
        wb.close()
    raise BadFileError(HEADER_EXPECTED)


def _read_sheet(ws: Any, limits: Limits) -> RawPlan | None:
    values: dict[tuple[int, int], str] = {}
    for (r, c), cell in ws._cells.items():  # only cells present in the file
        text = cell_text(cell.value)
        if text.strip():
            values[r, c] = text
    if not values:
        return None
    max_row = max(r for r, _ in values)
    max_col = max(c for _, c in values)
    if max_row > limits.max_rows:
        raise BadFileError(
            f"工作表“{ws.title}”数据行数过多（{max_row} 行，上限 {limits.max_rows}）"
        )
    if max_col > limits.max_cols:
        raise BadFileError(
            f"工作表“{ws.title}”数据列数过多（{max_col} 列，上限 {limits.max_cols}）"
        )
    rows: dict[int, dict[int, str]] = {}
    for (r, c), text in values.items():
        rows.setdefault(r, {})[c] = text

    header_row = cols = None
    for r in sorted(rows):
        line = [rows[r].get(c) for c in range(1, max(rows[r]) + 1)]
        found = match_header(line)
        if found is not None:
            header_row, cols = r, {f: i + 1 for f, i in found.items()}
            break
    if header_row is None or cols is None:
        return None

    title = ""
    for r in sorted(rows):
        if r >= header_row:
            break
        for c in sorted(rows[r]):
            if normalize(rows[r][c]):
                title = normalize(rows[r][c])
                break
        if title:
            break

    merges = _Merges(ws.merged_cells.ranges, set(cols.values()), header_row)
    table_rows: list[TableRow] = []
    last = max_row
    for rng in ws.merged_cells.ranges:  # a merge may extend the table below the last value
        if any(rng.min_col <= c <= rng.max_col for c in cols.values()):
            last = max(last, min(rng.max_row, limits.max_rows))
    for r in range(header_row + 1, last + 1):
        slots: dict[str, Slot] = {}
        for f, c in cols.items():
            own = values.get((r, c))
            origin = merges.origin(r, c)
            if origin is None or origin == (r, c):
                slots[f] = Slot(own or "")
            else:
                slots[f] = Slot(values.get(origin, ""), merged=True, vertical=origin[0] < r)
        table_rows.append(TableRow(where=f"第{r}行", slots=slots))
    texts = [normalize(rows[header_row].get(c, "")) for c in range(1, max(rows[header_row]) + 1)]
    header = {f: texts[c - 1] for f, c in cols.items()}
    return build_plan(title, table_rows, source="xlsx", header=header)
