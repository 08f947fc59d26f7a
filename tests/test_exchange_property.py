"""Property: whatever a unit types survives export → fill in → merge unchanged."""

from __future__ import annotations

import datetime as dt
import re
import tempfile
from pathlib import Path

from exchange_helpers import ON, columns, data_rows, make_db, open_for_edit, sheet_xml, type_text
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gxdesk.core.model import Status
from gxdesk.core.row_verdict import implausible
from gxdesk.core.workbook_data import UnitReport
from gxdesk.ops.exchange import export_units, preview_merge
from gxdesk.store import queries
from gxdesk.store.merge import Outcome, apply_merge

# What a cell can hold: no control characters but tab and line feed; not only spaces.
_chars = st.characters(
    blacklist_categories=("Cs", "Cc"), whitelist_characters="\t\n"
) | st.sampled_from(list("=+-@_x0041_'\"<>&％。，"))
texts = st.text(_chars, min_size=1, max_size=40).filter(lambda s: s.strip() != "")
formula_like = st.builds(lambda a, b: a + b, st.sampled_from(["=", "+", "-", "@", "=SUM("]), texts)
text_values = st.one_of(texts, formula_like, st.integers(0, 10**12))


@st.composite
def reports(draw):  # type: ignore[no-untyped-def]
    return {
        "status": draw(st.sampled_from(list(Status))),
        "percent": draw(st.integers(0, 100)),
        "done_on": draw(st.dates(dt.date(1990, 1, 1), dt.date(2099, 12, 31))),
        "text": draw(text_values),
        "evidence": draw(text_values),
        "problems": draw(text_values),
        "contact": draw(texts),
        "phone": draw(st.from_regex(r"0[0-9]{2,3}-?[0-9]{7,8}", fullmatch=True)),
    }


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(first=reports(), second=reports())
def test_typed_values_survive_and_no_formula_is_written(first: dict, second: dict) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = make_db(folder)
        try:
            out = folder / "out"
            out.mkdir()
            path = next(f.path for f in export_units(db, out, on=ON) if f.unit == "市审计局")
            wb = open_for_edit(path)
            ws = wb["进展填报"]
            cols, rows = columns(ws), data_rows(ws)
            keys = list(rows)[:2]
            for key, rep in zip(keys, (first, second), strict=True):
                r = rows[key]
                ws.cell(r, cols["进展状态"]).value = rep["status"].value
                ws.cell(r, cols["完成进度%"]).value = rep["percent"] / 100
                ws.cell(r, cols["完成时间"]).value = rep["done_on"]
                for field, header in (
                    ("text", "进展情况"),
                    ("evidence", "佐证材料"),
                    ("problems", "存在问题"),
                    ("contact", "联系人"),
                    ("phone", "联系电话"),
                ):
                    value = rep[field]
                    if isinstance(value, int):
                        ws.cell(r, cols[header]).value = value  # typed as a number
                    else:
                        type_text(ws.cell(r, cols[header]), value)
            wb.save(path)
            plan = preview_merge(db, [path], on=ON)
            outcomes = [r for r in plan.files[0].rows if f"T{r.task_id}" in keys]
            # a report that looks wrong (已完成 below 100%, …) waits for the clerk to accept it
            expected = [
                Outcome.WARNING
                if implausible(
                    UnitReport(rep["status"], rep["percent"], done_on=rep["done_on"]), ON
                )
                else Outcome.APPLIED
                for rep in (first, second)
            ]
            assert [r.outcome for r in outcomes] == expected, outcomes
            apply_merge(db, plan, take_conflicts=plan.rows_to_verify())
            latest = queries.latest_progress(db, [int(k[1:]) for k in keys])
            for key, rep in zip(keys, (first, second), strict=True):
                (v,) = [p for p in latest[int(key[1:])] if p.unit == "市审计局"]
                expect = {
                    k: str(x) if isinstance(x, int) and k != "percent" else x
                    for k, x in rep.items()
                }
                got = {
                    "status": v.status,
                    "percent": v.percent,
                    "done_on": v.done_on,
                    "text": v.text,
                    "evidence": v.evidence,
                    "problems": v.problems,
                    "contact": v.contact,
                    "phone": v.phone,
                }
                assert got == expect
            # the next export pre-fills those values: still no formula anywhere
            again = next(f.path for f in export_units(db, out, on=ON) if f.unit == "市审计局")
            xml = sheet_xml(again)
            assert not any(re.search(r"<f[ >]", x) for x in xml.values())
            unchanged = preview_merge(db, [again], on=ON)
            assert unchanged.counts()["applied"] == 0
        finally:
            db.close()
