"""Starting the window: the application, its font and translations, then the data.

The window is shown first, with nothing imported but Qt and the light view
modules; the data are read with plain sqlite3 on the next turn of the event
loop, and what writes (SQLAlchemy, the dialogs, the Excel exchange) is wired
on the turn after (see :mod:`gxdesk.ui.main_window`). The readers for Word and
Excel and the PDF writer are imported only when a command needs them.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gxdesk.store.database import Database

SCREENSHOT_PLATFORM = "offscreen"


def _application() -> object:
    from gxdesk.ui.qt import QtWidgets

    app = QtWidgets.QApplication.instance()
    if app is None:
        from gxdesk.ui.resources import prefer_chinese_system_locale

        prefer_chinese_system_locale()
        app = QtWidgets.QApplication(sys.argv[:1])
        app.setApplicationName("gxdesk")
        app.setApplicationDisplayName("政务公开工作台账")
        app.setOrganizationName("gxdesk")
    return app


def build_window(  # type: ignore[no-untyped-def]
    db_path: Path | str | None,
    on: dt.date | None,
    *,
    remember: bool = True,
    single_writer: bool = False,
):
    """The application (created if needed), font, translations and an unloaded window.

    Then ``window.start()`` shows it and loads and wires the rest on the next
    turns of the event loop; or, to do it all at once (tests, screenshots),
    ``window.show(); window.load(); window.finish()``.

    ``single_writer`` (the real program, not a screenshot): the window holds the
    database's writer lock (:mod:`gxdesk.ui.single_writer`).
    """
    from gxdesk.paths import default_database
    from gxdesk.store.database import open_database
    from gxdesk.ui.context import AppContext
    from gxdesk.ui.main_window import MainWindow
    from gxdesk.ui.resources import install_font, install_icon, install_translations
    from gxdesk.ui.settings import WindowState, load_preferences

    app = _application()
    if not getattr(app, "_gxdesk_ready", False):
        install_font(app)  # type: ignore[arg-type]
        install_translations(app)  # type: ignore[arg-type]
        install_icon(app)  # type: ignore[arg-type]
        app._gxdesk_ready = True  # type: ignore[attr-defined]
    path: Path | None = None  # a server (`gxdesk --db postgresql://…`) is not remembered
    from gxdesk.store.server.address import is_server_address

    if is_server_address(db_path):
        from gxdesk.store.server.database import open_server

        assert isinstance(db_path, str)

        db: Database = open_server(db_path)  # several windows share a server: no writer lock
    else:
        path = Path(db_path) if db_path else default_database()
        if single_writer:
            from gxdesk.ui.single_writer import claim, open_for_window

            db = open_for_window(path, tidy=False)  # the window tidies in finish()
            path = db.path
            try:
                claim(db)
            except BaseException:
                db.close()
                raise
        else:
            db = open_database(path, tidy=False)  # the window tidies in finish()
    context = AppContext(db, on=on or dt.date.today(), preferences=load_preferences())
    state = WindowState() if remember else None
    window = MainWindow(context, state)
    if state is not None and path is not None:
        state.add_recent(path)
        state.set_last_database(path)
    return app, window


def run_gui(
    db_path: Path | None,
    on: dt.date | None,
    view: str | None,
    screenshot: Path | None,
    size: tuple[int, int],
) -> int:
    """`gxdesk gui`: show the main window (or render it to ``screenshot`` and exit)."""
    if screenshot is not None:
        os.environ["QT_QPA_PLATFORM"] = SCREENSHOT_PLATFORM
        _quiet_offscreen()
    from gxdesk.ui.single_writer import AlreadyOpen

    try:
        app, window = build_window(
            db_path, on, remember=screenshot is None, single_writer=screenshot is None
        )
    except AlreadyOpen:
        print("gxdesk: 该数据库已在本机的另一个窗口中打开，已切换到那个窗口")
        return 0
    if screenshot is not None:
        return _screenshot(app, window, Path(screenshot), size, view)
    if view is not None:  # else the choice the clerk left at the last close
        window.views.show_view(view)
    from gxdesk.ui.single_writer import install_failure_hook

    install_failure_hook(window)
    window.start()
    code = app.exec()
    window.context.db.close()
    return int(code)


def _screenshot(app, window, out: Path, size: tuple[int, int], view: str | None = None) -> int:  # type: ignore[no-untyped-def]
    """Render the window with the seed's first category and first task selected."""
    from gxdesk.ui.main_window import splitter_sizes

    window.resize(*size)
    window.splitter.setSizes(splitter_sizes(size[0]))
    window.show()
    window.load()
    window.finish()
    ids = window.tree.model_.category_ids()
    if ids and view != "gantt":  # the chart shows the whole plan
        window.tree.select_category(ids[0])
    first = window.model.task_at(0)
    if first is not None:
        window.select_task(first.id)
    window.views.show_view(view or "table")
    for _ in range(3):
        app.processEvents()
    image = window.grab()
    ok = image.save(str(out), "PNG")
    window.close()
    window.context.db.close()
    if not ok:
        print(f"gxdesk: 无法写入截图：{out}", file=sys.stderr)
        return 1
    return 0


def _quiet_offscreen() -> None:
    """Drop the offscreen plugin's one known, harmless warning; pass on everything else."""
    from gxdesk.ui.qt import QtCore

    def handler(kind: object, _context: object, message: str) -> None:
        if "does not support propagateSizeHints" not in message:
            sys.stderr.write(message + "\n")

    QtCore.qInstallMessageHandler(handler)
