"""Whether a window can open here, asked before Qt is: Qt answers by aborting.

On Linux, Qt's xcb plugin ends the process with SIGABRT and a screen of English
(``could not connect to display``, ``xcb-cursor0 … is needed``) when ``DISPLAY``
names no running X server, when the clerk may not use it, or when a library the
plugin links is missing. None of that reaches a clerk in Chinese, and exit 134
looks like a crash. So ``gxdesk gui`` asks first, the way the plugin will:
``libxcb``'s own ``xcb_connect`` on the display the environment names (the only
connection made, and the one Qt makes next anyway), then whether the libraries
Qt names in its own message load.
"""

from __future__ import annotations

import ctypes
import os
import sys
from collections.abc import Callable, Mapping

#: Qt platforms that need a display server (the ones a Linux desktop picks by default).
DISPLAY_PLATFORMS = ("", "xcb", "wayland")

#: The library Qt's xcb plugin names in its abort message when it is missing (since
#: Qt 6.5); ``scripts/_env.sh`` (QT_DEBS) installs it with the rest of the plugin's list.
XCB_CURSOR = ("libxcb-cursor.so.0", "libxcb-cursor0")


def _load(soname: str) -> ctypes.CDLL | None:
    """The library as the program would find it: the frozen build's own copy first."""
    bundle = getattr(sys, "_MEIPASS", None)
    candidates = [os.path.join(bundle, soname)] if bundle else []
    for name in [*candidates, soname]:
        try:
            return ctypes.CDLL(name)
        except OSError:
            continue
    return None


NO_DISPLAY = (
    "没有可用的图形显示（未设置 DISPLAY 或 WAYLAND_DISPLAY），无法打开窗口；"
    "如需离屏截图：gxdesk gui --screenshot 输出.png"
)


def xcb_problem(display: str) -> str | None:
    """Why Qt's xcb plugin could not open a window on ``display``, or None.

    Loads the library the plugin names when it is missing, and connects once with
    ``xcb_connect``, as the plugin will; the connection is closed at once.
    """
    soname, package = XCB_CURSOR
    if _load(soname) is None:
        return f"缺少图形界面所需的系统库 {soname}，无法打开窗口；请安装软件包 {package}"
    xcb = _load("libxcb.so.1")
    if xcb is None:  # only the frozen build's renamed copy: Qt will say what it finds
        return None
    xcb.xcb_connect.restype = ctypes.c_void_p
    xcb.xcb_connect.argtypes = [ctypes.c_char_p, ctypes.c_void_p]
    xcb.xcb_connection_has_error.argtypes = [ctypes.c_void_p]
    xcb.xcb_disconnect.argtypes = [ctypes.c_void_p]
    connection = xcb.xcb_connect(display.encode(), None)
    try:
        failed = connection is None or xcb.xcb_connection_has_error(connection) != 0
    finally:
        if connection is not None:
            xcb.xcb_disconnect(connection)  # also frees a connection that failed
    if failed:
        return (
            f"无法连接图形显示 DISPLAY={display}（显示服务器未运行或无权访问），无法打开窗口；"
            "如需离屏截图：gxdesk gui --screenshot 输出.png"
        )
    return None


def no_display_reason(
    environ: Mapping[str, str] = os.environ,
    platform: str = sys.platform,
    probe: Callable[[str], str | None] = xcb_problem,
) -> str | None:
    """Why a window cannot open here, or None.

    Only Linux with a display platform is asked: offscreen, vnc or eglfs need no
    server, and with ``WAYLAND_DISPLAY`` set (and xcb not forced) Qt may take
    Wayland, which this does not probe. ``probe`` checks the X display named.
    """
    if not platform.startswith("linux"):
        return None
    qpa = environ.get("QT_QPA_PLATFORM", "").split(":")[0].split(";")[0].strip().lower()
    if qpa not in DISPLAY_PLATFORMS:
        return None
    display = environ.get("DISPLAY", "")
    if environ.get("WAYLAND_DISPLAY") and qpa != "xcb":
        return None
    if not display:
        return NO_DISPLAY
    return probe(display)
