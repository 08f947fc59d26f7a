"""The frozen programs, Linux and Windows, start, find their data and pass their self-test.

Built from this checkout with ``packaging/build.py`` (the Windows one under Wine,
its toolchain set up by the build script itself), so a missing DLL, data file or
hidden import fails here and not on a clerk's PC. The window is started on a
real X server (Xvfb) and found by its title, the way a clerk sees it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tarfile
import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import ROOT

TITLE = "政务公开工作台账"
#: The seed's plan: the window puts it in its title once the data are loaded.
PLAN = "2014年政府信息公开工作要点"
BUILD = ROOT / "packaging" / "build.py"
pytestmark = pytest.mark.slow


def build(target: str, dist: Path) -> Path:
    r = subprocess.run(
        [sys.executable, str(BUILD), target, "--dist", str(dist)],
        capture_output=True, text=True, encoding="utf-8", errors="replace", timeout=3000,
    )  # fmt: skip
    assert r.returncode == 0, r.stdout[-4000:] + r.stderr[-4000:]
    return dist / target / "gxdesk"


@pytest.fixture(scope="module")
def linux(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build("linux", tmp_path_factory.mktemp("dist"))


@pytest.fixture(scope="module")
def windows(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build("windows", tmp_path_factory.mktemp("dist"))


@pytest.fixture
def no_fonts(tmp_path: Path) -> dict[str, str]:
    """An empty fontconfig: the machine has no font at all, only what the build ships."""
    conf = tmp_path / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd">'
        f"<fontconfig><cachedir>{tmp_path / 'fc-cache'}</cachedir></fontconfig>",
        encoding="utf-8",
    )
    return {"FONTCONFIG_FILE": str(conf), "FONTCONFIG_PATH": str(tmp_path)}


def run(exe: Path, home: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "GXDESK_HOME": str(home), "QT_QPA_PLATFORM": "offscreen", **env}
    return subprocess.run(
        [str(exe), *args], capture_output=True, text=True, encoding="utf-8", env=env, timeout=300
    )


@contextmanager
def xvfb() -> Iterator[str]:
    """A private X server; it picks a free display itself (others share this machine)."""
    if not (shutil.which("Xvfb") and shutil.which("xdotool")):
        pytest.fail("Xvfb and xdotool are needed (scripts/test.sh installs them)")
    read, write = os.pipe()
    proc = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", "1600x1000x24", "-nolisten", "tcp"],
        pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    os.close(write)
    with os.fdopen(read) as f:
        number = f.readline().strip()
    try:
        assert number, "Xvfb did not start"
        yield f":{number}"
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def find_window(display: str, proc: subprocess.Popen[bytes], timeout: float) -> str:
    """The X window id whose title names the seed's plan, waiting while the program starts
    (the title holds only TITLE until the data are loaded on the next turns)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, f"the program ended with {proc.returncode} before its window"
        r = subprocess.run(
            ["xdotool", "search", "--onlyvisible", "--name", PLAN],
            capture_output=True, text=True, env={**os.environ, "DISPLAY": display},
        )  # fmt: skip
        if r.stdout.split():
            return r.stdout.split()[0]
        time.sleep(0.5)
    pytest.fail(f"no window titled {PLAN}… within {timeout:.0f} s")


def window_title(display: str, window: str) -> str:
    r = subprocess.run(
        ["xdotool", "getwindowname", window], capture_output=True, text=True, encoding="utf-8",
        env={**os.environ, "DISPLAY": display},
    )  # fmt: skip
    return r.stdout.strip()


def close(display: str, window: str) -> None:
    """文件 → 退出 by its shortcut (Ctrl+Q), as a clerk closes it."""
    subprocess.run(
        ["xdotool", "windowfocus", "--sync", window, "key", "--clearmodifiers", "ctrl+q"],
        env={**os.environ, "DISPLAY": display}, check=True, timeout=30,
    )  # fmt: skip


# --- Linux ------------------------------------------------------------------------------


def test_linux_self_test_passes_with_no_system_fonts(
    linux: Path, tmp_path: Path, no_fonts: dict[str, str]
) -> None:
    r = run(linux / "gxdesk-cli", tmp_path, "--self-test", **no_fonts)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "自检通过" in r.stdout and "[失败]" not in r.stdout
    assert "WenQuanYi Micro Hei" in r.stdout  # the window drew in the bundled font
    written = (tmp_path / "self-test.txt").read_text(encoding="utf-8")
    assert written.splitlines() == r.stdout.splitlines()[: len(written.splitlines())]


