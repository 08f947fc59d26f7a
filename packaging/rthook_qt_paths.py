# Run-time hook of the frozen program, in place of PyInstaller's own for PySide6.
#
# PyInstaller's hook (pyi_rth_pyside6) imports PySide6.QtCore at every start to
# register an embedded qt.conf: for `gxdesk-cli tasks` that loaded QtCore, shiboken
# and ICU (about a third of the command's time) for a command that never shows a
# window. This hook keeps the cheap half, the plugin path; gxdesk.ui.qt registers
# the qt.conf itself right after it imports QtCore (see gxdesk.ui.qt.frozen_qt_conf).
import os
import sys


def _qt_paths() -> None:
    qt = os.path.join(sys._MEIPASS, "PySide6")  # noqa: SLF001 (PyInstaller's bundle folder)
    if not sys.platform.startswith("win"):
        qt = os.path.join(qt, "Qt")
    os.environ["QT_PLUGIN_PATH"] = os.path.join(qt, "plugins")


_qt_paths()
del _qt_paths
