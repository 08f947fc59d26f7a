"""The command line imports a plan from .docx and .xlsx as it does from the text."""

from __future__ import annotations

import json
from pathlib import Path

from planfiles_make import make_2015_xlsx, make_seed_docx
from test_cli import gx


def tasks(db: str) -> list[dict]:
    r = gx("--db", db, "tasks", "--json", "--on", "2015-06-01")
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def test_xlsx_plan_of_another_year_with_lead_and_cooperating_columns(tmp_path: Path) -> None:
    path = make_2015_xlsx(tmp_path / "分解表.xlsx")
    db = str(tmp_path / "x.sqlite")
    r = gx("--db", db, "import-plan", str(path))
    assert r.returncode == 0, r.stderr
    rows = {t["name"]: t for t in tasks(db)}
    assert len(rows) == 7
    power = rows["权力清单公开"]
    assert power["units"]["leads"] == ["市编办"]
    assert power["units"]["cooperating"] == ["市政府法制办", "市政务服务中心"]
    assert power["deadline"]["due"] == "2015-06-30"
    assert rows["专项资金公开"]["units"]["cooperating"] == ["市审计局", "市发展改革委"]
    assert rows["财政预算公开"]["units"]["groups"] == ["市级各部门"]
    assert rows["财政预算公开"]["deadline"]["due"] == "2015-12-31"
    # G6:G8 merged: 年内 is the first row's own, inferred for the two below it.
    assert rows["财政预算公开"]["deadline"]["inferred"] is False
    for name in ("“三公”经费公开", "专项资金公开"):
        assert rows[name]["deadline"]["text"] == "年内"
        assert rows[name]["deadline"]["inferred"] is True
    assert rows["政策解读"]["deadline"]["due"] == "2015-10-31"  # a real date cell
    punish = rows["行政处罚结果公开"]
    assert punish["deadline"]["kind"] == "per_event"
    assert punish["requirement"] == "=处罚结果7日内上网"  # data, kept verbatim
    assert punish["category"]["title"] == "推进行政权力清单公开"


def test_docx_with_real_merges_gives_the_same_plan_as_the_text(tmp_path: Path) -> None:
    from conftest import SEED_COPY

    docx = make_seed_docx(tmp_path / "方案.docx")
    a, b = str(tmp_path / "a.sqlite"), str(tmp_path / "b.sqlite")
    assert gx("--db", a, "import-plan", str(docx), "--issued", "2014-09-26").returncode == 0
    assert gx("--db", b, "import-plan", str(SEED_COPY), "--issued", "2014-09-26").returncode == 0

    def essence(rows: list[dict]) -> list[tuple]:
        return [
            (t["category"]["seq"], t["name"], t["requirement"], t["deadline"]["text"],
             t["deadline"]["due"], t["deadline"]["inferred"], t["units"]["text"],
             t["units"]["inferred"], tuple(t["units"]["leads"]), tuple(t["units"]["groups"]))
            for t in rows
        ]  # fmt: skip

    from_docx = essence(tasks(a))
    assert len(from_docx) == 34
    assert from_docx == essence(tasks(b))
    assert sum(row[5] for row in from_docx) == 9  # inferred deadlines
