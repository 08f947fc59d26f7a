"""The one module that imports the Qt binding; everything else imports from here.

Keeping the binding behind one name means a change of binding or version quirk
is handled in one place, and ``core``/``store``/``exchange`` stay Qt-free.
"""

from __future__ import annotations

from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtCore import Qt, Signal, Slot

__all__ = ["QtCore", "QtGui", "QtWidgets", "Qt", "Signal", "Slot", "print_support"]


def print_support():  # type: ignore[no-untyped-def]
    """PySide6.QtPrintSupport, imported on first use: start-up does not load the print library."""
    from PySide6 import QtPrintSupport

    return QtPrintSupport
