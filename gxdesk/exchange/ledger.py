"""The whole 台账 as one .xlsx (``export-plan``), for people who want Excel.

One row per task and reporting unit (its latest report); a task nobody has
reported on yet has one row. Text is always written as string cells.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping, Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties

from gxdesk.core.numerals import category_label
from gxdesk.core.views import ProgressView, TaskRow
from gxdesk.exchange.unit_workbook import (
    LIGHT_FILLS,
    SheetStyles,
    create_sheet,
    save_atomically,
    wrapped_height,
)

COLUMNS = (
    ("序号", 5),
    ("类别", 14),
    ("工作任务", 18),
    ("工作要求", 40),
    ("完成时限", 14),
    ("到期日", 11),
    ("责任单位", 16),
    ("任务状态", 9),
    ("预警", 6),
    ("报送单位", 14),
    ("进展状态", 9),
    ("完成进度", 8),
    ("进展情况", 36),
    ("完成时间", 11),
    ("佐证材料", 16),
    ("存在问题", 16),
    ("联系人", 8),
    ("联系电话", 13),
    ("报送时间", 16),
    ("来源文件", 20),
)


#: How the ledger names itself, so that readers can tell it from a plan table.
LEDGER_SHEET = "台账"
LEDGER_CREATOR = "gxdesk 政务公开工作台账"


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
    wb.properties.creator = LEDGER_CREATOR
    ws = create_sheet(wb, LEDGER_SHEET)
    st = SheetStyles(ws)
    thin = Side(style="thin", color="A6A6A6")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    head = st.head_lead
    body = st.lead
    for i, (_h, width) in enumerate(COLUMNS, 1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "D3"
    ws.print_title_rows = "2:2"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = "9"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    ws.auto_filter.ref = f"A2:{get_column_letter(len(COLUMNS))}{max(len(tasks), 1) + 2}"
    ws.append([st.cell(f"{title}　工作台账（截至 {on:%Y-%m-%d}）", st.title)])
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
    widths = [width for _h, width in COLUMNS]
    row_number = 2  # title and header above
    for t in tasks:
        reports: Sequence[ProgressView | None] = progress.get(t.id) or [None]
        for p in reports:
            row_number += 1
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
            texts = [
                (c.value, w) for c, w in zip(cells, widths, strict=True) if isinstance(c.value, str)
            ]
            ws.row_dimensions[row_number].height = wrapped_height(texts)
            ws.append(cells)
    return save_atomically(wb, path)
