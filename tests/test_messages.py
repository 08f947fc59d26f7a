"""Refusals that say what is actually wrong (not a nearby, misleading reason)."""

from __future__ import annotations

import hashlib

import pytest
from ui_helpers import seed_copy

from gxdesk.cli import main
from gxdesk.exchange.plan_reader import read_plan
from gxdesk.exchange.safety import BadFileError
from gxdesk.exchange.workbook_reader import read_returned_workbook


@pytest.fixture
def db(tmp_path, monkeypatch):
    monkeypatch.setenv("GXDESK_HOME", str(tmp_path / "home"))
    return seed_copy(tmp_path)


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _refusal(capsys, db, *argv: str) -> str:
    before = _digest(db)
    code = main(["--db", str(db), *argv])
    err = capsys.readouterr().err
    assert code == 2, err
    assert _digest(db) == before
    assert err.count("\n") == 1, err
    return err


def test_a_folder_given_as_a_plan_file_is_called_a_folder(db, tmp_path, capsys):
    folder = tmp_path / "方案"
    folder.mkdir()
    err = _refusal(capsys, db, "import-plan", str(folder))
    assert "这是文件夹，不是文件：方案" in err
    assert "不存在" not in err
    assert "不存在" in _refusal(capsys, db, "import-plan", str(tmp_path / "没有.txt"))


def test_readers_tell_a_folder_from_a_missing_file(tmp_path):
    for reader in (read_plan, read_returned_workbook):
        with pytest.raises(BadFileError, match="这是文件夹，不是文件"):
            reader(tmp_path)
        with pytest.raises(BadFileError, match="文件不存在"):
            reader(tmp_path / "x.xlsx")


@pytest.mark.parametrize(
    ("day", "reason"),
    [
        ("2014-02-30", "没有这个日期：2014-02-30（2014年2月只有 28 天）"),
        ("2016-02-30", "没有这个日期：2016-02-30（2016年2月只有 29 天）"),
        ("2014-04-31", "没有这个日期：2014-04-31（2014年4月只有 30 天）"),
        ("2014-13-01", "没有这个日期：2014-13-01（月份应为 01–12）"),
        ("2014/02/03", "日期格式应为 YYYY-MM-DD：2014/02/03"),
        ("20140203", "日期格式应为 YYYY-MM-DD：20140203"),
    ],
)
def test_a_day_that_does_not_exist_is_not_called_a_format_error(db, capsys, day, reason):
    assert reason in _refusal(capsys, db, "tasks", "--on", day)


def test_a_real_day_still_works(db, capsys):
    assert main(["--db", str(db), "tasks", "--on", "2016-02-29"]) == 0


@pytest.mark.parametrize("sep", [",", ";", "，"])
def test_a_csv_plan_with_the_right_headers_is_named_as_csv(db, tmp_path, capsys, sep):
    csv = tmp_path / "方案.csv"
    header = sep.join(['"类别"', '"工作任务"', '"工作要求"', '"完成时限"', '"责任单位"'])
    csv.write_text(f"{header}\n一{sep}信息解读{sep}要求{sep}8月底前{sep}市财政局牵头\n", "utf-8")
    err = _refusal(capsys, db, "import-plan", str(csv))
    assert "CSV" in err and "另存为 .xlsx" in err
    assert "未找到表头" not in err


def test_a_text_without_any_header_still_says_no_header(db, tmp_path, capsys):
    text = tmp_path / "随便.txt"
    text.write_text("标题\n\t一\t二\n", "utf-8")
    assert "未找到表头" in _refusal(capsys, db, "import-plan", str(text))
