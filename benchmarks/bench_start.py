"""How soon the window is on a real X display after ``bash scripts/start.sh``, beside its floor.

    python benchmarks/bench_start.py

Runs under its own Xvfb (``-displayfd``), finds the window by its title with
xdotool, as tests/test_real_display.py does. Figures, each the best of three:

* floor: a bare PySide6 ``QMainWindow`` with a title, started by the same Python;
* ``gxdesk gui`` on a copy of the seed;
* ``bash scripts/start.sh gui`` once installed: the script checks the system
  packages and the pyproject stamp, then starts the same program (no pip).

Target: start.sh shows the window in under 3 s, and within 1.5 s of the floor.
The first start.sh run (which may install) is a warm-up and is not counted.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from xvfb import close_by_keys, find_window, missing_tools, xvfb_display  # noqa: E402

FLOOR = """
from PySide6 import QtWidgets
app = QtWidgets.QApplication([])
w = QtWidgets.QMainWindow(); w.setWindowTitle("floor-window"); w.resize(1400, 860); w.show()
QtWidgets.QApplication.instance().exec()
"""


def time_to_window(display: str, argv: list[str], title: str, env: dict[str, str]) -> float:
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        argv, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    try:
        window = find_window(display, title, timeout=60, alive=proc, poll=0.02)
        took = time.perf_counter() - t0
        if window is None:
            raise SystemExit(f"no window for {argv}: {proc.communicate(timeout=10)[1]}")
        if close_by_keys(display, window, proc, "ctrl+q", timeout=5) is None:
            proc.terminate()
        return took
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        if proc.stderr is not None:
            proc.stderr.close()


def best(display: str, argv: list[str], title: str, env: dict[str, str], n: int = 3) -> float:
    return min(time_to_window(display, argv, title, env) for _ in range(n))


def main() -> None:
    missing = missing_tools()
    if missing:
        raise SystemExit(f"needs {', '.join(missing)} (scripts/test.sh installs them)")
    tmp = Path(tempfile.mkdtemp(prefix="gxdesk-bench-start-"))
    try:
        db = tmp / "ledger.sqlite"
        shutil.copyfile(ROOT / "data" / "seed.sqlite", db)
        venv = Path(os.environ.get("GXDESK_VENV", ROOT / ".venv"))
        with xvfb_display() as display:
            env = dict(os.environ, DISPLAY=display, QT_QPA_PLATFORM="xcb", GXDESK_HOME=str(tmp))
            env.pop("WAYLAND_DISPLAY", None)
            floor = best(display, [sys.executable, "-c", FLOOR], "floor-window", env)
            gui = [str(venv / "bin" / "gxdesk"), "--db", str(db), "gui", "--on", "2014-09-30"]
            ours = best(display, gui, "政务公开工作台账", env)
            script = ["bash", "scripts/start.sh", "--db", str(db), "gui", "--on", "2014-09-30"]
            warm = time_to_window(display, script, "政务公开工作台账", env)
            start = best(display, script, "政务公开工作台账", env)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"window on screen (Xvfb, best of 3); floor = bare QMainWindow {floor:.2f}s")
    print(f"  gxdesk gui           {ours:.2f}s   floor {floor:.2f}s   +{ours - floor:.2f}s")
    print(
        f"  bash scripts/start.sh {start:.2f}s   floor {floor:.2f}s   +{start - floor:.2f}s"
        f"   (target < 3 s and ≤ floor + 1.5 s; first run incl. any install {warm:.2f}s)"
    )


if __name__ == "__main__":
    main()
