"""The main window as its features see it: a parent for their dialogs, its menus,
the status line.

Features (file, exchange and unit-fill actions, the context's jobs) are handed
the window; typing them against :class:`gxdesk.ui.main_window.MainWindow` made
a circle of type-only imports back to the module that builds them. They take a
:class:`WindowShell` instead, which ``MainWindow`` is. It is a small base class
rather than a ``typing.Protocol`` because Qt takes the window as a real
``QWidget`` parent: a protocol cannot also be one.
"""

from __future__ import annotations

from gxdesk.ui.qt import QtWidgets


class WindowShell(QtWidgets.QMainWindow):
    """What a feature may use of the main window (and all of ``QMainWindow``)."""

    menu_file: QtWidgets.QMenu  # the 文件 menu: features add their actions to it
    menu_settings: QtWidgets.QMenu  # the 设置 menu (a feature's own menu goes before it)

    def status_message(self, text: str) -> None:
        """Show ``text`` in the status bar for a while."""
        raise NotImplementedError
