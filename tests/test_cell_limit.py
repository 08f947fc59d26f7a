"""Excel's 32,767-character cell limit: refused when it comes in, never written out."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from exchange_helpers import (
    ON,
    ROOT,
    columns,
    data_rows,
    export_all,
    file_sha,
    latest_of_unit,
    open_for_edit,
)
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from gxdesk.core.workbook_data import CELL_LIMIT, fit_cell
from gxdesk.exchange.unit_copy import read_unit_copy, row_problems
from gxdesk.ops.exchange import export_plan, export_units, preview_merge
from gxdesk.store.merge import Outcome, apply_merge

UNIT = "市审计局"
SENTENCE = "本单位已按要求完成相关工作。"  # 14 characters


@pytest.fixture()
def setup(tmp_path: Path):  # type: ignore[no-untyped-def]
    db, files = export_all(tmp_path)
    yield db, files
    db.close()


def _fill(path: Path, column: str, text: str) -> str:
    """Type ``text`` into ``column`` of the first task (status 推进中); its address."""
    wb = open_for_edit(path)
    ws = wb.worksheets[0]
    cols, rows = columns(ws), data_rows(ws)
    row = rows[next(iter(rows))]
    ws.cell(row, cols["进展状态"]).value = "推进中"
    cell = ws.cell(row, cols[column])
    # as another program may write it: openpyxl's own setter would cut it at the limit
    cell._value, cell.data_type = text, "s"
    wb.save(path)
    return f"{get_column_letter(cols[column])}{row}"


@pytest.mark.parametrize("column", ["进展情况", "存在问题", "联系电话"])
def test_a_returned_cell_over_the_limit_is_invalid_with_its_address(setup, column: str) -> None:  # type: ignore[no-untyped-def]
    db, files = setup
    path = files[UNIT]
    address = _fill(path, column, "很" * (CELL_LIMIT + 1))
    before = file_sha(db.path)
    plan = preview_merge(db, [path], on=ON)
    (row,) = [r for f in plan.files for r in f.rows if r.outcome is not Outcome.UNCHANGED]
    assert row.outcome is Outcome.INVALID
    assert row.reason == f"{address}：有 32,768 字，超过 Excel 单元格 32,767 字的上限"
    assert apply_merge(db, plan).applied == 0
    assert file_sha(db.path) == before


def test_a_cell_at_the_limit_is_taken(setup) -> None:  # type: ignore[no-untyped-def]
    db, files = setup
    path = files[UNIT]
    text = "很" * CELL_LIMIT
    _fill(path, "进展情况", text)
    assert apply_merge(db, preview_merge(db, [path], on=ON)).applied == 1
    assert text in {v.text for v in latest_of_unit(db, UNIT).values()}


def test_cli_prints_and_json_carries_the_address(setup) -> None:  # type: ignore[no-untyped-def]
    db, files = setup
    path = files[UNIT]
    address = _fill(path, "进展情况", "很" * 40_000)
    db.close()
    before = file_sha(db.path)
    run = subprocess.run(
        [sys.executable, "-m", "gxdesk", "--db", str(db.path), "merge", str(path), "--json"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        timeout=120,
    )
    assert "Traceback" not in run.stderr
    (report,) = json.loads(run.stdout)
    assert report["invalid"] == 1 and report["applied"] == 0
    (row,) = [r for r in report["rows"] if r["outcome"] == "invalid"]
    assert row["reason"].startswith(f"{address}：有 40,000 字")
    assert file_sha(db.path) == before


def test_the_units_own_window_flags_it_too(setup) -> None:  # type: ignore[no-untyped-def]
    _db, files = setup
    path = files[UNIT]
    _fill(path, "佐证材料", "很" * (CELL_LIMIT + 5))
    first = read_unit_copy(path).rows[0]
    assert row_problems(first, first.values) == [
        "佐证材料：有 32,772 字，超过 Excel 单元格 32,767 字的上限"
    ]


def test_fit_cell_cuts_to_the_limit_and_says_how_much() -> None:
    assert fit_cell("短") == "短"
    assert fit_cell("很" * CELL_LIMIT) == "很" * CELL_LIMIT
    for n in (CELL_LIMIT + 1, 40_000, 1_000_000):
        cut = fit_cell("很" * n)
        assert len(cut) <= CELL_LIMIT
        kept = cut.index("…")
        assert cut.endswith(f"（另有 {n - kept:,} 字超出 Excel 单元格上限，未写入）")


def test_no_cell_over_the_limit_is_written(setup, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # A database from before the limit was checked can hold such a report.
    db, files = setup
    path = files[UNIT]
    _fill(path, "进展情况", "已部署")
    assert apply_merge(db, preview_merge(db, [path], on=ON)).applied == 1
    huge = SENTENCE * 3_000  # 42,000 characters
    with db.transaction() as s:
        s.connection().exec_driver_sql(
            "UPDATE progress SET text = ? WHERE text = '已部署'", (huge,)
        )
    out = tmp_path / "next"
    out.mkdir()
    unit_file = next(f.path for f in export_units(db, out, on=ON) if f.unit == UNIT)
    ledger_file = export_plan(db, tmp_path / "台账.xlsx", on=ON)
    for book in (unit_file, ledger_file):
        texts = [
            c.value
            for ws in load_workbook(book).worksheets
            for row in ws.iter_rows()
            for c in row
            if isinstance(c.value, str)
        ]
        assert max(map(len, texts)) <= CELL_LIMIT
        assert any(t.startswith(SENTENCE * 10) for t in texts)
    cut = next(
        c.value
        for row in load_workbook(unit_file).worksheets[0].iter_rows()
        for c in row
        if isinstance(c.value, str) and c.value.startswith(SENTENCE)
    )
    assert CELL_LIMIT - 10 < len(cut) <= CELL_LIMIT and cut.endswith(
        "超出 Excel 单元格上限，未写入）"
    )
    # sent back untouched, the cut text is what went out: nothing changes
    again = preview_merge(db, [unit_file], on=ON)
    assert again.counts()["applied"] == 0 and again.counts()["invalid"] == 0
