"""Store speed, each figure beside its floor measured in the same run.

    python benchmarks/bench_store.py [--tasks 20000] [--units 100]

- bulk import of a plan vs raw sqlite3 executemany of the same rows (target ≤ 2.5×)
- the task list with latest progress vs the same SQL through raw sqlite3 (≤ 1.5×)
- memory of that list vs the same rows as plain tuples (≤ 1.5×)
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import sqlite3
import sys
import tempfile
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import synthetic_draft  # noqa: E402
from timing import best  # noqa: E402

from gxdesk.store import queries  # noqa: E402
from gxdesk.store.database import open_database  # noqa: E402
from gxdesk.store.plans import (  # noqa: E402
    ASSIGNMENT_COLUMNS,
    TASK_COLUMNS,
    insert_sql,
    plan_rows,
    save_plan,
)


def floor_rows(draft):  # type: ignore[no-untyped-def]
    """The rows gxdesk writes for ``draft`` into an empty database, laid out in advance."""
    units = {}
    for task in draft.tasks:
        for ref in task.unit_spec.refs:
            units.setdefault(ref.name, len(units) + 1)
    return units, plan_rows(
        draft,
        plan_id=1,
        first_category=1,
        first_task=1,
        first_assignment=1,
        units=units,
        now=dt.datetime(2014, 9, 26, 9, 0),
    )


def run_raw_inserts(path: Path, draft, units, rows) -> None:  # type: ignore[no-untyped-def]
    """The floor: hand-written INSERTs of the same rows, one executemany per table."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("BEGIN")
    conn.execute(
        "INSERT INTO plan VALUES (1, ?, ?, NULL, 1, '', '', '2014-09-26 09:00:00.000000')",
        (draft.title, draft.year),
    )
    conn.executemany(
        "INSERT INTO category VALUES (?, 1, ?, ?, ?)",
        [(i + 1, c.seq, c.title, c.title_raw) for i, c in enumerate(draft.categories)],
    )
    conn.executemany(
        "INSERT INTO unit VALUES (?, ?, '', '', '', 0)", [(i, n) for n, i in units.items()]
    )
    conn.executemany(insert_sql("task", TASK_COLUMNS), rows.tasks)
    conn.executemany(insert_sql("assignment", ASSIGNMENT_COLUMNS), rows.assignments)
    conn.execute("COMMIT")
    conn.close()


def add_progress(path: Path, per_task: int = 2, where: str = "id % 7 = 0") -> int:
    """``per_task`` reports on each assignment matching ``where`` (an SQL condition)."""
    conn = sqlite3.connect(path)
    assignments = conn.execute(f"SELECT id, task_id, unit_id FROM assignment WHERE {where}").fetchall()
    data = []
    for k in range(per_task):
        for a_id, t_id, u_id in assignments:
            data.append(
                (
                    a_id,
                    t_id,
                    u_id,
                    "2014-10",
                    "推进中",
                    50,
                    f"进展{k}",
                    "",
                    f"2014-10-{10 + k:02d} 09:00:00",
                    "manual",
                    1,
                    0,
                )
            )
    conn.executemany(
        "INSERT INTO progress (assignment_id, task_id, unit_id, period, status, percent, text,"
        " evidence, reported_at, source, assignment_version, withdrawn, problems, contact, phone,"
        " source_file, source_sha256, export_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,'','','','','','')",
        data,
    )
    conn.commit()
    conn.close()
    return len(data)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--tasks", type=int, default=20_000)
    ap.add_argument("--units", type=int, default=100)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp())
    draft = synthetic_draft(args.tasks, args.units)
    units, rows = floor_rows(draft)
    n_assign = len(rows.assignments)
    print(f"plan: {len(draft.tasks)} tasks, {args.units} units, {n_assign} assignments")

    counter = iter(range(1000))

    def ours() -> None:
        db = open_database(tmp / f"ours{next(counter)}.sqlite")
        with db.transaction() as session:
            save_plan(session, draft)
        db.close()

    def floor() -> None:
        path = tmp / f"raw{next(counter)}.sqlite"
        open_database(path).close()  # same schema, created before the clock matters
        run_raw_inserts(path, draft, units, rows)

    t_ours, t_floor = best(ours), best(floor)
    print(
        f"bulk import:  gxdesk {t_ours:.3f}s   raw executemany {t_floor:.3f}s   "
        f"ratio {t_ours / t_floor:.2f}× (target ≤ 2.5×)"
    )

    path = tmp / "list.sqlite"
    db = open_database(path)
    with db.transaction() as session:
        plan_id = save_plan(session, draft).plan_id
    n_prog = add_progress(path)
    calendar = queries.load_calendar(db)
    on = dt.date(2014, 10, 20)
    queries.list_tasks(db, plan_id, on=on, calendar=calendar)  # warm the calendar cache

    def raw_list() -> list:
        conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
        try:
            return conn.execute(queries._LIST_SQL, (plan_id,)).fetchall()
        finally:
            conn.close()

    t_list = best(lambda: queries.list_tasks(db, plan_id, on=on, calendar=calendar), 5)
    t_raw = best(raw_list, 5)
    print(
        f"task list ({n_prog} reports): gxdesk {t_list:.3f}s   raw SQL {t_raw:.3f}s   "
        f"ratio {t_list / t_raw:.2f}× (target ≤ 1.5×)"
    )

    def measure(fn) -> int:  # type: ignore[no-untyped-def]
        gc.collect()
        tracemalloc.start()
        kept = fn()
        size = tracemalloc.get_traced_memory()[0]
        tracemalloc.stop()
        del kept
        return size

    m_rows = measure(lambda: queries.list_tasks(db, plan_id, on=on, calendar=calendar))
    m_tuples = measure(raw_list)
    print(
        f"list in memory: gxdesk {m_rows / 1e6:.1f} MB   tuples {m_tuples / 1e6:.1f} MB   "
        f"ratio {m_rows / m_tuples:.2f}× (target ≤ 1.5×)"
    )
    db.close()


if __name__ == "__main__":
    main()
