"""The program's own workbooks, told apart from a plan table when one is offered as a plan.

A unit's progress workbook and the ledger both have the plan's columns
(工作任务, 完成时限, 责任单位), so the plan reader would take either for a plan and
import a second copy of it. They are recognised by the marks the program writes
(the identity sheet and ``gxdesk.*`` document properties of a unit workbook,
which Excel and WPS keep on saving; the ledger's creator and sheet) and refused
with the command that fits.
"""

from __future__ import annotations

from typing import Any

from gxdesk.exchange.ledger import LEDGER_CREATOR, LEDGER_SHEET
from gxdesk.exchange.unit_workbook import META_SHEET, PROPERTY_PREFIX

UNIT_WORKBOOK_AS_PLAN = (
    "这是发给单位填报的进展表，不是工作要点分解表：回收的进展表请用“合并”"
    "（文件 → 合并回收的进展表…，或 gxdesk merge 文件）"
)
LEDGER_AS_PLAN = (
    "这是本程序导出的台账（export-plan），不是工作要点分解表：台账只供查看和打印，"
    "请导入原来的分解表（.docx/.xlsx/.txt）"
)


def own_workbook_refusal(wb: Any) -> str | None:
    """Why an opened (openpyxl) workbook must not be imported as a plan, or None."""
    if META_SHEET in wb.sheetnames:
        return UNIT_WORKBOOK_AS_PLAN
    props = getattr(wb, "custom_doc_props", None)
    names = [p.name for p in props.props] if props is not None else []
    if any(str(n).startswith(PROPERTY_PREFIX) for n in names):
        return UNIT_WORKBOOK_AS_PLAN
    if wb.properties.creator == LEDGER_CREATOR and LEDGER_SHEET in wb.sheetnames:
        return LEDGER_AS_PLAN
    return None
