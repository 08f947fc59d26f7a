"""Merging returned workbooks: real files edited the way clerks edit them."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import zipfile
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
    make_db,
    open_for_edit,
    type_text,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from gxdesk.core.model import Status
from gxdesk.core.workbook_data import UnitReport
from gxdesk.ops.exchange import preview_merge
from gxdesk.store import queries
from gxdesk.store.merge import Outcome, apply_merge, batches, undo_batch


@pytest.fixture()
def setup(tmp_path: Path):  # type: ignore[no-untyped-def]
    db, files = export_all(tmp_path)
    yield db, files
    db.close()


def _outcomes(plan) -> dict[int | None, Outcome]:  # type: ignore[no-untyped-def]
    return {r.task_id: r.outcome for f in plan.files for r in f.rows}


def _strip_custom_properties(path: Path) -> None:
    """What a re-save that drops custom document properties leaves."""
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if info.filename == "docProps/custom.xml":
                continue
            data = zin.read(info)
            if info.filename in ("[Content_Types].xml", "_rels/.rels"):
                text = data.decode("utf-8")
                import re

                text = re.sub(r"<(Override|Relationship)[^>]*custom\.xml\"[^>]*/>", "", text)
                data = text.encode("utf-8")
            zout.writestr(info, data)
    tmp.replace(path)


def _clerk_edits(path: Path, *, drop_hidden_sheet: bool) -> dict[str, dict]:
    """Fill in, sort, insert blank rows, type dates as text, touch a locked cell."""
    wb = open_for_edit(path)
    ws = wb["进展填报"]
    cols = columns(ws)
    rows = data_rows(ws)
    keys = list(rows)
    typed = {
        keys[0]: {
            "status": " 已办结 ",
            "percent": "100%",
            "date": "2014.9.30",
            "text": "=已公开预算",
        },
        keys[1]: {"status": "进行中", "percent": 0.5, "date": "9月15日", "text": "+正在整理"},
        keys[2]: {
            "status": "推进中",
            "percent": "50",
            "date": dt.datetime(2014, 10, 8),
            "text": "@通知",
        },
    }
    for key, v in typed.items():
        r = rows[key]
        ws.cell(r, cols["进展状态"]).value = v["status"]
        ws.cell(r, cols["完成进度%"]).value = v["percent"]
        ws.cell(r, cols["完成时间"]).value = v["date"]
        type_text(ws.cell(r, cols["进展情况"]), v["text"])
        type_text(ws.cell(r, cols["联系电话"]), "03711234567")
    # a locked cell changed on the fourth row
    ws.cell(rows[keys[3]], cols["工作要求"]).value = "改过的工作要求"
    ws.cell(rows[keys[3]], cols["进展状态"]).value = "已完成"
    # sort: reverse the data rows (values only, as a sort moves them)
    first, last = min(rows.values()), max(rows.values())
    grid = [[c.value for c in ws[r]] for r in range(first, last + 1)]
    for offset, values in enumerate(reversed(grid)):
        for c, value in enumerate(values, 1):
            cell = ws.cell(first + offset, c)
            cell.value = value
            if isinstance(value, str):
                cell.data_type = "s"
    ws.insert_rows(first + 2, 2)  # blank rows in the middle
    ws.title = "我的进展"  # a renamed sheet
    ws.cell(3, 20).value = "备注（自加列）"
    if drop_hidden_sheet:
        del wb["_gxdesk"]
    wb.save(path)
    return {"typed": typed, "locked_key": keys[3]}


def _check_round_trip(db, path: Path, edits: dict, expected_source: str) -> None:  # type: ignore[no-untyped-def]
    plan = preview_merge(db, [path], on=ON)
    f = plan.files[0]
    assert f.error is None and f.meta_source == expected_source
    outcomes = {f"T{r.task_id}": r for r in f.rows}
    for key in edits["typed"]:
        assert outcomes[key].outcome is Outcome.APPLIED, outcomes[key].reason
    locked = outcomes[edits["locked_key"]]
    assert locked.outcome is Outcome.REJECTED and "灰色栏目" in locked.reason
    result = apply_merge(db, plan)
    assert result.applied == 3
    latest = latest_of_unit(db, "市财政局")
    got = {f"T{t}": v for t, v in latest.items()}
    a, b, c = edits["typed"]
    assert (got[a].status, got[a].percent, got[a].done_on, got[a].text) == (
        Status.DONE,
        100,
        dt.date(2014, 9, 30),
        "=已公开预算",
    )
    assert (got[b].status, got[b].percent, got[b].done_on, got[b].text) == (
        Status.IN_PROGRESS,
        50,
        dt.date(2014, 9, 15),
        "+正在整理",
    )
    assert (got[c].percent, got[c].done_on, got[c].text, got[c].phone) == (
        50,
        dt.date(2014, 10, 8),
        "@通知",
        "03711234567",
    )
    assert got[a].source_file == path.name
    assert edits["locked_key"] not in got
    with db.raw() as conn:
        sha, export_id = conn.execute(
            "SELECT source_sha256, export_id FROM progress WHERE batch_id = ? LIMIT 1",
            (result.batch_id,),
        ).fetchone()
    assert sha == file_sha(path) and len(export_id) == 32


def test_round_trip_with_the_hidden_sheet_deleted(setup) -> None:  # type: ignore[no-untyped-def]
    db, files = setup
    path = files["市财政局"]
    edits = _clerk_edits(path, drop_hidden_sheet=True)
    _check_round_trip(db, path, edits, "properties")


def test_round_trip_with_the_custom_properties_gone(setup) -> None:  # type: ignore[no-untyped-def]
    db, files = setup
    path = files["市财政局"]
    edits = _clerk_edits(path, drop_hidden_sheet=False)
    _strip_custom_properties(path)
    with zipfile.ZipFile(path) as zf:
        assert "docProps/custom.xml" not in zf.namelist()
    _check_round_trip(db, path, edits, "sheet")


def test_untouched_file_changes_nothing(setup) -> None:  # type: ignore[no-untyped-def]
    db, files = setup
    before = file_sha(db.path)
    plan = preview_merge(db, [files["市审计局"]], on=ON)
    assert {r.outcome for r in plan.files[0].rows} == {Outcome.UNCHANGED}
    assert apply_merge(db, plan).batch_id is None
    assert file_sha(db.path) == before


def _fill_first_row(path: Path, status: str = "推进中", text: str = "已部署") -> str:
    wb = open_for_edit(path)
    ws = wb.worksheets[0]
    cols, rows = columns(ws), data_rows(ws)
    key = next(iter(rows))
    ws.cell(rows[key], cols["进展状态"]).value = status
    type_text(ws.cell(rows[key], cols["进展情况"]), text)
    wb.save(path)
    return key


def test_duplicate_import_changes_nothing(setup) -> None:  # type: ignore[no-untyped-def]
    db, files = setup
    path = files["市审计局"]
    _fill_first_row(path)
    first = apply_merge(db, preview_merge(db, [path], on=ON))
    assert first.applied == 1
    before = file_sha(db.path)
    again = preview_merge(db, [path], on=ON)
    assert again.files[0].duplicate_of == first.batch_id
    assert again.counts()["applied"] == 0
    assert apply_merge(db, again).batch_id is None
    assert file_sha(db.path) == before


def test_stale_file_is_a_conflict_and_not_applied(setup) -> None:  # type: ignore[no-untyped-def]
    db, files = setup
    path = files["市审计局"]
    key = _fill_first_row(path)
    task_id = int(key[1:])
    with db.transaction() as s:  # the lead office edits the task after the export
        s.connection().exec_driver_sql(
            f"UPDATE task SET requirement = requirement || '（补充）', version = version + 1"
            f" WHERE id = {task_id}"
        )
    before = file_sha(db.path)
    plan = preview_merge(db, [path], on=ON)
    row = next(r for r in plan.files[0].rows if r.task_id == task_id)
    assert row.outcome is Outcome.CONFLICT and "版本" in row.reason
    assert row.report is not None  # what the clerk may still pick
    assert apply_merge(db, plan).batch_id is None
    assert file_sha(db.path) == before
    taken = apply_merge(db, plan, take_conflicts=[(0, row.row)])
    assert taken.applied == 1


def test_a_conflict_shows_the_lead_columns_now_beside_the_files(setup) -> None:  # type: ignore[no-untyped-def]
    """RowPlan.current is filled by the planner (off the window's thread): the lead
    office's columns as they are now, beside those the file went out with."""
    db, files = setup
    path = files["市审计局"]
    task_id = int(_fill_first_row(path)[1:])
    with db.transaction() as s:
        s.connection().exec_driver_sql(
            f"UPDATE task SET requirement = requirement || '（补充）', version = version + 1"
            f" WHERE id = {task_id}"
        )
    plan = preview_merge(db, [path], on=ON)
    row = next(r for r in plan.files[0].rows if r.task_id == task_id)
    assert row.outcome is Outcome.CONFLICT
    assert len(row.current) == len(row.in_file) == 6
    assert row.current[3] == row.in_file[3] + "（补充）"
    assert row.current[:3] + row.current[4:] == row.in_file[:3] + row.in_file[4:]
    others = [r for r in plan.files[0].rows if r.task_id != task_id]
    assert all(r.current == () for r in others)


def test_newer_report_since_export_is_a_conflict(setup) -> None:  # type: ignore[no-untyped-def]
    from gxdesk.store.progress import ReportInput, add_reports

    db, files = setup
    path = files["市审计局"]
    key = _fill_first_row(path)
    task_id = int(key[1:])
    from gxdesk.store.exports import unit_assignments

    unit_id = queries.unit_by_name(db, "市审计局").id
    a_id = unit_assignments(db, 1, unit_id)[task_id].assignment_id  # via 市级各部门
    with db.transaction() as s:
        add_reports(
            s,
            [
                ReportInput(
                    a_id,
                    unit_id,
                    UnitReport(Status.DONE),
                    reported_at=dt.datetime.now() + dt.timedelta(1),
                )
            ],
        )
    plan = preview_merge(db, [path], on=ON)
    row = next(r for r in plan.files[0].rows if r.task_id == task_id)
    assert row.outcome is Outcome.CONFLICT and "更新的进展" in row.reason


def test_rows_from_another_units_file_are_rejected(setup) -> None:  # type: ignore[no-untyped-def]
    db, files = setup
    # copy the 征地信息公开 row (市国土资源局's) into 市审计局's file
    src = open_for_edit(files["市国土资源局"])
    s_ws = src.worksheets[0]
    s_cols, s_rows = columns(s_ws), data_rows(s_ws)
    foreign = next(
        k for k, r in s_rows.items() if s_ws.cell(r, s_cols["工作任务"]).value == "征地信息公开"
    )
    values = [c.value for c in s_ws[s_rows[foreign]]]
    wb = open_for_edit(files["市审计局"])
    ws = wb.worksheets[0]
    target = ws.max_row + 1
    for c, v in enumerate(values, 1):
        ws.cell(target, c).value = v
    ws.cell(target, columns(ws)["进展状态"]).value = "已完成"
    wb.save(files["市审计局"])
    before = file_sha(db.path)
    plan = preview_merge(db, [files["市审计局"]], on=ON)
    row = next(r for r in plan.files[0].rows if f"T{r.task_id}" == foreign)
    assert row.outcome is Outcome.REJECTED and "其他单位" in row.reason
    apply_merge(db, plan)
    assert file_sha(db.path) == before


def test_task_taken_from_the_unit_after_export_is_rejected(setup) -> None:  # type: ignore[no-untyped-def]
    db, files = setup
    path = files["市审计局"]
    wb = open_for_edit(path)
    ws = wb.worksheets[0]
    cols, rows = columns(ws), data_rows(ws)
    key = next(
        k for k, r in rows.items() if ws.cell(r, cols["工作任务"]).value.startswith("财政预算执行")
    )
    ws.cell(rows[key], cols["进展状态"]).value = "已完成"
    wb.save(path)
    with db.transaction() as s:
        s.connection().exec_driver_sql(f"DELETE FROM assignment WHERE task_id = {key[1:]}")
    plan = preview_merge(db, [path], on=ON)
    row = next(r for r in plan.files[0].rows if f"T{r.task_id}" == key)
    assert row.outcome is Outcome.REJECTED and "不再分配" in row.reason


def test_unreadable_values_are_listed_with_their_cell(setup) -> None:  # type: ignore[no-untyped-def]
    db, files = setup
    path = files["市审计局"]
    wb = open_for_edit(path)
    ws = wb.worksheets[0]
    cols, rows = columns(ws), data_rows(ws)
    key = next(iter(rows))
    ws.cell(rows[key], cols["进展状态"]).value = "基本完成"
    ws.cell(rows[key], cols["完成时间"]).value = "下月底"
    wb.save(path)
    plan = preview_merge(db, [path], on=ON)
    row = next(r for r in plan.files[0].rows if f"T{r.task_id}" == key)
    assert row.outcome is Outcome.INVALID
    assert f"H{rows[key]}" in row.reason and f"K{rows[key]}" in row.reason


def test_forty_files_one_corrupt(setup, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db, files = setup
    paths = []
    for i, (_unit, path) in enumerate(sorted(files.items())):
        _fill_first_row(path, text=f"进展{i}")
        paths.append(path)
    folder = paths[0].parent
    bad = folder / "坏文件.xlsx"
    bad.write_bytes(paths[0].read_bytes()[:3000])  # truncated in the mail
    (folder / "~$2014年政务公开工作进展_市财政局_2014-10.xlsx").write_bytes(b"\0" * 165)
    renamed_text = folder / "不是表格.xlsx"
    renamed_text.write_text("这是一封邮件正文", encoding="utf-8")
    from gxdesk.ops.exchange import expand_paths

    found, skipped = expand_paths([folder])
    assert [p.name for p in skipped] == ["~$2014年政务公开工作进展_市财政局_2014-10.xlsx"]
    plan = preview_merge(db, found, on=ON)
    refused = {f.file_name: f.error for f in plan.files if f.error}
    assert set(refused) == {"坏文件.xlsx", "不是表格.xlsx"}
    assert all(refused.values())
    result = apply_merge(db, plan)
    assert result.files == len(files) and result.applied == len(files)


def test_undo_a_batch(setup) -> None:  # type: ignore[no-untyped-def]
    db, files = setup
    path = files["市审计局"]
    _fill_first_row(path, status="已完成")
    result = apply_merge(db, preview_merge(db, [path], on=ON))
    assert latest_of_unit(db, "市审计局")
    assert undo_batch(db, result.batch_id) == 1
    assert not latest_of_unit(db, "市审计局")
    assert batches(db)[0].undone_at is not None
    # after an undo the same file may be merged again
    assert preview_merge(db, [path], on=ON).counts()["applied"] == 1


def test_lost_hidden_data_needs_a_confirmed_unit(setup, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import Workbook

    db, files = setup
    src = open_for_edit(files["市审计局"]).worksheets[0]
    wb = Workbook()  # content pasted into a new workbook
    ws = wb.active
    for row in src.iter_rows(min_row=1, max_row=src.max_row, max_col=15):
        ws.append([c.value for c in row])
    ws.cell(4, 8).value = "已完成"
    pasted = tmp_path / "审计局进展.xlsx"
    wb.save(pasted)
    plan = preview_merge(db, [pasted], on=ON)
    f = plan.files[0]
    assert f.needs_confirmation and f.unit == "市审计局"
    assert {r.outcome for r in f.rows} == {Outcome.UNMATCHED}
    assert all(r.task_id for r in f.rows)
    unit = queries.unit_by_name(db, "市审计局")
    confirmed = preview_merge(db, [pasted], confirm_units={str(pasted): unit.id}, on=ON)
    assert confirmed.counts()["applied"] == 1


def test_far_away_cell_is_refused_before_reading(setup) -> None:  # type: ignore[no-untyped-def]
    db, files = setup
    path = files["市审计局"]
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(
                    b"</sheetData>",
                    b'<row r="1000000"><c r="ZZ1000000" t="inlineStr"><is><t>x</t></is></c></row></sheetData>',
                )
            zout.writestr(info, data)
    tmp.replace(path)
    plan = preview_merge(db, [path], on=ON)
    assert plan.files[0].error and "范围过大" in plan.files[0].error


def _cli(db_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "gxdesk", "--db", str(db_path), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        timeout=120,
    )


def test_cli_merge_json_dry_run_and_exit_codes(setup) -> None:  # type: ignore[no-untyped-def]
    db, files = setup
    path = files["市审计局"]
    _fill_first_row(path)
    bad = path.parent / "坏.xlsx"
    bad.write_bytes(b"PK\x03\x04broken")
    db.close()
    before = file_sha(db.path)
    dry = _cli(db.path, "merge", str(path), str(bad), "--dry-run", "--json")
    assert dry.returncode == 2
    assert file_sha(db.path) == before
    report = json.loads(dry.stdout)
    good = next(r for r in report if r["file"] == str(path))
    assert good["unit"] == "市审计局" and good["error"] is None and good["applied"] == 1
    assert {"applied", "unchanged", "conflicts", "rejected", "invalid", "unmatched"} <= set(good)
    assert good["rows"][0].keys() >= {"task", "outcome", "reason"}
    refused = next(r for r in report if r["file"] == str(bad))
    assert refused["error"]
    assert len(dry.stderr.strip().splitlines()) == 1 and "坏.xlsx" in dry.stderr
    done = _cli(db.path, "merge", str(path))
    assert done.returncode == 0, done.stderr
    assert "已写入第 1 批" in done.stdout
    assert file_sha(db.path) != before


def test_cli_export_units_and_plan(tmp_path: Path) -> None:
    db = make_db(tmp_path)
    db.close()
    out = tmp_path / "x"
    out.mkdir()
    r = _cli(db.path, "export-units", str(out), "--unit", "市财政局", "--unit", "市审计局")
    assert r.returncode == 0, r.stderr
    assert len(list(out.glob("*.xlsx"))) == 2
    r = _cli(db.path, "export-units", str(out), "--unit", "不存在的局")
    assert r.returncode == 2 and "不存在的局" in r.stderr
    r = _cli(db.path, "export-plan", str(tmp_path / "台账.xlsx"))
    assert r.returncode == 0 and (tmp_path / "台账.xlsx").is_file()


def test_apply_refuses_a_stale_preview_and_writes_nothing(setup, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from gxdesk.store.exports import unit_assignments
    from gxdesk.store.merge import StalePlanError
    from gxdesk.store.progress import ReportInput, add_reports

    db, files = setup
    backups = tmp_path / "backups"

    def stale(path: Path, edit) -> str:  # type: ignore[no-untyped-def]
        plan = preview_merge(db, [path], on=ON)
        assert plan.counts()["applied"] == 1
        edit()
        before = file_sha(db.path)
        with pytest.raises(StalePlanError) as err:
            apply_merge(db, plan, backup_dir=backups)
        assert file_sha(db.path) == before
        assert not list(backups.glob("*.sqlite"))  # no backup left behind either
        assert "重新预览" in str(err.value) and "\n" not in str(err.value)
        return str(err.value)

    # the same file merged meanwhile (another window, the command line)
    land = files["市国土资源局"]
    _fill_first_row(land)
    elsewhere = lambda: apply_merge(db, preview_merge(db, [land], on=ON), backup_dir=tmp_path / "b")  # noqa: E731
    assert "已在另一批中合并" in stale(land, elsewhere)

    # a report typed in by hand for the same unit and task meanwhile
    finance = files["市财政局"]
    key = _fill_first_row(finance)
    unit_id = queries.unit_by_name(db, "市财政局").id
    a_id = unit_assignments(db, 1, unit_id)[int(key[1:])].assignment_id

    def add_report() -> None:
        with db.transaction() as s:
            add_reports(
                s, [ReportInput(a_id, unit_id, UnitReport(Status.IN_PROGRESS, text="手工"))]
            )

    assert "进展已被录入" in stale(finance, add_report)

    # the clerk edits the task in the window while the dialog is open
    audit = files["市审计局"]
    task_id = int(_fill_first_row(audit)[1:])

    def edit_task() -> None:
        with db.transaction() as s:
            s.connection().exec_driver_sql(
                f"UPDATE task SET version = version + 1 WHERE id = {task_id}"
            )

    assert "任务已被修改" in stale(audit, edit_task)
    # previewed again, the edit shows as what it is (a conflict), and nothing is stale
    again = preview_merge(db, [audit], on=ON)
    assert _outcomes(again)[task_id] is Outcome.CONFLICT
    row = next(r for r in again.files[0].rows if r.task_id == task_id)
    assert apply_merge(db, again, take_conflicts=[(0, row.row)]).applied == 1


def test_cancel_inside_the_transaction_writes_nothing(setup, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from gxdesk.ops.exchange import JobCancelled, read_workbooks

    db, files = setup
    path = files["市审计局"]
    _fill_first_row(path)
    plan = preview_merge(db, [path], on=ON)
    before = file_sha(db.path)

    def cancel() -> None:
        raise JobCancelled()

    with pytest.raises(JobCancelled):
        apply_merge(db, plan, backup_dir=tmp_path / "bk", check=cancel)
    assert file_sha(db.path) == before
    assert not list((tmp_path / "bk").glob("*"))
    # reading a folder stops between files when cancelled
    seen: list[int] = []
    with pytest.raises(JobCancelled):
        read_workbooks(
            sorted(files.values()),
            step=lambda done, _total, _name: seen.append(done),
            cancelled=lambda: len(seen) >= 3,
        )
    assert len(seen) == 3


def test_threaded_reading_keeps_order_and_results(setup) -> None:  # type: ignore[no-untyped-def]
    from gxdesk.ops.exchange import read_workbooks

    db, files = setup
    paths = sorted(files.values())
    bad = paths[0].parent / "坏.xlsx"
    bad.write_bytes(b"PK\x03\x04broken")
    paths.insert(3, bad)  # refused by the safety check, on the reading thread
    from openpyxl import Workbook

    no_sheet = paths[0].parent / "空白工作簿.xlsx"
    Workbook().save(no_sheet)
    paths.insert(5, no_sheet)  # refused while parsing, on a parsing thread
    broken_xml = paths[0].parent / "表格内容被截断.xlsx"
    with zipfile.ZipFile(paths[0]) as zin, zipfile.ZipFile(broken_xml, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2]  # well-formed for the check, not for the reader
            zout.writestr(info.filename, data)
    paths.insert(7, broken_xml)
    alone = read_workbooks(paths, threads=0)
    names = [p.name for p in paths]
    for threads in (1, 3):
        many = read_workbooks(paths, threads=threads)
        assert [w.file_name for w in alone] == [w.file_name for w in many] == names
        assert [getattr(w, "sha256", None) for w in many] == [
            getattr(w, "sha256", None) for w in alone
        ]
        assert [getattr(w, "rows", None) for w in many] == [getattr(w, "rows", None) for w in alone]
        assert many[3].error == alone[3].error  # the broken ones, in their places
        assert many[5].error == alone[5].error and "找不到进展表" in many[5].error
        assert many[7].error == alone[7].error and "无法读取" in many[7].error


def test_cli_export_creates_the_folder_and_names_tasks_nobody_receives(tmp_path: Path) -> None:
    import shutil

    from conftest import ROOT
    from test_cli import gx

    db = tmp_path / "d.sqlite"
    shutil.copyfile(ROOT / "data" / "seed.sqlite", db)
    r = gx("--db", str(db), "export-units", str(tmp_path / "新文件夹"))
    assert r.returncode == 0, r.stderr
    assert len(list((tmp_path / "新文件夹").glob("*.xlsx"))) == 17
    assert "行政处罚信息公开" in r.stderr and "没有成员" in r.stderr
    r = gx("--db", str(db), "export-units", str(tmp_path / "无" / "此" / "目录"))
    assert r.returncode == 2 and "目录不存在" in r.stderr


def test_planning_file_by_file_as_read_equals_one_batch(setup) -> None:  # type: ignore[no-untyped-def]
    """preview_merge plans each batch of files while the next are read; the outcome
    (rows, reasons, duplicates within the merge, and what apply re-checks) must be
    the same as planning everything at once."""
    from gxdesk.ops.exchange import read_workbooks
    from gxdesk.store.merge import MergePlanner, plan_merge

    db, files = setup
    paths = sorted(files.values())[:6]
    for i, path in enumerate(paths):
        _fill_first_row(path, text=f"第{i}次进展")
    twin = paths[0].parent / "同一文件再发一次.xlsx"
    twin.write_bytes(paths[1].read_bytes())
    bad = paths[0].parent / "坏.xlsx"
    bad.write_bytes(b"PK\x03\x04broken")
    paths += [twin, bad]
    books = read_workbooks(paths, threads=1)
    at_once = plan_merge(db, books, paths=[str(p) for p in paths], on=ON)
    planner = MergePlanner(db, on=ON)
    for p, book in zip(paths, books, strict=True):
        planner.add([book], [str(p)])
    one_by_one = planner.result()
    streamed = preview_merge(db, paths, on=ON)
    for plan in (one_by_one, streamed):
        assert [f.as_json() for f in plan.files] == [f.as_json() for f in at_once.files]
        assert plan.basis == at_once.basis
    assert at_once.counts()["applied"] == 6
    assert "完全相同" in (at_once.files[6].error or "") and at_once.files[7].error


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.none(),
            st.sampled_from(
                ["推进中", " 已办结 ", "完成", "50%", "0.5", "2014.9.30", "9月30日", "乱写"]
            ),
            st.text(max_size=8),
            st.floats(allow_nan=True, allow_infinity=True),
            st.integers(-5, 50000),
            st.booleans(),
            st.dates(dt.date(1990, 1, 1), dt.date(2030, 12, 31)),
        ),
        min_size=8,
        max_size=8,
    )
)
def test_the_text_read_beside_a_report_is_its_as_text(cells: list[object]) -> None:
    """The merge hashes the text the value reader hands back with each report
    (remembered per distinct cell); it must be exactly the report's as_text()."""
    from gxdesk.core.workbook_data import ReturnedRow
    from gxdesk.store.merge import ValueReader

    reader = ValueReader(2014)
    row = ReturnedRow(5, "T1", 1, ("",) * 6, tuple(cells), tuple("HIJKLMNO"))
    for _ in range(2):  # the second time from the memo
        report, text, problems = reader.read_with_text(row)
        if report is None:
            assert problems and text == ()
        else:
            assert text == report.as_text() and not problems


def test_next_month_untouched_same_as_latest_and_changed_rows(setup, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The second round: the workbook goes out pre-filled with the first round. An
    untouched row is 未修改 (settled by its hash, the database not asked); a row typed
    to match what the lead office entered since is 与库中最新进展相同; a changed row
    applies; and the lead office's newer entry on an untouched row is left alone."""
    from gxdesk.store.exports import unit_assignments
    from gxdesk.store.progress import ReportInput, add_reports

    db, files = setup
    unit = "市审计局"
    wb = open_for_edit(files[unit])
    ws = wb.worksheets[0]
    cols, rows = columns(ws), data_rows(ws)
    keys = list(rows)[:4]
    for k in keys:
        ws.cell(rows[k], cols["进展状态"]).value = "推进中"
        type_text(ws.cell(rows[k], cols["进展情况"]), f"第一轮{k}")
    wb.save(files[unit])
    assert apply_merge(db, preview_merge(db, [files[unit]], on=ON)).applied == 4

    later = tmp_path / "next"
    later.mkdir()
    from gxdesk.ops.exchange import export_units

    path = next(
        f.path for f in export_units(db, later, on=ON + dt.timedelta(days=31)) if f.unit == unit
    )
    unit_id = queries.unit_by_name(db, unit).id
    mine = unit_assignments(db, 1, unit_id)
    lead_entry = UnitReport(Status.DONE, 100, "牵头单位录入")
    with db.transaction() as s:  # after the export, on keys[1] and keys[3]
        add_reports(
            s,
            [
                ReportInput(mine[int(k[1:])].assignment_id, unit_id, lead_entry)
                for k in (keys[1], keys[3])
            ],
        )
    wb = open_for_edit(path)
    ws = wb.worksheets[0]
    cols, rows = columns(ws), data_rows(ws)
    ws.cell(rows[keys[1]], cols["进展状态"]).value = "已完成"
    ws.cell(rows[keys[1]], cols["完成进度%"]).value = 1
    type_text(ws.cell(rows[keys[1]], cols["进展情况"]), "牵头单位录入")
    type_text(ws.cell(rows[keys[2]], cols["进展情况"]), "第二轮有新进展")
    wb.save(path)

    plan = preview_merge(db, [path], on=ON + dt.timedelta(days=31))
    by_task = {r.task_id: r for r in plan.files[0].rows}
    t = [int(k[1:]) for k in keys]
    assert (by_task[t[0]].outcome, by_task[t[0]].reason) == (Outcome.UNCHANGED, "未修改")
    assert (by_task[t[1]].outcome, by_task[t[1]].reason) == (
        Outcome.UNCHANGED,
        "与库中最新进展相同",
    )
    assert by_task[t[2]].outcome is Outcome.APPLIED
    assert by_task[t[2]].values.text == "第二轮有新进展"
    assert (by_task[t[3]].outcome, by_task[t[3]].reason) == (Outcome.UNCHANGED, "未修改")
    assert plan.counts()["applied"] == 1
    assert apply_merge(db, plan).applied == 1
    latest = latest_of_unit(db, unit)
    assert latest[t[3]].text == "牵头单位录入"  # the untouched row did not overwrite it
    assert latest[t[2]].text == "第二轮有新进展"
