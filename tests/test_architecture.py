"""The direction of imports: core, store and exchange never import Qt."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "gxdesk"


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def test_layers_import_only_downwards() -> None:
    allowed = {
        "core": {"gxdesk.core"},
        "store": {"gxdesk.core", "gxdesk.store"},
        "exchange": {"gxdesk.core", "gxdesk.exchange"},
    }
    for layer, ok in allowed.items():
        for path in (PACKAGE / layer).rglob("*.py"):
            for module in imported_modules(path):
                assert not module.startswith(("PySide6", "shiboken6")), (path, module)
                if module.startswith("gxdesk."):
                    assert module.startswith(tuple(ok)), (path, module)


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


def test_only_the_ui_package_imports_qt() -> None:
    for path in PACKAGE.rglob("*.py"):
        if (PACKAGE / "ui") in path.parents:
            continue
        for module in imported_modules(path):
            assert not module.startswith(("PySide6", "shiboken6")), (path, module)
