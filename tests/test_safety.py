"""Hostile and broken files: every one is refused with a Chinese reason, quickly."""

from __future__ import annotations

import io
import re
import tracemalloc
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from planfiles_make import (
    SMALL_PLAN,
    add_zero_member,
    make_seed_docx,
    make_xlsx,
    ole2_file,
    rezip,
    seed_text,
)

from gxdesk.exchange import safety
from gxdesk.exchange.plan_reader import read_plan
from gxdesk.exchange.safety import BadFileError, Limits, check_zip, harden_xml, sniff

CJK = re.compile(r"[\u4e00-\u9fff]")
MB = 1024 * 1024


@contextmanager
def _peak_memory() -> Iterator[Callable[[], int]]:
    """The most memory Python allocated inside the block (what a bomb would blow up)."""
    tracemalloc.start()
    peak = [0]
    try:
        yield lambda: peak[0]
    finally:
        peak[0] = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()


def refused(path, limits: Limits = safety.DEFAULT_LIMITS) -> str:
    with pytest.raises(BadFileError) as err:
        read_plan(path, limits)
    msg = str(err.value)
    assert CJK.search(msg), msg
    assert "\n" not in msg
    return msg


@pytest.fixture
def plan_xlsx(tmp_path):
    return make_xlsx(tmp_path / "plan.xlsx", SMALL_PLAN)


def test_limits_defaults():
    lim = Limits()
    assert (lim.max_file_bytes, lim.max_uncompressed_bytes, lim.max_member_bytes) == (
        20 * MB,
        200 * MB,
        100 * MB,
    )
    assert (lim.max_ratio, lim.max_members, lim.max_rows, lim.max_cols) == (100, 2000, 20000, 200)
    with pytest.raises(AttributeError):
        lim.max_rows = 1  # type: ignore[misc]


def test_harden_xml_is_active_and_checked(monkeypatch):
    import openpyxl.xml

    assert harden_xml() is True
    monkeypatch.setattr(openpyxl.xml, "DEFUSEDXML", False)
    with pytest.raises(RuntimeError):
        harden_xml()


def test_sniff_by_content(tmp_path, plan_xlsx):
    docx = make_seed_docx(tmp_path / "seed.docx")
    renamed = tmp_path / "really-a-workbook.docx"
    renamed.write_bytes(plan_xlsx.read_bytes())
    text = tmp_path / "text.xlsx"
    text.write_text(seed_text(), encoding="utf-8")
    gbk = tmp_path / "gbk.doc"
    gbk.write_bytes(seed_text().encode("gb18030"))
    assert sniff(plan_xlsx) == "xlsx"
    assert sniff(docx) == "docx"
    assert sniff(renamed) == "xlsx"
    assert sniff(text) == "text"
    assert sniff(gbk) == "text"
    assert read_plan(renamed).source == "xlsx"


def test_old_xls_is_refused(tmp_path):
    msg = refused(ole2_file(tmp_path / "plan.xls", encrypted=False))
    assert "旧版" in msg and ".xlsx" in msg


def test_encrypted_ooxml_is_refused_as_password_protected(tmp_path):
    # An Excel file saved with a password is not a zip: it is an OLE2 compound
    # file holding EncryptionInfo + EncryptedPackage streams (see ole2_file).
    msg = refused(ole2_file(tmp_path / "plan.xlsx", encrypted=True))
    assert "密码" in msg


