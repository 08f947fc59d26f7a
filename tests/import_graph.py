"""The import graph of a package, read from its source, and the rules it must keep.

Used by ``test_architecture.py`` on gxdesk itself and, to prove each rule can
fail, on small synthetic packages written to a temporary folder. Every import
statement counts wherever it stands — at module level, inside a function,
under ``if TYPE_CHECKING:`` — and relative imports are resolved. An import of
``a.b`` is an edge to the most specific module it names (``from a import b``
is an edge to ``a.b`` when that is a module, else to ``a``); the parent
packages Python also initialises are not edges, or every package whose
``__init__`` re-exports its modules would be a cycle.

The rules are those of docs/architecture.md.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

# layer → the layers it may import (besides itself); "shared" is paths.py / runtime.py
ALLOWED: Mapping[str, frozenset[str]] = {
    "core": frozenset(),
    "store": frozenset({"core"}),
    "exchange": frozenset({"core"}),
    "ops": frozenset({"core", "store", "exchange"}),
    "cli": frozenset({"core", "store", "exchange", "ops"}),
    "ui": frozenset({"core", "store", "exchange", "ops"}),
    "shared": frozenset({"core"}),
    "entry": frozenset({"cli"}),  # __init__ / __main__
}
SHARED = ("paths", "runtime")
# the ways across otherwise forbidden layers: `gxdesk gui` starts the window, and
# `gxdesk gantt` draws the chart with the window's own Qt painter (offscreen)
EXCEPTIONS = frozenset({("cli.gui", "ui."), ("cli.gantt", "ui.")})
QT_MODULES = ("PySide6", "shiboken6")
QT_HOME = "ui.qt"
UI_FORBIDDEN = ("sqlalchemy", "sqlite3")
ORM_MODULE = "store.schema"


@dataclass(frozen=True)
class Import:
    """One import statement's target, as seen from the module that holds it."""

    importer: str  # dotted module name, e.g. "gxdesk.ui.detail"
    target: str  # the module imported (most specific), e.g. "gxdesk.store.queries"
    line: int
    nested: bool  # inside a function or class body (a deferred import)

    def where(self) -> str:
        return f"{self.importer}:{self.line} imports {self.target}"


def modules_of(root: Path, package: str) -> dict[str, Path]:
    """Every module of ``package`` (a folder under ``root``): dotted name → file."""
    found: dict[str, Path] = {}
    for path in sorted((root / package).rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _resolve(module: str, is_package: bool, level: int, name: str | None) -> str:
    """The absolute name of a (possibly relative) ``from … import`` source."""
    if level == 0:
        return name or ""
    base = module.split(".")
    if not is_package:
        base = base[:-1]
    base = base[: len(base) - (level - 1)] if level > 1 else base
    return ".".join([*base, name] if name else base)


class _Finder(ast.NodeVisitor):
    def __init__(self, module: str, is_package: bool, known: Iterable[str]) -> None:
        self.module, self.is_package, self.known = module, is_package, set(known)
        self.found: list[Import] = []
        self._depth = 0

    def _add(self, target: str, line: int) -> None:
        self.found.append(Import(self.module, target, line, self._depth > 0))

    def _nested(self, node: ast.AST) -> None:
        self._depth += 1
        self.generic_visit(node)
        self._depth -= 1

    visit_FunctionDef = visit_AsyncFunctionDef = visit_ClassDef = visit_Lambda = _nested  # noqa: N815

    def visit_Import(self, node: ast.Import) -> None:  # noqa: N802
        for alias in node.names:
            self._add(alias.name, node.lineno)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:  # noqa: N802
        source = _resolve(self.module, self.is_package, node.level, node.module)
        for alias in node.names:
            sub = f"{source}.{alias.name}"
            self._add(sub if sub in self.known else source, node.lineno)


def imports_of(root: Path, package: str) -> list[Import]:
    """Every import statement of every module of ``package``."""
    modules = modules_of(root, package)
    out: list[Import] = []
    for name, path in modules.items():
        finder = _Finder(name, path.name == "__init__.py", modules)
        finder.visit(ast.parse(path.read_text(encoding="utf-8"), str(path)))
        out += finder.found
    return out


def _inside(name: str, package: str) -> str | None:
    """``gxdesk.store.merge.apply`` → ``store.merge.apply``; None outside the package."""
    if name == package:
        return ""
    prefix = package + "."
    return name[len(prefix) :] if name.startswith(prefix) else None


def layer_of(relative: str) -> str:
    first = relative.split(".")[0]
    if first in ALLOWED and first not in ("shared", "entry"):
        return first
    if first in SHARED:
        return "shared"
    return "entry"


def layer_violations(imports: Iterable[Import], package: str) -> list[str]:
    """Imports against the direction of the layers (see :data:`ALLOWED`)."""
    bad = []
    for imp in imports:
        src, dst = _inside(imp.importer, package), _inside(imp.target, package)
        if src is None or dst is None or dst == "":
            continue
        a, b = layer_of(src), layer_of(dst)
        if a == b or b in ALLOWED[a] or b == "shared" and a != "shared":
            continue
        if any(src == s and dst.startswith(t) for s, t in EXCEPTIONS):
            continue
        bad.append(f"{imp.where()} ({a} may not import {b})")
    return bad


def qt_violations(imports: Iterable[Import], package: str) -> list[str]:
    """PySide6 / shiboken6 imported anywhere but the one Qt module."""
    return [
        imp.where()
        for imp in imports
        if imp.target.split(".")[0] in QT_MODULES and _inside(imp.importer, package) != QT_HOME
    ]


def ui_data_violations(imports: Iterable[Import], package: str) -> list[str]:
    """The window reaching the database around store and ops: SQLAlchemy, sqlite3 or
    the ORM models imported by a ``ui`` module."""
    bad = []
    for imp in imports:
        src = _inside(imp.importer, package)
        if src is None or layer_of(src) != "ui":
            continue
        dst = _inside(imp.target, package)
        if imp.target.split(".")[0] in UI_FORBIDDEN or dst == ORM_MODULE:
            bad.append(imp.where())
    return bad


def cycles(imports: Iterable[Import], package: str) -> list[list[str]]:
    """Every import cycle among the package's modules (strongly connected components of
    more than one module, or a module importing itself), each sorted."""
    graph: dict[str, set[str]] = {}
    for imp in imports:
        if _inside(imp.importer, package) is None or _inside(imp.target, package) is None:
            continue
        graph.setdefault(imp.importer, set()).add(imp.target)
        graph.setdefault(imp.target, set())
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0

    def visit(v: str) -> None:  # Tarjan's algorithm, recursive: the graph is small
        nonlocal counter
        index[v] = low[v] = counter
        counter += 1
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1 or v in graph[v]:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return sorted(found)
