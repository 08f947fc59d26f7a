"""The architecture of docs/architecture.md, held: layers, Qt, the window's data, cycles.

The checker (``import_graph``) reads every import statement — inside functions,
under ``TYPE_CHECKING`` and relative ones too. Each rule is run on gxdesk and,
to show it can fail, on a small package written to ``tmp_path`` with the
violation planted.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import import_graph as graph
import pytest
from conftest import ROOT

PACKAGE = ROOT / "gxdesk"


@pytest.fixture(scope="module")
def imports() -> list[graph.Import]:
    return graph.imports_of(ROOT, "gxdesk")


def test_the_checker_sees_every_module_and_deferred_imports(imports: list[graph.Import]) -> None:
    modules = graph.modules_of(ROOT, "gxdesk")
    assert {"gxdesk.ui.qt", "gxdesk.ops.exchange", "gxdesk.cli.plan", "gxdesk.store.merge"} <= set(
        modules
    )
    seen = {i.importer for i in imports}
    assert {"gxdesk.ops.plan_import", "gxdesk.cli.exchange", "gxdesk.ui.detail"} <= seen
    # the window defers SQLAlchemy-using modules into functions: those count
    assert any(i.nested and i.importer.startswith("gxdesk.ui.") for i in imports)


def test_layers_import_only_downwards(imports: list[graph.Import]) -> None:
    assert graph.layer_violations(imports, "gxdesk") == []


def test_only_ui_qt_imports_pyside6_or_shiboken6(imports: list[graph.Import]) -> None:
    assert graph.qt_violations(imports, "gxdesk") == []


def test_the_window_reaches_data_only_through_store_and_ops(imports: list[graph.Import]) -> None:
    assert graph.ui_data_violations(imports, "gxdesk") == []


def test_no_import_cycle_among_gxdesk_modules(imports: list[graph.Import]) -> None:
    assert graph.cycles(imports, "gxdesk") == []


# --- each guard fails on a planted violation ---------------------------------------


def _tree(tmp_path: Path, files: dict[str, str]) -> list[graph.Import]:
    """A package ``pkg`` laid out like gxdesk, with the given modules' source."""
    base = {
        "pkg/__init__.py": "",
        "pkg/core/__init__.py": "",
        "pkg/core/model.py": "X = 1\n",
        "pkg/store/__init__.py": "",
        "pkg/store/db.py": "from pkg.core import model\n",
        "pkg/exchange/__init__.py": "",
        "pkg/ops/work.py": "from pkg.store import db\n",
        "pkg/cli/__init__.py": "",
        "pkg/cli/gui.py": "def run():\n    from pkg.ui.app import main\n",
        "pkg/ui/__init__.py": "",
        "pkg/ui/qt.py": "from PySide6 import QtCore\n",
        "pkg/ui/app.py": "from pkg.ui.qt import QtCore\nfrom pkg.ops import work\n",
        "pkg/paths.py": "",
    }
    for name, text in {**base, **files}.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return graph.imports_of(tmp_path, "pkg")


def test_the_clean_synthetic_tree_passes(tmp_path: Path) -> None:
    found = _tree(tmp_path, {})
    assert graph.layer_violations(found, "pkg") == []
    assert graph.qt_violations(found, "pkg") == []
    assert graph.ui_data_violations(found, "pkg") == []
    assert graph.cycles(found, "pkg") == []


@pytest.mark.parametrize(
    ("name", "source", "expected"),
    [
        # a function-level import upwards
        (
            "pkg/core/bad.py",
            "def f():\n    from pkg.store import db\n",
            "core may not import store",
        ),
        # a relative import upwards (.. of pkg.store.x is pkg)
        ("pkg/store/bad.py", "from ..exchange import thing\n", "store may not import exchange"),
        ("pkg/exchange/bad.py", "import pkg.ops.work\n", "exchange may not import ops"),
        ("pkg/ops/bad.py", "from pkg.ui import app\n", "ops may not import ui"),
        ("pkg/ops/bad2.py", "from pkg.cli import gui\n", "ops may not import cli"),
        ("pkg/cli/bad.py", "def f():\n    import pkg.ui.app\n", "cli may not import ui"),
        ("pkg/ui/bad.py", "from pkg.cli import gui\n", "ui may not import cli"),
    ],
)
def test_an_upward_import_is_caught(tmp_path: Path, name: str, source: str, expected: str) -> None:
    found = graph.layer_violations(_tree(tmp_path, {name: source}), "pkg")
    assert len(found) == 1 and expected in found[0]