def test_truncated_zip_is_refused(tmp_path, plan_xlsx):
    data = plan_xlsx.read_bytes()
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(data[: len(data) // 2])
    msg = refused(cut)
    assert "损坏" in msg or "截断" in msg


def test_empty_file_is_refused(tmp_path):
    empty = tmp_path / "empty.xlsx"
    empty.write_bytes(b"")
    assert "为空" in refused(empty)


def test_binary_junk_is_refused(tmp_path):
    import random

    junk = tmp_path / "junk.txt"
    junk.write_bytes(random.Random(7).randbytes(4096))
    assert "二进制" in refused(junk) or "文本" in refused(junk)
    junk2 = tmp_path / "junk2.docx"
    junk2.write_bytes(bytes(range(1, 32)) * 50)  # no NUL, but control characters
    refused(junk2)


def test_file_over_size_limit_is_refused(tmp_path):
    big = tmp_path / "big.txt"
    big.write_text(seed_text() * 3, encoding="utf-8")
    msg = refused(big, Limits(max_file_bytes=10_000))
    assert "过大" in msg


def test_other_zip_is_refused(tmp_path):
    path = tmp_path / "photos.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("a.txt", "hello")
    assert "[Content_Types].xml" in refused(path)


def test_zip_bomb_is_refused_before_parsing(tmp_path, plan_xlsx, monkeypatch):
    bomb = add_zero_member(plan_xlsx, tmp_path / "bomb.xlsx", "xl/media/zeros.bin", 50 * MB)
    assert bomb.stat().st_size < 1 * MB
    import openpyxl

    def must_not_parse(*a, **k):  # pragma: no cover - failing path
        raise AssertionError("openpyxl was called on a zip bomb")

    monkeypatch.setattr(openpyxl, "load_workbook", must_not_parse)
    with _peak_memory() as peak:
        msg = refused(bomb)
    assert peak() < 10 * MB  # refused from the declared sizes, nothing inflated
    assert "压缩炸弹" in msg and "压缩比" in msg
    # declared size alone (not ratio) also refuses
    with pytest.raises(BadFileError, match="过大"):
        check_zip(bomb, Limits(max_member_bytes=10 * MB, max_ratio=10**9))
    with pytest.raises(BadFileError, match="总大小"):
        check_zip(bomb, Limits(max_uncompressed_bytes=20 * MB, max_ratio=10**9))


def test_too_many_members_is_refused(tmp_path, plan_xlsx):
    many = rezip(plan_xlsx, tmp_path / "many.xlsx", add={f"x/{i}.txt": b"x" for i in range(30)})
    assert "文件数过多" in refused(many, Limits(max_members=20))


BILLION_LAUGHS = b"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
"""


def test_doctype_entity_in_sheet_is_refused(tmp_path, plan_xlsx, monkeypatch):
    with zipfile.ZipFile(plan_xlsx) as zf:
        sheet = zf.read("xl/worksheets/sheet1.xml")
    assert not sheet.startswith(b"<?xml")  # openpyxl writes no declaration
    evil = rezip(
        plan_xlsx,
        tmp_path / "lol.xlsx",
        replace={"xl/worksheets/sheet1.xml": BILLION_LAUGHS + sheet},
    )
    import openpyxl

    monkeypatch.setattr(openpyxl, "load_workbook", lambda *a, **k: pytest.fail("parsed"))
    msg = refused(evil)
    assert "DOCTYPE" in msg and "sheet1.xml" in msg


def test_doctype_in_docx_is_refused(tmp_path):
    docx = make_seed_docx(tmp_path / "seed.docx")
    with zipfile.ZipFile(docx) as zf:
        body = zf.read("word/document.xml").split(b"?>", 1)[1]
    evil = rezip(docx, tmp_path / "lol.docx", replace={"word/document.xml": BILLION_LAUGHS + body})
    assert "DOCTYPE" in refused(evil)


def test_doctype_hidden_after_long_prolog_is_refused(tmp_path, plan_xlsx):
    with zipfile.ZipFile(plan_xlsx) as zf:
        sheet = zf.read("xl/worksheets/sheet1.xml")
    decl = b'<?xml version="1.0" encoding="UTF-8"?>'
    padded = decl + b"<!--" + b"x" * (70 * 1024) + b"-->" + b"<!DOCTYPE a []>" + sheet
    evil = rezip(plan_xlsx, tmp_path / "pad.xlsx", replace={"xl/worksheets/sheet1.xml": padded})
    assert "XML" in refused(evil)


def test_xlsm_is_refused(tmp_path, plan_xlsx):
    with zipfile.ZipFile(plan_xlsx) as zf:
        ct = zf.read("[Content_Types].xml")
    ct = ct.replace(
        b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    )
    assert b"macroEnabled" in ct
    xlsm = rezip(
        plan_xlsx,
        tmp_path / "macro.xlsx",  # named .xlsx on purpose: content decides
        replace={"[Content_Types].xml": ct},
        add={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0" + bytes(100)},
    )
    assert sniff(xlsm) == "xlsm"
    assert "宏" in refused(xlsm)
    only_bin = rezip(plan_xlsx, tmp_path / "b.xlsx", add={"xl/vbaProject.bin": b"x"})
    assert sniff(only_bin) == "xlsm"


def test_huge_declared_dimension_imports_in_little_memory(tmp_path, plan_xlsx):
    with zipfile.ZipFile(plan_xlsx) as zf:
        sheet = zf.read("xl/worksheets/sheet1.xml").decode()
    sheet = re.sub(r'<dimension ref="[^"]*"', '<dimension ref="A1:XFD1048576"', sheet)
    # plus one styled empty cell in the very last row and column
    sheet = sheet.replace("</sheetData>", '<row r="1048576"><c r="XFD1048576"/></row></sheetData>')
    assert 'ref="A1:XFD1048576"' in sheet
    wide = rezip(
        plan_xlsx, tmp_path / "wide.xlsx", replace={"xl/worksheets/sheet1.xml": sheet.encode()}
    )
    with _peak_memory() as peak:
        plan = read_plan(wide)
    assert peak() < 50 * MB  # no grid, no object per cell, up to the far corner
    assert [r.name.text for r in plan.rows] == ["预算公开", "决算公开"]
    assert plan.rows[1].deadline.text == "8月底前"


def test_merged_range_bomb_is_refused_before_openpyxl(tmp_path, plan_xlsx):
    # openpyxl creates an object for every cell a merge covers: A1:XFD1048576
    # would be 17 billion of them.
    with zipfile.ZipFile(plan_xlsx) as zf:
        sheet = zf.read("xl/worksheets/sheet1.xml").decode()
    merge = '<mergeCells count="1"><mergeCell ref="A10:XFD1048576"/></mergeCells>'
    sheet = sheet.replace("</sheetData>", "</sheetData>" + merge)
    evil = rezip(
        plan_xlsx, tmp_path / "m.xlsx", replace={"xl/worksheets/sheet1.xml": sheet.encode()}
    )
    with _peak_memory() as peak:
        assert "单元格过多" in refused(evil)
    assert peak() < 10 * MB


def test_too_many_rows_in_text_and_xlsx(tmp_path, plan_xlsx):
    assert "行数过多" in refused(plan_xlsx, Limits(max_rows=2))
    txt = tmp_path / "p.txt"
    txt.write_text(seed_text(), encoding="utf-8")
    assert "行数过多" in refused(txt, Limits(max_rows=10))


def test_malformed_sheet_xml_is_bad_file(tmp_path, plan_xlsx):
    broken = rezip(
        plan_xlsx,
        tmp_path / "x.xlsx",
        replace={"xl/worksheets/sheet1.xml": b"<worksheet><sheetData>"},
    )
    refused(broken)


def test_missing_workbook_part_is_bad_file(tmp_path, plan_xlsx):
    buf = tmp_path / "nowb.xlsx"
    with zipfile.ZipFile(plan_xlsx) as zin, zipfile.ZipFile(buf, "w") as zout:
        for info in zin.infolist():
            if info.filename != "xl/workbook.xml":
                zout.writestr(info.filename, zin.read(info))
    refused(buf)


def test_decode_text_refuses_binary():
    with pytest.raises(BadFileError):
        safety.decode_text(b"abc\x00def")
    assert safety.decode_text("类别".encode("gb18030")) == "类别"


def test_corrupt_deflate_stream_is_bad_file(tmp_path, plan_xlsx):
    # zlib.error from inside a member must not escape as such
    data = bytearray(plan_xlsx.read_bytes())
    with zipfile.ZipFile(plan_xlsx) as zf:
        info = zf.getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data[start : start + 40] = b"\xff" * 40
    bad = tmp_path / "z.xlsx"
    bad.write_bytes(bytes(data))
    assert "损坏" in refused(bad)


# --- one check for plans and returned workbooks: cells far away ------------------------

FAR_CELLS = {
    "plain": b'<row r="1000000"><c r="ZZ1000000" t="inlineStr"><is><t>x</t></is></c></row>',
    "single quotes": b"<row r='1000000'><c r='ZZ1000000'><v>1</v></c></row>",
    "spaces": b'<row r = "30000"><c  r = "A30000"><v>1</v></c></row>',
    "prefixed": b'<x:row xmlns:x="urn:x" r="5"><x:c r="ZZ5"><x:v>1</x:v></x:c></x:row>',
    "after a far empty row": b'<row r="1000000"/><row><c><v>1</v></c></row>',
    "after a far empty cell": b'<row r="9"><c r="GR9"/><c/><c><v>1</v></c></row>',
    "escaped address": b'<row r="9"><c r="&#90;&#90;9"><v>1</v></c></row>',
    "attribute before r": b'<row r="9"><c s="0" r="ZZ9"><f>1+1</f></c></row>',
    "r hidden after a quoted >": b'<row r="9"><c s=">" r="ZZ9"><v>1</v></c></row>',
    # python-calamine reads every r attribute of a tag and keeps the last (measured)
    "second r": b'<row r="9"><c r="A9" r="ZZ9"><v>1</v></c></row>',
    "second r, no space": b'<row r="9"><c r="A9"r="ZZ9"><v>1</v></c></row>',
    "second r after s, no space": b'<row r="9"><c r="A9" s="0"r="ZZ9"><v>1</v></c></row>',
    "second r after a quoted >": b'<row r="9"><c r="A9" s=">" r="ZZ9"><v>1</v></c></row>',
    "second r after a quoted <": b'<row r="9"><c r="A9" t="<v>" r="ZZ9"><v>1</v></c></row>',
    "tab before r": b'<row r="9"><c\tr="ZZ9"><v>1</v></c></row>',
    "lower-case column": b'<row r="9"><c r="zz9"><v>1</v></c></row>',
    "dollar signs": b'<row r="9"><c r="$ZZ$9"><v>1</v></c></row>',
    "row beyond the limit": b'<row r="20001"><c r="A20001"><v>1</v></c></row>',
    "empty addresses counted on": b'<row r="9">' + b'<c r=""><v>1</v></c>' * 201 + b"</row>",
}


@pytest.mark.parametrize("name", sorted(FAR_CELLS))
def test_far_away_content_is_refused_before_any_reader(tmp_path, plan_xlsx, monkeypatch, name):
    import openpyxl

    from gxdesk.exchange.safety import check_package

    with zipfile.ZipFile(plan_xlsx) as zf:
        sheet = zf.read("xl/worksheets/sheet1.xml")
    evil = rezip(
        plan_xlsx,
        tmp_path / "far.xlsx",
        replace={
            "xl/worksheets/sheet1.xml": sheet.replace(
                b"</sheetData>", FAR_CELLS[name] + b"</sheetData>"
            )
        },
    )
    monkeypatch.setattr(openpyxl, "load_workbook", lambda *a, **k: pytest.fail("parsed"))
    msg = refused(evil)  # a plan: before openpyxl
    assert "范围过大" in msg or "地址" in msg, msg
    with pytest.raises(BadFileError):  # the same function guards the returned workbooks
        check_package(evil.read_bytes())


def test_far_away_empty_cells_and_dimension_are_harmless(tmp_path, plan_xlsx):
    """Neither reader allocates for them (measured), and Excel may write them."""
    from gxdesk.exchange.safety import check_package

    with zipfile.ZipFile(plan_xlsx) as zf:
        sheet = zf.read("xl/worksheets/sheet1.xml").decode()
    sheet = re.sub(r'<dimension ref="[^"]*"', '<dimension ref="A1:XFD1048576"', sheet)
    sheet = sheet.replace(
        "</sheetData>",
        '<row r="500000" ht="20" customHeight="1"/><row r="1048576"><c r="XFD1048576"/>'
        "</row></sheetData>",
    )
    ok = rezip(
        plan_xlsx, tmp_path / "ok.xlsx", replace={"xl/worksheets/sheet1.xml": sheet.encode()}
    )
    assert check_package(ok.read_bytes()).kind == "xlsx"
    assert [r.name.text for r in read_plan(ok).rows] == ["预算公开", "决算公开"]
    # an empty cell written with an end tag is empty too (python-calamine skips it)
    open_empty = sheet.replace("</sheetData>", "<row r='9'><c r='ZZ9'> </c></row></sheetData>")
    assert check_package(
        rezip(
            plan_xlsx,
            tmp_path / "o.xlsx",
            replace={"xl/worksheets/sheet1.xml": open_empty.encode()},
        ).read_bytes()
    )


def test_utf16_sheet_is_checked_like_any_other(tmp_path, plan_xlsx):
    with zipfile.ZipFile(plan_xlsx) as zf:
        sheet = zf.read("xl/worksheets/sheet1.xml").decode()
    sheet = sheet.replace("</sheetData>", '<row r="9"><c r="ZZ9"><v>1</v></c></row></sheetData>')
    wide = rezip(
        plan_xlsx,
        tmp_path / "u16.xlsx",
        replace={
            "xl/worksheets/sheet1.xml": "\ufeff".encode("utf-16-le") + sheet.encode("utf-16-le")
        },
    )
    assert "范围过大" in refused(wide)


def test_unsupported_xml_encoding_is_refused(tmp_path, plan_xlsx):
    with zipfile.ZipFile(plan_xlsx) as zf:
        sheet = zf.read("xl/worksheets/sheet1.xml")
    decl = b'<?xml version="1.0" encoding="UTF-7"?>'
    odd = rezip(plan_xlsx, tmp_path / "u7.xlsx", replace={"xl/worksheets/sheet1.xml": decl + sheet})
    assert "编码" in refused(odd)


def test_check_package_hands_back_the_parts_and_kind(plan_xlsx):
    from gxdesk.exchange.safety import check_package

    package = check_package(plan_xlsx.read_bytes())
    assert package.kind == "xlsx"
    assert package.parts["xl/worksheets/sheet1.xml"].lstrip().startswith(b"<")
    assert safety.check_zip(plan_xlsx).kind == "xlsx"


def test_check_package_reads_members_as_zipfile_does(tmp_path, plan_xlsx):
    """The parts are zipfile's bytes, deflated or stored, and a changed byte is refused."""
    from gxdesk.exchange.safety import check_package

    with zipfile.ZipFile(plan_xlsx) as zf:
        expected = {n: zf.read(n) for n in zf.namelist() if zf.read(n).lstrip()[:1] == b"<"}
    assert check_package(plan_xlsx.read_bytes()).parts == expected
    stored = tmp_path / "stored.xlsx"
    with zipfile.ZipFile(stored, "w", zipfile.ZIP_STORED) as zout:
        for name, data in expected.items():
            zout.writestr(name, data)
    assert check_package(stored.read_bytes()).parts == expected
    # one byte changed inside the stored sheet: only the CRC can tell
    data = bytearray(stored.read_bytes())
    at = bytes(data).index(b"<sheetData>") + 1
    data[at] = ord("S")
    with pytest.raises(BadFileError, match="损坏"):
        check_package(bytes(data))


def _patch_sizes(data: bytes, name: str, size: int) -> bytes:
    """``data`` with the declared size of member ``name`` changed in both of its headers."""
    import struct

    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        local = zf.getinfo(name).header_offset
    central = data.rindex(name.encode()) - 46  # the directory entry: its name follows 46 bytes
    assert data[local : local + 4] == b"PK\x03\x04" and data[central : central + 4] == b"PK\x01\x02"
    out = bytearray(data)
    struct.pack_into("<L", out, local + 22, size)
    struct.pack_into("<L", out, central + 24, size)
    return bytes(out)


def test_member_lying_about_its_size_is_never_inflated_beyond_it(plan_xlsx):
    """zipfile would inflate such a member up to 1 GiB in one call before cutting it."""
    import tracemalloc

    from gxdesk.exchange.safety import check_package

    big = b"<a>" + b" " * (30 * MB) + b"</a>"
    buf = io.BytesIO()
    with zipfile.ZipFile(plan_xlsx) as zin, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, zin.read(info))
        zout.writestr("xl/lie.xml", big)
    lying = _patch_sizes(buf.getvalue(), "xl/lie.xml", 100_000)  # under the 1 MB ratio floor
    tracemalloc.start()
    try:
        with pytest.raises(BadFileError, match="损坏"):  # the CRC is that of 30 MB
            check_package(lying)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 5 * MB, peak


@pytest.mark.parametrize("method", [zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA])
def test_other_compression_methods_are_refused(tmp_path, plan_xlsx, method):
    """Office writes stored and deflated members only; zipfile inflates the others unbounded."""
    from gxdesk.exchange.safety import check_package

    odd = tmp_path / "odd.xlsx"
    with zipfile.ZipFile(plan_xlsx) as zin, zipfile.ZipFile(odd, "w", method) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, zin.read(info))
    with pytest.raises(BadFileError, match="压缩方式"):
        check_package(odd.read_bytes())
    with pytest.raises(BadFileError, match="压缩方式"):
        sniff(odd)


