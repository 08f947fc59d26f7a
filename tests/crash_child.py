"""The worker the crash test kills: a fork server, so each of hundreds of runs
starts in milliseconds with everything already imported.

Protocol (lines on stdin / stdout):
  ``run SEED``  → forks a worker; prints ``pid N``. The worker loops: import a
                  plan (after a checked backup) or export two units' workbooks,
                  fill them in and merge them; before each COMMIT it prints ``C``.
                  Before applying a merge it writes, per file, how many reports
                  the merge must hold (``expect/SHA.json``), for the test to check.
  ``reap N``    → waits for worker N (killed by the test); prints ``reaped N``.
A worker that fails prints ``E`` and its traceback on one line.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import sys
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from exchange_helpers import SEED, columns, data_rows, open_for_edit, type_text  # noqa: E402
from sqlalchemy import event  # noqa: E402
from sqlalchemy.engine import Engine  # noqa: E402

from gxdesk.core.plan import build_plan  # noqa: E402
from gxdesk.exchange.plan_text import read_plan_text  # noqa: E402
from gxdesk.ops.exchange import export_units, preview_merge  # noqa: E402
from gxdesk.store import queries  # noqa: E402
from gxdesk.store.backups import rotating_backup  # noqa: E402
from gxdesk.store.database import open_database  # noqa: E402
from gxdesk.store.exports import reporting_units  # noqa: E402
from gxdesk.store.merge import apply_merge, chosen_reports  # noqa: E402
from gxdesk.store.plans import save_plan  # noqa: E402

ON = dt.date(2014, 10, 20)
STATUSES = ("推进中", "已完成", "推进中")


def _say(text: str) -> None:
    os.write(1, (text + "\n").encode("utf-8"))


@event.listens_for(Engine, "commit")
def _before_commit(_conn) -> None:  # type: ignore[no-untyped-def]
    _say("C")


@event.listens_for(Engine, "connect")
def _small_cache(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
    # pages spill into the file before the commit: a kill leaves a hot journal
    dbapi_conn.execute("PRAGMA cache_size=2")


def _fill(path: Path, dest: Path, tag: str, rng: random.Random) -> Path:
    """The unit's filled-in copy (saved elsewhere, as mailed back: the export stays as sent)."""
    wb = open_for_edit(path)
    ws = wb.worksheets[0]
    cols, rows = columns(ws), data_rows(ws)
    for n, row in enumerate(rows.values()):
        ws.cell(row, cols["进展状态"]).value = rng.choice(STATUSES)
        type_text(ws.cell(row, cols["进展情况"]), f"{tag} 第{n}项已部署落实")
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(dest.name + ".tmp")
    wb.save(tmp)
    tmp.replace(dest)
    return dest


def work(db_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    db = open_database(db_path)
    draft = build_plan(
        read_plan_text(SEED.read_text(encoding="utf-8")), year=2014, issued=dt.date(2014, 9, 26)
    )
    root = db_path.parent
    expect = root / "expect"
    units = [u.name for u in reporting_units(db, queries.current_plan(db).id)]
    for i in range(10_000):
        if rng.random() < 0.12:
            rotating_backup(db.path, "import")
            with db.transaction() as session:
                save_plan(session, draft, source_name=SEED.name)
            continue
        folder = root / "exports" / f"{os.getpid()}-{i}"
        folder.mkdir(parents=True)
        names = rng.sample(units, 2)
        files = export_units(db, folder, unit_names=names, on=ON)
        returned = [
            _fill(f.path, root / "returns" / folder.name / f.path.name, f"{os.getpid()}-{i}", rng)
            for f in files
        ]
        plan = preview_merge(db, returned, on=ON)
        counts: dict[str, int] = {}
        for fp, _report in chosen_reports(plan):
            counts[fp.sha256] = counts.get(fp.sha256, 0) + 1
        for sha, n in counts.items():
            tmp = expect / f".{sha}.tmp"
            tmp.write_text(json.dumps(n))
            tmp.replace(expect / f"{sha}.json")
        apply_merge(db, plan, note=f"crash {i}")


def main() -> None:
    for line in sys.stdin:
        cmd, _, arg = line.strip().partition(" ")
        if cmd == "run":
            db_path, seed = arg.rsplit(" ", 1)
            pid = os.fork()
            if pid == 0:
                try:
                    work(Path(db_path), int(seed))
                except BaseException:
                    _say("E " + traceback.format_exc().replace("\n", " | "))
                os._exit(1)
            _say(f"pid {pid}")
        elif cmd == "reap":
            os.waitpid(int(arg), 0)
            _say(f"reaped {arg}")
        elif cmd == "quit":
            return


if __name__ == "__main__":
    main()
