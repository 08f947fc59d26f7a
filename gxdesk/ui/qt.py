"""The one module that imports the Qt binding; everything else imports from here.

Keeping the binding behind one name means a change of binding or version quirk
is handled in one place, and ``core``/``store``/``exchange`` stay Qt-free.
"""

from __future__ import annotations

from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtCore import Qt, Signal, Slot

__all__ = ["QtCore", "QtGui", "QtWidgets", "Qt", "Signal", "Slot"]


def print_support():  # type: ignore[no-untyped-def]
    """QtPrintSupport, imported only when something is printed (it costs start-up time)."""
    from PySide6 import QtPrintSupport

    return QtPrintSupport
