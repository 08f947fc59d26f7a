"""Shared set-up for the window tests: a copy of the seed database, a loaded window."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED_DB = ROOT / "data" / "seed.sqlite"
SEED_TEXT = ROOT / "data" / "plan2014-table.txt"
ON = dt.date(2014, 9, 30)
OFFSCREEN_NOISE = "This plugin does not support propagateSizeHints"


def seed_copy(folder: Path) -> Path:
    """A private copy of the seed database (built from the seed text if it is missing)."""
    target = folder / "ledger.sqlite"
    if SEED_DB.exists():
        shutil.copyfile(SEED_DB, target)
        return target
    from gxdesk.core.plan import build_plan
    from gxdesk.exchange.plan_reader import read_plan
    from gxdesk.store.database import open_database
    from gxdesk.store.plans import save_plan

    db = open_database(target)
    with db.transaction() as session:
        save_plan(session, build_plan(read_plan(SEED_TEXT), issued=dt.date(2014, 9, 26)))
    db.close()
    return target
