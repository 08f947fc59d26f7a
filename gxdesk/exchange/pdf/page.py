"""The 公文 page of GB/T 9704-2012, for reportlab.

A4; top margin 37 mm, binding (left) margin 28 mm, type area 156 × 225 mm;
page numbers ``— 1 —`` in 4号 half-width digits 7 mm below the type area,
odd pages on the right and even pages on the left, each one character in from
the type area's edge. A landscape section (for a wide table) keeps the binding
edge at the top of its pages and its page number where every other page has
it: drawn in the portrait page's frame, so once the sheet is turned the number
sits at the foot like the others.
"""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

PAGE_W, PAGE_H = A4
TOP = 37 * mm
BINDING = 28 * mm
TYPE_W = 156 * mm
TYPE_H = 225 * mm
BOTTOM = PAGE_H - TOP - TYPE_H  # 35 mm
SIZE_3HAO = 16.0  # 3号: the body
SIZE_4HAO = 14.0  # 4号: page numbers
SIZE_2HAO = 22.0  # 2号: the title
LINE = TYPE_H / 22  # 22 lines a page

PORTRAIT = "portrait"
LANDSCAPE = "landscape"


def _frame(x: float, y: float, w: float, h: float, name: str) -> Frame:
    return Frame(x, y, w, h, leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id=name)


class GongwenDoc(BaseDocTemplate):
    """A document of 公文 pages (portrait, and landscape for wide tables), numbered per the standard.

    ``number_first_page=False`` gives the letter layout of a notice (no number on page one).
    """

    def __init__(
        self,
        out: Path,
        *,
        number_font: str,
        title: str,
        author: str,
        subject: str = "",
        number_first_page: bool = True,
    ) -> None:
        super().__init__(
            str(out),
            pagesize=A4,
            leftMargin=BINDING,
            rightMargin=PAGE_W - BINDING - TYPE_W,
            topMargin=TOP,
            bottomMargin=BOTTOM,
            title=title,
            author=author,
            creator="gxdesk 政务公开工作台账",
            subject=subject,
            invariant=1,
            pageCompression=1,
            initialFontName=number_font,  # else the canvas starts in Helvetica, not embedded
            initialFontSize=SIZE_4HAO,
        )
        self.number_font = number_font
        self.number_first_page = number_first_page
        lw, lh = landscape(A4)
        self.addPageTemplates(
            [
                PageTemplate(
                    PORTRAIT,
                    [_frame(BINDING, BOTTOM, TYPE_W, TYPE_H, "body")],
                    onPage=self._number,
                    pagesize=A4,
                ),
                # Turned a quarter anticlockwise: the portrait left (binding) edge is the top.
                PageTemplate(
                    LANDSCAPE,
                    [_frame(BOTTOM, PAGE_W - BINDING - TYPE_W, TYPE_H, TYPE_W, "wide")],
                    onPage=self._number_landscape,
                    pagesize=(lw, lh),
                ),
            ]
        )

    def _number(self, canvas: Canvas, _doc: object) -> None:
        page = canvas.getPageNumber()
        if page == 1 and not self.number_first_page:
            return
        text = f"— {page} —"
        canvas.saveState()
        canvas.setFont(self.number_font, SIZE_4HAO)
        y = BOTTOM - 7 * mm - SIZE_4HAO  # the line box starts 7 mm below the type area
        if page % 2:
            canvas.drawRightString(BINDING + TYPE_W - SIZE_4HAO, y, text)
        else:
            canvas.drawString(BINDING + SIZE_4HAO, y, text)
        canvas.restoreState()

    def _number_landscape(self, canvas: Canvas, doc: object) -> None:
        # Portrait point (x, y) is landscape (y, W - x): draw in portrait terms.
        canvas.saveState()
        canvas.transform(0, -1, 1, 0, 0, PAGE_W)
        self._number(canvas, doc)
        canvas.restoreState()
