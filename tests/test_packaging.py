"""The frozen (PyInstaller) build starts, finds its data, and renders Chinese."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT


@pytest.fixture(scope="module")
def frozen(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    subprocess.run(
        ["bash", str(ROOT / "packaging" / "build.sh"), str(dist)],
        check=True, capture_output=True, env={**os.environ, "PYTHON": sys.executable},
        timeout=900,
    )  # fmt: skip
    exe = dist / "gxdesk" / ("gxdesk.exe" if os.name == "nt" else "gxdesk")
    assert exe.exists()
    return exe


def run(exe: Path, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "GXDESK_HOME": str(home), "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(
        [str(exe), *args], capture_output=True, text=True, encoding="utf-8", env=env, timeout=120
    )


def test_frozen_build_runs_on_its_seed_and_renders(frozen: Path, tmp_path: Path) -> None:
    r = run(frozen, tmp_path, "tasks", "--on", "2014-10-08", "--light", "red")
    assert r.returncode == 0, r.stderr
    assert len(r.stdout.splitlines()) == 6 and "信息解读工作" in r.stdout
    assert (tmp_path / "gxdesk.sqlite").exists()  # the seed shipped inside the build

    shot = tmp_path / "shot.png"
    r = run(frozen, tmp_path, "gui", "--screenshot", str(shot), "--size", "1280x720")
    assert r.returncode == 0, r.stderr
    from PySide6.QtGui import QImage

    image = QImage(str(shot))
    assert (image.width(), image.height()) == (1280, 720)
    colours = {image.pixel(x, y) for x in range(0, 1280, 7) for y in range(0, 720, 7)}
    assert len(colours) > 20  # a drawn window, not a blank frame

    out = tmp_path / "out"
    out.mkdir()
    r = run(frozen, tmp_path, "export-units", str(out), "--unit", "市财政局")
    assert r.returncode == 0, r.stderr
    assert len(list(out.glob("*市财政局*.xlsx"))) == 1
