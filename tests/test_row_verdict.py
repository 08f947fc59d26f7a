"""One verdict for a returned row: the merge and the unit's own copy decide alike.

``gxdesk.core.row_verdict.row_verdict`` is asked by the merge planner and by
``exchange.unit_copy.row_problems``; these tests hold the rule itself, the two
callers to the same answers on real files, and the one header finder both
readers use.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from exchange_helpers import ON, columns, data_rows, export_all, open_for_edit

from gxdesk.core.row_verdict import Outcome, Why, row_verdict
from gxdesk.exchange.unit_copy import read_unit_copy, row_problems
from gxdesk.exchange.workbook_reader import find_header
from gxdesk.ops.exchange import preview_merge

UNIT = "市财政局"


def _verdict(**changes: object) -> tuple[Outcome | None, Why]:
    args: dict[str, object] = {
        "lead_untouched": True,
        "unreadable": (),
        "untouched": False,
        "has_status": True,
        "same_as_latest": False,
    }
    args.update(changes)
    v = row_verdict(**args)  # type: ignore[arg-type]
    return v.outcome, v.why


def test_the_rules_in_the_order_a_clerk_asks_them() -> None:
    assert _verdict(lead_untouched=False, unreadable=[("percent", "x")]) == (
        Outcome.REJECTED,
        Why.LEAD_EDITED,
    )
    assert _verdict(unreadable=[("percent", "x")], untouched=True) == (
        Outcome.INVALID,
        Why.UNREADABLE,
    )
    assert _verdict(untouched=True, has_status=False) == (Outcome.UNCHANGED, Why.UNTOUCHED)
    assert _verdict(same_as_latest=None) == (None, Why.ASK_DATABASE)
    assert _verdict(same_as_latest=True, has_status=False) == (
        Outcome.UNCHANGED,
        Why.SAME_AS_LATEST,
    )
    assert _verdict(has_status=False) == (Outcome.INVALID, Why.NO_STATUS)
    assert _verdict() == (None, Why.NEW)


def test_every_problem_is_listed_in_the_order_it_decides() -> None:
    v = row_verdict(
        lead_untouched=False,
        unreadable=[("status", "a"), ("done_on", "b")],
        untouched=False,
        has_status=False,
        same_as_latest=False,
    )
    assert [(why, field) for why, field, _ in v.problems] == [
        (Why.LEAD_EDITED, ""),
        (Why.UNREADABLE, "status"),
        (Why.UNREADABLE, "done_on"),
    ]
    v = row_verdict(
        lead_untouched=False, unreadable=(), untouched=False, has_status=False, same_as_latest=False
    )
    assert v.outcome is Outcome.REJECTED
    assert [why for why, _, _ in v.problems] == [Why.LEAD_EDITED, Why.NO_STATUS]


@pytest.fixture()
def setup(tmp_path: Path):  # type: ignore[no-untyped-def]
    db, files = export_all(tmp_path)
    yield db, files
    db.close()


def test_the_units_copy_warns_of_exactly_the_rows_the_merge_refuses(setup) -> None:  # type: ignore[no-untyped-def]
    """Rows edited five ways in Excel: the copy's warnings and the merge's refusals agree."""
    db, files = setup
    path = files[UNIT]
    wb = open_for_edit(path)
    ws = wb.worksheets[0]
    cols, rows = columns(ws), data_rows(ws)
    keys = list(rows)
    assert len(keys) >= 5
    ws.cell(rows[keys[0]], cols["工作任务"]).value = "改过的任务"  # rejected
    ws.cell(rows[keys[1]], cols["完成进度%"]).value = "大半"  # invalid
    ws.cell(rows[keys[2]], cols["进展情况"]).value = "写了进展没选状态"  # invalid
    ws.cell(rows[keys[3]], cols["进展状态"]).value = "推进中"  # applied
    wb.save(path)  # keys[4] untouched

    copy = read_unit_copy(path)
    warned = {r.key.task_id for r in copy.rows if row_problems(r, r.values)}
    plan = preview_merge(db, [path], on=ON)
    outcomes = {r.task_id: r.outcome for r in plan.files[0].rows}
    refused = {t for t, o in outcomes.items() if o in (Outcome.REJECTED, Outcome.INVALID)}
    assert warned == refused
    assert warned == {int(k[1:]) for k in keys[:3]}
    assert outcomes[int(keys[3][1:])] is Outcome.APPLIED
    assert outcomes[int(keys[4][1:])] is Outcome.UNCHANGED


def test_a_legend_row_naming_two_columns_is_not_the_header() -> None:
    """A row with only 工作任务 and 进展状态 (a legend above the table) is skipped: the
    header is the first row naming them among at least four known columns."""
    grid: list[list[object]] = [
        ["标题"],
        ["", "工作任务", "进展状态"],
        ["序号", "工作任务", "完成时限", "进展状态", "预警"],
        ["1", "公开目录", "", "推进中", "绿"],
    ]
    header = find_header(grid)
    assert header is not None
    row, fields = header
    assert row == 2 and fields["status"] == 3 and fields["light"] == 4


def test_the_units_copy_reads_lights_under_the_header_the_reader_found(setup) -> None:  # type: ignore[no-untyped-def]
    """The copy and the returned-workbook reader find the same header: with a legend
    row above the table the copy still reads every row's 预警 light."""
    _db, files = setup
    path = files[UNIT]
    before = [r.light for r in read_unit_copy(path).rows]
    assert before and all(light is not None for light in before)
    wb = open_for_edit(path)
    ws = wb.worksheets[0]
    cols = columns(ws)
    header_row = next(r for r in range(1, 30) if ws.cell(r, cols["任务编号"]).value == "任务编号")
    for merged in [m for m in ws.merged_cells.ranges if m.min_row <= header_row - 1 <= m.max_row]:
        ws.unmerge_cells(str(merged))
    ws.cell(header_row - 1, cols["工作任务"]).value = "工作任务"
    ws.cell(header_row - 1, cols["进展状态"]).value = "进展状态"
    wb.save(path)
    assert [r.light for r in read_unit_copy(path).rows] == before
