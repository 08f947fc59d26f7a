"""A 催办通知单 as a PDF letter on the 公文 page (no page number on page one)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from gxdesk.exchange.notice_text import (
    REPLY_ROWS,
    REPLY_TITLE,
    REPLY_WIDTHS_MM,
    TASK_CENTERED,
    TASK_HEADER,
    TASK_WIDTHS_MM,
    TITLE,
    body_paragraphs,
    cn_date,
    contact_line,
    task_rows,
)
from gxdesk.exchange.pdf.fonts import FontSet
from gxdesk.exchange.pdf.page import LINE, GongwenDoc
from gxdesk.exchange.pdf.styles import TABLE_SIZE, make_styles
from gxdesk.exchange.pdf.text import CJKParagraph

if TYPE_CHECKING:
    from gxdesk.core.documents import Notice


def notice_story(n: Notice, fonts: FontSet) -> list[Flowable]:
    st = make_styles(fonts)
    plain = ParagraphStyle("plain", parent=st.body, firstLineIndent=0, alignment=TA_LEFT)
    number = ParagraphStyle("number", parent=plain, alignment=TA_RIGHT, fontName=fonts.kai)
    story: list[Flowable] = [
        st.p(TITLE, st.title),
        st.p(f"编号：{n.number}", number),
        st.p(f"{n.unit}：", plain),
    ]
    story += [st.p(text, st.body) for text in body_paragraphs(n)]
    if n.tasks:
        story.append(
            st.table(
                list(TASK_HEADER),
                task_rows(n),
                [w * mm for w in TASK_WIDTHS_MM],
                center=TASK_CENTERED,
            )  # fmt: skip
        )
    story.append(st.p(contact_line(n), st.body))
    story.append(Spacer(1, LINE / 2))
    story.append(
        KeepTogether([st.p(n.office.name, st.signature), st.p(cn_date(n.on), st.signature)])
    )
    story.append(Spacer(1, LINE / 2))
    head = ParagraphStyle("reply", parent=st.h1, alignment=1)
    label = ParagraphStyle("label", parent=st.head, fontSize=12, leading=16)
    rows: list[list[CJKParagraph | str]] = [[st.p("承办单位", label), st.p(n.unit, st.cell)]]
    rows += [[st.p(r, label), ""] for r in REPLY_ROWS]
    rows += [[st.p("填报人及电话", label), ""]]
    heights = [None, 30 * mm, 22 * mm, 22 * mm, 12 * mm, 12 * mm]
    reply = Table(rows, colWidths=[w * mm for w in REPLY_WIDTHS_MM], rowHeights=heights)
    reply.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), fonts.body, TABLE_SIZE),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    story.append(KeepTogether([st.p(REPLY_TITLE, head), reply]))
    return story


def render_notice(n: Notice, out: Path, *, fonts: FontSet) -> Path:
    out = Path(out)
    tmp = out.with_name(out.name + ".part")
    doc = GongwenDoc(
        tmp, number_font=fonts.body, title=f"{TITLE}（{n.unit}）", author=n.office.name,
        subject=n.number, number_first_page=False,
    )  # fmt: skip
    try:
        doc.build(notice_story(n, fonts))
        tmp.replace(out)
    finally:
        tmp.unlink(missing_ok=True)
    return out
