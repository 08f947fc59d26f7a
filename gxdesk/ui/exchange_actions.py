"""Excel exchange actions of the main window (issue 4 fills this in)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gxdesk.ui.context import AppContext
    from gxdesk.ui.main_window import MainWindow


def install(window: MainWindow, context: AppContext) -> None:
    """Adds the Excel exchange actions (export unit workbooks, merge returned workbooks, export the ledger) to the window's 文件 menu."""  # noqa: E501
    return None
