"""The ``tasks --json`` shape (docs/architecture.md, "Interfaces other programs rely on"): a stable interface."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from gxdesk.core.model import Role
from gxdesk.core.views import ProgressView, TaskRow
from gxdesk.store import queries
from gxdesk.store.database import Database


def _iso(value: dt.date | dt.datetime | None) -> str | None:
    return value.isoformat() if value else None


def _progress(p: ProgressView) -> dict[str, Any]:
    return {
        "unit": p.unit,
        "status": p.status.value,
        "percent": p.percent,
        "text": p.text,
        "done_on": _iso(p.done_on),
        "evidence": p.evidence,
        "problems": p.problems,
        "contact": p.contact,
        "phone": p.phone,
        "period": p.period,
        "reported_at": _iso(p.reported_at),
        "source": p.source,
    }


def task_dicts(db: Database, rows: Sequence[TaskRow]) -> list[dict[str, Any]]:
    ids = [r.id for r in rows]
    assigned = queries.assignments(db, ids)
    latest = queries.latest_progress(db, ids)
    out = []
    for r in rows:
        units = assigned.get(r.id, [])
        out.append(
            {
                "id": r.id,
                "category": {"id": r.category_id, "seq": r.category_seq, "title": r.category_title},
                "seq": r.seq,
                "name": r.name,
                "requirement": r.requirement,
                "deadline": {
                    "text": r.deadline_text,
                    "kind": r.deadline_kind.value,
                    "due": _iso(r.due),
                    "inferred": r.deadline_inferred,
                    "needs_review": r.deadline_review,
                    "note": r.due_note,
                },
                "units": {
                    "text": r.units_text,
                    "inferred": r.units_inferred,
                    "needs_review": r.units_review,
                    "leads": [
                        a.unit for a in units if not a.is_group and a.role != Role.COOPERATING
                    ],
                    "cooperating": [
                        a.unit for a in units if not a.is_group and a.role == Role.COOPERATING
                    ],
                    "groups": [a.unit for a in units if a.is_group],
                    "assignments": [
                        {"unit": a.unit, "role": a.role.value, "group": a.is_group} for a in units
                    ],
                },
                "status": r.status.value,
                "light": r.light.value,
                "progress": [_progress(p) for p in latest.get(r.id, [])],
            }
        )
    return out
