"""Speed of the main window, each figure beside its floor measured in the same run.

    QT_QPA_PLATFORM=offscreen python benchmarks/bench_ui.py

Targets: window visible ≤ 1.5× a bare QMainWindow; seed data on
screen ≤ 3× the bare window; filtering 20,000 rows ≤ 3× filtering a plain list
plus a model reset; sorting ≤ 1.5× ``sorted()`` plus a reset.

The start-up figures run the window's three steps in a fresh process each, as
``window.start()`` does on successive turns of the event loop: show (views
only), ``load()`` (plain sqlite3), ``finish()`` (SQLAlchemy, dialogs, exchange
actions; reported for information, it has no target). Both the floor and ours
run with compiled bytecode, as an installed or frozen program does: the
environment may set PYTHONDONTWRITEBYTECODE, so the subprocesses get a private
PYTHONPYCACHEPREFIX and one warm-up run.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from operator import attrgetter
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BARE = """
import time; t0 = time.perf_counter()
from PySide6 import QtWidgets
app = QtWidgets.QApplication([])
w = QtWidgets.QMainWindow(); w.resize(1400, 860); w.show(); app.processEvents()
print(time.perf_counter() - t0, time.time())
"""

# Not a target: the same layout built with the fewest possible lines of PySide —
# the bundled CJK font, a splitter with a tree, the filter bar's widgets, a table
# whose model answers headerData in Python (which makes PySide build all ~90
# Qt.* enums, ~12 ms, as any Python item model does), the menu titles and the
# status bar. What "main window visible" costs above this is gxdesk's own code.
SAME_LAYOUT = """
import time; t0 = time.perf_counter()
from PySide6 import QtCore, QtGui, QtWidgets
app = QtWidgets.QApplication([])
fid = QtGui.QFontDatabase.addApplicationFont({font!r})
app.setFont(QtGui.QFont(QtGui.QFontDatabase.applicationFontFamilies(fid)[0], 10))
class Headers(QtCore.QAbstractTableModel):
    def rowCount(self, parent=QtCore.QModelIndex()): return 0
    def columnCount(self, parent=QtCore.QModelIndex()): return 9
    def headerData(self, section, orientation, role=0): return "工作任务" if role == 0 else None
w = QtWidgets.QMainWindow()
tree = QtWidgets.QTreeView()
cats = QtGui.QStandardItemModel(1, 4, tree)
cats.setHorizontalHeaderLabels(["类别", "任务", "红灯", "黄灯"])
cats.setItem(0, 0, QtGui.QStandardItem("全部任务"))
tree.setModel(cats)
bar = QtWidgets.QWidget(); rows = QtWidgets.QVBoxLayout(bar)
top = QtWidgets.QHBoxLayout(); bottom = QtWidgets.QHBoxLayout()
rows.addLayout(top); rows.addLayout(bottom)
search = QtWidgets.QLineEdit(); search.setPlaceholderText("搜索任务、要求、单位、进展…")
top.addWidget(search, 1); top.addWidget(QtWidgets.QCheckBox("到期"))
top.addWidget(QtWidgets.QSpinBox()); top.addWidget(QtWidgets.QToolButton())
for label, items in (("单位", 1), ("状态", 6), ("提示灯", 4)):
    bottom.addWidget(QtWidgets.QLabel(label)); box = QtWidgets.QComboBox()
    for i in range(items): box.addItem(label + str(i))
    bottom.addWidget(box, 1)
table = QtWidgets.QTableView(); table.setModel(Headers(table))
centre = QtWidgets.QWidget(); column = QtWidgets.QVBoxLayout(centre)
column.addWidget(bar); column.addWidget(table, 1)
split = QtWidgets.QSplitter(); split.addWidget(tree); split.addWidget(centre)
split.addWidget(QtWidgets.QLabel("未选择任务"))
w.setCentralWidget(split)
w.statusBar().addWidget(QtWidgets.QLabel("共 0 项任务"), 1)
w.statusBar().addPermanentWidget(QtWidgets.QLabel("今天"))
for title in ("文件(&F)", "编辑(&E)", "查看(&V)", "设置(&S)"): w.menuBar().addMenu(title)
w.resize(1400, 860); w.show(); app.processEvents()
print(time.perf_counter() - t0)
"""

OURS = """
import time, datetime; t0 = time.perf_counter()
from gxdesk.ui.app import build_window
app, w = build_window({db!r}, datetime.date(2014, 9, 30), remember=False)
w.show(); app.processEvents()
t1 = time.perf_counter() - t0; shown_at = time.time()
w.load(); app.processEvents()
assert w.model.rowCount() == 34
t2 = time.perf_counter() - t0
import sys; assert "sqlalchemy" not in sys.modules
w.finish(); app.processEvents()
print(t1, t2, time.perf_counter() - t0, shown_at)
"""


def _process(codes: dict[str, str], pycache: str, runs: int = 7) -> dict[str, list[list[float]]]:
    """Each code in a fresh process, ``runs`` times, the codes interleaved (bare, layout,
    ours, bare, …): on a shared machine the load drifts, and a floor measured in one
    block and ours in another compared two different machines."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPYCACHEPREFIX=pycache)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    out: dict[str, list[list[float]]] = {name: [] for name in codes}
    for i in range(runs + 1):
        for name, code in codes.items():
            launched = time.time()
            res = subprocess.run(
                [sys.executable, "-c", code],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
                check=True,
            )
            if i:  # the first round only compiles the bytecode
                values = [float(x) for x in res.stdout.split()]
                # The last value is the wall clock when the window was shown: from the
                # launch of the process, interpreter start-up included.
                last = [values[-1] - launched] if len(values) > 1 else []
                out[name].append([*values[: len(values) - len(last)], *last])
    return out


