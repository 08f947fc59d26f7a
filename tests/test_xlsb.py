"""A real .xlsb is called what it is, not a macro workbook (.xlsm)."""

from __future__ import annotations

import hashlib

import pytest
import pyxlsb
from ui_helpers import seed_copy
from xlsb_make import write_xlsb

from gxdesk.cli import main
from gxdesk.exchange.plan_reader import read_plan
from gxdesk.exchange.safety import BadFileError, sniff
from gxdesk.exchange.workbook_reader import read_returned_workbook


@pytest.fixture
def xlsb(tmp_path):
    path = write_xlsb(tmp_path / "市财政局进展.xlsb", text="工作任务", number=80.0)
    with pyxlsb.open_workbook(str(path)) as wb, wb.get_sheet(1) as sheet:
        assert [[c.v for c in row] for row in sheet.rows()] == [["工作任务", 80.0]]
    return path


def test_every_reader_names_an_xlsb(xlsb):
    for read in (sniff, read_plan, read_returned_workbook):
        with pytest.raises(BadFileError) as err:
            read(xlsb)
        assert "二进制工作簿（.xlsb）" in str(err.value)
        assert "另存为 .xlsx" in str(err.value)
        assert "宏" not in str(err.value)


def test_merge_and_import_plan_refuse_it_leaving_the_database_as_it_was(
    xlsb, tmp_path, monkeypatch, capsys
):
    monkeypatch.setenv("GXDESK_HOME", str(tmp_path / "home"))
    db = seed_copy(tmp_path)
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    assert main(["--db", str(db), "merge", str(xlsb)]) == 2
    assert main(["--db", str(db), "import-plan", str(xlsb)]) == 2
    err = capsys.readouterr().err
    assert err.count("二进制工作簿（.xlsb）") == 2 and "含宏" not in err
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before
