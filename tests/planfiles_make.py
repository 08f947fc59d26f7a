"""Build plan files (.docx, .xlsx) and hostile files in code, for the reader tests."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path

from docx import Document
from docx.oxml.ns import qn
from openpyxl import Workbook

from gxdesk.core.model import RawPlan
from gxdesk.exchange.plan_text import read_plan_text

ROOT = Path(__file__).resolve().parent.parent
SEED_COPY = ROOT / "data" / "plan2014-table.txt"

HEADER_2014 = ("类    别", "工作任务", "工   作   要   求", "完成时限", "责任单位")


def seed_text() -> str:
    return SEED_COPY.read_text(encoding="utf-8")


def seed_plan() -> RawPlan:
    return read_plan_text(seed_text())


def _set_cell_text(cell, raw: str) -> None:
    """Write ``raw`` into a python-docx cell, one paragraph per line."""
    lines = raw.split("\n")
    cell.paragraphs[0].text = lines[0]
    for line in lines[1:]:
        cell.add_paragraph(line)


def make_seed_docx(path: Path) -> Path:
    """The 2014 table as a Word document with REAL vertical merges.

    Built from the text importer's rows: a cell the text left blank under a
    filled one (inferred) becomes part of a vertical merge with the cell above,
    exactly as in the original Word table; the 类别 column is merged over each
    category.
    """
    plan = seed_plan()
    doc = Document()
    doc.add_paragraph(plan.title)
    table = doc.add_table(rows=1 + len(plan.rows), cols=5)
    for i, h in enumerate(HEADER_2014):
        table.cell(0, i).text = h
    fields = ("category", "name", "requirement", "deadline", "units")
    for r, row in enumerate(plan.rows, start=1):
        for c, f in enumerate(fields):
            cell = getattr(row, f)
            if not cell.inferred and cell.raw:
                _set_cell_text(table.cell(r, c), cell.raw)
    # merge each run "filled cell + inferred cells below it"
    for c, f in enumerate(fields):
        r = 1
        while r <= len(plan.rows):
            end = r
            while end < len(plan.rows) and getattr(plan.rows[end], f).inferred:
                end += 1  # plan.rows[end] is table row end + 1
            if end > r:
                table.cell(r, c).merge(table.cell(end, c))
            r = end + 1
    doc.save(path)
    return path


def vmerge_states(tc_list) -> list[str]:
    out = []
    for tc in tc_list:
        tcpr = tc.find(qn("w:tcPr"))
        vm = tcpr.find(qn("w:vMerge")) if tcpr is not None else None
        out.append("" if vm is None else (vm.get(qn("w:val")) or "continue"))
    return out


def make_docx_table(path: Path, title: str | None, rows: Sequence[Sequence[str]]) -> Path:
    """A .docx with one plain table (no merges); ``rows[0]`` is the header."""
    doc = Document()
    if title is not None:
        doc.add_paragraph(title)
    table = doc.add_table(rows=len(rows), cols=len(rows[0]))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            _set_cell_text(table.cell(r, c), text)
    doc.save(path)
    return path


def make_docx_sections(path: Path) -> Path:
    """序号 + 牵头单位/配合单位 columns, category headings as full-width rows.

    Rows: header; "一、…" merged across all 6 columns (gridSpan); two tasks whose
    完成时限 is vertically merged; "二、…" heading; one task; a footer note.
    """
    doc = Document()
    doc.add_paragraph("")
    doc.add_paragraph("2016年政务公开工作要点任务分工")
    t = doc.add_table(rows=6, cols=6)
    head = ("序号", "重点任务", "工作内容", "时间要求", "牵头单位", "配合单位")
    for c, h in enumerate(head):
        t.cell(0, c).text = h
    t.cell(1, 0).merge(t.cell(1, 5)).text = "一、推进决策公开"
    data = [
        ("1", "重大决策预公开", "@公开征求意见", "6月底前", "市政府办公室", "市级各部门"),
        ("2", "决策解读", "-同步解读", "", "市政府研究室", ""),
    ]
    for r, row in enumerate(data, start=2):
        for c, text in enumerate(row):
            if text:
                t.cell(r, c).text = text
    t.cell(2, 3).merge(t.cell(3, 3))
    t.cell(4, 0).merge(t.cell(4, 5)).text = "二、推进执行公开"
    for c, text in enumerate(("3", "督查结果公开", "+公开督查情况", "年底前", "市督查室", "")):
        if text:
            t.cell(5, c).text = text
    doc.add_paragraph("注：各单位于每季度末报送进展。")
    doc.save(path)
    return path


# --- xlsx -------------------------------------------------------------------------

TITLE_2015 = "2015年政府信息公开工作要点分解表"
HEADER_2015 = ("序号", "工作任务", "类别", "具体要求", "牵头单位", "配合单位", "完成时限")


def make_2015_xlsx(path: Path) -> Path:
    """An .xlsx 分解表 laid out unlike the 2014 table (see test for every cell)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "分解表"
    ws["A1"] = TITLE_2015
    ws.merge_cells("A1:G1")
    ws["A2"] = "（市政府办公室2015年3月印发）"
    ws.merge_cells("A2:G2")
    for c, h in enumerate(HEADER_2015, start=1):
        ws.cell(3, c, h)
    rows = [
        (
            1,
            "权力清单公开",
            "一、推进行政权力清单公开",
            "公开市政府部门权力清单",
            "市编办",
            "市政府法制办、市政务服务中心",
            "2015年6月底前",
        ),
        (
            2,
            "行政处罚结果公开",
            None,
            "=处罚结果7日内上网",
            "市政府法制办",
            "具有行政处罚权的部门",
            "处罚决定作出之日起7个工作日内",
        ),
        (
            3,
            "财政预算公开",
            "二、推进财政资金信息公开",
            "公开到项级科目",
            "市财政局",
            "市级各部门",
            "年  内",
        ),
        (4, "“三公”经费公开", None, "+细化说明因公出国（境）情况", "市财政局", None, None),
        (5, "专项资金公开", None, "-专项资金分配结果", "市财政局", "市审计局，市发展改革委", None),
        (
            6,
            "政策解读",
            "三、做好政策解读",
            "@解读材料同步发布",
            "市政府办公室",
            "市级各部门",
            dt.datetime(2015, 10, 31),
        ),
        (7, "依申请公开", None, "规范答复\n（含网上申请）", "市政府办公室", None, "实  时"),
    ]
    for r, row in enumerate(rows, start=4):
        for c, value in enumerate(row, start=1):
            if value is None:
                continue
            cell = ws.cell(r, c)
            cell.value = value
            if isinstance(value, str) and value[:1] in "=+-@":
                cell.data_type = "s"  # typed as text, not a formula
    ws.merge_cells("C4:C5")
    ws.merge_cells("C6:C8")
    ws.merge_cells("G6:G8")
    # row 11 blank; row 12 a footer note across the table; row 13 blank
    ws["A12"] = "注：本表由市政务公开办负责解释。"
    ws.merge_cells("A12:G12")
    wb.save(path)
    return path


