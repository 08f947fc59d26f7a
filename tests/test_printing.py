"""The workbooks on paper: printed through LibreOffice, read back from the PDF.

One LibreOffice run prints a unit's workbook and the ledger; the text's size is
measured from the PDF (a CJK character is one em wide, so a word's width over
its length is the size it printed at), and the long 进展情况 is read back from the
column it printed in. Another run re-saves a filled workbook, as a unit working
in LibreOffice would, and the merge takes it.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from exchange_helpers import ON, columns, data_rows, export_all, open_for_edit, type_text
from libreoffice import run_soffice

from gxdesk.core.workbook_data import ALL_COLUMNS
from gxdesk.exchange import ledger
from gxdesk.exchange.print_layout import (
    MIN_PRINTED_POINTS,
    max_lines,
    printed_body_points,
    split_to_rows,
    wrapped_lines,
)
from gxdesk.exchange.unit_workbook import WIDTHS
from gxdesk.ops.exchange import export_plan, export_units, preview_merge
from gxdesk.store.merge import Outcome, apply_merge

# Numbered so that a lost or repeated piece shows; 1,700 characters, more than
# the highest row holds in the ledger's column.
LONG_TEXT = "".join(
    f"第{i:03d}项工作已按要求部署落实，相关信息已在政府网站公开。" for i in range(1, 61)
)
# fits one row of the unit workbook's 进展情况 (which has no rows to continue in)
ROW_TEXT = LONG_TEXT[:280]


@dataclass(frozen=True)
class Word:
    page: int
    x0: float
    y0: float
    x1: float
    text: str

    @property
    def cjk(self) -> bool:
        return len(self.text) >= 2 and all("\u4e00" <= ch <= "\u9fff" for ch in self.text)

    @property
    def points(self) -> float:
        return (self.x1 - self.x0) / len(self.text)


_WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>'
)


def pdf_words(pdf: Path) -> list[Word]:
    html = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    words = []
    for page, part in enumerate(html.split("<page ")[1:], 1):
        for m in _WORD.finditer(part):
            x0, y0, x1, text = m.groups()
            words.append(Word(page, float(x0), float(y0), float(x1), text))
    return words


def column_text(words: list[Word], header: str, width_points: float) -> str:
    """The text printed in the column under ``header``, in reading order, on every page
    that has it (it is repeated on each page of the sheet)."""
    out = []
    for page in sorted({w.page for w in words}):
        on_page = [w for w in words if w.page == page]
        head = next((w for w in on_page if w.text == header), None)
        if head is None:
            continue  # the 填报说明 sheet
        middle = (head.x0 + head.x1) / 2
        inside = [
            w
            for w in on_page
            if w.y0 > head.y0 + 5 and abs((w.x0 + w.x1) / 2 - middle) < width_points / 2
        ]
        out += [w.text for w in sorted(inside, key=lambda w: (round(w.y0), w.x0))]
    return "".join(out)


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """市财政局's workbook with a long report pre-filled, and the ledger holding a longer
    one, printed to PDF; the database and files for the merge test."""
    work = tmp_path_factory.mktemp("print")
    db, files = export_all(work)
    for unit, text in (("市财政局", ROW_TEXT), ("市审计局", LONG_TEXT)):
        path = files[unit]
        wb = open_for_edit(path)
        ws = wb.worksheets[0]
        cols, rows = columns(ws), data_rows(ws)
        row = rows[next(iter(rows))]
        ws.cell(row, cols["进展状态"]).value = "推进中"
        type_text(ws.cell(row, cols["进展情况"]), text)
        wb.save(path)
    plan = preview_merge(db, [files["市财政局"], files["市审计局"]], on=ON)
    assert apply_merge(db, plan).applied == 2
    again = work / "again"
    again.mkdir()
    unit_book = next(f.path for f in export_units(db, again, on=ON) if f.unit == "市财政局")
    book = work / "unit.xlsx"
    shutil.copy(unit_book, book)
    ledger_book = export_plan(db, work / "ledger.xlsx", on=ON)
    run_soffice(work, "--convert-to", "pdf", "--outdir", str(work), str(book), str(ledger_book))
    yield {
        "db": db,
        "work": work,
        "unit": pdf_words(work / "unit.pdf"),
        "ledger": pdf_words(work / "ledger.pdf"),
    }
    db.close()


def test_layouts_print_their_body_at_nine_points_or_more() -> None:
    unit = [WIDTHS[name] for name, _h in ALL_COLUMNS[:-1]]  # the key column is not printed
    assert printed_body_points(unit) >= MIN_PRINTED_POINTS
    printed_ledger = [w for _h, w in ledger.COLUMNS[: ledger.PRINTED]]
    assert printed_body_points(printed_ledger) >= MIN_PRINTED_POINTS
    assert [h for h, _w in ledger.COLUMNS[ledger.PRINTED - 1 : ledger.PRINTED + 1]] == [
        "存在问题",
        "联系人",
    ]


@pytest.mark.parametrize("book", ["unit", "ledger"])
def test_printed_text_is_nine_points_or_more(printed, book: str) -> None:  # type: ignore[no-untyped-def]
    sizes = [w.points for w in printed[book] if w.cjk]
    assert len(sizes) > 100
    assert min(sizes) >= MIN_PRINTED_POINTS, sorted(sizes)[:5]


def test_the_unit_workbook_prints_a_long_report_whole(printed) -> None:  # type: ignore[no-untyped-def]
    words = printed["unit"]
    scale = _scale(words)
    got = column_text(words, "进展情况", WIDTHS["text"] * 5.57 * scale)
    assert ROW_TEXT in got


def test_the_ledger_continues_a_report_too_long_for_a_row(printed) -> None:  # type: ignore[no-untyped-def]
    words = printed["ledger"]
    width = dict(ledger.COLUMNS)["进展情况"]
    got = column_text(words, "进展情况", width * 5.57 * _scale(words))
    assert LONG_TEXT in got  # every piece, once, in order
    assert sum(1 for w in words if w.text.endswith("（续）")) >= 1


def _scale(words: list[Word]) -> float:
    """How much the page was shrunk: the 10-point body's printed size over 10."""
    sizes = sorted(w.points for w in words if w.cjk)
    return sizes[len(sizes) // 2] / 10


def test_pieces_of_a_long_text_fit_a_row_and_join_to_it() -> None:
    width = dict(ledger.COLUMNS)["进展情况"]
    pieces = split_to_rows(LONG_TEXT, width)
    assert len(pieces) >= 3 and "".join(pieces) == LONG_TEXT
    assert all(wrapped_lines(p, width) <= max_lines() for p in pieces)
    assert all(p.endswith("。") for p in pieces[:-1])  # cut at a sentence's end
    assert split_to_rows("短", width) == ["短"]
    assert wrapped_lines("一二三四五", 5) == 3  # 1.9 units a character, 4.25 to a line


def test_a_workbook_resaved_by_libreoffice_still_merges(printed) -> None:  # type: ignore[no-untyped-def]
    work: Path = printed["work"]
    db = printed["db"]
    out = work / "resave"
    out.mkdir()
    path = next(f.path for f in export_units(db, out, on=ON) if f.unit == "市国土资源局")
    wb = open_for_edit(path)
    ws = wb.worksheets[0]
    cols, rows = columns(ws), data_rows(ws)
    ws.cell(rows[next(iter(rows))], cols["进展状态"]).value = "已完成"
    wb.save(path)
    resaved = work / "resaved"
    resaved.mkdir()
    run_soffice(
        work, "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(resaved), str(path)
    )
    plan = preview_merge(db, [resaved / path.name], on=ON)
    outcomes = [r.outcome for f in plan.files for r in f.rows]
    assert plan.files[0].error is None
    assert outcomes.count(Outcome.APPLIED) == 1
