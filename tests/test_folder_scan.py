"""``merge DIR``: which files of a folder are read, and which are skipped.

The program's own half-written saves and Excel/WPS lock files are never read
(they failed the whole run before); an upper-case ``.XLSX`` is read (it was
silently left out).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from ui_helpers import seed_copy

from gxdesk.cli import main
from gxdesk.exchange.unit_workbook import temporary_name
from gxdesk.exchange.workbook_reader import is_temporary_file
from gxdesk.ops.exchange import expand_paths


@pytest.fixture
def exported(tmp_path, monkeypatch):
    monkeypatch.setenv("GXDESK_HOME", str(tmp_path / "home"))
    db = seed_copy(tmp_path)
    out = tmp_path / "回收"
    args = ["--db", str(db), "export-units", str(out), "--unit", "市财政局", "--unit", "市审计局"]
    assert main(args) == 0
    return db, out


def test_the_temporary_save_name_is_hidden_and_not_a_workbook(tmp_path):
    tmp = temporary_name(tmp_path / "2014年进展_市财政局.xlsx")
    assert tmp.parent == tmp_path
    assert tmp.name.startswith(".") and not tmp.name.lower().endswith(".xlsx")
    assert is_temporary_file(tmp)


def test_a_folder_scan_reads_upper_case_and_skips_temporary_and_owner_files(exported, capsys):
    db, out = exported
    finance, audit = sorted(out.glob("*.xlsx"))
    upper = audit.with_suffix(".XLSX")
    audit.rename(upper)
    half = finance.read_bytes()[:2000]  # what a crash mid-save leaves
    temporary_name(finance).write_bytes(half)
    (out / f".{finance.stem}.4242.part.xlsx").write_bytes(half)  # an older version's name
    (out / f"~${finance.name}").write_bytes(b"\0" * 165)
    (out / f"._{finance.name}").write_bytes(b"\0" * 4096)  # macOS resource fork on a USB stick
    (out / "子文件夹.xlsx").mkdir()
    (out / "说明.txt").write_text("备注", encoding="utf-8")

    files, skipped = expand_paths([out])
    assert sorted(f.name for f in files) == sorted([finance.name, upper.name])
    # the current temporary name does not even look like a workbook; the rest are named skips
    assert sorted(f.name for f in skipped) == sorted(
        [f".{finance.stem}.4242.part.xlsx", f"~${finance.name}", f"._{finance.name}"]
    )

    capsys.readouterr()
    code = main(["--db", str(db), "merge", str(out), "--dry-run", "--json"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    report = json.loads(captured.out)
    assert sorted(Path(f["file"]).name for f in report) == sorted([finance.name, upper.name])
    assert all(f["error"] is None for f in report)
    assert {f["unit"] for f in report} == {"市财政局", "市审计局"}


def test_a_file_named_on_its_own_is_read_whatever_its_case(exported):
    _db, out = exported
    first = sorted(out.glob("*.xlsx"))[0]
    upper = shutil.copy(first, out / "RETURNED.XLSX")
    files, skipped = expand_paths([Path(upper)])
    assert files == [Path(upper)] and skipped == []
