"""PDF pages as images for the preview and for printing, through PDFium (pypdfium2).

PySide6-Essentials has no QtPdf, and poppler is not on a clerk's Windows PC;
pypdfium2 ships PDFium in its wheels for Windows and Linux. When it cannot be
loaded the preview says so and offers to open the file in the PC's PDF reader.
"""

from __future__ import annotations

from pathlib import Path

from gxdesk.ui.qt import QtGui

POINTS_PER_INCH = 72.0


class PreviewUnavailable(RuntimeError):
    pass


class PdfPages:
    """An open PDF whose pages render to QImages (safe off the GUI thread: QImage, not QPixmap)."""

    def __init__(self, path: Path) -> None:
        try:
            import pypdfium2 as pdfium
        except ImportError as exc:  # a platform without a PDFium wheel
            raise PreviewUnavailable("本机无法预览 PDF（缺少 PDFium）") from exc
        self.path = Path(path)
        try:
            self._pdf = pdfium.PdfDocument(str(self.path))
        except pdfium.PdfiumError as exc:
            raise PreviewUnavailable(f"无法打开 PDF：{self.path.name}（{exc}）") from exc

    def __len__(self) -> int:
        return len(self._pdf)

    def size(self, index: int) -> tuple[float, float]:
        """Page size in points."""
        w, h = self._pdf[index].get_size()
        return float(w), float(h)

    def render(self, index: int, dpi: float) -> QtGui.QImage:
        page = self._pdf[index]
        bitmap = page.render(scale=dpi / POINTS_PER_INCH, rev_byteorder=True)
        image = QtGui.QImage(
            bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride,
            QtGui.QImage.Format.Format_RGB888,
        )  # fmt: skip
        return image.copy()  # own the pixels: the bitmap's buffer is freed with it

    def close(self) -> None:
        self._pdf.close()
