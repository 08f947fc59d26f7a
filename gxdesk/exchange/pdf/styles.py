"""Paragraph and table styles of the printed documents, from one :class:`FontSet`."""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Table, TableStyle

from gxdesk.exchange.pdf.fonts import FontSet
from gxdesk.exchange.pdf.page import LINE, SIZE_2HAO, SIZE_3HAO
from gxdesk.exchange.pdf.text import CJKParagraph, markup

TABLE_SIZE = 10.5  # 五号: tables
SMALL_SIZE = 12.0  # 小四: notes under a table
MIN_ROW_PIECE = 48.0  # points: about three table lines


@dataclass(frozen=True)
class Styles:
    fonts: FontSet
    title: ParagraphStyle
    subtitle: ParagraphStyle
    body: ParagraphStyle
    h1: ParagraphStyle
    h2: ParagraphStyle
    signature: ParagraphStyle
    cell: ParagraphStyle
    cell_center: ParagraphStyle
    head: ParagraphStyle
    note: ParagraphStyle

    def p(self, text: str, style: ParagraphStyle) -> CJKParagraph:
        """A paragraph of plain (unit-supplied or program) text, escaped."""
        return CJKParagraph(markup(text, style.fontName, self.fonts), style)

    def table(
        self,
        header: list[str],
        rows: list[list[str]],
        widths: list[float],
        *,
        center: frozenset[int] = frozenset(),
    ) -> Table:
        """A ruled table of wrapped cells; the header row repeats on every page it spans."""
        data = [[self.p(h, self.head) for h in header]]
        for row in rows:
            data.append(
                [self.p(v, self.cell_center if i in center else self.cell) for i, v in enumerate(row)]
            )
        # A row taller than what is left of the page is split, but never into a sliver.
        t = Table(data, colWidths=widths, repeatRows=1, splitInRow=MIN_ROW_PIECE, hAlign="LEFT",
                  spaceBefore=4, spaceAfter=LINE / 3)
        t.setStyle(
            TableStyle(
                [
                    # The cells' own font: a table otherwise sets Helvetica, never embedded.
                    ("FONT", (0, 0), (-1, -1), self.fonts.body, TABLE_SIZE),
                    ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.9, 0.9, 0.9)),
                    ("VALIGN", (0, 0), (-1, 0), "MIDDLE"),
                    ("VALIGN", (0, 1), (-1, -1), "TOP"),  # a split row starts with its name
                    ("LEFTPADDING", (0, 0), (-1, -1), 3),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 3),
                    ("TOPPADDING", (0, 0), (-1, -1), 2),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ]
            )
        )
        return t


def make_styles(fonts: FontSet) -> Styles:
    body = ParagraphStyle(
        "body", fontName=fonts.body, fontSize=SIZE_3HAO, leading=LINE, wordWrap="CJK",
        alignment=TA_JUSTIFY, firstLineIndent=2 * SIZE_3HAO,
    )  # fmt: skip
    cell = ParagraphStyle(
        "cell", fontName=fonts.body, fontSize=TABLE_SIZE, leading=TABLE_SIZE * 1.35,
        wordWrap="CJK", alignment=TA_LEFT,
    )  # fmt: skip
    return Styles(
        fonts=fonts,
        title=ParagraphStyle(
            "title", fontName=fonts.title, fontSize=SIZE_2HAO, leading=SIZE_2HAO * 1.5,
            alignment=TA_CENTER, wordWrap="CJK", spaceAfter=LINE / 2,
        ),  # fmt: skip
        subtitle=ParagraphStyle(
            "subtitle", parent=body, fontName=fonts.kai, alignment=TA_CENTER, firstLineIndent=0,
            spaceAfter=LINE / 2,
        ),  # fmt: skip
        body=body,
        h1=ParagraphStyle("h1", parent=body, fontName=fonts.hei, alignment=TA_LEFT),
        h2=ParagraphStyle("h2", parent=body, fontName=fonts.kai, alignment=TA_LEFT),
        signature=ParagraphStyle(
            "signature", parent=body, alignment=TA_RIGHT, firstLineIndent=0,
            rightIndent=4 * SIZE_3HAO,
        ),  # fmt: skip
        cell=cell,
        cell_center=ParagraphStyle("cell_center", parent=cell, alignment=TA_CENTER),
        head=ParagraphStyle("head", parent=cell, fontName=fonts.hei, alignment=TA_CENTER),
        note=ParagraphStyle(
            "note", parent=body, fontSize=SMALL_SIZE, leading=SMALL_SIZE * 1.5, firstLineIndent=0
        ),
    )