def test_member_name_differing_from_the_directory_is_bad_file(plan_xlsx):
    from gxdesk.exchange.safety import check_package

    data = plan_xlsx.read_bytes()
    with zipfile.ZipFile(plan_xlsx) as zf:
        info = zf.getinfo("xl/worksheets/sheet1.xml")
    at = info.header_offset + 30 + len("xl/worksheets/")
    evil = data[:at] + b"S" + data[at + 1 :]  # the local header now says Sheet1.xml
    with pytest.raises(BadFileError, match="损坏"):
        check_package(evil)


# --- the canonical fast path of check_sheet_xml -------------------------------------------

SHEET_HEAD = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'


def sheet(rows: bytes, tail: bytes = b"") -> bytes:
    return SHEET_HEAD + b"<sheetData>" + rows + b"</sheetData>" + tail + b"</worksheet>"


CANONICAL_ROWS = (
    b'<row r="1" spans="1:5" ht="24" customHeight="1" x14ac:dyDescent="0.25">'
    b'<c r="A1" s="1" t="inlineStr"><is><t>&#24180;</t></is></c><c r="B1" s="2"><v>1</v></c>'
    b'<c r="C1" t="n"><v>2</v></c><c r="D1"/><c r="E1" s="3"/><c r="F1" s="1" t="s"/></row>'
    b'<row r="2"><c r="A2"><f>A1</f><v>1</v></c><c r="Z9999" t="str"><v>x</v></c></row>'
    b'<row r="3"><c r="A3" s="1" t="s" cm="1"><v>0</v></c><c r="B3" t="n" s="1"><v>1</v></c>'
    b'<c r="C3" vm="1" s="2"/></row>'
)


