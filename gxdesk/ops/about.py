"""What 帮助 → 关于 says: the version, where the data are, the bundled fonts' licences.

No Qt here, so the facts can be checked without a window. The licences are read
from ``resources/fonts/LICENSE-*`` (one file per bundled font), so a font added
with its licence file appears without a change here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from gxdesk import __version__
from gxdesk.paths import resource, user_data_dir

_LICENCE_LINE = re.compile(r"licen[cs]ed under (?:the )?(.+?)(?:\s*\(|\.?$)", re.I)
#: A licence's own title line, e.g. "ARPHIC PUBLIC LICENSE" or "SIL Open Font License 1.1".
_LICENCE_TITLE = re.compile(r"^[A-Za-z][A-Za-z0-9 .,-]{0,50}licen[cs]e[A-Za-z0-9 .,-]{0,20}$", re.I)


@dataclass(frozen=True)
class FontLicence:
    """One bundled font: its name line, the licence it is used under, and the full text."""

    font: str
    licence: str
    path: Path
    text: str


def font_licences(folder: Path | None = None) -> list[FontLicence]:
    """Every ``LICENSE-*`` file of the bundled fonts, in name order."""
    folder = folder or resource("fonts")
    found = []
    for path in sorted(folder.glob("LICENSE-*")):
        text = path.read_text(encoding="utf-8", errors="replace")
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        font = lines[0] if lines else path.stem.removeprefix("LICENSE-")
        licence = "见许可文件全文"
        for line in lines[1:12]:
            m = _LICENCE_LINE.search(line)
            if m:
                licence = m.group(1).strip()
                break
        else:
            titles = [line for line in lines[1:12] if _LICENCE_TITLE.match(line)]
            if titles:
                licence = titles[0]
        found.append(FontLicence(font, licence, path, text))
    return found


def about_lines(database: Path | None) -> list[tuple[str, str]]:
    """The facts shown in the about box, as (label, value) pairs."""
    lines = [
        ("版本", f"gxdesk {__version__}"),
        ("数据文件夹", str(user_data_dir())),
        ("当前数据库", str(database) if database else "（未打开）"),
    ]
    for f in font_licences():
        lines.append(("字体", f"{f.font}；许可：{f.licence}"))
    return lines