def test_linux_build_runs_commands_on_its_seed(linux: Path, tmp_path: Path) -> None:
    r = run(linux / "gxdesk-cli", tmp_path, "tasks", "--on", "2014-10-08", "--light", "red")
    assert r.returncode == 0, r.stderr
    assert len(r.stdout.splitlines()) == 6 and "信息解读工作" in r.stdout
    assert (tmp_path / "gxdesk.sqlite").exists()  # the user's copy of the shipped seed

    out = tmp_path / "out"
    r = run(linux / "gxdesk-cli", tmp_path, "export-units", str(out), "--unit", "市财政局")
    assert r.returncode == 0, r.stderr
    assert len(list(out.glob("*市财政局*.xlsx"))) == 1

    r = run(linux / "gxdesk-cli", tmp_path, "tasks", "--light", "purple")
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


def test_linux_commands_load_no_qt_and_the_window_still_does(linux: Path, tmp_path: Path) -> None:
    """PyInstaller's own PySide6 hook loaded QtCore at every start (see
    packaging/rthook_qt_paths.py); the dynamic loader's log says what each start loads."""
    debug = {"LD_DEBUG": "files"}
    r = run(linux / "gxdesk-cli", tmp_path, "tasks", "--on", "2014-10-08", **debug)
    assert r.returncode == 0 and "信息解读工作" in r.stdout, r.stderr[-2000:]
    assert "libQt6Core" not in r.stderr and "libshiboken6" not in r.stderr
    shot = tmp_path / "shot.png"
    r = run(linux / "gxdesk-cli", tmp_path, "gui", "--screenshot", str(shot), **debug)
    assert r.returncode == 0 and shot.stat().st_size > 10_000, r.stderr[-2000:]
    assert "libQt6Core" in r.stderr  # the log does show Qt where it is used


def test_linux_build_ships_what_it_reads_and_not_what_it_does_not(linux: Path) -> None:
    inside = linux / "_internal"
    for part in ("data/seed.sqlite", "resources/fonts/wqy-microhei.ttc",
                 "resources/icons/gxdesk.png", "resources/translations/qtbase_zh_CN.qm"):  # fmt: skip
        assert (inside / part).is_file(), part
    shipped = {p.name for p in (inside / "gxdesk" / "store" / "migrations").glob("*.sql")}
    assert shipped == {p.name for p in (ROOT / "gxdesk" / "store" / "migrations").glob("*.sql")}
    names = [p.name for p in inside.rglob("*")]
    for unwanted in ("libQt6Network", "libQt6Qml", "libQt6WebEngine", "libqgtk3", "libgtk-3"):
        assert not [n for n in names if n.startswith(unwanted)], unwanted
    qm = [n for n in names if n.endswith(".qm")]
    assert qm and all("zh_CN" in n for n in qm), qm