@pytest.mark.parametrize(
    "source",
    [
        "from PySide6 import QtWidgets\n",
        "def f():\n    import shiboken6\n",
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from PySide6.QtCore import Qt\n",
    ],
)
def test_qt_outside_ui_qt_is_caught(tmp_path: Path, source: str) -> None:
    for name in ("pkg/ui/widget.py", "pkg/store/bad.py"):
        found = graph.qt_violations(_tree(tmp_path / name.split("/")[1], {name: source}), "pkg")
        assert len(found) == 1 and found[0].startswith(name[:-3].replace("/", "."))


@pytest.mark.parametrize(
    "source",
    [
        "from sqlalchemy import select\n",
        "def f():\n    from sqlalchemy.orm import Session\n",
        "import sqlite3\n",
        "from pkg.store.schema import Task\n",
        "from ..store import schema\n",
    ],
)
def test_the_window_reaching_the_database_directly_is_caught(tmp_path: Path, source: str) -> None:
    files = {"pkg/store/schema.py": "class Task: ...\n", "pkg/ui/detail.py": source}
    found = graph.ui_data_violations(_tree(tmp_path / "ui", files), "pkg")
    assert len(found) == 1 and found[0].startswith("pkg.ui.detail:")
    # the same import in store is no violation of this rule
    files = {"pkg/store/schema.py": "class Task: ...\n", "pkg/store/other.py": source}
    assert graph.ui_data_violations(_tree(tmp_path / "store", files), "pkg") == []


def test_a_cycle_through_a_function_level_import_is_caught(tmp_path: Path) -> None:
    files = {
        "pkg/store/a.py": "from pkg.store import b\n",
        "pkg/store/b.py": "def later():\n    from pkg.store.c import thing\n",
        "pkg/store/c.py": "from .a import x\n",
    }
    assert graph.cycles(_tree(tmp_path, files), "pkg") == [
        ["pkg.store.a", "pkg.store.b", "pkg.store.c"]
    ]


def test_a_type_only_cycle_is_caught(tmp_path: Path) -> None:
    files = {
        "pkg/ui/window.py": "from pkg.ui import actions\n",
        "pkg/ui/actions.py": (
            "from typing import TYPE_CHECKING\n"
            "if TYPE_CHECKING:\n"
            "    from pkg.ui.window import Window\n"
        ),
    }
    assert graph.cycles(_tree(tmp_path, files), "pkg") == [["pkg.ui.actions", "pkg.ui.window"]]


def test_a_package_reexporting_its_modules_is_no_cycle(tmp_path: Path) -> None:
    """``from pkg.store.merge.records import X`` inside the package whose __init__ imports
    it initialises the package first, as Python does; that is not a cycle."""
    files = {
        "pkg/store/merge/__init__.py": "from pkg.store.merge.apply import go\n",
        "pkg/store/merge/apply.py": "from pkg.store.merge.records import Plan\n",
        "pkg/store/merge/records.py": "Plan = 1\n",
    }
    assert graph.cycles(_tree(tmp_path, files), "pkg") == []


def test_core_store_exchange_and_cli_work_with_qt_blocked() -> None:
    code = (
        "import sys\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] in ('PySide6', 'shiboken6'):\n"
        "            raise ImportError('Qt is blocked: ' + name)\n"
        "sys.meta_path.insert(0, Block())\n"
        "import pkgutil, importlib, gxdesk\n"
        "for layer in ('core', 'store', 'exchange'):\n"
        "    pkg = importlib.import_module('gxdesk.' + layer)\n"
        "    for m in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + '.'):\n"
        "        importlib.import_module(m.name)\n"
        "import gxdesk.cli\n"
        "rc = gxdesk.cli.main(['--db', sys.argv[1], 'tasks', '--on', '2014-10-08'])\n"
        "assert rc == 0, rc\n"
        "print('ok', len([m for m in sys.modules if m.startswith('gxdesk.')]))\n"
    )
    seed_copy = ROOT / "data" / "seed.sqlite"
    import shutil
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "s.sqlite"
        shutil.copyfile(seed_copy, db)
        r = subprocess.run(
            [sys.executable, "-c", code, str(db)],
            capture_output=True,
            text=True,
            encoding="utf-8",
            cwd=ROOT,
            timeout=120,
        )
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[-1].startswith("ok")
