"""Preferences (declared once, typed) and window state, kept apart.

Preferences are what a clerk chooses (the yellow-light window, the default
unit, the data folder); window state is what the program remembers on its own
(geometry, splitters, column widths, recent files). Both live in one INI file
in the user's data folder, under separate groups, and nothing else in the
program reads or writes ``QSettings`` keys.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any, TypeVar

from gxdesk.core.status import DEFAULT_YELLOW_WORKDAYS
from gxdesk.paths import user_data_dir
from gxdesk.ui.qt import QtCore

SETTINGS_VERSION = 1
MAX_RECENT = 8


@dataclass(frozen=True)
class Preferences:
    """What the clerk can set in 设置 → 首选项."""

    yellow_workdays: int = DEFAULT_YELLOW_WORKDAYS  # 黄灯: due within N working days
    default_unit: str = ""  # unit preselected in the filter and progress entry
    data_folder: str = ""  # where new databases, backups and exports go ("" = user data dir)

    def folder(self) -> Path:
        return Path(self.data_folder) if self.data_folder else user_data_dir()


def _settings() -> QtCore.QSettings:
    folder = user_data_dir()
    folder.mkdir(parents=True, exist_ok=True)
    return QtCore.QSettings(str(folder / "settings.ini"), QtCore.QSettings.Format.IniFormat)


def _read_int(value: object, default: Any) -> Any:
    if isinstance(value, bool):  # a bool is an int to Python, not to a clerk
        return default
    try:
        return int(value) if isinstance(value, int | float) else int(str(value).strip())
    except (TypeError, ValueError, OverflowError):
        return default


def _read_str(value: object, default: Any) -> Any:
    return "" if value is None else str(value)


def _read_bool(value: object, default: Any) -> Any:
    """QSettings' INI format gives a stored bool back as the text "true" / "false"."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "1", "yes", "on"):
        return True
    if text in ("false", "0", "no", "off"):
        return False
    return default


# one reader per type a preference may have; a field of another type fails
# tests/test_settings.py, never a clerk's start-up
READERS: dict[str, Callable[[object, Any], Any]] = {
    "int": _read_int,
    "str": _read_str,
    "bool": _read_bool,
}
T = TypeVar("T")


def read_fields(cls: type[T], value: Callable[[str, object], object]) -> T:
    """An instance of the dataclass ``cls``, each field read by ``value(name, default)``
    and typed by :data:`READERS`; a value that cannot be read gives the default."""
    defaults = cls()
    found = {}
    for f in fields(cls):  # type: ignore[arg-type]
        read = READERS.get(str(f.type))
        if read is None:
            raise TypeError(f"preference {f.name}: no reader for type {f.type}")
        default = getattr(defaults, f.name)
        found[f.name] = read(value(f.name, default), default)
    return cls(**found)


def load_preferences() -> Preferences:
    s = _settings()
    s.beginGroup("preferences")
    try:
        prefs = read_fields(Preferences, s.value)
    finally:
        s.endGroup()
    if not 0 <= prefs.yellow_workdays <= 60:
        prefs = replace(prefs, yellow_workdays=DEFAULT_YELLOW_WORKDAYS)
    return prefs


def save_preferences(prefs: Preferences) -> None:
    s = _settings()
    s.setValue("version", SETTINGS_VERSION)
    s.beginGroup("preferences")
    for key, value in asdict(prefs).items():
        s.setValue(key, value)
    s.endGroup()
    s.sync()


class WindowState:
    """Geometry, splitter sizes, header state and recent files of the main window."""

    def __init__(self) -> None:
        self._s = _settings()

    def bytes(self, key: str) -> QtCore.QByteArray | None:
        value = self._s.value(f"state/{key}")
        return value if isinstance(value, QtCore.QByteArray) else None

    def set_bytes(self, key: str, value: QtCore.QByteArray) -> None:
        self._s.setValue(f"state/{key}", value)

    def flag(self, key: str, default: bool) -> bool:
        value = self._s.value(f"state/{key}")
        return bool(_read_bool(value, default)) if value is not None else default

    def set_flag(self, key: str, value: bool) -> None:
        self._s.setValue(f"state/{key}", value)

    def recent_files(self) -> list[str]:
        value = self._s.value("state/recent_files", [])
        items = [value] if isinstance(value, str) else value if isinstance(value, list) else []
        return [str(v) for v in items if v]

    def add_recent(self, path: Path | str) -> list[str]:
        """A file (its full path) or a server address — never with a password in it."""
        text = _remembered(path)
        recent = [text] + [p for p in self.recent_files() if p != text]
        self._s.setValue("state/recent_files", recent[:MAX_RECENT])
        return recent[:MAX_RECENT]

    def last_database(self) -> str:
        return str(self._s.value("state/last_database", "") or "")

    def set_last_database(self, path: Path) -> None:
        self._s.setValue("state/last_database", str(Path(path).resolve()))

    def last_server(self) -> str:
        """The server address last connected to (offered by 文件 → 连接服务器数据库…)."""
        return str(self._s.value("state/last_server", "") or "")

    def set_last_server(self, url: str) -> None:
        self._s.setValue("state/last_server", _remembered(url))

    def sync(self) -> None:
        self._s.sync()


def _remembered(path: Path | str) -> str:
    """What the settings keep of a database: a file's full path, a server's address without
    a password (passwords belong in ~/.pgpass / PGPASSFILE, which libpq reads itself)."""
    from gxdesk.store.server.address import is_server_address, split_password

    if is_server_address(path):
        return split_password(str(path))[0]
    return str(Path(path).resolve())
