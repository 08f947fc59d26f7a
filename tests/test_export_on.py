"""export-units and export-plan --on: the 截至 date, the lights and the file's month follow it."""

from __future__ import annotations

import openpyxl
import pytest
from ui_helpers import seed_copy

from gxdesk.cli import main

AUDIT = "财政预算执行和其它财政收支审计信息公开"  # 9月底前, 市审计局: 黄灯 on 2014-09-30


@pytest.fixture
def db(tmp_path, monkeypatch):
    monkeypatch.setenv("GXDESK_HOME", str(tmp_path / "home"))
    return seed_copy(tmp_path)


def _texts(path) -> list[str]:
    wb = openpyxl.load_workbook(path)
    try:
        return [
            str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value
        ]
    finally:
        wb.close()


def _row_of(path, name: str) -> list[str]:
    wb = openpyxl.load_workbook(path)
    try:
        ws = wb.worksheets[0]
        for row in ws.iter_rows(values_only=True):
            if name in row:
                return [str(v) for v in row if v is not None]
    finally:
        wb.close()
    raise LookupError(name)


@pytest.mark.parametrize(("on", "light"), [("2014-09-30", "黄灯"), ("2014-10-20", "红灯")])
def test_export_units_on_a_day(db, tmp_path, on, light):
    out = tmp_path / "发出"
    assert main(["--db", str(db), "export-units", str(out), "--unit", "市审计局", "--on", on]) == 0
    [path] = out.glob("*.xlsx")
    assert path.name == f"2014年政务公开工作进展_市审计局_{on[:7]}.xlsx"
    y, m, d = on.split("-")
    assert any(f"截至：{y}年{m}月{d}日" in t for t in _texts(path))
    assert light in _row_of(path, AUDIT)


@pytest.mark.parametrize(("on", "light"), [("2014-09-30", "黄灯"), ("2014-10-20", "红灯")])
def test_export_plan_on_a_day(db, tmp_path, on, light):
    out = tmp_path / "台账.xlsx"
    assert main(["--db", str(db), "export-plan", str(out), "--on", on]) == 0
    assert any(f"工作台账（截至 {on}）" in t for t in _texts(out))
    assert light in _row_of(out, AUDIT)


def test_a_bad_on_date_is_refused(db, tmp_path, capsys):
    assert main(["--db", str(db), "export-plan", str(tmp_path / "x.xlsx"), "--on", "2014-02-30"]) == 2
    assert "没有这个日期" in capsys.readouterr().err
    assert not (tmp_path / "x.xlsx").exists()
