"""Hostile and broken files: every one is refused with a Chinese reason, quickly."""

from __future__ import annotations

import re
import time
import zipfile

import pytest
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
    t0 = time.perf_counter()
    msg = refused(bomb)
    assert time.perf_counter() - t0 < 1.0
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


def test_huge_declared_dimension_imports_quickly(tmp_path, plan_xlsx):
    with zipfile.ZipFile(plan_xlsx) as zf:
        sheet = zf.read("xl/worksheets/sheet1.xml").decode()
    sheet = re.sub(r'<dimension ref="[^"]*"', '<dimension ref="A1:XFD1048576"', sheet)
    # plus one styled empty cell in the very last row and column
    sheet = sheet.replace("</sheetData>", '<row r="1048576"><c r="XFD1048576"/></row></sheetData>')
    assert 'ref="A1:XFD1048576"' in sheet
    wide = rezip(
        plan_xlsx, tmp_path / "wide.xlsx", replace={"xl/worksheets/sheet1.xml": sheet.encode()}
    )
    t0 = time.perf_counter()
    plan = read_plan(wide)
    assert time.perf_counter() - t0 < 2.0
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
    t0 = time.perf_counter()
    assert "单元格过多" in refused(evil)
    assert time.perf_counter() - t0 < 2.0


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