def test_linux_window_opens_on_xcb_and_closes(linux: Path, tmp_path: Path) -> None:
    with xvfb() as display:
        env = {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb",
               "GXDESK_HOME": str(tmp_path)}  # fmt: skip
        proc = subprocess.Popen([str(linux / "gxdesk")], env=env, stderr=subprocess.PIPE)
        try:
            window = find_window(display, proc, timeout=60)
            assert TITLE in window_title(display, window)
            # The menu (and its shortcut) is wired a turn after the window shows: on a
            # busy machine the first press may come before it, as a clerk's could.
            for _ in range(20):
                close(display, window)
                try:
                    proc.wait(timeout=3)
                    break
                except subprocess.TimeoutExpired:
                    continue
            _, err = proc.communicate(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
    assert proc.returncode == 0, err.decode(errors="replace")
    assert b"Traceback" not in err


def test_linux_archive_holds_the_folder(linux: Path) -> None:
    (archive,) = linux.parent.parent.glob("gxdesk-*-linux-x86_64.tar.gz")
    with tarfile.open(archive) as tf:
        names = set(tf.getnames())
    assert {"gxdesk/gxdesk", "gxdesk/gxdesk-cli", "gxdesk/_internal/data/seed.sqlite"} <= names


# --- Windows, built and started under Wine ------------------------------------------------


def wine_env(windows: Path) -> dict[str, str]:
    cache = Path(os.environ.get("GXDESK_BUILD_CACHE", Path.home() / ".cache" / "gxdesk-build"))
    return {**os.environ, "WINEPREFIX": str(cache / "wineprefix"), "WINEDEBUG": "-all",
            "WINEDLLOVERRIDES": "winedbg.exe=d;mscoree=d;mshtml=d"}  # fmt: skip


@pytest.fixture(scope="module")
def wine(windows: Path) -> Iterator[dict[str, str]]:
    """The build's Wine prefix, its server started with its output elsewhere (it keeps pipes)."""
    env = wine_env(windows)
    env.pop("DISPLAY", None)
    quiet = {"stdin": subprocess.DEVNULL, "stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    subprocess.run(["wineserver", "-p", "300"], env=env, check=False, **quiet)  # type: ignore[call-overload]
    subprocess.run(["wine", "wineboot"], env=env, check=True, timeout=600, **quiet)  # type: ignore[call-overload]
    yield env
    subprocess.run(["wineserver", "-k"], env=env, check=False, **quiet)  # type: ignore[call-overload]


@pytest.mark.timeout(3600)
def test_windows_self_test_passes_under_wine(windows: Path, wine: dict[str, str]) -> None:
    # Output into a pipe, never a file: a Windows Python dies on a redirected file handle.
    r = subprocess.run(
        ["wine", str(windows / "gxdesk-cli.exe"), "--self-test"], stdin=subprocess.DEVNULL,
        capture_output=True, env=wine, timeout=600,
    )  # fmt: skip
    out = r.stdout.decode("utf-8", errors="replace")
    assert r.returncode == 0, out + r.stderr.decode(errors="replace")[-3000:]
    assert "自检通过" in out and "(win32)" in out and "WenQuanYi Micro Hei" in out


@pytest.mark.timeout(3600)
def test_windows_exe_is_windowed_with_icon_and_version(windows: Path) -> None:
    import pefile

    gui = pefile.PE(str(windows / "gxdesk.exe"))
    cli = pefile.PE(str(windows / "gxdesk-cli.exe"))
    windows_gui, windows_cui = 2, 3  # IMAGE_SUBSYSTEM_WINDOWS_GUI / _CUI
    assert gui.OPTIONAL_HEADER.Subsystem == windows_gui
    assert cli.OPTIONAL_HEADER.Subsystem == windows_cui
    strings = {
        k.decode(): v.decode()
        for info in gui.FileInfo[0] if info.Key == b"StringFileInfo"
        for table in info.StringTable for k, v in table.entries.items()
    }  # fmt: skip
    assert strings["ProductName"].startswith(TITLE)
    import tomllib

    version = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    assert strings["FileVersion"] == version
    icons = [e for e in gui.DIRECTORY_ENTRY_RESOURCE.entries if e.id == 14]  # RT_GROUP_ICON
    assert icons
    names = {p.name.lower() for p in (windows / "_internal").rglob("*")}
    # Nothing test-only (the Wine stub), nothing that crashes Wine, nothing unused.
    assert not names & {"bcryptprimitives.dll", "icuuc.dll", "_wmi.pyd", "qt6network.dll"}
    assert [n for n in names if n.endswith(".qm")] == ["qtbase_zh_cn.qm"]
    (archive,) = windows.parent.parent.glob("gxdesk-*-windows-x64.zip")
    with zipfile.ZipFile(archive) as zf:
        assert {"gxdesk/gxdesk.exe", "gxdesk/gxdesk-cli.exe"} <= set(zf.namelist())


#: Run by the build's own Windows Python: WM_CLOSE to the visible windows whose title
#: holds argv[1] (given \\u-escaped: Wine's argv is not UTF-8). Wine decides focus
#: itself, so keys sent from X do not reach the window; a WM_CLOSE is what 文件 → 退出
#: and the title bar's × both lead to.
CLOSE_WINDOWS = """
import ctypes, sys
from ctypes import wintypes
user32 = ctypes.windll.user32
want = sys.argv[1].encode("ascii").decode("unicode_escape")
found = []
@ctypes.WINFUNCTYPE(wintypes.BOOL, wintypes.HWND, wintypes.LPARAM)
def visit(hwnd, _):
    n = user32.GetWindowTextLengthW(hwnd)
    buf = ctypes.create_unicode_buffer(n + 1)
    user32.GetWindowTextW(hwnd, buf, n + 1)
    if want in buf.value and user32.IsWindowVisible(hwnd):
        found.append(hwnd)
    return True
user32.EnumWindows(visit, 0)
for hwnd in found:
    user32.PostMessageW(hwnd, 0x0010, 0, 0)
print(len(found))
"""


def _wine_on(display: str, wine: dict[str, str]) -> dict[str, str]:
    """Wine's server restarted on ``display``, its output elsewhere; the env to run with.

    Wine's desktop and services belong to the server and keep the display (and the
    pipes) they started with, so a window test restarts them on its own display.
    """
    quiet = {"stdin": subprocess.DEVNULL, "stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    env = {**wine, "DISPLAY": display}
    subprocess.run(["wineserver", "-k"], env=env, check=False, **quiet)  # type: ignore[call-overload]
    subprocess.run(["wineserver", "-p", "300"], env=env, check=False, **quiet)  # type: ignore[call-overload]
    subprocess.run(["wine", "wineboot"], env=env, check=True, timeout=600, **quiet)  # type: ignore[call-overload]
    return env


@pytest.mark.timeout(3600)
def test_windows_window_opens_under_wine(windows: Path, wine: dict[str, str], tmp_path: Path) -> None:
    helper = tmp_path / "close_windows.py"
    helper.write_text(CLOSE_WINDOWS, encoding="utf-8")
    python = Path(wine["WINEPREFIX"]).parent / "python313" / "python.exe"
    quiet = {"stdin": subprocess.DEVNULL, "stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    with xvfb() as display:
        env = _wine_on(display, wine)
        # The windowed program has no console: nothing to read from it but its exit code.
        proc = subprocess.Popen(["wine", str(windows / "gxdesk.exe")], env=env, **quiet)  # type: ignore[call-overload]
        try:
            window = find_window(display, proc, timeout=180)
            assert TITLE in window_title(display, window)
            r = subprocess.run(
                ["wine", str(python), "Z:" + str(helper).replace("/", "\\"),
                 TITLE.encode("unicode_escape").decode("ascii")],
                env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120,
            )  # fmt: skip
            assert r.stdout.strip() == "1", r.stdout + r.stderr
            code = proc.wait(timeout=60)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    assert code == 0


# --- A Chinese Windows: code page 936 ------------------------------------------------------


def _windows_path(path: Path) -> str:
    return "Z:" + str(path).replace("/", "\\")


@pytest.fixture(scope="module")
def chinese_windows(wine: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Wine as the clerks' PCs are: ANSI code page 936 (GBK), from a zh_CN host locale.

    Wine takes its code page from the Unix locale, which a bare machine lacks: it is
    compiled here with ``localedef`` into a private ``LOCPATH``. Without it Wine stays
    in code page 1252 and mangles Chinese in every path it is given.
    """
    locales = tmp_path_factory.mktemp("locale")
    subprocess.run(
        ["localedef", "-i", "zh_CN", "-f", "UTF-8", str(locales / "zh_CN.UTF-8")],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    env = {**wine, "LOCPATH": str(locales), "LANG": "zh_CN.UTF-8", "LC_ALL": "zh_CN.UTF-8"}
    python = Path(wine["WINEPREFIX"]).parent / "python313" / "python.exe"
    r = subprocess.run(
        ["wine", str(python), "-c", "import ctypes; print(ctypes.windll.kernel32.GetACP())"],
        env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert r.stdout.strip() == "936", r.stdout + r.stderr[-2000:]
    return env


def _cli(windows: Path, env: dict[str, str], *args: str) -> tuple[int, str]:
    # Output into a pipe, never a file: a Windows Python dies on a redirected file handle.
    r = subprocess.run(
        ["wine", str(windows / "gxdesk-cli.exe"), *args],
        stdin=subprocess.DEVNULL, capture_output=True, env=env, timeout=600,
    )  # fmt: skip
    return r.returncode, r.stdout.decode("utf-8") + r.stderr.decode("utf-8", errors="replace")


@pytest.mark.timeout(3600)
def test_windows_build_works_in_chinese_folders_on_code_page_936(
    windows: Path, chinese_windows: dict[str, str], tmp_path: Path
) -> None:
    """A clerk's year lives in 文档\\政务公开 台账: every path and message is Chinese.

    The program's answers on code page 936 are the same as from source on this
    machine: the task list, the unit workbooks it writes, the merge of them, the report.
    """
    folder = tmp_path / "政务公开 台账"
    folder.mkdir()
    db = folder / "二〇一四年.sqlite"
    shutil.copyfile(ROOT / "data" / "seed.sqlite", db)
    env = chinese_windows

    code, out = _cli(windows, env, "--db", _windows_path(db), "tasks", "--on", "2014-10-24", "--json")
    assert code == 0, out
    source = subprocess.run(
        [sys.executable, "-m", "gxdesk", "--db", str(db), "tasks", "--on", "2014-10-24", "--json"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert source.returncode == 0, source.stderr
    assert json.loads(out) == json.loads(source.stdout)

    sent = folder / "下发 十月"
    code, out = _cli(windows, env, "--db", _windows_path(db), "export-units", _windows_path(sent),
                     "--on", "2014-10-24")  # fmt: skip
    assert code == 0, out
    books = sorted(p.name for p in sent.glob("*.xlsx"))
    assert "2014年政务公开工作进展_市财政局_2014-10.xlsx" in books, books
    mine, copy = tmp_path / "from source", tmp_path / "copy.sqlite"
    shutil.copyfile(ROOT / "data" / "seed.sqlite", copy)
    source = subprocess.run(
        [sys.executable, "-m", "gxdesk", "--db", str(copy), "export-units", str(mine),
         "--on", "2014-10-24"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert source.returncode == 0, source.stderr
    assert books == sorted(p.name for p in mine.glob("*.xlsx"))

    # 市财政局 fills in one row, as its spreadsheet program would save it
    from exchange_helpers import columns, data_rows, open_for_edit, type_text

    book = sent / "2014年政务公开工作进展_市财政局_2014-10.xlsx"
    wb = open_for_edit(book)
    ws = wb["进展填报"]
    cols, rows = columns(ws), data_rows(ws)
    key, row = next(iter(rows.items()))
    ws.cell(row, cols["进展状态"]).value = "推进中"
    ws.cell(row, cols["完成进度%"]).value = "40"
    type_text(ws.cell(row, cols["进展情况"]), "已在门户网站“财政资金”专栏公开部门预算")
    wb.save(book)
    code, out = _cli(windows, env, "--db", _windows_path(db), "merge", _windows_path(sent))
    assert code == 0, out
    assert "\t市财政局\t新进展 1，" in out and "已写入第 1 批：1 条进展" in out, out
    code, out = _cli(windows, env, "--db", _windows_path(db), "tasks", "--on", "2014-10-24", "--json")
    assert code == 0, out
    reported = [t for t in json.loads(out) if "门户网站“财政资金”专栏" in json.dumps(t, ensure_ascii=False)]
    assert len(reported) == 1, key

    report = folder / "十月 月报.pdf"
    code, out = _cli(windows, env, "--db", _windows_path(db), "report", _windows_path(report),
                     "--on", "2014-10-24")  # fmt: skip
    assert code == 0, out
    text = subprocess.run(["pdftotext", str(report), "-"], capture_output=True, text=True).stdout
    assert "推进情况月报" in text

    code, out = _cli(windows, env, "--db", _windows_path(folder / "没有这个.sqlite"), "tasks")
    assert code == 2
    assert out.strip().splitlines() == [f"gxdesk: 数据库文件不存在：{_windows_path(folder / '没有这个.sqlite')}"]


@pytest.mark.timeout(3600)
def test_windows_lock_keeps_one_writer_and_a_killed_window_does_not_block(
    windows: Path, wine: dict[str, str], tmp_path: Path
) -> None:
    """The one-writer lock on Windows: ``msvcrt.locking`` and the process check.

    While the window holds the database, a write from ``gxdesk-cli`` is refused
    in one Chinese line naming the holder; once the window's process is killed
    (a crash, a power cut of the program), its lock file is left behind but its
    OS lock is gone, and the next write takes the database over by itself.
    """
    db = tmp_path / "gx.sqlite"
    shutil.copyfile(ROOT / "data" / "seed.sqlite", db)
    quiet = {"stdin": subprocess.DEVNULL, "stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    with xvfb() as display:
        env = _wine_on(display, wine)
        proc = subprocess.Popen(["wine", str(windows / "gxdesk.exe"), "--db", _windows_path(db)],
                                env=env, **quiet)  # type: ignore[call-overload]  # fmt: skip
        try:
            find_window(display, proc, timeout=180)
            assert (tmp_path / "gx.sqlite.lock").exists()
            code, out = _cli(windows, env, "--db", _windows_path(db), "export-units",
                             _windows_path(tmp_path / "out"))  # fmt: skip
            assert code == 2, out
            lines = out.strip().splitlines()
            assert len(lines) == 1 and "数据正被" in lines[0] and "请先关闭那边的程序" in lines[0], out
            assert not (tmp_path / "out").exists()
            proc.kill()  # the program's process dies with no clean shutdown; Wine's server lives on
            proc.wait()
            assert (tmp_path / "gx.sqlite.lock").exists()  # left behind, as after a crash
            code, out = _cli(windows, env, "--db", _windows_path(db), "export-units",
                             _windows_path(tmp_path / "out"), "--on", "2014-10-24")  # fmt: skip
            assert code == 0, out
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            subprocess.run(["wineserver", "-k"], env=env, check=False, **quiet)  # type: ignore[call-overload]
    assert len(list((tmp_path / "out").glob("*.xlsx"))) > 10
