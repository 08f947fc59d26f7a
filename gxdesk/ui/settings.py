"""Preferences (declared once, typed) and window state, kept apart.

Preferences are what a clerk chooses (the yellow-light window, the default
unit, the data folder); window state is what the program remembers on its own
(geometry, splitters, column widths, recent files). Both live in one INI file
in the user's data folder, under separate groups, and nothing else in the
program reads or writes ``QSettings`` keys.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from pathlib import Path

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


def _coerce(kind: type, value: object, default: object) -> object:
    try:
        if kind is int:
            return int(value)  # type: ignore[arg-type]
        if kind is str:
            return "" if value is None else str(value)
    except (TypeError, ValueError):
        return default
    return default


def load_preferences() -> Preferences:
    s = _settings()
    s.beginGroup("preferences")
    defaults = Preferences()
    values = {}
    for f in fields(Preferences):
        kind = {"int": int, "str": str}[str(f.type)]
        default = getattr(defaults, f.name)
        values[f.name] = _coerce(kind, s.value(f.name, default), default)
    s.endGroup()
    prefs = Preferences(**values)  # type: ignore[arg-type]
    if not 0 <= prefs.yellow_workdays <= 60:
        prefs = Preferences(DEFAULT_YELLOW_WORKDAYS, prefs.default_unit, prefs.data_folder)
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

    def recent_files(self) -> list[str]:
        value = self._s.value("state/recent_files", [])
        if isinstance(value, str):
            value = [value]
        return [str(v) for v in (value or []) if v]

    def add_recent(self, path: Path) -> list[str]:
        text = str(Path(path).resolve())
        recent = [text] + [p for p in self.recent_files() if p != text]
        self._s.setValue("state/recent_files", recent[:MAX_RECENT])
        return recent[:MAX_RECENT]

    def last_database(self) -> str:
        return str(self._s.value("state/last_database", "") or "")

    def set_last_database(self, path: Path) -> None:
        self._s.setValue("state/last_database", str(Path(path).resolve()))

    def sync(self) -> None:
        self._s.sync()
