"""Speed of the Gantt view, each figure beside its floor measured in the same run.

    QT_QPA_PLATFORM=offscreen python benchmarks/bench_gantt.py [--tasks 20000]

Targets (issue 11):
- a full repaint at 1600×1000 with 20,000 tasks ≤ 1.2× the same repaint with the
  34-task seed (painting only what is visible, so a frame does not grow with the plan);
- opening the view (building the tab, its first paint) with 20,000 tasks ≤ 1.5×
  opening it with the seed;
- the window's start-up ≤ 1.5× a bare QMainWindow (the chart is built only when its
  tab is first shown: its modules are not even imported at start-up);
- scrolling and zooming issue no query (counted: database connections opened).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_ui import BARE  # noqa: E402
from timing import best  # noqa: E402

ON = dt.date(2014, 9, 30)
SIZE = (1600, 1000)

STARTUP = """
import time, datetime; t0 = time.perf_counter()
from gxdesk.ui.app import build_window
import gxdesk.ui.gantt.host as host
spent = [0.0]
plain_init = host.ViewSplit.__init__
def timed(self, window):
    t = time.perf_counter(); plain_init(self, window); spent[0] += time.perf_counter() - t
host.ViewSplit.__init__ = timed
app, w = build_window({db!r}, datetime.date(2014, 9, 30), remember=False)
w.show(); app.processEvents()
t1 = time.perf_counter() - t0
import sys
assert not any(m.startswith(("gxdesk.ui.gantt.view", "gxdesk.ui.gantt.chart")) for m in sys.modules)
print(t1, spent[0])
"""


def _line(label: str, value: float, floor: float, target: float, unit: str = "ms") -> None:
    ratio = value / floor if floor else float("inf")
    verdict = "ok" if ratio <= target else "SLOW"
    print(
        f"{label:<44} {value * 1000:8.2f} {unit}   floor {floor * 1000:8.2f} {unit}   "
        f"{ratio:5.2f}× (≤ {target}×) {verdict}"
    )


def _big_db(folder: Path, tasks: int) -> Path:
    """The seed's 34 tasks over and over, to ``tasks`` rows, with progress on some.

    Rows like the seed's, so a frame in its middle holds what a seed frame holds
    and the ratio measures the plan's size alone, not different content.
    """
    from gxdesk.core.model import Cell, RawPlan
    from gxdesk.core.plan import build_plan
    from gxdesk.exchange.plan_reader import read_plan
    from gxdesk.store.database import open_database
    from gxdesk.store.plans import save_plan

    seed = read_plan(ROOT / "data" / "plan2014-table.txt")
    rows = []
    for i in range(tasks):
        row = seed.rows[i % len(seed.rows)]
        copy = i // len(seed.rows)
        name = Cell(f"{row.name.text}（{copy + 1}）", row.name.raw)
        rows.append(replace(row, name=name))
    draft = build_plan(
        RawPlan(title=seed.title, rows=tuple(rows), source=seed.source), issued=dt.date(2014, 9, 26)
    )
    path = folder / f"plan{tasks}.sqlite"
    db = open_database(path)
    with db.transaction() as session:
        save_plan(session, draft)
    db.close()
    from bench_store import add_progress

    add_progress(path)
    return path


def _window(db: Path):  # type: ignore[no-untyped-def]
    from gxdesk.ui.app import build_window
    from gxdesk.ui.main_window import splitter_sizes

    app, window = build_window(db, ON, remember=False)
    window.resize(*SIZE)
    window.splitter.setSizes(splitter_sizes(SIZE[0]))
    window.show()
    window.load()
    app.processEvents()
    return app, window


def _open_view(db: Path) -> float:
    """Seconds from 'show the 甘特图 tab' to its first frame painted, in a loaded window."""
    import time

    app, window = _window(db)
    t0 = time.perf_counter()
    window.views.show_view("gantt")
    window.views.pane.view.viewport().repaint()
    elapsed = time.perf_counter() - t0
    window.close()
    window.context.db.close()
    window.deleteLater()
    app.processEvents()
    return elapsed


def _view_alone(db: Path):  # type: ignore[no-untyped-def]
    """A loaded window's Gantt view, alone at 1600×1000 (the frame the target speaks of)."""
    app, window = _window(db)
    window.views.show_view("gantt")
    view = window.views.pane.view
    view.setParent(None)
    view.resize(*SIZE)
    view.show()
    app.processEvents()
    return app, window, view


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--tasks", type=int, default=20_000)
    args = ap.parse_args()
    from gxdesk.ui.qt import QtWidgets

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        os.environ["GXDESK_HOME"] = str(tmp / "home")
        seed = tmp / "seed.sqlite"
        shutil.copyfile(ROOT / "data" / "seed.sqlite", seed)
        from bench_store import add_progress

        add_progress(seed)  # the same reports as the big plan gets, so frames hold alike
        big = _big_db(tmp, args.tasks)
        app = QtWidgets.QApplication.instance() or QtWidgets.QApplication([])

        # Repaint: the same 1600×1000 frame, seed vs the big plan scrolled to its middle.
        times = {}
        for name, db in (("seed", seed), ("big", big)):
            _app, window, view = _view_alone(db)
            rows = view.model().rowCount()
            view.verticalScrollBar().setValue(rows // 2 if name == "big" else 0)
            view.set_zoom(5)
            view.show_status_date()
            view.viewport().repaint()  # bars of the rows on screen are made once
            times[name] = best(lambda v=view: v.viewport().repaint(), repeat=15)
            if name == "big":
                made = view.source.bars_made
                print(f"rows {rows}; bars computed for the frames painted: {made}")
                calls = _count_queries(window, view)
            view.close()
            window.close()
            window.context.db.close()
        _line(
            f"full repaint 1600×1000, {args.tasks} tasks vs seed", times["big"], times["seed"], 1.2
        )

        # Opening the view in a loaded window.
        seed_open = min(_open_view(seed) for _ in range(5))
        big_open = min(_open_view(big) for _ in range(5))
        _line(f"open the 甘特图 tab, {args.tasks} tasks vs seed", big_open, seed_open, 1.5)

        # Scrolling and zooming: no database connection opened at all.
        print(
            f"{'queries while scrolling and zooming (big plan)':<44} {calls:8d}      floor        0"
        )

        # Start-up: the window (with its 甘特图 tab, unbuilt) vs a bare window, in fresh
        # processes taken in turns, so a busy moment of the machine hits both alike.
        bare, ours, tab = _startup(STARTUP.format(db=str(seed)), str(tmp / "pycache"))
        _line("main window visible vs a bare QMainWindow", ours, bare, 1.5)
        print(
            f"{'  of which the tab host (info)':<44} {tab * 1000:8.2f} ms   "
            "(the chart's modules are not imported at start-up)"
        )
        del app


def _startup(code: str, pycache: str, runs: int = 9) -> tuple[float, float, float]:
    """Fastest bare and fastest gxdesk start-up (fresh processes, alternating), and the
    tab host's share of the fastest gxdesk run."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPYCACHEPREFIX=pycache)
    env.pop("PYTHONDONTWRITEBYTECODE", None)

    def once(source: str) -> list[float]:
        out = subprocess.run(
            [sys.executable, "-c", source], cwd=ROOT, env=env, capture_output=True, text=True,
            check=True,
        )  # fmt: skip
        return [float(x) for x in out.stdout.split()]

    once(BARE), once(code)  # the first runs only compile the bytecode
    bare, ours = [], []
    for _ in range(runs):
        bare.append(once(BARE)[0])
        ours.append(once(code))
    fastest = min(ours)
    return min(bare), fastest[0], fastest[1]


def _count_queries(window, view) -> int:  # type: ignore[no-untyped-def]
    """Scroll through and zoom across every level, counting database connections opened."""
    from gxdesk.ui.gantt.timescale import ZOOM_LEVELS

    db = window.context.db
    cls = type(db)
    original = cls.raw
    calls = [0]

    def counting(self):  # type: ignore[no-untyped-def]
        calls[0] += 1
        return original(self)

    cls.raw = counting  # type: ignore[method-assign]
    try:
        bar = view.verticalScrollBar()
        for value in range(0, bar.maximum() + 1, max(1, bar.maximum() // 200)):
            bar.setValue(value)
            view.viewport().repaint()
        for level in range(len(ZOOM_LEVELS)):
            view.set_zoom(level)
            view.viewport().repaint()
        view.set_zoom(5)
    finally:
        cls.raw = original  # type: ignore[method-assign]
    return calls[0]


if __name__ == "__main__":
    main()
