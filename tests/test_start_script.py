"""``scripts/start.sh`` reinstalls the package only when ``pyproject.toml`` changed.

A real virtualenv without pip stands in for ``.venv``: if ``make_venv`` tried
to install, pip would be missing and the script would fail, so a pass means it
skipped the install, and a failure after a change means it did try.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import venv

import pytest
from ui_helpers import ROOT

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="bash scripts")


def _make_venv(venv_dir, extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", "-c", f'source scripts/_env.sh && make_venv "{extra}"'],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "GXDESK_VENV": str(venv_dir), "PYTHON": sys.executable},
        capture_output=True,
        text=True,
        timeout=120,
    )


def _hash() -> str:
    return hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()


@pytest.fixture
def bare_venv(tmp_path):
    target = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(target)
    return target


def test_an_unchanged_pyproject_skips_the_install(bare_venv):
    (bare_venv / "gxdesk-install.stamp").write_text(f"{_hash()} \n")
    result = _make_venv(bare_venv, "")
    assert result.returncode == 0, result.stderr
    assert not (bare_venv / "install.log").exists()


def test_the_test_install_also_serves_start(bare_venv):
    (bare_venv / "gxdesk-install.stamp").write_text(f"{_hash()} [test]\n")
    assert _make_venv(bare_venv, "").returncode == 0
    assert not (bare_venv / "install.log").exists()


def test_a_changed_pyproject_or_a_missing_extra_reinstalls(bare_venv):
    (bare_venv / "gxdesk-install.stamp").write_text("0123 \n")
    changed = _make_venv(bare_venv, "")
    assert changed.returncode != 0  # it tried pip, which this venv lacks
    assert "No module named pip" in (bare_venv / "install.log").read_text()
    (bare_venv / "install.log").unlink()
    (bare_venv / "gxdesk-install.stamp").write_text(f"{_hash()} \n")
    assert _make_venv(bare_venv, "[test]").returncode != 0
    assert (bare_venv / "install.log").exists()