def make_xlsx(path: Path, rows: Sequence[Sequence[object]], *, sheet: str = "Sheet1") -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if value is not None:
                cell = ws.cell(r, c)
                cell.value = value
                if isinstance(value, str) and value[:1] in "=+-@":
                    cell.data_type = "s"
    wb.save(path)
    return path


SMALL_PLAN = (
    ("类别", "工作任务", "工作要求", "完成时限", "责任单位"),
    ("一、主动公开", "预算公开", "公开到项级科目", "年内", "市财政局牵头"),
    (None, "决算公开", "公开到项级科目", "8月底前", "市财政局牵头"),
)


def rezip(
    src: Path,
    dst: Path,
    *,
    replace: Mapping[str, bytes] | None = None,
    add: Mapping[str, bytes] | None = None,
) -> Path:
    """Copy a zip, replacing or adding members."""
    replace = dict(replace or {})
    buf = io.BytesIO()
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = replace.pop(info.filename, None)
            zout.writestr(info.filename, data if data is not None else zin.read(info))
        for name, data in {**replace, **(add or {})}.items():
            zout.writestr(name, data)
    dst.write_bytes(buf.getvalue())
    return dst


def add_zero_member(src: Path, dst: Path, name: str, size: int) -> Path:
    """Copy a zip and add a member of ``size`` zero bytes (highly compressible)."""
    rezip(src, dst)
    chunk = bytes(1024 * 1024)
    with zipfile.ZipFile(dst, "a", zipfile.ZIP_DEFLATED) as zf, zf.open(name, "w") as fh:
        left = size
        while left > 0:
            fh.write(chunk[: min(left, len(chunk))])
            left -= len(chunk)
    return dst


def ole2_file(path: Path, *, encrypted: bool) -> Path:
    """A stand-in for an OLE2 compound file (old .xls/.doc or encrypted OOXML).

    A real one starts with the 8-byte magic D0 CF 11 E0 A1 B1 1A E1 and a
    512-byte header; an encrypted .xlsx/.docx (MS-OFFCRYPTO) is such a file
    whose directory holds the streams "EncryptionInfo" and "EncryptedPackage",
    their names stored in UTF-16LE. Only those features are reproduced here:
    the magic, a zero-filled header, directory entry names, binary junk.
    """
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    names = ["Root Entry"] + (["EncryptionInfo", "EncryptedPackage"] if encrypted else ["Workbook"])
    directory = b"".join(n.encode("utf-16-le").ljust(64, b"\0") + bytes(64) for n in names)
    junk = bytes(range(256)) * 8
    path.write_bytes(header + directory + junk)
    return path
