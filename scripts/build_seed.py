"""Build data/seed.sqlite from data/plan2014-table.txt, reproducibly.

    python scripts/build_seed.py [OUT]

The 2014 plan is imported exactly as a clerk would with
``gxdesk import-plan plan2014-table.txt --issued 2014-09-26``; timestamps are
fixed so that rebuilding gives the same content (tests/test_seed.py checks it).
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from gxdesk.core.plan import build_plan  # noqa: E402
from gxdesk.exchange.plan_reader import read_plan  # noqa: E402
from gxdesk.store.database import open_database  # noqa: E402
from gxdesk.store.plans import save_plan  # noqa: E402

SEED_TEXT = ROOT / "data" / "plan2014-table.txt"
SEED_ISSUED = dt.date(2014, 9, 26)
SEED_STAMP = dt.datetime(2014, 9, 26, 9, 0, 0)


def build(out: Path) -> Path:
    out = Path(out)
    tmp = out.with_name(out.name + ".building")
    tmp.unlink(missing_ok=True)
    draft = build_plan(read_plan(SEED_TEXT), year=2014, issued=SEED_ISSUED)
    db = open_database(tmp)
    try:
        with db.transaction() as session:
            save_plan(session, draft, source_name=SEED_TEXT.name, now=SEED_STAMP)
    finally:
        db.close()
    with __import__("sqlite3").connect(tmp) as conn:
        conn.execute("VACUUM")
    conn.close()
    tmp.replace(out)
    return out


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "data" / "seed.sqlite"
    print(build(target))
