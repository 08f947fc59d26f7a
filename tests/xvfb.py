"""A real X display for tests that start the program the way a clerk does.

Every other test runs Qt offscreen, which never loads the xcb platform plugin;
a library that plugin links could be missing and no test would notice. Here an
``Xvfb`` server picks a free display itself (``-displayfd``: other test runs may
have their own on the same machine), and :func:`find_window` / :func:`close_window`
drive the program's windows by their title with ``xdotool``.

Used by ``tests/test_real_display.py``; a test that starts the frozen program can
reuse :func:`xvfb_display` (or the ``xvfb`` fixture in ``conftest.py``) the same way.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import time
from collections.abc import Iterator

#: Tools the helpers need; ``scripts/test.sh`` installs them (xvfb, xdotool).
TOOLS = ("Xvfb", "xdotool")


def missing_tools() -> list[str]:
    return [t for t in TOOLS if shutil.which(t) is None]


@contextlib.contextmanager
def xvfb_display(size: str = "1600x1000x24", timeout: float = 20.0) -> Iterator[str]:
    """Start ``Xvfb`` on a display it chooses; yields ``":N"`` and stops the server after."""
    read_fd, write_fd = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", size, "-nolisten", "tcp"],
        pass_fds=(write_fd,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    os.close(write_fd)
    try:
        number = _read_display_number(read_fd, timeout)
        if number is None:
            server.kill()
            err = server.communicate(timeout=5)[1].decode(errors="replace")
            raise RuntimeError(f"Xvfb did not start: {err.strip()}")
        yield f":{number}"
    finally:
        os.close(read_fd)
        if server.poll() is None:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        if server.stderr is not None:
            server.stderr.close()


def _read_display_number(fd: int, timeout: float) -> str | None:
    """Xvfb writes the display number and a newline to ``-displayfd`` once it is ready."""
    import select

    deadline = time.monotonic() + timeout
    data = b""
    while not data.endswith(b"\n"):
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            return None
        chunk = os.read(fd, 64)
        if not chunk:
            return None
        data += chunk
    return data.decode().strip() or None


def xdotool(display: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["xdotool", *args],
        env=dict(os.environ, DISPLAY=display),
        capture_output=True,
        text=True,
        timeout=30,
    )


def find_window(
    display: str,
    title: str,
    timeout: float = 60.0,
    alive: subprocess.Popen | None = None,
    poll: float = 0.2,
) -> str | None:
    """The id of the first visible window whose title contains ``title`` (a regex), or None.

    Polls every ``poll`` seconds until ``timeout``; gives up early when the ``alive``
    process has ended.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = xdotool(display, "search", "--onlyvisible", "--name", title)
        ids = found.stdout.split()
        if ids:
            return ids[0]
        if alive is not None and alive.poll() is not None:
            return None
        time.sleep(poll)
    return None


def window_title(display: str, window: str) -> str:
    return xdotool(display, "getwindowname", window).stdout.rstrip("\n")


def send_keys(display: str, window: str, *keys: str) -> None:
    """Focus the window (there is no window manager) and type the keys into it."""
    xdotool(display, "windowfocus", "--sync", window)
    xdotool(display, "key", "--clearmodifiers", *keys)


def close_by_keys(
    display: str, window: str, proc: subprocess.Popen, *keys: str, timeout: float = 60.0
) -> int | None:
    """Type ``keys`` (e.g. ``ctrl+q``) into the window until ``proc`` exits; its exit code.

    Repeated because a window may show before its menu shortcuts are wired (the
    program wires them on a later turn of its event loop). None on timeout.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        send_keys(display, window, *keys)
        try:
            return proc.wait(timeout=1.5)
        except subprocess.TimeoutExpired:
            continue
    return None


def wait_for_title(display: str, window: str, part: str, timeout: float = 30.0) -> str:
    """The window's title once it contains ``part`` (it changes as the program loads),
    or the last title seen when ``timeout`` runs out."""
    deadline = time.monotonic() + timeout
    title = window_title(display, window)
    while part not in title and time.monotonic() < deadline:
        time.sleep(0.1)
        title = window_title(display, window)
    return title
