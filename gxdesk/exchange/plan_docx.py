"""The plan table in a Word .docx.

python-docx repeats a vertically merged cell's text over its whole span when
read through ``table.cell()``/``row.cells``, which would hide what is inferred;
so the table XML is walked directly: ``w:tr``/``w:tc``, ``w:gridBefore``,
``w:gridSpan`` (horizontal) and ``w:vMerge`` (``val="restart"`` starts a
vertical merge, ``w:vMerge`` without a value continues it). A continued cell
takes the text of the cell that started the merge with ``inferred=True``.

* The table used is the first one whose first rows (up to 5) hold a header;
  later tables with the same header are continuations (a table split across
  pages) and are appended.
* Title: the first non-empty paragraph before that table, else the first
  non-empty paragraph of the document.
* Paragraphs inside a cell are joined with "\\n" in ``raw``.
* A blank cell that is not merged stays blank (except 类别: same category).
"""

from __future__ import annotations

import os
from typing import Any  # lxml elements of the document body

from gxdesk.core.model import RawPlan
from gxdesk.core.text import normalize
from gxdesk.exchange.plan_table import (
    HEADER_EXPECTED,
    Slot,
    TableRow,
    build_plan,
    match_header,
)
from gxdesk.exchange.safety import DEFAULT_LIMITS, BadFileError, Limits, check_zip

HEADER_SEARCH_ROWS = 5


def _qn(tag: str) -> str:
    from docx.oxml.ns import qn

    return qn(tag)


def _int_val(el: Any, default: int) -> int:
    if el is None:
        return default
    try:
        return max(0, int(el.get(_qn("w:val"))))
    except (TypeError, ValueError):
        return default


def _para_text(p: Any) -> str:
    from docx.text.paragraph import Paragraph

    return Paragraph(p, None).text  # type: ignore[arg-type]  # the text needs no parent part


def _cell_text(tc: Any) -> str:
    return "\n".join(_para_text(p) for p in tc.iter(_qn("w:p")))


class _Grid:
    """One table's rows as grid columns → (text, merged, vertical)."""

    def __init__(self, tbl: Any, limits: Limits) -> None:
        self.rows: list[dict[int, Slot]] = []
        restart: dict[int, str] = {}
        for tr in tbl.iterchildren(_qn("w:tr")):
            if len(self.rows) >= limits.max_rows:
                raise BadFileError(f"表格行数过多（超过 {limits.max_rows} 行）")
            trpr = tr.find(_qn("w:trPr"))
            col = _int_val(trpr.find(_qn("w:gridBefore")) if trpr is not None else None, 0)
            row: dict[int, Slot] = {}
            for tc in tr.iterchildren(_qn("w:tc")):
                tcpr = tc.find(_qn("w:tcPr"))
                span = 1
                vmerge = None
                if tcpr is not None:
                    span = max(1, _int_val(tcpr.find(_qn("w:gridSpan")), 1))
                    vmerge = tcpr.find(_qn("w:vMerge"))
                if col + span > limits.max_cols:
                    raise BadFileError(f"表格列数过多（超过 {limits.max_cols} 列）")
                if vmerge is not None and vmerge.get(_qn("w:val")) in (None, "continue"):
                    text = restart.get(col, "")
                    for k in range(span):
                        row[col + k] = Slot(text, merged=True, vertical=True)
                else:
                    text = _cell_text(tc)
                    for k in range(span):
                        row[col + k] = Slot(text, merged=k > 0)
                        restart[col + k] = text
                col += span
            self.rows.append(row)

    def texts(self, i: int) -> list[str]:
        row = self.rows[i]
        width = max(row, default=-1) + 1
        # a horizontally merged header cell names only its first column
        return [
            normalize(row[c].raw) if c in row and not row[c].merged else "" for c in range(width)
        ]


def read_plan_docx(path: str | os.PathLike[str], limits: Limits = DEFAULT_LIMITS) -> RawPlan:
    """Read the first plan table of a .docx (checked with :func:`check_zip` first)."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    check_zip(path, limits)
    try:
        document = docx.Document(os.fspath(path))
    except PackageNotFoundError as exc:
        raise BadFileError("文件不是有效的 Word 文档（.docx）：可能已损坏或被截断") from exc
    except BadFileError:
        raise
    except Exception as exc:
        raise BadFileError(
            f"文件不是有效的 Word 文档（.docx）：内容无法解析（{type(exc).__name__}）"
        ) from exc
    body = document.element.body
    title = ""
    first_para = ""
    header: dict[str, str] | None = None
    cols: dict[str, int] | None = None
    rows: list[TableRow] = []
    table_no = 0
    for child in body.iterchildren():
        if child.tag == _qn("w:p"):
            text = normalize(_para_text(child))
            if text and not first_para:
                first_para = text
            if text and cols is None and not title:
                title = text
            continue
        if child.tag != _qn("w:tbl"):
            continue
        table_no += 1
        grid = _Grid(child, limits)
        start = None
        for i in range(min(HEADER_SEARCH_ROWS, len(grid.rows))):
            found = match_header(grid.texts(i))
            if found is not None and (cols is None or found == cols):
                start, cols_here = i, found
                break
        if start is None:
            continue
        if cols is None:
            cols = cols_here
            texts = grid.texts(start)
            header = {f: texts[c] for f, c in cols.items()}
        for i in range(start + 1, len(grid.rows)):
            row = grid.rows[i]
            slots = {f: row.get(c, Slot()) for f, c in cols.items()}
            rows.append(TableRow(where=f"表{table_no}第{i + 1}行", slots=slots))
        if len(rows) > limits.max_rows:
            raise BadFileError(f"表格行数过多（超过 {limits.max_rows} 行）")
    if cols is None:
        raise BadFileError(HEADER_EXPECTED)
    return build_plan(title or first_para, rows, source="docx", header=header)
