"""A unit's own gxdesk: open the workbook it was sent, fill it in, write it back.

Real files throughout: the lead office exports from a real database, the unit's
copy is read and rewritten by :mod:`gxdesk.exchange.unit_copy`, and the lead
office's merge judges the result.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
from exchange_helpers import (
    ON,
    columns,
    data_rows,
    export_all,
    file_sha,
    latest_of_unit,
    open_for_edit,
    sheet_xml,
)
from openpyxl import load_workbook

from gxdesk.core.model import Status
from gxdesk.core.values import Unreadable
from gxdesk.core.workbook_data import UnitReport
from gxdesk.exchange.unit_copy import (
    UnitCopyError,
    backup_path,
    is_unit_workbook,
    read_unit_copy,
    read_unit_value,
    rewrite_unit_workbook,
    row_problems,
)
from gxdesk.exchange.workbook_reader import read_returned_workbook
from gxdesk.ops.exchange import export_plan, preview_merge
from gxdesk.store.merge import Outcome, apply_merge

UNIT = "市财政局"


@pytest.fixture()
def setup(tmp_path: Path):  # type: ignore[no-untyped-def]
    db, files = export_all(tmp_path)
    yield db, files
    db.close()


def _sheet_values(path: Path, sheet: str) -> list[tuple]:
    ws = load_workbook(path)[sheet]
    return [tuple(c.value for c in row) for row in ws.iter_rows()]


def _lead_cells(path: Path) -> dict[str, tuple]:
    """任务编号 → the lead office's cells of that row (序号 … 预警) and the title rows."""
    ws = load_workbook(path).worksheets[0]
    cols, rows = columns(ws), data_rows(ws)
    lead = [
        cols[h] for h in ("序号", "类别", "工作任务", "工作要求", "完成时限", "责任分工", "预警")
    ]
    found = {key: tuple(ws.cell(r, c).value for c in lead) for key, r in rows.items()}
    found["title"] = tuple(ws.cell(r, 1).value for r in (1, 2))
    found["header"] = tuple(c.value for c in ws[3])
    return found


def _custom_properties(path: Path) -> dict[str, object]:
    return {p.name: p.value for p in load_workbook(path).custom_doc_props}


TYPED = {
    0: UnitReport(
        status=Status.DONE,
        percent=100,
        text="=SUM(A1:A3) 已全部公开",
        done_on=dt.date(2014, 9, 30),
        evidence="+见附件一",
        problems="-无",
        contact="@张三",
        phone="07551234567",
    ),
    1: UnitReport(
        status=Status.IN_PROGRESS,
        percent=50,
        text="正在推进\n第二行：_x0041_ 照原样",
        contact="李四",
        phone="0755-1234567",
    ),
}


def test_round_trip_through_the_units_copy_merges_exactly_the_typed_values(setup) -> None:  # type: ignore[no-untyped-def]
    db, files = setup
    path = files[UNIT]
    original = path.read_bytes()
    before_lead = _lead_cells(path)
    before_meta_sheet = _sheet_values(path, "_gxdesk")
    before_props = _custom_properties(path)
    copy = read_unit_copy(path)
    assert copy.meta.unit_name == UNIT and copy.on == ON and not copy.warnings
    assert all(not row_problems(r, r.values) for r in copy.rows)

    values = [r.values for r in copy.rows]
    for i, v in TYPED.items():
        values[i] = v
    rewrite_unit_workbook(copy, path, values)

    assert backup_path(path).read_bytes() == original  # the previous version is kept
    assert not list(path.parent.glob(".*.part.xlsx"))  # the temporary file is gone
    for name, xml in sheet_xml(path).items():
        assert "<f>" not in xml and "<f " not in xml, name
    # the identity in both places, unchanged
    assert _sheet_values(path, "_gxdesk") == before_meta_sheet
    assert _custom_properties(path) == before_props
    book = read_returned_workbook(path)
    assert book.meta == copy.meta and book.meta_source == "sheet"
    assert tuple(book.keys.values()) == copy.keys
    # the lead office's cells, value for value
    assert _lead_cells(path) == before_lead
    # the same layout: protection, list, print setup, frozen header
    ws = load_workbook(path)["进展填报"]
    assert ws.protection.sheet and ws.freeze_panes == "C4"
    assert ws.print_title_rows == "$3:$3" or ws.print_title_rows == "3:3"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
    lists = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"]
    assert lists and "已完成" in lists[0].formula1
    assert ws.cell(4, 8).protection.locked is False and ws.cell(4, 3).protection.locked is True

    plan = preview_merge(db, [path], on=ON)
    (f,) = plan.files
    assert f.error is None and f.unit == UNIT
    outcomes = {r.task_id: r.outcome for r in f.rows}
    changed = {copy.rows[i].key.task_id for i in TYPED}
    assert {t for t, o in outcomes.items() if o is Outcome.APPLIED} == changed
    assert all(o is Outcome.UNCHANGED for t, o in outcomes.items() if t not in changed)
    assert f.counts()["rejected"] == 0 and f.counts()["invalid"] == 0
    assert apply_merge(db, plan, backup_dir=path.parent / "bk").applied == len(TYPED)
    latest = latest_of_unit(db, UNIT)
    for i, typed in TYPED.items():
        got = latest[copy.rows[i].key.task_id]
        assert (
            got.status,
            got.percent,
            got.text,
            got.done_on,
            got.evidence,
            got.problems,
            got.contact,
            got.phone,
        ) == (
            typed.status,
            typed.percent,
            typed.text,
            typed.done_on,
            typed.evidence,
            typed.problems,
            typed.contact,
            typed.phone,
        )


