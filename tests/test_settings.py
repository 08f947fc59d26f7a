"""Preferences are declared once and read by type from a real INI file."""

from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import Path

import pytest

from gxdesk.ui.qt import QtCore
from gxdesk.ui.settings import (
    READERS,
    Preferences,
    load_preferences,
    read_fields,
    save_preferences,
)


@dataclass(frozen=True)
class _WithBool:
    """A preference set as it will look the day a yes/no preference is added."""

    show_done: bool = True
    count: int = 3
    name: str = ""


def _ini(path: Path) -> QtCore.QSettings:
    return QtCore.QSettings(str(path), QtCore.QSettings.Format.IniFormat)


def test_every_preference_has_a_reader_for_its_type() -> None:
    assert all(str(f.type) in READERS for f in fields(Preferences))


@pytest.mark.parametrize("stored", [False, True])
def test_a_bool_preference_round_trips_through_the_ini_file(tmp_path: Path, stored: bool) -> None:
    s = _ini(tmp_path / "settings.ini")
    s.setValue("show_done", stored)
    s.setValue("count", 7)
    s.setValue("name", "市财政局")
    s.sync()
    again = _ini(tmp_path / "settings.ini")  # what a restart reads: text in the file
    assert read_fields(_WithBool, again.value) == _WithBool(stored, 7, "市财政局")


def test_unreadable_values_fall_back_to_the_defaults(tmp_path: Path) -> None:
    path = tmp_path / "settings.ini"
    path.write_text("[General]\nshow_done=perhaps\ncount=many\n", encoding="utf-8")
    assert read_fields(_WithBool, _ini(path).value) == _WithBool()


def test_a_preference_of_an_unknown_type_is_refused_by_name() -> None:
    @dataclass(frozen=True)
    class _Odd:
        ratio: float = 0.5

    with pytest.raises(TypeError, match="ratio"):
        read_fields(_Odd, lambda _name, default: default)


def test_preferences_saved_are_loaded_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GXDESK_HOME", str(tmp_path / "home"))
    prefs = Preferences(yellow_workdays=7, default_unit="市审计局", data_folder=str(tmp_path))
    save_preferences(prefs)
    assert load_preferences() == prefs
    save_preferences(Preferences(yellow_workdays=99))  # out of range: the default
    assert load_preferences() == Preferences()