def _best(fn, runs: int = 7) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def _line(label: str, value: float, floor: float, target: float) -> None:
    ratio = value / floor
    verdict = "ok" if ratio <= target else "SLOW"
    print(
        f"{label:<34} {value * 1000:8.1f} ms   floor {floor * 1000:8.1f} ms   "
        f"{ratio:5.2f}× (≤ {target}×) {verdict}"
    )


def _rows(n: int):
    from gxdesk.core.model import DeadlineKind, Light, Status
    from gxdesk.core.views import TaskRow

    lights = (Light.RED, Light.YELLOW, Light.GREEN)
    words = ["预算", "决算", "审计", "采购", "征地", "环境", "食品", "信用", "招生", "就业"]
    return [
        TaskRow(
            i,
            1,
            1 + i % 8,
            1 + i % 8,
            "类别",
            i,
            f"{words[i % 10]}信息公开第{i}项",
            f"按要求公开{words[(i * 7) % 10]}信息",
            "年内",
            DeadlineKind.FIXED,
            dt.date(2014, 1, 1) + dt.timedelta(days=i % 365),
            False,
            False,
            f"市{words[(i * 3) % 10]}局牵头",
            False,
            False,
            Status.NOT_STARTED,
            lights[i % 3],
            "",
            "",
            None,
            1,
        )
        for i in range(n)
    ]


def main() -> None:
    from gxdesk.ui.qt import QtWidgets

    rng = random.Random(3)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "seed.sqlite"
        shutil.copyfile(ROOT / "data" / "seed.sqlite", db)
        os.environ["GXDESK_HOME"] = tmp
        pycache = str(Path(tmp) / "pycache")
        font = str(ROOT / "resources" / "fonts" / "wqy-microhei.ttc")
        runs = _process(
            {"bare": BARE, "same": SAME_LAYOUT.format(font=font), "ours": OURS.format(db=str(db))},
            pycache,
        )
        bare_runs, ours = runs["bare"], runs["ours"]
        bare = statistics.median(r[0] for r in bare_runs)
        same = statistics.median(r[0] for r in runs["same"])
        visible = statistics.median(r[0] for r in ours)
        _line("main window visible", visible, bare, 1.5)
        print(
            f"{'  same layout, plain PySide (info)':<34} {same * 1000:8.1f} ms   "
            f"({same / bare:.2f}× bare; ours is {visible / same:.2f}× this)"
        )
        _line("seed data on screen", statistics.median(r[1] for r in ours), bare, 3.0)
        # The same comparison from the launch of each process, so interpreter
        # start-up counts for both (the usual way a bare window's ~0.12 s is quoted).
        _line(
            "main window visible, from launch",
            statistics.median(r[3] for r in ours),
            statistics.median(r[1] for r in bare_runs),
            1.5,
        )
        ready = statistics.median(r[2] for r in ours)
        print(
            f"{'all commands wired (no target)':<34} {ready * 1000:8.1f} ms   ({ready / bare:.2f}×)"
        )

    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication([])
    from gxdesk.ui.task_model import Column, TaskFilter, TaskTableModel

    rows = _rows(20_000)
    rng.shuffle(rows)
    model = TaskTableModel()
    model.set_rows(rows)
    floor_model = TaskTableModel()
    floor_model.set_rows(rows)

    def plain_filter(needle: str):
        found = [r for r in rows if needle in r.name]
        floor_model.beginResetModel()
        floor_model._rows = found
        floor_model.endResetModel()

    for needle in ("审", "审计", "审计信息公开第1"):
        floor = _best(lambda n=needle: plain_filter(n))
        ours_t = _best(
            lambda n=needle: (model.set_filter(TaskFilter()), model.set_filter(TaskFilter(text=n)))
        )
        reset = _best(lambda: model.set_filter(TaskFilter()))
        _line(f"filter 20,000 rows: “{needle}”", ours_t - reset, floor, 3.0)

    model.set_filter(TaskFilter())

    def plain_sort():
        found = sorted(rows, key=attrgetter("name"))
        floor_model.beginResetModel()
        floor_model._rows = found
        floor_model.endResetModel()

    def ours_sort(column: int) -> float:
        model._rows = list(rows)  # the same unsorted input the floor gets
        t0 = time.perf_counter()
        model.sort(column)
        return time.perf_counter() - t0

    floor = _best(plain_sort)
    _line("sort 20,000 rows by 工作任务", min(ours_sort(Column.NAME) for _ in range(7)), floor, 1.5)

    def plain_due():
        found = sorted(rows, key=lambda r: r.due)
        floor_model.beginResetModel()
        floor_model._rows = found
        floor_model.endResetModel()

    floor = _best(plain_due)
    _line("sort 20,000 rows by 截止日期", min(ours_sort(Column.DUE) for _ in range(7)), floor, 1.5)
    del app


if __name__ == "__main__":
    main()
