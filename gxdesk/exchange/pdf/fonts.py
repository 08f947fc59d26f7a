"""Which TrueType faces print the 公文: the PC's own when it has them, else the bundled ones.

GB/T 9704 asks for a 小标宋 title, 仿宋 body, 黑体 and 楷体 headings. Windows
ships FangSong, SimSun, SimHei and KaiTi as TrueType; Kylin/UOS often carry the
same files. reportlab reads TrueType outlines only (CFF-based OpenType such as
Noto/Source Han CJK is refused), so a face it cannot read is skipped. Where the
PC has none, the program's own ``resources/fonts`` are used: AR PL SungtiL GB
(宋, for title and body), AR PL KaitiM GB (楷) and WenQuanYi Micro Hei (黑), all
under licences that allow shipping them. reportlab embeds every TrueType face as
a subset of the glyphs used, so a PDF carries only what it prints.

The one place fonts are chosen: the report and the notices ask for a
:class:`FontSet` and never name a file.
"""

from __future__ import annotations

import os
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

# (file name, index in a .ttc) in order of preference, per role.
SYSTEM_FACES: dict[str, tuple[tuple[str, int], ...]] = {
    "title": (("fzxbsjw.ttf", 0), ("fzxbsk.ttf", 0), ("simsun.ttc", 0), ("simsun.ttf", 0)),
    "body": (("simfang.ttf", 0), ("fangsong.ttf", 0), ("fs_gb2312.ttf", 0)),
    "hei": (("simhei.ttf", 0),),
    "kai": (("simkai.ttf", 0), ("kaiti.ttf", 0), ("stkaiti.ttf", 0)),
}
BUNDLED_FACES: dict[str, tuple[str, int]] = {
    "title": ("gbsn00lp.ttf", 0),
    "body": ("gbsn00lp.ttf", 0),
    "hei": ("wqy-microhei.ttc", 0),
    "kai": ("gkai00mp.ttf", 0),
}
ROLES = ("title", "body", "hei", "kai")
CID_FONT = "STSong-Light"  # reportlab's built-in, never embedded: only for comparisons


def system_font_dirs() -> list[Path]:
    """Where this PC keeps its fonts (Windows' folders, or fontconfig's usual ones)."""
    extra = [Path(p) for p in os.environ.get("GXDESK_FONT_DIRS", "").split(os.pathsep) if p]
    if sys.platform == "win32":
        windir = Path(os.environ.get("WINDIR", r"C:\Windows"))
        dirs = [windir / "Fonts"]
        local = os.environ.get("LOCALAPPDATA")
        if local:
            dirs.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
        return extra + dirs
    home = Path.home()
    return extra + [
        Path("/usr/share/fonts"),
        Path("/usr/local/share/fonts"),
        home / ".local" / "share" / "fonts",
        home / ".fonts",
    ]


def _index_dirs(dirs: list[Path]) -> dict[str, Path]:
    """Lower-cased file name → first path found (a walk of the font folders)."""
    found: dict[str, Path] = {}
    for top in dirs:
        if not top.is_dir():
            continue
        for folder, _subdirs, names in os.walk(top):
            for name in names:
                found.setdefault(name.lower(), Path(folder) / name)
    return found


@dataclass(frozen=True)
class FontSet:
    """reportlab font names for each role, where they came from, and a fallback face."""

    title: str
    body: str
    hei: str
    kai: str
    sources: tuple[tuple[str, str], ...] = ()  # (role, file) — for the self-test and messages
    fallback: str = ""  # a face with wide coverage for characters a role's face lacks

    def covers(self, font: str, ch: str) -> bool:
        """True when ``font`` has a glyph for ``ch`` (CID fonts are taken to have all)."""
        face = _FACES.get(font)
        return face is None or ord(ch) in face.face.charToGlyph


_FACES: dict[str, TTFont] = {}
_LOCK = threading.Lock()
_CACHE: dict[tuple[str, ...], FontSet] = {}


def _register(path: Path, index: int) -> str | None:
    """Register a TrueType face once; its reportlab name, or None if reportlab refuses it."""
    name = f"GX-{path.stem}-{index}"
    if name in _FACES:
        return name
    try:
        face = TTFont(name, str(path), subfontIndex=index)
    except (TTFError, OSError, ValueError, KeyError, IndexError):
        return None  # CFF outlines, a damaged file, a collection without that index
    pdfmetrics.registerFont(face)
    _FACES[name] = face
    return name


def report_fonts(bundled: Path, *, use_system: bool = True) -> FontSet:
    """The faces of the printed documents (registered with reportlab on first use).

    ``bundled`` is the program's own font folder (``resources/fonts``).
    """
    key = (str(bundled), "system" if use_system else "bundled")
    with _LOCK:
        if key in _CACHE:
            return _CACHE[key]
        index = _index_dirs(system_font_dirs()) if use_system else {}
        chosen: dict[str, str] = {}
        sources = []
        for role in ROLES:
            name = None
            for file_name, sub in SYSTEM_FACES[role]:
                path = index.get(file_name)
                if path is not None:
                    name = _register(path, sub)
                    if name:
                        sources.append((role, str(path)))
                        break
            if name is None:
                file_name, sub = BUNDLED_FACES[role]
                path = Path(bundled) / file_name
                name = _register(path, sub)
                if name is None:
                    raise RuntimeError(f"程序自带字体无法读取：{path}")
                sources.append((role, str(path)))
            chosen[role] = name
        fallback = _register(Path(bundled) / BUNDLED_FACES["hei"][0], 0) or chosen["hei"]
        found = FontSet(**chosen, sources=tuple(sources), fallback=fallback)
        _CACHE[key] = found
        return found


def cid_fonts() -> FontSet:
    """Every role in reportlab's built-in STSong-Light (not embedded): the speed baseline."""
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if CID_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(CID_FONT))
    return FontSet(CID_FONT, CID_FONT, CID_FONT, CID_FONT, (), "")
