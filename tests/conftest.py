"""Shared test set-up: offscreen Qt, paths to the shipped seed files, message boxes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
SEED_TEXT = ROOT.parent / "shared" / "seed" / "plan2014-table.txt"
SEED_COPY = ROOT / "data" / "plan2014-table.txt"


def seed_cells(column: int) -> list[str]:
    """One column of the seed table's 34 task rows, raw, rows rebuilt by counting cells.

    Deliberately simpler than the importer (no fill-down, no normalising), so the
    phrase parsers are checked against the file itself.
    """
    cells: list[str] = []
    for line in SEED_COPY.read_text(encoding="utf-8").splitlines()[1:]:
        if line.startswith("\t"):
            cells.append(line[1:])
        elif line.strip():
            cells[-1] += "\n" + line
    assert len(cells) == 35 * 5  # header row + 34 tasks
    return [cells[i + column] for i in range(5, len(cells), 5)]


@pytest.fixture
def messages(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Message boxes recorded and answered "Yes" instead of shown: a modal box would
    hang the test. Each entry is (kind, "title: text")."""
    from PySide6 import QtWidgets

    seen: list[tuple[str, str]] = []

    def record(kind: str):  # type: ignore[no-untyped-def]
        def box(_parent, title, text, *args, **kwargs):  # type: ignore[no-untyped-def]
            seen.append((kind, f"{title}: {text}"))
            return QtWidgets.QMessageBox.StandardButton.Yes

        return box

    for kind in ("warning", "information", "critical", "question"):
        monkeypatch.setattr(QtWidgets.QMessageBox, kind, record(kind))
    return seen


@pytest.fixture
def xvfb():  # type: ignore[no-untyped-def]
    """A real X display (``":N"``) for a program started as a subprocess; see tests/xvfb.py."""
    import sys

    from xvfb import missing_tools, xvfb_display

    if not sys.platform.startswith("linux"):
        pytest.skip("X11 only on Linux")
    missing = missing_tools()
    if missing:  # not a skip: scripts/test.sh installs them, so CI must have them
        pytest.fail(f"missing {', '.join(missing)}: install xvfb and xdotool (scripts/test.sh does)")
    with xvfb_display() as display:
        yield display


from pg_helpers import pg_server, pg_url  # noqa: E402, F401  (fixtures for the server tests)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "pg: needs the PostgreSQL server the tests start (pg_helpers)")