def test_an_untouched_copy_written_back_changes_nothing(setup) -> None:  # type: ignore[no-untyped-def]
    db, files = setup
    path = files[UNIT]
    copy = read_unit_copy(path)
    out = path.with_name("另存.xlsx")
    rewrite_unit_workbook(copy, out)
    assert not backup_path(out).exists()  # nothing was replaced
    plan = preview_merge(db, [out], on=ON)
    assert {r.outcome for r in plan.files[0].rows} == {Outcome.UNCHANGED}


def test_values_typed_in_excel_are_read_as_the_merge_reads_them(setup) -> None:  # type: ignore[no-untyped-def]
    db, files = setup
    path = files[UNIT]
    wb = open_for_edit(path)
    ws = wb.worksheets[0]
    cols, rows = columns(ws), data_rows(ws)
    keys = list(rows)
    ws.cell(rows[keys[0]], cols["进展状态"]).value = " 完成 "
    ws.cell(rows[keys[0]], cols["完成进度%"]).value = "50%"
    ws.cell(rows[keys[0]], cols["完成时间"]).value = "2014年9月30日"
    ws.cell(rows[keys[1]], cols["进展状态"]).value = "推进中"
    ws.cell(rows[keys[1]], cols["完成时间"]).value = "下月底"
    ws.cell(rows[keys[2]], cols["进展情况"]).value = "写了进展，没选状态"
    wb.save(path)

    copy = read_unit_copy(path)
    first, second, third = copy.rows[:3]
    assert first.values.status is Status.DONE and first.values.percent == 50
    assert first.values.done_on == dt.date(2014, 9, 30)
    assert isinstance(second.values.done_on, Unreadable)
    assert any("完成时间" in p and "下月底" in p for p in row_problems(second, second.values))
    assert row_problems(third, third.values) == ["填写了进展但未选择进展状态"]
    assert not row_problems(first, first.values)

    # left as it is, the unreadable date goes back as the text typed: the merge says invalid
    rewrite_unit_workbook(copy, path)
    plan = preview_merge(db, [path], on=ON)
    outcomes = {r.task_id: r.outcome for r in plan.files[0].rows}
    # 已完成 at 50% is read, and held for the clerk to verify
    assert outcomes[first.key.task_id] is Outcome.WARNING
    assert outcomes[second.key.task_id] is Outcome.INVALID
    assert outcomes[third.key.task_id] is Outcome.INVALID
    ws = load_workbook(path).worksheets[0]
    assert ws.cell(rows[keys[1]], cols["完成时间"]).value == "下月底"


def test_edited_lead_columns_are_flagged_before_they_are_sent(setup) -> None:  # type: ignore[no-untyped-def]
    _db, files = setup
    path = files[UNIT]
    wb = open_for_edit(path)
    ws = wb.worksheets[0]
    cols, rows = columns(ws), data_rows(ws)
    key = next(iter(rows))
    ws.cell(rows[key], cols["工作任务"]).value = "改过的任务"
    wb.save(path)
    row = read_unit_copy(path).rows[0]
    assert row.lead_edited
    assert "灰色栏目被改动，牵头单位将不采用该行" in row_problems(row, row.values)


def test_a_copy_that_lost_its_hidden_sheet_is_written_back_whole(setup) -> None:  # type: ignore[no-untyped-def]
    db, files = setup
    path = files[UNIT]
    wb = open_for_edit(path)
    del wb["_gxdesk"]
    wb.save(path)
    copy = read_unit_copy(path)
    assert copy.meta_source == "properties" and copy.on == ON
    values = [r.values for r in copy.rows]
    values[0] = dataclasses.replace(values[0], status=Status.IN_PROGRESS, text="已部署")
    rewrite_unit_workbook(copy, path, values)
    book = read_returned_workbook(path)
    assert book.meta_source == "sheet" and book.meta == copy.meta  # the sheet is back
    plan = preview_merge(db, [path], on=ON)
    outcomes = [r.outcome for r in plan.files[0].rows]
    assert outcomes.count(Outcome.APPLIED) == 1 and Outcome.REJECTED not in outcomes


def test_only_a_units_workbook_opens(setup, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db, files = setup
    ledger = export_plan(db, tmp_path / "台账.xlsx", on=ON)
    assert is_unit_workbook(files[UNIT]) and not is_unit_workbook(ledger)
    with pytest.raises(UnitCopyError, match="识别信息|找不到进展表"):
        read_unit_copy(ledger)
    broken = tmp_path / "坏.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really")
    assert not is_unit_workbook(broken)
    with pytest.raises(UnitCopyError):
        read_unit_copy(broken)


def test_values_entered_in_the_window_use_the_merges_readers() -> None:
    assert read_unit_value("percent", 1, year=2014) == 1  # a spin box's 1 is 1%
    assert read_unit_value("percent", "0.5", year=2014) == 50
    assert read_unit_value("status", "已办结", year=2014) is Status.DONE
    assert read_unit_value("done_on", "9月30日", year=2014) == dt.date(2014, 9, 30)
    assert isinstance(read_unit_value("done_on", "月底", year=2014), Unreadable)
    assert read_unit_value("phone", "0755", year=2014) == "0755"
    assert read_unit_value("text", "   ", year=2014) == ""


def test_file_open_elsewhere_is_reported_in_chinese(setup, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import os

    _db, files = setup
    copy = read_unit_copy(files[UNIT])
    sha = file_sha(files[UNIT])

    def refuse(*_a, **_k):  # type: ignore[no-untyped-def]
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(UnitCopyError, match="Excel 或 WPS"):
        rewrite_unit_workbook(copy, files[UNIT])
    assert file_sha(files[UNIT]) == sha
