"""How the program's workbooks print: A4 landscape, fit to width, body text ≥ 9 pt.

A spreadsheet printed "fit to one page wide" shrinks everything by the ratio of
the printable width to the sheet's width, so the printed size of the text is
fixed by the sum of the column widths, whatever font size the cells carry.
Column widths count digits of the workbook's default font, Calibri 11: 5.57 pt
each in LibreOffice with Carlito (Calibri's metric twin, installed with
LibreOffice), a little less in Excel and WPS, which round it to 7 px. The layouts are chosen so that the
10-point body prints at 9 pt or more there (:func:`printed_body_points`). A
LibreOffice without Carlito measures another font, about a third wider, and
prints smaller.

Spreadsheet programs do not fit row heights to wrapped text when they open a
file, so the writers estimate them (:func:`wrapped_height`). A row cannot be
higher than a spreadsheet allows (:data:`MAX_ROW_POINTS`), which is why the
ledger continues a long text in the rows below (:func:`split_to_rows`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from openpyxl.worksheet.properties import PageSetupProperties

BODY_POINTS = 10.0  # the cells' 宋体 size
MIN_PRINTED_POINTS = 9.0
LINE_POINTS = 13.5  # one line of 10-point 宋体 in Excel
MAX_ROW_POINTS = 409.0  # Excel's highest row
ROW_PADDING = 4.0
A4_LANDSCAPE_WIDTH = 841.89  # points
SIDE_MARGIN_INCHES = 0.3
UNIT_POINTS = 5.57  # one unit of column width: Calibri 11's digit
# In Excel's units a 10-point CJK character is 13.3 px ≈ 1.9 widths, a Latin one
# about half that; a cell loses about 5 px to its padding.
CJK_UNITS = 1.9
LATIN_UNITS = 0.95
CELL_PADDING_UNITS = 0.75


def printable_width() -> float:
    """Points across an A4 landscape page between the side margins."""
    return A4_LANDSCAPE_WIDTH - 2 * 72 * SIDE_MARGIN_INCHES


def printed_body_points(widths: Iterable[float]) -> float:
    """The body text's printed size when columns of ``widths`` are fitted to the page."""
    sheet = sum(widths) * UNIT_POINTS
    return BODY_POINTS * min(1.0, printable_width() / sheet)


def line_capacity(width: float) -> float:
    """Units of text one line of a column ``width`` wide holds."""
    return max(width - CELL_PADDING_UNITS, 1.0)


def _units(text: str) -> float:
    """Width of ``text`` in column units. Counted from its UTF-8 length, at C speed (a
    workbook has thousands of cells): a CJK character takes three bytes, ASCII one."""
    n = len(text)
    wide = (len(text.encode("utf-8")) - n) / 2
    return wide * CJK_UNITS + (n - wide) * LATIN_UNITS


def wrapped_lines(text: str, width: float) -> int:
    """How many lines ``text`` wraps to in a column ``width`` characters wide.

    A line holds whole CJK characters (a spreadsheet breaks CJK text anywhere),
    so an all-CJK text is counted exactly; a Latin word may move whole to the
    next line, so the estimate keeps a line in reserve for every twenty.
    """
    per_line = max(int(line_capacity(width) / CJK_UNITS), 1) * CJK_UNITS
    total = sum(max(1, math.ceil(_units(part) / per_line - 1e-9)) for part in text.split("\n"))
    return total + total // 20


def wrapped_height(cells: Iterable[tuple[str, float]], min_lines: int = 1) -> float:
    """Row height in points for (text, column width) pairs, so wrapped text shows whole
    (up to the highest row a spreadsheet allows)."""
    lines = max([min_lines, *(wrapped_lines(text, width) for text, width in cells if text)])
    return min(lines * LINE_POINTS + ROW_PADDING, MAX_ROW_POINTS)


def max_lines() -> int:
    """Lines of body text the highest row holds."""
    return int((MAX_ROW_POINTS - ROW_PADDING) // LINE_POINTS)


def split_to_rows(text: str, width: float) -> list[str]:
    """``text`` cut into pieces that each fit one row of a column ``width`` wide.

    Cut at the end of a paragraph or sentence where one falls in the last
    lines of a piece, so each piece reads on its own.
    """
    if wrapped_lines(text, width) <= max_lines():
        return [text]
    pieces: list[str] = []
    rest = text
    # characters per piece, counted for the widest characters (CJK) and with
    # the estimate's reserve taken off
    budget = max(int(line_capacity(width) // CJK_UNITS), 1) * max_lines() * 20 // 21
    while wrapped_lines(rest, width) > max_lines():
        cut = budget
        for mark in ("\n", "。", "；", "，"):
            at = rest.rfind(mark, budget * 3 // 4, budget)
            if at >= 0:
                cut = at + 1
                break
        while cut > 1 and wrapped_lines(rest[:cut], width) > max_lines():
            cut -= 1  # paragraph breaks take lines of their own
        pieces.append(rest[:cut])
        rest = rest[cut:].lstrip("\n")
    pieces.append(rest)
    return pieces


def set_landscape_fit_to_width(ws: Any, print_area: str, title_rows: str) -> None:
    """A4 landscape, one page wide and as many tall as needed, the header on every page."""
    ws.print_area = print_area
    ws.print_title_rows = title_rows
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = "9"  # A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_margins.left = ws.page_margins.right = SIDE_MARGIN_INCHES
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.print_options.horizontalCentered = True
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    ws.oddFooter.center.size = 10


def set_row_height(ws: Any, row: int, points: float) -> None:
    """Give a write-only sheet's row its estimated height, not marked as set by hand,
    so a spreadsheet program may refit the row when its text is edited."""
    ws.row_dimensions[row] = {"ht": f"{points:g}"}