def no_walk(monkeypatch):  # type: ignore[no-untyped-def]
    def walk(*a, **k):  # pragma: no cover - failing path
        raise AssertionError("the part was walked: the fast path did not take it")

    monkeypatch.setattr(safety, "_walk_sheet", walk)


def test_canonical_parts_take_the_fast_path(monkeypatch, tmp_path, plan_xlsx):
    """What openpyxl, Excel and gxdesk write is settled without the walk (no timing asserted)."""
    from exchange_helpers import export_all, open_for_edit

    from gxdesk.exchange.safety import check_package

    merges = b'<mergeCells count="2"><mergeCell ref="A1:E1"/><mergeCell ref="B2:C3"/></mergeCells>'
    part = sheet(CANONICAL_ROWS, merges)
    walked = safety._walk_sheet(part, safety.DEFAULT_LIMITS, 0)
    no_walk(monkeypatch)
    assert safety.check_sheet_xml(part) == walked == 11 + 5 + 4
    assert safety.check_sheet_xml(part, count=False) >= walked
    assert check_package(plan_xlsx.read_bytes()).kind == "xlsx"
    db, files = export_all(tmp_path)
    db.close()
    exported = next(iter(files.values()))
    assert check_package(exported.read_bytes()).kind == "xlsx"
    wb = open_for_edit(exported)  # a unit's program re-saves it
    wb.save(exported)
    assert check_package(exported.read_bytes()).kind == "xlsx"


