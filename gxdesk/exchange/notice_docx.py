"""A 催办通知单 as an editable .docx (python-docx), for the office to reword and seal.

Same words as the PDF (:mod:`gxdesk.exchange.notice_text`); the 公文 margins;
fonts named by their Windows names (仿宋, 黑体, 楷体, 方正小标宋简体) with the
East Asian font set, so WPS and Word use the PC's own faces. Written through a
temporary file and with fixed core properties, so the same notice gives the
same bytes.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

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

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    from gxdesk.core.documents import Notice

FANGSONG, HEITI, KAITI, XIAOBIAOSONG = "仿宋", "黑体", "楷体", "方正小标宋简体"
FIXED_TIME = dt.datetime(2000, 1, 1)


def _run(p: Paragraph, text: str, font: str, size: float) -> None:
    run = p.add_run(text)
    run.font.name = font
    run.font.size = Pt(size)
    rpr = run._element.get_or_add_rPr()
    rpr.get_or_add_rFonts().set(qn("w:eastAsia"), font)


def _para(doc: DocxDocument, text: str, font: str = FANGSONG, size: float = 16, *,
          indent: bool = False, align: WD_ALIGN_PARAGRAPH | None = None) -> Paragraph:  # fmt: skip
    p = doc.add_paragraph()
    if indent:
        p.paragraph_format.first_line_indent = Pt(size * 2)
    if align is not None:
        p.alignment = align
    p.paragraph_format.line_spacing = Pt(28.9)
    _run(p, text, font, size)
    return p


def _cell(cell, text: str, font: str = FANGSONG, size: float = 10.5, *,  # type: ignore[no-untyped-def]
          center: bool = False) -> None:  # fmt: skip
    cell.text = ""
    _run(cell.paragraphs[0], text, font, size)
    if center:
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER


def _fixed_widths(table: Table, widths_mm: tuple[int, ...]) -> None:
    """Give the columns their widths the way every word processor reads them.

    python-docx makes equal columns. LibreOffice and WPS lay a table out by its
    grid (``w:gridCol``), Word by each cell's ``w:tcW``; a fixed layout keeps Word
    from re-fitting the columns to their text. All three are set, and the cells'
    side margins narrowed from the word processors' 1.9 mm to the PDF's 1 mm, so
    an 8.31 or a 6月30日 stays on one line.
    """
    table.autofit = False
    margins = OxmlElement("w:tblCellMar")  # 1 mm each side, as the PDF's cells have
    for side in ("left", "right"):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:w"), "57")
        edge.set(qn("w:type"), "dxa")
        margins.append(edge)
    table._tbl.tblPr.append(margins)
    for column, width in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(width)
        for cell in column.cells:
            cell.width = Mm(width)


def _repeat_header(table: Table) -> None:
    """The header row again on every page the table runs onto (``w:tblHeader``)."""
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    tr_pr.append(flag)


def render_notice(n: Notice, out: Path) -> Path:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.left_margin = Mm(37), Mm(28)
    section.right_margin, section.bottom_margin = Mm(26), Mm(35)
    props = doc.core_properties
    props.title = f"{TITLE}（{n.unit}）"
    props.author = n.office.name
    props.last_modified_by = n.office.name
    props.subject = n.number
    props.comments = "gxdesk 政务公开工作台账"
    props.created = props.modified = FIXED_TIME
    props.revision = 1

    _para(doc, TITLE, XIAOBIAOSONG, 22, align=WD_ALIGN_PARAGRAPH.CENTER)
    _para(doc, f"编号：{n.number}", KAITI, 16, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _para(doc, f"{n.unit}：")
    for text in body_paragraphs(n):
        _para(doc, text, indent=True)
    if n.tasks:
        rows = task_rows(n)
        table = doc.add_table(rows=1 + len(rows), cols=len(TASK_HEADER))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        _fixed_widths(table, TASK_WIDTHS_MM)
        _repeat_header(table)
        for i, h in enumerate(TASK_HEADER):
            _cell(table.rows[0].cells[i], h, HEITI, center=True)
        for r, row in enumerate(rows, 1):
            for i, v in enumerate(row):
                _cell(table.rows[r].cells[i], v, center=i in TASK_CENTERED)
    _para(doc, contact_line(n), indent=True)
    _para(doc, n.office.name, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _para(doc, cn_date(n.on), align=WD_ALIGN_PARAGRAPH.RIGHT)
    _para(doc, REPLY_TITLE, HEITI, 16, align=WD_ALIGN_PARAGRAPH.CENTER)
    reply = doc.add_table(rows=2 + len(REPLY_ROWS), cols=2)
    reply.style = "Table Grid"
    _fixed_widths(reply, REPLY_WIDTHS_MM)
    labels = ["承办单位", *REPLY_ROWS, "填报人及电话"]
    for r, label in enumerate(labels):
        _cell(reply.rows[r].cells[0], label, HEITI, 12)
        if r == 0:
            _cell(reply.rows[r].cells[1], n.unit, FANGSONG, 12)
        if 0 < r <= 2:
            reply.rows[r].height = Mm(28)
        elif r > 2:
            reply.rows[r].height = Mm(14)

    out = Path(out)
    tmp = out.with_name(out.name + ".part")
    try:
        doc.save(str(tmp))
        _fix_zip_times(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
    return out


def _fix_zip_times(src: Path, dest: Path) -> None:
    """Rewrite the package with fixed entry times: python-docx stamps the current time."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=(2000, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zout.writestr(info, zin.read(item.filename))
