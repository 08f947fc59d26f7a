"""Shared set-up for the exchange tests: a real database holding the 2014 plan."""

from __future__ import annotations

import datetime as dt
import hashlib
import zipfile
from pathlib import Path

from openpyxl import load_workbook

from gxdesk.core.plan import build_plan
from gxdesk.exchange.plan_text import read_plan_text
from gxdesk.store.database import Database, open_database
from gxdesk.store.plans import save_plan

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "data" / "plan2014-table.txt"
ON = dt.date(2014, 10, 20)


def make_db(folder: Path, name: str = "gx.sqlite") -> Database:
    db = open_database(folder / name)
    draft = build_plan(
        read_plan_text(SEED.read_text(encoding="utf-8")), year=2014, issued=dt.date(2014, 9, 26)
    )
    with db.transaction() as session:
        save_plan(session, draft, source_name=SEED.name)
    return db


def export_all(folder: Path) -> tuple[Database, dict[str, Path]]:
    """A fresh 2014 ledger and every unit's workbook exported from it (unit → file)."""
    from gxdesk.ops.exchange import export_units

    db = make_db(folder)
    out = folder / "out"
    out.mkdir()
    return db, {f.unit: f.path for f in export_units(db, out, on=ON)}


def latest_of_unit(db: Database, unit: str) -> dict[int, object]:
    """task id → the latest report ``unit`` has on it (ProgressView), for every task."""
    from gxdesk.store import queries

    tasks = queries.list_tasks(db, queries.current_plan(db).id, on=ON)
    return {
        task_id: v
        for task_id, views in queries.latest_progress(db, [t.id for t in tasks]).items()
        for v in views
        if v.unit == unit
    }


def file_sha(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def sheet_xml(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as zf:
        return {
            n: zf.read(n).decode("utf-8")
            for n in zf.namelist()
            if n.startswith("xl/worksheets/") and n.endswith(".xml")
        }


def open_for_edit(path: Path):  # type: ignore[no-untyped-def]
    """Open a workbook the way a clerk's spreadsheet program would (keeping everything)."""
    return load_workbook(path)


def data_rows(ws) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """任务编号 → sheet row, found by the header (not by position)."""
    header = None
    for row in ws.iter_rows(min_row=1, max_row=30):
        values = [c.value for c in row]
        if "任务编号" in values and "进展状态" in values:
            header = row[0].row
            cols = {v: i + 1 for i, v in enumerate(values) if v}
            break
    assert header is not None
    key_col = cols["任务编号"]
    return {
        ws.cell(r, key_col).value: r
        for r in range(header + 1, ws.max_row + 1)
        if ws.cell(r, key_col).value
    }


def columns(ws) -> dict[str, int]:  # type: ignore[no-untyped-def]
    for row in ws.iter_rows(min_row=1, max_row=30):
        values = [c.value for c in row]
        if "任务编号" in values:
            return {v: i + 1 for i, v in enumerate(values) if v}
    raise AssertionError("no header")


def type_text(cell, value: str) -> None:  # type: ignore[no-untyped-def]
    """Type text into a text-formatted cell: it stays text even if it starts with '='.

    Excel escapes text that looks like an OOXML escape (``_x0041_``) when it
    saves; openpyxl does not, so the helper does what Excel would.
    """
    from gxdesk.exchange.unit_workbook import safe_text

    cell.value = safe_text(value)
    cell.data_type = "s"