LIMITS = Limits(max_rows=20000, max_cols=200, max_cells=1000)
# Each goes into a canonical sheet; every one must be refused, fast path or not.
HOSTILE_PARTS = {
    "far column": sheet(b'<row r="9"><c r="GS9"><v>1</v></c></row>'),
    "far row": sheet(b'<row r="20001"><c r="A20001"><v>1</v></c></row>'),
    "far column, lower case": sheet(b'<row r="9"><c r="zz9"><v>1</v></c></row>'),
    "far column, dollars": sheet(b'<row r="9"><c r="$ZZ$9"><v>1</v></c></row>'),
    "escaped address": sheet(b'<row r="9"><c r="&#90;&#90;9"><v>1</v></c></row>'),
    "single quotes": sheet(b"<row r='9'><c r='ZZ9'><v>1</v></c></row>"),
    "spaces around =": sheet(b'<row r="9"><c r = "ZZ9"><v>1</v></c></row>'),
    "space inside the value": sheet(b'<row r="9"><c r=" ZZ9"><v>1</v></c></row>'),
    "newline before r": sheet(b'<row r="9"><c\nr="ZZ9"><v>1</v></c></row>'),
    "two spaces before r": sheet(b'<row r="9"><c  r="ZZ9"><v>1</v></c></row>'),
    "r after s": sheet(b'<row r="9"><c s="1" r="ZZ9"><v>1</v></c></row>'),
    "second r": sheet(b'<row r="9"><c r="A9" r="ZZ9"><v>1</v></c></row>'),
    "second r, no space": sheet(b'<row r="9"><c r="A9"r="ZZ9"><v>1</v></c></row>'),
    "second r after s and t": sheet(b'<row r="9"><c r="A9" s="1" t="n" r="ZZ9"><v>1</v></c></row>'),
    "second r after a tab": sheet(b'<row r="9"><c r="A9"\tr="ZZ9"><v>1</v></c></row>'),
    "second r after other attributes": sheet(
        b'<row r="9"><c r="A9" t="n" s="1" cm="1" r="ZZ9"><v>1</v></c></row>'
    ),
    "second r after a quoted > in other attributes": sheet(
        b'<row r="9"><c r="A9" cm=">" vm="1" r="ZZ9"><v>1</v></c></row>'
    ),
    "second r in a row": sheet(b'<row r="9" ht="20" r="30000"><c><v>1</v></c></row>'),
    "second r, single quotes": sheet(b'<row r="9"><c r="A9" r=\'ZZ9\'><v>1</v></c></row>'),
    "second r behind a quoted >": sheet(b'<row r="9"><c r="A9" s=">" r="ZZ9"><v>1</v></c></row>'),
    "second r behind quoted tags": sheet(
        b'<row r="9"><c r="A9" t="><v>1</v></c><c r=" r="ZZ9"><v>1</v></c></row>'
    ),
    "second r inside single-quoted s": sheet(
        b'<row r="9"><c r="A9" s=\'"\' r="ZZ9" t=\'"\'><v>1</v></c></row>'
    ),
    "unquoted r": sheet(b'<row r="9"><c r=ZZ9><v>1</v></c></row>'),
    "no r after a far empty cell": sheet(b'<row r="9"><c r="GR9"/><c><v>1</v></c></row>'),
    "no r after a far row": sheet(b'<row r="20001"/><row><c><v>1</v></c></row>'),
    "no r after a far row, row without r": sheet(
        b'<row r="20000"/><row><c r="A"><v>1</v></c></row>'
    ),
    "empty addresses counted on": sheet(b'<row r="9">' + b'<c r=""><v>1</v></c>' * 201 + b"</row>"),
    "row addresses only": sheet(b'<row r="9">' + b'<c r="9"><v>1</v></c>' * 201 + b"</row>"),
    "prefixed cell": sheet(b'<row r="9"><x:c xmlns:x="urn:x" r="ZZ9"><x:v>1</x:v></x:c></row>'),
    "prefixed row": sheet(b'<x:row xmlns:x="urn:x" r="30000"><c><v>1</v></c></x:row>'),
    "prefixed cell after many colons": sheet(
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>' + b"10:30 " * 3000 + b"</t></is></c></row>"
        b'<row r="9"><x:c xmlns:x="urn:x" r="ZZ9"><x:v>1</x:v></x:c></row>'
    ),
    "far merge": sheet(b"", b'<mergeCells><mergeCell ref="A1:GS9"/></mergeCells>'),
    "far merge, single quotes": sheet(b"", b"<mergeCells><mergeCell ref='A1:ZZ9'/></mergeCells>"),
    "second ref in a merge": sheet(
        b"", b'<mergeCells><mergeCell ref="A1:B2"ref="A1:ZZ9"/></mergeCells>'
    ),
    "prefixed far merge": sheet(b"", b'<x:mergeCell xmlns:x="urn:x" ref="A1:ZZ9"/>'),
    "prefixed cell early in a large part": sheet(
        b'<row r="1"><x:c xmlns:x="urn:x" r="ZZ9"><x:v>1</x:v></x:c></row>'
        + b'<row r="2"><c r="A2" t="inlineStr"><is><t>'
        + b"x" * 300_000
        + b"</t></is></c></row>"
    ),
    "merge too large": sheet(b"", b'<mergeCells><mergeCell ref="A1:GR6"/></mergeCells>'),
    "merges too many with the cells": sheet(
        CANONICAL_ROWS, b'<mergeCells><mergeCell ref="A1:A999"/></mergeCells>'
    ),
    "too many cells": sheet(b'<row r="1">' + b'<c r="A1"/>' * 1001 + b"</row>"),
    "invalid merge": sheet(b"", b'<mergeCells><mergeCell ref="A1:"/><mergeCell/></mergeCells>'),
}


