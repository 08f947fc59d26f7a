"""Start-up of the frozen Linux build beside the same program started from source.

    python benchmarks/bench_frozen.py [--dist DIR]    (builds DIR/linux/gxdesk unless it exists)

Target: frozen ≤ 1.15× source, for a command (``tasks``) and for the window
rendered offscreen (``gui --screenshot``). Both run in fresh processes, best of
seven after a warm-up, frozen and source in turn, on copies of the same seed; the source side runs with
compiled bytecode (a private PYTHONPYCACHEPREFIX and the warm-up), as an
installed program would, so the comparison is of the packaging, not of .pyc
writing.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = 1.15
REPEAT = 7


def timed(commands: Sequence[Sequence[str]], env: dict[str, str]) -> list[tuple[float, float]]:
    """Best wall time and best CPU time (user + system) of each command over REPEAT
    rounds, after one warm-up round; the commands run in turn within each round: on a
    shared machine the load drifts, and one block of runs after the other compared two
    different machines. CPU time is the steadier figure when others are busy."""
    walls: list[list[float]] = [[] for _ in commands]
    cpus: list[list[float]] = [[] for _ in commands]
    for i in range(REPEAT + 1):
        for n, cmd in enumerate(commands):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            t = time.perf_counter()
            subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            wall = time.perf_counter() - t
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            if i:
                walls[n].append(wall)
                cpus[n].append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    return [(min(w), min(c)) for w, c in zip(walls, cpus, strict=True)]


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--dist", type=Path, default=ROOT / "dist")
    args = p.parse_args()
    frozen = args.dist / "linux" / "gxdesk" / "gxdesk-cli"
    if not frozen.exists():
        subprocess.run(
            [sys.executable, str(ROOT / "packaging" / "build.py"), "linux", "--no-pack",
             "--dist", str(args.dist)], check=True,
        )  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "seed.sqlite"
        shutil.copyfile(ROOT / "data" / "seed.sqlite", db)
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "GXDESK_HOME": tmp,
               "PYTHONPYCACHEPREFIX": str(Path(tmp) / "pycache")}  # fmt: skip
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        source = [sys.executable, str(ROOT / "main.py")]
        shot = str(Path(tmp) / "shot.png")
        cases = {
            "tasks --on 2014-10-20": ["--db", str(db), "tasks", "--on", "2014-10-20"],
            "gui --screenshot (window drawn)": ["--db", str(db), "gui", "--screenshot", shot],
        }
        failed = False
        print(f"{'start-up':34} {'frozen':>9} {'source (floor)':>15} {'ratio':>7}  target ≤ {TARGET}×")
        for name, argv in cases.items():
            (ours, ours_cpu), (floor, floor_cpu) = timed([[str(frozen), *argv], [*source, *argv]], env)
            ratio = ours / floor
            failed |= ratio > TARGET
            print(f"{name:34} {ours * 1000:7.0f} ms {floor * 1000:12.0f} ms {ratio:6.2f}×"
                  f"  {'ok' if ratio <= TARGET else 'SLOWER THAN TARGET'}")  # fmt: skip
            print(f"{'  CPU time (info)':34} {ours_cpu * 1000:7.0f} ms {floor_cpu * 1000:12.0f} ms"
                  f" {ours_cpu / floor_cpu:6.2f}×")  # fmt: skip
        size = sum(p.lstat().st_size for p in frozen.parent.rglob("*") if not p.is_symlink() and p.is_file())
        print(f"folder size: {size / 1e6:.1f} MB")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
