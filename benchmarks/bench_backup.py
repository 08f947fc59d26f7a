"""What the safety of the data costs, each figure beside its floor measured in the same run.

    python benchmarks/bench_backup.py [--tasks 20000] [--units 100]

- a checked backup (backup API, integrity_check, sha256, manifest, rename) vs a plain
  file copy of the same database (the least any backup costs);
- restore's checksum verification vs reading the file once;
- the window's start-up check (quick_check + foreign_key_check) vs reading the file once.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import synthetic_draft  # noqa: E402
from timing import best  # noqa: E402

from gxdesk.store.backups import make_backup, verify_backup  # noqa: E402
from gxdesk.store.database import open_database  # noqa: E402
from gxdesk.store.health import startup_problems  # noqa: E402
from gxdesk.store.plans import save_plan  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--tasks", type=int, default=20000)
    ap.add_argument("--units", type=int, default=100)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = open_database(folder / "big.sqlite")
        with db.transaction() as session:
            save_plan(session, synthetic_draft(args.tasks, args.units))
        db.close()
        size = db.path.stat().st_size / 1024 / 1024
        print(f"database: {args.tasks} tasks, {args.units} units, {size:.1f} MB")
        copy = best(lambda: shutil.copyfile(db.path, folder / "copy.sqlite"))
        backup = best(lambda: make_backup(db.path, folder / "backup.sqlite"))
        print(f"checked backup      {backup * 1000:8.1f} ms   floor (file copy)  {copy * 1000:8.1f} ms"
              f"   ×{backup / copy:.1f}")
        read = best(lambda: db.path.read_bytes())
        verify = best(lambda: verify_backup(folder / "backup.sqlite"))
        print(f"verify checksum     {verify * 1000:8.1f} ms   floor (read once)  {read * 1000:8.1f} ms"
              f"   ×{verify / read:.1f}")
        check = best(lambda: startup_problems(db.path))
        print(f"start-up check      {check * 1000:8.1f} ms   floor (read once)  {read * 1000:8.1f} ms"
              f"   ×{check / read:.1f}")


if __name__ == "__main__":
    main()