@pytest.mark.parametrize("name", sorted(HOSTILE_PARTS))
def test_hostile_parts_are_refused(name):
    part = HOSTILE_PARTS[name]
    with pytest.raises(BadFileError) as err:
        safety.check_sheet_xml(part, LIMITS)
    msg = str(err.value)
    assert CJK.search(msg) and "\n" not in msg, msg
    with pytest.raises(BadFileError):  # and the walk agrees
        safety._walk_sheet(part, LIMITS, 0)
    if "many" not in name and "large" not in name:  # only counting needs count=True
        with pytest.raises(BadFileError):
            safety.check_sheet_xml(part, LIMITS, count=False)


def test_rows_beyond_the_limit_are_refused():
    """Short row numbers are what bound the rows openpyxl keeps when they are not counted."""
    small = Limits(max_rows=20, max_cols=30)
    part = sheet(b"".join(b'<row r="%d" ht="20"/>' % (10 + i) for i in range(25)))
    with pytest.raises(BadFileError, match="行数过多"):
        safety.check_sheet_xml(part, small)


HARMLESS_PARTS = {
    "far empty cell and row": sheet(
        CANONICAL_ROWS + b'<row r="1048576" ht="20"><c r="XFD1048576" s="1"/></row>'
    ),
    "open empty far cell": sheet(b'<row r="9"><c r="ZZ9"> </c></row>'),
    "merge as start and end tag": sheet(
        CANONICAL_ROWS, b'<mergeCells><mergeCell ref="A1:B2"></mergeCell></mergeCells>'
    ),
    "quoted > in a value": sheet(b'<row r="9"><c r="A9" t="x>y"><v>1</v></c></row>'),
    "r of other elements": sheet(CANONICAL_ROWS, b'<foo r="ZZ99999"/><a:b r="ZZ9"/>'),
    "text that looks like a merge": sheet(
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>mergeCell/></t></is></c></row>'
    ),
}


