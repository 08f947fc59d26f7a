"""Where the program's own files are: the shipped seed database, fonts, the user's data.

One module knows the layout of a source checkout and of a PyInstaller build, so
nothing else guesses paths. No Qt here: the command line uses it too.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

APP_NAME = "gxdesk"


def app_root() -> Path:
    """The folder holding ``data/`` and ``resources/`` (the checkout or the frozen bundle)."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen)
    return Path(__file__).resolve().parent.parent


def seed_database() -> Path:
    return app_root() / "data" / "seed.sqlite"


def resource(*parts: str) -> Path:
    return app_root().joinpath("resources", *parts)


def user_data_dir() -> Path:
    """The user's own data folder (``GXDESK_HOME`` overrides it, e.g. for tests)."""
    override = os.environ.get("GXDESK_HOME")
    if override:
        return Path(override)
    from platformdirs import user_data_dir as _platform_dir

    return Path(_platform_dir(APP_NAME, appauthor=False, roaming=False))


def default_database() -> Path:
    """The user's database, created as a copy of the shipped seed on first use."""
    folder = user_data_dir()
    target = folder / "gxdesk.sqlite"
    if not target.exists():
        folder.mkdir(parents=True, exist_ok=True)
        seed = seed_database()
        if seed.exists():
            tmp = target.with_name(f".{target.name}.{os.getpid()}.part")
            shutil.copyfile(seed, tmp)
            tmp.replace(target)
    return target
