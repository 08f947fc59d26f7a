"""Synthetic plans for benchmarks: many tasks, many units, group-wide tasks.

``synthetic_draft(20_000, 100)`` gives 20,000 tasks in 20 categories, 100 units,
and every 12th task assigned to all units (~185,000 assignments), with the
deadline phrases real plans use.
"""

from __future__ import annotations

import datetime as dt
import random

from gxdesk.core.model import Cell, RawPlan, RawRow
from gxdesk.core.plan import PlanDraft, build_plan

DEADLINES = [
    "8月底前",
    "年内",
    "实时",
    "文件下发20个工作日内",
    "9月底前",
    "第三季度",
    "每季度",
    "上半年",
]


def unit_names(count: int) -> list[str]:
    return [f"市第{i + 1}局" for i in range(count)]


def synthetic_raw(tasks: int = 20_000, units: int = 100, seed: int = 1) -> RawPlan:
    rng = random.Random(seed)
    names = unit_names(units)
    everyone = "、".join(names) + "牵头"
    rows = []
    for i in range(tasks):
        unit_text = everyone if i % 12 == 0 else f"{rng.choice(names)}牵头，{rng.choice(names)}配合"
        deadline = rng.choice(DEADLINES)
        rows.append(
            RawRow(
                category=Cell(f"{i // (tasks // 20) + 1}、第{i // (tasks // 20) + 1}类工作"),
                name=Cell(f"工作任务{i + 1}：信息公开专项{rng.randint(1, 999)}"),
                requirement=Cell("公开有关信息，" * rng.randint(1, 8)),
                deadline=Cell(deadline, deadline),
                units=Cell(unit_text, unit_text),
                where=f"第{i + 2}行",
            )
        )
    return RawPlan(title="2014年政府信息公开工作要点（合成）", rows=tuple(rows), source="synthetic")


def synthetic_draft(tasks: int = 20_000, units: int = 100, seed: int = 1) -> PlanDraft:
    return build_plan(synthetic_raw(tasks, units, seed), issued=dt.date(2014, 9, 26))