@pytest.mark.parametrize("name", sorted(HARMLESS_PARTS))
def test_harmless_parts_are_accepted(name):
    part = HARMLESS_PARTS[name]
    assert safety.check_sheet_xml(part, LIMITS) == safety._walk_sheet(part, LIMITS, 0)


# Generated sheets: the fast path must never accept what the walk refuses, nor count less.
# Mostly canonical tags (so the fast path is taken), with one odd tag here and there.
_SMALL = Limits(max_rows=50, max_cols=30, max_cells=40)  # short: one letter, one digit
_SHORT = ["A1", "C5", "Z9", "z9", "B0"]
_ANY = _SHORT + ["AD9", "AE9", "A50", "A51", "B10", "A", "9", "", "$A$1", "&#65;1", "A9 "]
_ANY += ["A09", "AAA1", "A1000000000", "ZZ9"]
_CANONICAL_ATTRS = [' r="{a}"', ' r="{a}" s="1"', ' r="{a}" s="2" t="n"', ' r="{a}" t="inlineStr"']
_CANONICAL_ATTRS += [' r="{a}" t="n" s="1"', ' r="{a}" s="1" t="s" cm="1"']
_ODD_ATTRS = [
    " r='{a}'",
    ' r = "{a}"',
    '\tr="{a}"',
    '  r="{a}"',
    ' s="1" r="{a}"',
    "",
    ' r="{a}" r="{b}"',
    ' r="{a}"r="{b}"',
    ' r="{a}" s="1"r="{b}"',
    ' r="{a}" s=">" r="{b}"',
    ' r="{a}" t="<v>1</v></c><c " r="{b}"',
    ' r="{a}" ht="{b}"',
    ' r="{a}" cm="1" r="{b}"',
    ' r="{a}" s="1" ref="{b}"',
    ' r="{a}" cm="1"r="{b}"',
    ' r="{a}" cm=">" r="{b}"',
]
_BODIES = ["/>", "></c>", "> </c>", "><v>1</v></c>", "><is><t>x</t></is></c>", "><f>1</f></c>"]


