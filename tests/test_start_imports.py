"""What starting costs, watched from fresh processes: what each start imports and does.

No timing here (that is benchmarks/bench_ui.py and bench_frozen.py): these tests
catch the regressions that made starts slow — the help text loading SQLAlchemy,
a plain command loading Qt, the window's first frame importing or doing what
it does not show.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from ui_helpers import ROOT, seed_copy

#: Libraries no plain command and no first frame needs.
HEAVY = ("PySide6", "shiboken6", "sqlalchemy", "openpyxl", "reportlab", "docx", "pypdfium2",
         "python_calamine")  # fmt: skip
#: A command needs not even ctypes (the display check, for a window only).
CLI_HEAVY = (*HEAVY, "ctypes")


def _python(code: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", GXDESK_HOME=str(tmp_path / "home"))
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=ROOT, env=env, capture_output=True, text=True, encoding="utf-8", timeout=120,
    )  # fmt: skip


CLI = """
import json, sys
from gxdesk.cli import main
try:
    code = main({argv!r})
except SystemExit as exc:
    code = exc.code
loaded = sorted({{m.split(".")[0] for m in sys.modules}} & set({heavy!r}))
print(json.dumps({{"code": code, "loaded": loaded}}), file=sys.stderr)
"""


@pytest.mark.parametrize(
    ("argv", "code"),
    [
        (["--help"], 0),
        (["--version"], 0),
        (["tasks", "--help"], 0),
        (["--db", "{db}", "tasks", "--on", "2014-10-08"], 0),
        (["--db", "{db}", "tasks", "--light", "purple"], 2),  # refused by the parser
        (["--db", "{folder}", "tasks"], 2),  # refused by the database: a folder
    ],
    ids=["help", "version", "tasks-help", "tasks", "bad-choice", "folder-as-db"],
)
def test_help_and_a_plain_command_load_neither_qt_nor_the_orm(
    tmp_path: Path, argv: list[str], code: int
) -> None:
    """Every exception leaving a command (``--help``'s SystemExit too) is matched against
    the known errors; importing their modules for that loaded SQLAlchemy (a second)."""
    db = seed_copy(tmp_path)
    argv = [a.format(db=db, folder=tmp_path) for a in argv]
    r = _python(CLI.format(argv=argv, heavy=CLI_HEAVY), tmp_path)
    *said, last = r.stderr.strip().splitlines()
    seen = json.loads(last)
    assert seen == {"code": code, "loaded": []}, r.stderr
    if code == 2:  # still one Chinese line, the known error recognised
        assert len(said) == 1 and said[0].startswith(("gxdesk: ", "用法")), said
        assert "Traceback" not in r.stderr


def test_known_errors_still_one_line_once_their_module_is_loaded(tmp_path: Path) -> None:
    """The other half of the lookup: an error of a loaded module is still recognised."""
    r = _python(
        """
        import sys
        from gxdesk.cli import main
        from gxdesk.store.merge.records import StalePlanError
        import gxdesk.cli.plan as plan

        def stale(args):
            raise StalePlanError("计划已变更，请重新导出")

        plan.cmd_tasks = stale
        sys.exit(main(["tasks"]))
        """,
        tmp_path,
    )
    assert r.returncode == 2, r.stderr
    assert r.stderr.strip() == "gxdesk: 计划已变更，请重新导出"


FIRST_FRAME = """
import json, os, subprocess, sys, datetime
from pathlib import Path

db = Path({db!r})
gone = subprocess.Popen([sys.executable, "-c", "pass"]); gone.wait()  # a PID no longer running
leftover = db.parent / f".{{db.name}}.{{gone.pid}}.part"
leftover.write_bytes(b"half a backup")

from gxdesk.ui.app import build_window
app, w = build_window(db, datetime.date(2014, 9, 30), remember=False)
fits = []
wants = w.column_fit.wants
w.column_fit.wants = lambda: fits.append(1) or wants()
w.show()
app.processEvents()  # the first frame is on screen
seen = {{
    "modules": sorted(m for m in sys.modules if m.split(".")[0] in {heavy!r}
                      or m.split(".")[0] == "chinese_calendar"
                      or m.startswith({ours!r})),
    "leftover_at_show": leftover.exists(),
    "fits_at_show": len(fits),
}}
w.load(); app.processEvents()
seen["fits_at_load"] = len(fits)
seen["rows"] = w.model.rowCount()
w.finish(); app.processEvents()
seen["leftover_after_finish"] = leftover.exists()
w.close(); w.context.db.close()
print(json.dumps(seen))
"""

#: Modules of the program the first frame does without: the data (read on the next
#: turn), the housekeeping, the detail pane, the chart, every file format.
DEFERRED = ("gxdesk.store.queries", "gxdesk.store.litter", "gxdesk.store.backups",
            "gxdesk.store.edits", "gxdesk.ui.detail", "gxdesk.ui.gantt.pane",
            "gxdesk.ui.dialogs", "gxdesk.exchange", "gxdesk.ops", "gxdesk.core.workdays")  # fmt: skip


def test_the_first_frame_imports_and_does_only_what_it_shows(tmp_path: Path) -> None:
    """Shown, before the first turn of the event loop: no data code, no file format,
    no ORM, no holiday tables; no leftover cleaning and no column fitting yet. Then
    the data arrive (and the columns fit), and finish() removes the leftover."""
    db = seed_copy(tmp_path)
    r = _python(FIRST_FRAME.format(db=str(db), heavy=HEAVY, ours=DEFERRED), tmp_path)
    assert r.returncode == 0, r.stderr
    seen = json.loads(r.stdout.strip().splitlines()[-1])
    assert "PySide6.QtWidgets" in seen["modules"]  # the list does see what is loaded
    unexpected = [m for m in seen["modules"] if m.split(".")[0] not in ("PySide6", "shiboken6")]
    assert unexpected == []
    assert seen["leftover_at_show"] is True
    assert seen["fits_at_show"] == 0
    assert seen["rows"] == 34 and seen["fits_at_load"] >= 1
    assert seen["leftover_after_finish"] is False
