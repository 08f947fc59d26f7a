"""文件 → 连接服务器数据库…: the window on a shared PostgreSQL server, and others' changes seen.

The address is asked for (``postgresql://用户@主机:端口/库名``); the password
is libpq's business (``~/.pgpass``, ``PGPASSFILE``, a service file), so none is
asked for and none is stored; the address is remembered (offered the next time,
and in 最近打开) with any password typed into it taken out.
Connecting runs off the GUI thread. While a server database is shown, its change
counter is polled (on a worker thread) every few seconds; when another clerk
has written, the lists are re-read, keeping the selected task and category.
A unit's own login (``grant-unit``) is told apart once connected: what only the
lead office may do is disabled, and the detail pane offers only its own unit —
the server enforces the same limits whatever the window shows.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from gxdesk.store.changes import RELOAD
from gxdesk.ui.qt import QtCore, QtGui, QtWidgets, Signal

if TYPE_CHECKING:
    from gxdesk.store.database import Database
    from gxdesk.ui.context import AppContext
    from gxdesk.ui.file_actions import FileActions
    from gxdesk.ui.shell import WindowShell

MENU_TEXT = "连接服务器数据库…"
POLL_MS = 5000
PROMPT = (
    "服务器数据库地址，如 postgresql://用户名@主机:5432/库名\n"
    "口令不在这里输入：请写在 ~/.pgpass（或 PGPASSFILE 指定的文件）里；"
    "需要加密连接时在地址后加 ?sslmode=require"
)


class ServerActions(QtCore.QObject):
    counted = Signal(object)  # the change counter, or None when it could not be read
    account_read = Signal(object, object)  # (the database, its login's unit or None)

    def __init__(self, window: WindowShell, context: AppContext, files: FileActions) -> None:
        super().__init__(window)
        self.window = window
        self.context = context
        self.files = files
        files.connect_server = self.connect_to  # a server in 最近打开
        self.connect_action = window.menu_file.addAction(MENU_TEXT)
        self.connect_action.triggered.connect(self.ask)
        menu = window.menu_file
        actions = menu.actions()
        if files.new in actions:  # beside 打开 / 新建, not at the end of the menu
            index = actions.index(files.new)
            if index + 1 < len(actions):
                menu.removeAction(self.connect_action)
                menu.insertAction(actions[index + 1], self.connect_action)
        self.seen: int | None = None
        self._polling = False
        self.account_checked = False  # the login's kind is known (for tests and the status bar)
        self.counted.connect(self._on_counted)
        self.account_read.connect(self._on_account)
        self.timer = QtCore.QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self.poll)
        self._watch()

    # --- connecting ------------------------------------------------------------------
    def ask(self) -> None:
        url, ok = QtWidgets.QInputDialog.getText(
            self.window, "连接服务器数据库", PROMPT, text=self.files.state.last_server()
        )
        if ok and url.strip():
            self.connect_to(url.strip())

    def connect_to(self, url: str) -> None:
        """Open the server database at ``url`` off the GUI thread, then show it.

        A password typed into the address is used for this connection only: the
        address is remembered (recent list, the next 连接服务器数据库…) without it.
        """
        from gxdesk.store.server.address import split_password
        from gxdesk.store.server.database import open_server

        address, password = split_password(url)

        def failed(exc: BaseException) -> None:
            QtWidgets.QMessageBox.warning(self.window, "无法连接服务器数据库", str(exc))

        def done(db: Database) -> None:
            self.use(db)
            state = self.files.state
            state.set_last_server(address)
            state.add_recent(address)
            state.sync()
            self.files.fill_recent()

        self.context.run_job(
            "正在连接服务器数据库…", lambda _c: open_server(address, password=password), done, failed
        )

    def use(self, db: Database) -> None:
        self.files.use(db)
        self._watch()

    # --- others' changes ---------------------------------------------------------------
    def _watch(self) -> None:
        self.seen = None
        db = self.context.db
        self._set_account(None)
        if db is not None and db.is_server:
            self.account_checked = False
            self.timer.start()
            self.poll()
            self._read_account(db)
        else:
            self.account_checked = True
            self.timer.stop()

    # --- a unit's own login ------------------------------------------------------------
    def _read_account(self, db: Database) -> None:
        def read() -> None:
            try:
                unit: str | None = db.account_unit()  # type: ignore[attr-defined]
            except Exception:  # the server away: the lead's actions stay; the server refuses
                unit = None
            self.account_read.emit(db, unit)

        threading.Thread(target=read, name="gxdesk-server-account", daemon=True).start()

    def _on_account(self, db: Database, unit: str | None) -> None:
        if db is not self.context.db:  # another database is shown meanwhile
            return
        self.account_checked = True
        if unit != self.context.account_unit:
            self._set_account(unit)
            self.context.notify(RELOAD)  # the detail offers only the account's own unit
        if unit:
            self.window.status_message(f"单位账号：{unit}——只能查看本单位的任务、填报本单位的进展")

    def lead_only(self) -> list[QtGui.QAction]:
        """What only the lead office may do: the server would refuse it to a unit's login."""
        found = [self.files.import_plan, self.files.restore]
        found += getattr(getattr(self.window, "exchange", None), "lead_only", [])
        found += getattr(self.window, "lead_only_actions", [])
        return found

    def _set_account(self, unit: str | None) -> None:
        """Disable what a unit's login may not do (and enable it again for any other)."""
        self.context.account_unit = unit
        for action in self.lead_only():
            action.setEnabled(unit is None)

    def poll(self) -> None:
        db = self.context.db
        if self._polling or db is None or not db.is_server:
            return
        self._polling = True

        def read() -> None:
            try:
                value: int | None = db.change_counter()  # type: ignore[attr-defined]
            except Exception:  # the server away for a moment: try again next time
                value = None
            self.counted.emit(value)

        threading.Thread(target=read, name="gxdesk-server-poll", daemon=True).start()

    def _on_counted(self, value: int | None) -> None:
        self._polling = False
        if value is None:
            return
        if self.seen is not None and value != self.seen:
            self.context.notify(RELOAD)  # keeps the selected task and category
        self.seen = value


def install(window: WindowShell, context: AppContext, files: FileActions) -> ServerActions:
    return ServerActions(window, context, files)
