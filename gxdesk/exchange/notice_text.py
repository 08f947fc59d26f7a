"""The wording of a 催办通知单, shared by the PDF and the editable .docx so both say the same."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gxdesk.core.documents import Notice

TITLE = "催办通知单"
TASK_HEADER = ("编号", "工作任务", "完成时限", "到期日", "逾期工作日", "此前催办")
#: The task table's column widths in mm (156 mm: the type area of an A4 公文 page);
#: the task's name gets the room, as the PDF and the .docx both lay it out.
TASK_WIDTHS_MM = (13, 53, 24, 22, 22, 22)
#: Columns centred in the task table (编号 and the figures).
TASK_CENTERED = frozenset({0, 3, 4, 5})
REPLY_TITLE = "反馈回执"
REPLY_ROWS = ("工作进展", "未完成原因", "下一步措施", "预计完成时间")
#: The 反馈回执's label and answer columns, in mm.
REPLY_WIDTHS_MM = (34, 122)


def cn_date(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def body_paragraphs(n: Notice) -> list[str]:
    """The letter's text, paragraph by paragraph (after the addressee line)."""
    out = []
    if n.tasks:
        out.append(
            f"根据《{n.plan_title}》的任务分工，截至{cn_date(n.on)}，你单位承担的以下"
            f"{len(n.tasks)}项任务已超过完成时限，尚未完成。"
        )
    if n.silent:
        month = int(n.month[5:])
        out.append(f"你单位尚未报送{month}月工作进展。")
    when = (
        f"于{cn_date(n.reply_by)}前（{n.office.reply_workdays}个工作日内）"
        if n.reply_by else f"在{n.office.reply_workdays}个工作日内"
    )  # fmt: skip
    out.append(
        f"请你单位高度重视，抓紧推进，{when}填写下方反馈回执，"
        "说明工作进展、未完成原因、下一步措施和预计完成时间，报送我办。"
    )
    return out


def task_rows(n: Notice) -> list[list[str]]:
    return [
        [
            t.label, t.name, t.deadline_text or "—", f"{t.due.month}月{t.due.day}日",
            "—" if t.overdue_workdays is None else str(t.overdue_workdays),
            f"{t.chased_before}次" if t.chased_before else "首次",
        ]
        for t in n.tasks
    ]  # fmt: skip


def contact_line(n: Notice) -> str:
    o = n.office
    parts = [f"联系人：{o.contact or '　　　　'}", f"联系电话：{o.phone or '　　　　　　'}"]
    return "　　".join(parts)
