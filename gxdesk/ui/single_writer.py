"""One window writes a database: the lock, raising the first window, and noticing others.

- :func:`claim` takes the writer lock (:mod:`gxdesk.store.lock`) for the window.
  If a window on this PC has it, that window is asked to come to the front (a
  request file beside the lock, which its watcher looks for: no network
  module, no socket), and :class:`AlreadyOpen` is raised so the second start
  just exits. If another PC
  has it, the clerk is told 数据正被 PC-XXX 使用（自 HH:MM 起） and may open the
  file read-only or, after confirming the other PC closed the program, take
  the lock over.
- :class:`ChangeWatcher` polls SQLite's ``data_version`` and, when another
  program changed the file, reloads every view (and clears the undo stack:
  its commands were decided on data that is no longer there).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from gxdesk.store.lock import DatabaseLockedError, lock_path
from gxdesk.ui.qt import QtCore, QtWidgets

if TYPE_CHECKING:
    from gxdesk.store.database import Database
    from gxdesk.ui.context import AppContext

POLL_MS = 2000


class AlreadyOpen(Exception):
    """The database is open in a window of this PC, which was brought to the front."""


def raise_request(db_path: Path) -> Path:
    """The file a second start writes to ask the first window to come to the front."""
    return lock_path(db_path).with_name(lock_path(db_path).name + ".raise")


def open_for_window(
    path: Path, parent: QtWidgets.QWidget | None = None, *, tidy: bool = True
) -> Database:
    """Open ``path`` for a window; a network path is refused with the offer to copy it to
    the local data folder (the copy is checked, like every backup) and open that.

    ``tidy`` as in :func:`gxdesk.store.database.open_database`."""
    from gxdesk.paths import user_data_dir
    from gxdesk.store.backups import make_backup
    from gxdesk.store.database import open_database
    from gxdesk.store.location import NetworkPathError

    try:
        _check_on_open(Path(path), parent)
        return open_database(path, tidy=tidy)
    except NetworkPathError as exc:
        Box = QtWidgets.QMessageBox
        answer = Box.question(
            parent, "数据库在网络位置", f"{exc}\n\n现在复制到本机的数据文件夹并打开副本？"
        )
        if answer != Box.StandardButton.Yes:
            raise
        folder = user_data_dir()
        folder.mkdir(parents=True, exist_ok=True)
        local = folder / exc.path.name
        n = 0
        while local.exists():
            n += 1
            local = folder / f"{exc.path.stem}-{n}{exc.path.suffix}"
        make_backup(exc.path, local)
        return open_database(local, tidy=tidy)


def _check_on_open(path: Path, parent: QtWidgets.QWidget | None) -> None:
    """A damaged file is kept aside (``*.corrupt-DATE``, never overwritten) and the newest
    good backup offered; declined, the damaged file is opened as it is."""
    from gxdesk.store.database import keep_aside, restore_database
    from gxdesk.store.health import newest_good_backup, startup_problems
    from gxdesk.store.location import check_location

    if not path.is_file() or path.stat().st_size == 0:
        return
    check_location(path)
    problems = startup_problems(path)
    if not problems:
        return
    kept = keep_aside(path)
    good = newest_good_backup(path)
    Box = QtWidgets.QMessageBox
    text = f"数据库 {path.name} 已损坏：{problems[0]}\n损坏的文件已另存为 {kept.name}。"
    if good is None:
        Box.warning(parent, "数据库已损坏", text + "\n没有找到可用的备份。")
        return
    answer = Box.question(
        parent,
        "数据库已损坏",
        f"{text}\n用最近的完好备份（{good.created:%Y-%m-%d %H:%M}，{good.label}，"
        f"{good.summary()}）恢复？",
    )
    if answer == Box.StandardButton.Yes:
        restore_database(good.path, path)


def claim(db: Database, parent: QtWidgets.QWidget | None = None) -> None:
    """Hold ``db``'s writer lock, or open it read-only, as the clerk decides.

    Raises AlreadyOpen (another window here has it, and was raised) or
    DatabaseLockedError (the clerk cancelled)."""
    Box = QtWidgets.QMessageBox
    try:
        db.lock_for_writing(kind="window")
        return
    except DatabaseLockedError as exc:
        locked = exc
    if not locked.other_host and locked.holder.kind == "window":
        raise_request(db.path).write_text(str(locked.holder.pid), encoding="utf-8")
        raise AlreadyOpen(str(db.path))
    box = Box(Box.Icon.Warning, "数据库正被使用", str(locked), parent=parent)
    box.setInformativeText("可以只读打开查看；修改需等对方关闭程序。")
    read_only = box.addButton("只读打开", Box.ButtonRole.AcceptRole)
    take = (
        box.addButton("对方已关闭，接管", Box.ButtonRole.DestructiveRole)
        if locked.other_host
        else None
    )
    box.addButton("取消", Box.ButtonRole.RejectRole)
    box.exec()
    if box.clickedButton() is read_only:
        db.read_only = True
        return
    if take is not None and box.clickedButton() is take:
        sure = Box.question(
            parent,
            "接管数据库",
            f"{locked.holder.describe()}。\n确认那台电脑上的程序已经关闭？两台电脑同时写入会损坏数据。",
        )
        if sure == Box.StandardButton.Yes:
            db.lock_for_writing(force=True, kind="window")
            return
    raise locked


class ChangeWatcher(QtCore.QObject):
    """Reloads the views when another program changed the open database."""

    def __init__(self, context: AppContext, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.raised = 0  # times a second start brought this window to the front
        self.timer = QtCore.QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self.poll)
        self.timer.start()

    def poll(self) -> bool:
        """Check once; True when a change by another program was found (and shown)."""
        from gxdesk.store.changes import RELOAD
        from gxdesk.store.errors import describe

        db = self.context.db
        if db is None:
            return False
        self._come_forward(db)
        try:
            db.check_same_file()
            changed = db.changed_elsewhere()
        except Exception as exc:  # moved, replaced, unreadable: say so in the status bar
            line = describe(exc) or str(exc)
            if self.context.window is not None:
                self.context.window.status_message(line)
            return False
        if changed:
            self.context.undo_stack.clear()
            self.context.notify(RELOAD)
            if self.context.window is not None:
                self.context.window.status_message("数据库已被其他程序修改，已重新读取")
        return changed

    def _come_forward(self, db: Database) -> None:
        """A second start on this PC asked for this window: show it in front."""
        request = raise_request(db.path)
        if not request.exists():
            return
        request.unlink(missing_ok=True)
        window = self.context.window
        if window is None:
            return
        self.raised += 1
        window.setWindowState(window.windowState() & ~QtCore.Qt.WindowState.WindowMinimized)
        window.show()
        window.raise_()
        window.activateWindow()


def install_failure_hook(window: QtWidgets.QWidget) -> None:
    """A failing file or disk that reaches the event loop (a view reading a file that was
    moved, say) becomes a message in Chinese, not a traceback on the console; any other
    exception is a bug and goes to the previous hook as before."""
    import sys

    from gxdesk.store.errors import describe

    previous = sys.excepthook

    def hook(kind, exc, tb) -> None:  # type: ignore[no-untyped-def]
        line = describe(exc) if isinstance(exc, Exception) else None
        if line is None:
            previous(kind, exc, tb)
            return
        QtWidgets.QMessageBox.warning(window, "数据库操作失败", line)

    sys.excepthook = hook
