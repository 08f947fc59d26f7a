"""The one module that imports the Qt binding; everything else imports from here.

Keeping the binding behind one name means a change of binding or version quirk
is handled in one place, and ``core``/``store``/``exchange`` stay Qt-free.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from types import ModuleType

from PySide6 import QtCore, QtGui, QtWidgets
from PySide6 import __version__ as PYSIDE_VERSION
from PySide6.QtCore import Qt, Signal, Slot


def frozen_qt_conf() -> None:
    """In the frozen program: register the qt.conf that points Qt into the bundle.

    PyInstaller's own run-time hook did this at every start, importing QtCore even
    for a command that shows no window (see packaging/rthook_qt_paths.py); here it
    happens once, when Qt is imported anyway, before any QApplication exists.
    """
    from _pyi_rth_utils import qt as rth_qt  # type: ignore[import-not-found]  # PyInstaller's

    prefix = os.path.join(sys._MEIPASS, "PySide6")  # type: ignore[attr-defined]  # noqa: SLF001
    if not sys.platform.startswith("win"):
        prefix = os.path.join(prefix, "Qt")
    rth_qt.create_embedded_qt_conf("PySide6", prefix)


if getattr(sys, "frozen", False):
    frozen_qt_conf()

# What Qt passes a model's rowCount/data/flags/…: either kind of index (the type the
# bindings' own signatures use, so an override may take no narrower one).
ModelIndex = QtCore.QModelIndex | QtCore.QPersistentModelIndex


def qdate(day: dt.date) -> QtCore.QDate:
    """A Python date as a QDate (the bindings convert one, but say so only for QDate)."""
    return QtCore.QDate(day.year, day.month, day.day)


def pydate(day: QtCore.QDate) -> dt.date:
    """A QDate as a Python date (``toPython()`` is typed as returning object)."""
    return dt.date(day.year(), day.month(), day.day())


__all__ = [
    "PYSIDE_VERSION",
    "ModelIndex",
    "QtCore",
    "QtGui",
    "QtWidgets",
    "Qt",
    "Signal",
    "Slot",
    "print_support",
    "pydate",
    "qdate",
]


def print_support() -> ModuleType:
    """QtPrintSupport, imported only when something is printed (it costs start-up time)."""
    from PySide6 import QtPrintSupport

    return QtPrintSupport