@st.composite
def _cells(draw):  # type: ignore[no-untyped-def]
    if draw(st.integers(0, 4)):  # four in five: canonical
        attrs = draw(st.sampled_from(_CANONICAL_ATTRS)).format(a=draw(st.sampled_from(_SHORT)))
        return "<c" + attrs + draw(st.sampled_from(_BODIES))
    a, b = draw(st.sampled_from(_ANY)), draw(st.sampled_from(_ANY))
    attrs = draw(st.sampled_from(_CANONICAL_ATTRS + _ODD_ATTRS)).format(a=a, b=b)
    body = draw(st.sampled_from(_BODIES))
    if draw(st.booleans()):  # a prefixed element, its content too
        return "<x:c" + attrs + body.replace("<v>", "<x:v>").replace("</", "</x:")
    return "<c" + attrs + body


@st.composite
def _rows(draw):  # type: ignore[no-untyped-def]
    if draw(st.integers(0, 3)):
        n = draw(st.sampled_from(["1", "5", "9"]))
        tag = draw(st.sampled_from([f'<row r="{n}">', f'<row r="{n}" spans="1:3" ht="20">']))
    else:
        n = draw(st.sampled_from(["1", "9", "10", "50", "51", "", "x"]))
        tag = draw(
            st.sampled_from(
                ["<row>", f'<row ht="20" r="{n}">', f'<row r="{n}" r="1">', f"<row r='{n}'>"]
                + [f'<row r="{n}">', f'<row r="{n}" ht="20">']
            )
        )
    return tag + "".join(draw(st.lists(_cells(), max_size=8))) + "</row>"


@st.composite
def _sheets(draw):  # type: ignore[no-untyped-def]
    rows = "".join(draw(st.lists(_rows(), max_size=6)))
    refs = draw(st.lists(st.sampled_from(["A1:B2", "A1:A9", "A1:AD9", "C3", "A1:Z2", "B2:"])))
    tail = "".join(f'<mergeCell ref="{r}"/>' for r in refs)
    return sheet(rows.encode(), tail.encode())


def _verdict(fn):  # type: ignore[no-untyped-def]
    try:
        return True, fn()
    except BadFileError:
        return False, None


@settings(max_examples=400, deadline=None)
@given(part=_sheets())
def test_fast_path_agrees_with_the_walk(part: bytes) -> None:
    fast = _verdict(lambda: safety.check_sheet_xml(part, _SMALL))
    walk = _verdict(lambda: safety._walk_sheet(part, _SMALL, 0))
    assert fast[0] == walk[0], part
    if fast[0]:
        assert fast[1] >= walk[1], part
