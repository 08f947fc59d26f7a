"""The unit's workbook as it goes out: layout, protection, hidden data, no formulas."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from exchange_helpers import ON, make_db, sheet_xml
from openpyxl import load_workbook

from gxdesk.core.model import Status
from gxdesk.core.values import Unreadable
from gxdesk.core.workbook_data import UnitReport, unit_hash
from gxdesk.exchange.workbook_reader import read_returned_workbook
from gxdesk.ops.exchange import export_plan, export_units


@pytest.fixture()
def exported(tmp_path: Path):  # type: ignore[no-untyped-def]
    db = make_db(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    files = export_units(db, out, on=ON)
    yield db, {f.unit: f for f in files}
    db.close()


def test_one_file_per_unit_group_tasks_reach_every_member(exported) -> None:  # type: ignore[no-untyped-def]
    _db, files = exported
    assert files["市财政局"].path.name == "2014年政务公开工作进展_市财政局_2014-10.xlsx"
    # 市财政局 leads 预算和决算 etc. and belongs to 市级各部门 (11 group tasks)
    wb = load_workbook(files["市财政局"].path)
    ws = wb["进展填报"]
    names = [ws.cell(r, 3).value for r in range(4, ws.max_row + 1)]
    assert "预算和决算公开" in names and "信息解读工作" in names
    assert "征地信息公开" not in names  # 市国土资源局's task
    assert files["职业技术学院"].rows == 1  # not a 市… unit: not in the municipal group


def test_layout_protection_and_print_setup(exported) -> None:  # type: ignore[no-untyped-def]
    _db, files = exported
    wb = load_workbook(files["市财政局"].path)
    ws = wb["进展填报"]
    header = [c.value for c in ws[3]]
    assert header[:8] == [
        "序号",
        "类别",
        "工作任务",
        "工作要求",
        "完成时限",
        "责任分工",
        "预警",
        "进展状态",
    ]
    assert header[8:15] == [
        "完成进度%",
        "进展情况",
        "完成时间",
        "佐证材料",
        "存在问题",
        "联系人",
        "联系电话",
    ]
    assert ws.protection.sheet and not ws.protection.password
    assert ws.freeze_panes == "C4"
    assert ws.print_title_rows == "$3:$3"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
    assert "&P" in ws.oddFooter.center.text
    assert ws["C4"].protection.locked and not ws["H4"].protection.locked
    assert ws["O4"].number_format == "@"  # phone as text
    assert [dv.formula1 for dv in ws.data_validations.dataValidation][
        0
    ] == '"未启动,推进中,已完成,长期推进,暂缓"'
    lights = {ws.cell(r, 7).value: ws.cell(r, 7).fill.fgColor.rgb for r in range(4, ws.max_row + 1)}
    assert set(lights) <= {"红灯", "黄灯", "绿灯"}
    assert all(rgb.endswith(("FFC7CE", "FFEB9C", "C6EFCE")) for rgb in lights.values())
    assert ws.conditional_formatting._cf_rules == {}  # a fixed colour, not a rule
    assert "填报说明" in wb.sheetnames
    assert wb["_gxdesk"].sheet_state == "veryHidden"


def test_hidden_data_is_in_two_places(exported) -> None:  # type: ignore[no-untyped-def]
    _db, files = exported
    path = files["市财政局"].path
    wb = load_workbook(path)
    props = {p.name: p.value for p in wb.custom_doc_props}
    assert props["gxdesk.export_id"] == files["市财政局"].export_id
    assert props["gxdesk.unit_name"] == "市财政局"
    assert all(len(str(v)) <= 255 for v in props.values())
    book = read_returned_workbook(path)
    assert book.meta_source == "sheet"
    assert book.meta is not None and book.meta.unit_name == "市财政局"
    assert set(book.keys) == {r.task_id for r in book.rows}


def test_no_formula_anywhere_even_for_text_starting_with_equals(tmp_path: Path) -> None:
    db = make_db(tmp_path)
    with db.transaction() as s:
        s.connection().exec_driver_sql(
            "UPDATE task SET name='=HYPERLINK(\"http://x\")', requirement='+1-2@3' WHERE seq=7"
        )
    out = tmp_path / "out"
    out.mkdir()
    files = {f.unit: f for f in export_units(db, out, on=ON)}
    xml = sheet_xml(files["市财政局"].path)
    assert xml and not any(re.search(r"<f[ >]", x) for x in xml.values())
    wb = load_workbook(files["市财政局"].path)
    values = [c.value for row in wb["进展填报"].iter_rows() for c in row]
    assert '=HYPERLINK("http://x")' in values and "+1-2@3" in values
    db.close()


def test_written_under_a_temporary_name(exported) -> None:  # type: ignore[no-untyped-def]
    _db, files = exported
    folder = files["市财政局"].path.parent
    assert not [p for p in folder.iterdir() if p.name.startswith(".")]


def test_export_plan_ledger(exported, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db, _files = exported
    out = export_plan(db, tmp_path / "台账.xlsx", on=ON)
    ws = load_workbook(out)["台账"]
    assert ws["A2"].value == "序号"
    assert ws.max_row >= 2 + 34
    assert ws["B3"].value == "一、加强主动公开工作，全面贯彻落实《条例》"
    # Rows are as tall as their longest wrapped cell (spreadsheets do not fit them on open).
    heights = {r: ws.row_dimensions[r].height for r in range(3, 3 + 34)}
    assert all(h and h >= 2 * 13.5 for h in heights.values())
    longest = max(range(3, 3 + 34), key=lambda r: len(ws.cell(r, 4).value or ""))
    assert heights[longest] == max(heights.values())


def test_the_prefill_hash_is_the_one_files_already_sent_out_carry() -> None:
    # Literals from before UnitReport: a changed hash makes every file out there look edited.
    report = UnitReport(
        Status.IN_PROGRESS, 50, "已公开\n第二行", dt.date(2014, 9, 30), "附件", "", "张三", "123"
    )
    assert report.as_text() == (
        "推进中", "50", "已公开\n第二行", "2014-09-30", "附件", "", "张三", "123"
    )  # fmt: skip
    assert unit_hash(report.as_text()) == "0c448176530d1c0d"
    assert UnitReport().is_empty() and not report.is_empty()
    assert unit_hash(UnitReport().as_text()) == "184d32edf3a6c4f9"
    assert report.cells() == (
        "推进中", 0.5, "已公开\n第二行", dt.date(2014, 9, 30), "附件", None, "张三", "123"
    )  # fmt: skip


def test_an_unreadable_value_is_written_as_typed_and_has_no_hash() -> None:
    report = UnitReport(percent=Unreadable("一半", "无法识别"), text="写了")
    assert not report.is_readable() and not report.is_empty()
    assert report.cells()[:3] == (None, "一半", "写了")
    with pytest.raises(ValueError):
        report.as_text()
