"""The real window on a real X display (Xvfb), as ``scripts/start.sh`` opens it.

Every other window test runs offscreen, which never loads Qt's xcb plugin: a
library it links could be missing on a fresh machine and nothing would notice.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from ui_helpers import ROOT, seed_copy
from xvfb import close_by_keys, find_window, wait_for_title

APP_TITLE = "政务公开工作台账"
LINUX = sys.platform.startswith("linux")


def _qt_dir() -> Path:
    import PySide6

    return Path(PySide6.__file__).parent / "Qt"


def _qt_debs() -> set[str]:
    """QT_DEBS as scripts/_env.sh lists them (the array may span lines)."""
    text = (ROOT / "scripts" / "_env.sh").read_text(encoding="utf-8")
    found = re.search(r"^QT_DEBS=\(([^)]*)\)", text, re.M)
    assert found, "QT_DEBS missing from scripts/_env.sh"
    return set(found.group(1).split())


def _gui(display: str, db: Path, home: Path) -> subprocess.Popen[str]:
    env = dict(os.environ, DISPLAY=display, QT_QPA_PLATFORM="xcb", GXDESK_HOME=str(home))
    env.pop("WAYLAND_DISPLAY", None)
    return subprocess.Popen(
        [sys.executable, "-m", "gxdesk", "--db", str(db), "gui", "--on", "2014-09-30"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_the_real_window_opens_on_x11_is_found_by_its_title_and_closes_with_exit_0(
    xvfb, tmp_path
):
    db = seed_copy(tmp_path)
    proc = _gui(xvfb, db, tmp_path / "home")
    try:
        window = find_window(xvfb, APP_TITLE, alive=proc)
        gone = proc.poll() is not None
        assert window is not None, f"no window; stderr: {proc.stderr.read() if gone else ''}"
        title = wait_for_title(xvfb, window, "分解细化方案")  # the plan's title once loaded
        code = close_by_keys(xvfb, window, proc, "ctrl+q")  # 文件 → 退出
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert code == 0, err
    assert title.count(APP_TITLE) == 1, title  # Qt appends the name unless the title ends with it
    assert title == f"2014年政府信息公开工作要点分解细化方案 [{db.name}] — {APP_TITLE}"
    assert "qt.qpa" not in err and "Could not load" not in err, err


@pytest.mark.skipif(not LINUX, reason="Qt's xcb plugin is Linux only")
def test_every_library_the_xcb_plugin_links_is_installed():
    """What made the window abort on a fresh Debian: ``ldd`` finds a library missing."""
    plugin = _qt_dir() / "plugins" / "platforms" / "libqxcb.so"
    out = subprocess.run(["ldd", str(plugin)], capture_output=True, text=True, check=True).stdout
    assert "not found" not in out, out


@pytest.mark.skipif(not (LINUX and shutil.which("dpkg")), reason="Debian packages")
def test_qt_debs_hold_every_system_library_the_xcb_plugin_and_qt_link():
    """The list in scripts/_env.sh is the one derived from the binaries, not from memory."""
    qt = _qt_dir()
    binaries = [qt / "plugins" / "platforms" / "libqxcb.so"]
    binaries += sorted((qt / "plugins" / "xcbglintegrations").glob("*.so"))
    binaries += [qt / "lib" / f"libQt6{m}.so.6" for m in ("XcbQpa", "Gui", "Core", "DBus", "Widgets")]
    needed: set[str] = set()
    for b in binaries:
        dump = subprocess.run(["objdump", "-p", str(b)], capture_output=True, text=True, check=True)
        needed |= set(re.findall(r"NEEDED\s+(\S+)", dump.stdout))
    bundled = {p.name for p in (qt / "lib").iterdir()}
    always = {"libc6", "libstdc++6", "libgcc-s1", "zlib1g"}
    listed = _qt_debs()
    for lib in sorted(needed - bundled):
        owner = subprocess.run(["dpkg", "-S", f"*/{lib}"], capture_output=True, text=True)
        assert owner.returncode == 0, f"{lib} belongs to no installed package"
        package = owner.stdout.split(":")[0]
        assert package in listed | always, f"{lib} ({package}) is not in QT_DEBS"


def test_gui_without_any_display_says_so_in_one_chinese_line_and_exits_2(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.update(QT_QPA_PLATFORM="", GXDESK_HOME=str(tmp_path / "home"))
    db = seed_copy(tmp_path)
    before = db.read_bytes()
    result = subprocess.run(
        [sys.executable, "-m", "gxdesk", "--db", str(db), "gui"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
    )
    if not LINUX:
        pytest.skip("only Linux has no display")
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "没有可用的图形显示" in lines[0], result.stderr
    assert "--screenshot" in lines[0]
    assert db.read_bytes() == before


def test_no_display_reason_only_where_qt_would_need_one():
    from gxdesk.cli.display import no_display_reason

    def reachable(display: str) -> None:
        return None

    assert no_display_reason({}, "linux", reachable) is not None
    assert no_display_reason({"QT_QPA_PLATFORM": "xcb"}, "linux", reachable) is not None
    assert no_display_reason({"DISPLAY": ":3"}, "linux", reachable) is None
    assert no_display_reason({"DISPLAY": ":3"}, "linux", lambda d: f"no {d}") == "no :3"
    assert no_display_reason({"WAYLAND_DISPLAY": "wayland-0"}, "linux", reachable) is None
    assert no_display_reason({"QT_QPA_PLATFORM": "offscreen"}, "linux", reachable) is None
    assert no_display_reason({}, "win32", reachable) is None


def _unused_display() -> str:
    """A display number no X server on this machine answers (no socket, no lock file)."""
    for number in range(240, 400):
        if not Path(f"/tmp/.X11-unix/X{number}").exists() and not Path(f"/tmp/.X{number}-lock").exists():
            return f":{number}"
    raise AssertionError("no free display number")


def test_the_probe_tells_a_live_display_from_a_dead_one(xvfb):
    from gxdesk.cli.display import xcb_problem

    assert xcb_problem(xvfb) is None
    problem = xcb_problem(_unused_display())
    assert problem is not None and "无法连接图形显示" in problem


def test_gui_on_a_display_nobody_answers_says_so_in_one_chinese_line_and_exits_2(tmp_path):
    """DISPLAY set but dead (an ssh session without X forwarding): Qt itself would abort, exit 134."""
    if not LINUX:
        pytest.skip("X11 only on Linux")
    display = _unused_display()
    env = dict(os.environ, DISPLAY=display, QT_QPA_PLATFORM="xcb", GXDESK_HOME=str(tmp_path / "home"))
    env.pop("WAYLAND_DISPLAY", None)
    db = seed_copy(tmp_path)
    before = db.read_bytes()
    result = subprocess.run(
        [sys.executable, "-m", "gxdesk", "--db", str(db), "gui"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and f"无法连接图形显示 DISPLAY={display}" in lines[0], result.stderr
    assert db.read_bytes() == before


def test_version_prints_the_package_version():
    import gxdesk

    result = subprocess.run(
        [sys.executable, "-m", "gxdesk", "--version"],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"gxdesk {gxdesk.__version__}"
