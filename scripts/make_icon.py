"""Draw the program's icon (resources/icons/gxdesk.png and gxdesk.ico).

The icon is drawn here rather than taken from elsewhere, so its source is this
script: a red seal-like rounded square with 公开 in white, set in the bundled
WenQuanYi font, over a pale ledger line. Run it again after changing the drawing;
both files are committed, the build only reads them.

    python scripts/make_icon.py
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "resources" / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256)
RED = "#c0272d"


def draw(size: int) -> bytes:
    """One square PNG of ``size`` pixels, as bytes."""
    from gxdesk.ui.qt import QtCore, QtGui

    image = QtGui.QImage(size, size, QtGui.QImage.Format.Format_ARGB32)
    image.fill(QtCore.Qt.GlobalColor.transparent)
    p = QtGui.QPainter(image)
    p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing)
    p.setRenderHint(QtGui.QPainter.RenderHint.TextAntialiasing)
    margin = max(1.0, size / 32)
    box = QtCore.QRectF(margin, margin, size - 2 * margin, size - 2 * margin)
    p.setPen(QtCore.Qt.PenStyle.NoPen)
    p.setBrush(QtGui.QColor(RED))
    p.drawRoundedRect(box, size * 0.18, size * 0.18)
    white = QtGui.QColor("white")
    if size >= 32:
        pen = QtGui.QPen(white, max(1.0, size / 40))
        p.setPen(pen)
        inner = box.adjusted(size * 0.08, size * 0.08, -size * 0.08, -size * 0.08)
        p.setBrush(QtCore.Qt.BrushStyle.NoBrush)
        p.drawRoundedRect(inner, size * 0.1, size * 0.1)
    font = QtGui.QFont(_family())
    font.setBold(True)
    text = "公开" if size >= 32 else "公"
    font.setPixelSize(int(size * (0.36 if size >= 32 else 0.72)))
    p.setFont(font)
    p.setPen(white)
    p.drawText(box, QtCore.Qt.AlignmentFlag.AlignCenter, text)
    p.end()
    buffer = QtCore.QBuffer()
    buffer.open(QtCore.QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(buffer.data())


def _family() -> str:
    from gxdesk.paths import resource
    from gxdesk.ui.qt import QtGui

    font_id = QtGui.QFontDatabase.addApplicationFont(str(resource("fonts", "wqy-microhei.ttc")))
    return QtGui.QFontDatabase.applicationFontFamilies(font_id)[0]


def ico(images: dict[int, bytes]) -> bytes:
    """A Windows .ico holding PNG images (the format Windows Vista and later read)."""
    header = struct.pack("<HHH", 0, 1, len(images))
    entries = b""
    offset = 6 + 16 * len(images)
    body = b""
    for size, png in sorted(images.items()):
        edge = 0 if size >= 256 else size  # 0 means 256 in an ICONDIRENTRY
        entries += struct.pack("<BBBBHHII", edge, edge, 0, 0, 1, 32, len(png), offset)
        offset += len(png)
        body += png
    return header + entries + body


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from gxdesk.ui.qt import QtGui

    _app = QtGui.QGuiApplication(sys.argv[:1])
    images = {size: draw(size) for size in SIZES}
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "gxdesk.png").write_bytes(images[256])
    (OUT / "gxdesk.ico").write_bytes(ico(images))
    print(OUT / "gxdesk.ico")
    return 0


if __name__ == "__main__":
    sys.exit(main())
