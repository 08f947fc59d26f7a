"""import-plan refuses what would silently replace the current plan.

A unit's returned workbook and the ledger look like plan tables (they have its
columns); a plan already in the database would come in a second time and
become current, renumbering the tasks. Each is refused with the way that fits,
the database byte for byte as it was.
"""

from __future__ import annotations

import hashlib

import openpyxl
import pytest
from ui_helpers import SEED_TEXT, seed_copy

from gxdesk.cli import main
from gxdesk.core.plan import PlanAlreadyImported, build_plan
from gxdesk.exchange.plan_reader import read_plan
from gxdesk.store import queries
from gxdesk.store.database import open_database
from gxdesk.store.plans import save_plan


@pytest.fixture
def db(tmp_path, monkeypatch):
    monkeypatch.setenv("GXDESK_HOME", str(tmp_path / "home"))
    return seed_copy(tmp_path)


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _refused(capsys, db, *argv: str) -> str:
    before = _digest(db)
    assert main(["--db", str(db), "import-plan", *argv]) == 2
    assert _digest(db) == before
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    return err


def _unit_workbook(db, folder):
    assert main(["--db", str(db), "export-units", str(folder), "--unit", "市财政局"]) == 0
    [path] = folder.glob("*.xlsx")
    return path


def test_a_units_progress_workbook_is_sent_to_merge(db, tmp_path, capsys):
    path = _unit_workbook(db, tmp_path / "out")
    err = _refused(capsys, db, str(path))
    assert "发给单位填报的进展表" in err and "merge" in err and "合并" in err


def test_a_unit_workbook_saved_again_by_another_program_is_still_recognised(db, tmp_path, capsys):
    path = _unit_workbook(db, tmp_path / "out")
    wb = openpyxl.load_workbook(path)
    del wb["_gxdesk"]  # a unit that deleted the hidden sheet: the document properties remain
    resaved = tmp_path / "resaved.xlsx"
    wb.save(resaved)
    assert "merge" in _refused(capsys, db, str(resaved))


def test_the_ledger_is_not_a_plan(db, tmp_path, capsys):
    ledger = tmp_path / "台账.xlsx"
    assert main(["--db", str(db), "export-plan", str(ledger)]) == 0
    capsys.readouterr()
    err = _refused(capsys, db, str(ledger))
    assert "导出的台账" in err and "分解表" in err


def test_a_plan_already_there_is_refused_and_named(db, capsys):
    err = _refused(capsys, db, str(SEED_TEXT))
    assert "数据库中已有这份计划：#1《2014年政府信息公开工作要点分解细化方案》" in err
    assert "--as-new" in err


def test_a_refused_copy_leaves_no_backup_behind(db, capsys):
    from gxdesk.store.backups import backup_folder

    folder = backup_folder(db)
    before = sorted(folder.iterdir()) if folder.exists() else []
    _refused(capsys, db, str(SEED_TEXT))
    assert (sorted(folder.iterdir()) if folder.exists() else []) == before


def test_as_new_imports_a_second_copy_on_purpose(db, capsys):
    assert main(["--db", str(db), "import-plan", str(SEED_TEXT), "--as-new"]) == 0
    assert "已导入计划 #2" in capsys.readouterr().out
    database = open_database(db)
    try:
        assert [p.id for p in queries.plans(database)] == [1, 2]
    finally:
        database.close()


def test_the_rule_lives_in_the_store_where_both_paths_meet(db):
    draft = build_plan(read_plan(SEED_TEXT))
    database = open_database(db)
    try:
        with pytest.raises(PlanAlreadyImported) as err, database.transaction() as session:
            save_plan(session, draft)
        assert err.value.plan_id == 1
        with database.transaction() as session:
            assert save_plan(session, draft, as_new=True).plan_id == 2
    finally:
        database.close()


def test_a_plan_of_another_year_is_not_a_copy(db, tmp_path, capsys):
    other = tmp_path / "plan2015.txt"
    other.write_text(SEED_TEXT.read_text("utf-8").replace("2014年", "2015年", 1), "utf-8")
    assert main(["--db", str(db), "import-plan", str(other)]) == 0
