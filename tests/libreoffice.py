"""LibreOffice, the client nobody here wrote, run headless by the tests.

``scripts/test.sh`` installs Calc (workbooks re-saved and printed) and Writer
(the editable 催办通知单 laid out as a word processor does).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    assert found, "LibreOffice (soffice) is missing: bash scripts/test.sh installs it"
    return found


def run_soffice(work: Path, *args: str) -> None:
    """LibreOffice with a profile of its own (others may run it at the same time) and
    fontconfig that also sees the program's CJK font, as on a machine without one."""
    conf = work / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
        f"<dir>{ROOT / 'resources' / 'fonts'}</dir><cachedir>{work / 'fc'}</cachedir>"
        "</fontconfig>",
        encoding="utf-8",
    )
    env = {**os.environ, "FONTCONFIG_FILE": str(conf)}
    subprocess.run(
        [soffice(), "--headless", f"-env:UserInstallation={(work / 'profile').as_uri()}", *args],
        check=True,
        capture_output=True,
        timeout=300,
        env=env,
    )
