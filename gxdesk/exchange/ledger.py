"""The whole 台账 as one .xlsx (``export-plan``), for people who want Excel.

One row per task and reporting unit (its latest report); a task nobody has
reported on yet has one row. Text is always written as string cells.

Printed, the sheet is one A4 landscape page wide with its text at 9 pt or more:
the columns up to 存在问题 are printed, the contact and source columns after them
are for the screen. A 进展情况 too long for the highest row a spreadsheet allows
goes on in the rows below it (marked 续), so none of it is cut off on paper.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from gxdesk.core.numerals import category_label
from gxdesk.core.views import ProgressView, TaskRow
from gxdesk.exchange.print_layout import (
    set_landscape_fit_to_width,
    set_row_height,
    split_to_rows,
    wrapped_height,
)
from gxdesk.exchange.unit_workbook import (
    LIGHT_FILLS,
    SheetStyles,
    WriteOnlyCell,
    create_sheet,
    save_atomically,
)

COLUMNS = (
    ("序号", 4),
    ("类别", 8.5),
    ("工作任务", 10.5),
    ("工作要求", 19),
    ("完成时限", 7.5),
    ("到期日", 11),
    ("责任单位", 8.5),
    ("任务状态", 8.5),
    ("预警", 5),
    ("报送单位", 8.5),
    ("进展状态", 8.5),
    ("完成进度", 6),
    ("进展情况", 19),
    ("完成时间", 11),
    ("佐证材料", 7.5),
    ("存在问题", 7.5),
    # not printed
    ("联系人", 8),
    ("联系电话", 13),
    ("报送时间", 16),
    ("来源文件", 20),
)
PRINTED = 16  # columns up to 存在问题
TEXT_COLUMN = 12  # 进展情况, 0-based


def write_ledger(
    path: str | os.PathLike[str],
    *,
    title: str,
    tasks: Sequence[TaskRow],
    progress: Mapping[int, Sequence[ProgressView]],
    on: dt.date,
) -> Path:
    path = Path(path)
    wb = Workbook(write_only=True)
    wb.properties.title = title
    wb.properties.creator = "gxdesk 政务公开工作台账"
    ws = create_sheet(wb, "台账")
    st = SheetStyles(ws)
    thin = Side(style="thin", color="A6A6A6")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    head = st.head_lead
    body = st.lead
    for i, (_h, width) in enumerate(COLUMNS, 1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "D3"
    # before the first row: part of the page set-up is written ahead of the rows
    set_landscape_fit_to_width(ws, f"A1:{get_column_letter(PRINTED)}3", "2:2")
    ws.append([st.cell(f"{title}　工作台账（截至 {on:%Y-%m-%d}）", st.title)])
    widths = [width for _h, width in COLUMNS]
    set_row_height(ws, 2, wrapped_height([(h, w) for h, w in COLUMNS]))
    ws.append([st.cell(h, head) for h, _ in COLUMNS])
    cell = st.cell
    light_style = {}
    for light, colour in LIGHT_FILLS.items():
        proto = st.cell(None, st.light[light])
        proto.fill = PatternFill("solid", fgColor=colour)
        proto.border = border
        proto.font = Font(name="宋体", size=10, bold=True)
        proto.alignment = Alignment(horizontal="center", vertical="top")
        light_style[light] = proto._style
    date_style = st.unit_date
    pct_style = st.unit_percent
    row_number = 2  # title and header above
    for t in tasks:
        reports: Sequence[ProgressView | None] = progress.get(t.id) or [None]
        for p in reports:
            cells = [
                cell(t.seq, body),
                cell(category_label(t.category_seq, t.category_title), body),
                cell(t.name, body),
                cell(t.requirement, body),
                cell(t.deadline_text, body),
                cell(t.due, date_style),
                cell(t.units_text, body),
                cell(t.status.value, body),
                cell(t.light.label, light_style[t.light]),
                cell(p.unit if p else "", body),
                cell(p.status.value if p else "", body),
                cell(None if not p or p.percent is None else p.percent / 100, pct_style),
                cell(p.text if p else "", body),
                cell(p.done_on if p else None, date_style),
                cell(p.evidence if p else "", body),
                cell(p.problems if p else "", body),
                cell(p.contact if p else "", body),
                cell(p.phone if p else "", body),
                cell(p.reported_at.strftime("%Y-%m-%d %H:%M") if p else "", body),
                cell(p.source_file if p else "", body),
            ]
            pieces = split_to_rows(p.text, widths[TEXT_COLUMN]) if p else [""]
            if len(pieces) > 1:
                cells[TEXT_COLUMN] = cell(pieces[0], body)
            row_number = _append(ws, row_number, cells, widths)
            for piece in pieces[1:]:
                more: list[WriteOnlyCell] = [cell(None, body) for _ in COLUMNS]
                more[0] = cell(t.seq, body)
                more[2] = cell(f"{t.name}（续）", body)
                more[9] = cell(p.unit if p else "", body)
                more[TEXT_COLUMN] = cell(piece, body)
                row_number = _append(ws, row_number, more, widths)
    last = max(row_number, 3)
    ws.auto_filter.ref = f"A2:{get_column_letter(len(COLUMNS))}{last}"
    ws.print_area = f"A1:{get_column_letter(PRINTED)}{last}"
    return save_atomically(wb, path)


def _append(ws: Any, row_number: int, cells: list[WriteOnlyCell], widths: list[float]) -> int:
    """Write ``cells`` as the next row, as tall as its wrapped text; its number."""
    row_number += 1
    texts = [(c.value, w) for c, w in zip(cells, widths, strict=True) if isinstance(c.value, str)]
    set_row_height(ws, row_number, wrapped_height(texts))
    ws.append(cells)
    return row_number
