"""Server-mode speed, each figure beside its floor measured in the same run.

    python benchmarks/bench_server.py [--tasks 20000] [--units 100] [--files 100] [--url URL]

Without ``--url`` a throw-away PostgreSQL cluster is started on 127.0.0.1 (as
the tests do; needs Debian's ``postgresql``). With 20,000 tasks, 100 units and
~200,000 assignments:

- the task list with latest progress vs the same SQL run raw through psycopg (≤ 1.5×)
- merging ``--files`` returned workbooks on the server vs the same merge on SQLite (≤ 1.3×)
- importing the plan vs raw ``COPY`` of the same rows (≤ 2.5×)
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import shutil
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from bench_exchange import fill_in  # noqa: E402
from bench_store import add_progress, floor_rows  # noqa: E402
from synthetic import synthetic_draft  # noqa: E402
from timing import best  # noqa: E402

from gxdesk.store import queries  # noqa: E402
from gxdesk.store.database import open_database  # noqa: E402
from gxdesk.store.plans import ASSIGNMENT_COLUMNS, TASK_COLUMNS, save_plan  # noqa: E402
from gxdesk.store.server.database import open_server  # noqa: E402
from gxdesk.store.server.raw import to_pyformat  # noqa: E402

ON = dt.date(2014, 10, 20)


class Server:
    """Fresh databases on one server, by URL; templates make copies cheap."""

    def __init__(self, url: str) -> None:
        self.base = url.rsplit("/", 1)[0]
        self.admin_url = url

    def admin(self):  # type: ignore[no-untyped-def]
        import psycopg

        return psycopg.connect(self.admin_url, autocommit=True)

    def create(self, template: str | None = None) -> str:
        name = f"bench_{uuid.uuid4().hex[:10]}"
        with self.admin() as conn:
            extra = f' TEMPLATE "{template}"' if template else ""
            conn.execute(f'CREATE DATABASE "{name}"{extra}')
        return f"{self.base}/{name}"


def bench_import(server: Server, draft) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    import psycopg

    empty = server.create()
    open_server(empty).close()  # the schema only: the template of each run
    template = empty.rsplit("/", 1)[1]
    units, rows = floor_rows(draft)

    # fresh databases made before the clock starts: CREATE DATABASE is not the import
    fresh = iter([server.create(template) for _ in range(6)])

    def ours() -> None:
        db = open_server(next(fresh))
        with db.transaction() as session:
            save_plan(session, draft)
        db.close()

    def floor() -> None:
        with psycopg.connect(next(fresh)) as conn:
            conn.execute(
                "INSERT INTO plan VALUES (1, %s, %s, NULL, 1, '', '', '2014-09-26 09:00:00')",
                (draft.title, draft.year),
            )
            with conn.cursor().copy("COPY category FROM STDIN") as cp:
                for i, c in enumerate(draft.categories):
                    cp.write_row((i + 1, 1, c.seq, c.title, c.title_raw))
            with conn.cursor().copy("COPY unit FROM STDIN") as cp:
                for n, i in units.items():
                    cp.write_row((i, n, "", "", "", False))
            with conn.cursor().copy(f"COPY task ({', '.join(TASK_COLUMNS)}) FROM STDIN") as cp:
                for r in rows.tasks:
                    cp.write_row(r)
            with conn.cursor().copy(
                f"COPY assignment ({', '.join(ASSIGNMENT_COLUMNS)}) FROM STDIN"
            ) as cp:
                for r in rows.assignments:
                    cp.write_row(r)

    # the server work is in the server's process: time from here includes it
    return best(ours), best(floor)


def bench_list(server: Server, draft, tmp: Path) -> tuple[float, float, int]:  # type: ignore[no-untyped-def]
    import psycopg

    from gxdesk.store.server.copy import copy_database
    from gxdesk.store.server.raw import sqlite_shaped

    path = tmp / "list.sqlite"
    db = open_database(path)
    with db.transaction() as session:
        plan_id = save_plan(session, draft).plan_id
    n_prog = add_progress(path)
    url = server.create()
    copy_database(db, url)  # the same rows on the server
    db.close()
    sdb = open_server(url)
    calendar = queries.load_calendar(sdb)
    queries.list_tasks(sdb, plan_id, on=ON, calendar=calendar)  # warm caches and the pool
    sql = to_pyformat(queries._LIST_SQL)

    def raw() -> list:
        with psycopg.connect(url) as conn:
            sqlite_shaped(conn)
            return conn.execute(sql, (plan_id,)).fetchall()

    t_ours = best(lambda: queries.list_tasks(sdb, plan_id, on=ON, calendar=calendar), 5)
    t_raw = best(raw, 5)
    sdb.close()
    return t_ours, t_raw, n_prog


def bench_merge(server: Server, draft, tmp: Path, n_files: int) -> tuple[float, float, int]:  # type: ignore[no-untyped-def]
    from gxdesk.ops.exchange import export_units, preview_merge
    from gxdesk.store.merge import apply_merge
    from gxdesk.store.server.copy import copy_database

    pristine = tmp / "pristine.sqlite"
    db = open_database(pristine)
    with db.transaction() as session:
        save_plan(session, draft)
    out = tmp / "out"
    out.mkdir()
    units = [u.name for u in queries.units(db) if not u.is_group][:n_files]
    files = [f.path for f in export_units(db, out, on=ON, unit_names=units)]
    template_url = server.create()
    copy_database(db, template_url)
    db.close()
    template = template_url.rsplit("/", 1)[1]
    for i, f in enumerate(files):
        fill_in(f, i + 1)

    def merge(target: str | Path) -> tuple[float, int]:
        db = open_server(target) if isinstance(target, str) else open_database(target)
        try:
            t0 = time.perf_counter()
            result = apply_merge(db, preview_merge(db, files, on=ON), backup_dir=tmp / "bak")
            return time.perf_counter() - t0, result.applied
        finally:
            db.close()

    sqlite_runs, server_runs = [], []
    for _ in range(2):
        copy = tmp / "merge.sqlite"
        shutil.copy(pristine, copy)
        sqlite_runs.append(merge(copy))
        server_runs.append(merge(server.create(template)))
    applied = {a for _, a in sqlite_runs + server_runs}
    assert len(applied) == 1, applied  # the same reports written on both
    return min(t for t, _ in server_runs), min(t for t, _ in sqlite_runs), applied.pop()


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--tasks", type=int, default=20_000)
    ap.add_argument("--units", type=int, default=100)
    ap.add_argument("--files", type=int, default=100)
    ap.add_argument("--url", help="an empty database on a server to work beside (default: start one)")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp())
    with contextlib.ExitStack() as stack:
        url = args.url
        if not url:
            from pg_helpers import running_server

            url = stack.enter_context(running_server()).url("postgres")
        server = Server(url)
        draft = synthetic_draft(args.tasks, args.units)
        n_assign = sum(len(t.unit_spec.refs) for t in draft.tasks)
        print(f"plan: {len(draft.tasks)} tasks, {args.units} units, ~{n_assign} assignments")

        t_ours, t_floor = bench_import(server, draft)
        print(f"import:     gxdesk {t_ours:.3f}s   raw COPY {t_floor:.3f}s   "
              f"ratio {t_ours / t_floor:.2f}× (target ≤ 2.5×)")  # fmt: skip

        t_list, t_raw, n_prog = bench_list(server, draft, tmp)
        print(f"task list ({n_prog} reports): gxdesk {t_list:.3f}s   raw psycopg {t_raw:.3f}s   "
              f"ratio {t_list / t_raw:.2f}× (target ≤ 1.5×)")  # fmt: skip

        t_server, t_sqlite, applied = bench_merge(server, draft, tmp, args.files)
        print(f"merge {args.files} workbooks ({applied} reports): server {t_server:.3f}s   "
              f"SQLite {t_sqlite:.3f}s   ratio {t_server / t_sqlite:.2f}× (target ≤ 1.3×)")  # fmt: skip
    shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
