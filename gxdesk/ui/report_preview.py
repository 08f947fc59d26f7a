"""The preview of a printed document (the monthly report, a notice): its pages, save, print.

Pages are rendered one at a time as the clerk turns them (a 2,000-task report
has well over a hundred pages; rendering all of them up front would take
seconds and hundreds of megabytes). Printing runs as a job off the GUI thread
— QPainter may paint on a QPrinter there — with progress and cancel.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from gxdesk.ui.pdf_pages import PdfPages, PreviewUnavailable
from gxdesk.ui.qt import Qt, QtCore, QtGui, QtWidgets, print_support

if TYPE_CHECKING:
    from gxdesk.ui.context import AppContext

SCREEN_DPI = 96.0
PRINT_DPI = 300.0


class PreviewDialog(QtWidgets.QDialog):
    def __init__(
        self,
        context: AppContext,
        path: Path,
        *,
        title: str,
        save_name: str,
        parent: QtWidgets.QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.path = Path(path)
        self.save_name = save_name
        self.setWindowTitle(title)
        self.resize(900, 1000)
        self.pages: PdfPages | None = None
        self.problem = ""
        try:
            self.pages = PdfPages(self.path)
        except PreviewUnavailable as exc:
            self.problem = str(exc)
        self.index = 0
        self.zoom = 1.0

        bar = QtWidgets.QHBoxLayout()
        self.prev_button = QtWidgets.QPushButton("上一页")
        self.next_button = QtWidgets.QPushButton("下一页")
        self.page_box = QtWidgets.QSpinBox()
        self.page_box.setMinimum(1)
        self.page_count = QtWidgets.QLabel()
        self.zoom_box = QtWidgets.QComboBox()
        for z in (0.5, 0.75, 1.0, 1.25, 1.5, 2.0):
            self.zoom_box.addItem(f"{int(z * 100)}%", z)
        self.zoom_box.setCurrentIndex(2)
        self.save_button = QtWidgets.QPushButton("另存为…")
        self.print_button = QtWidgets.QPushButton("打印…")
        self.open_button = QtWidgets.QPushButton("用其他程序打开")
        close = QtWidgets.QPushButton("关闭")
        for w in (self.prev_button, self.next_button, QtWidgets.QLabel("第"), self.page_box,
                  self.page_count, self.zoom_box):  # fmt: skip
            bar.addWidget(w)
        bar.addStretch(1)
        for w in (self.open_button, self.save_button, self.print_button, close):
            bar.addWidget(w)

        self.image = QtWidgets.QLabel()
        self.image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.scroll_area = QtWidgets.QScrollArea()
        self.scroll_area.setWidget(self.image)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setBackgroundRole(QtGui.QPalette.ColorRole.Dark)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.scroll_area, 1)

        self.prev_button.clicked.connect(lambda: self.show_page(self.index - 1))
        self.next_button.clicked.connect(lambda: self.show_page(self.index + 1))
        self.page_box.valueChanged.connect(lambda v: self.show_page(v - 1))
        self.zoom_box.currentIndexChanged.connect(self._zoom_changed)
        self.save_button.clicked.connect(self.save_as)
        self.print_button.clicked.connect(self.print_pages)
        self.open_button.clicked.connect(self.open_outside)
        close.clicked.connect(self.accept)
        if self.pages is None:
            self.image.setText(f"{self.problem}\n可点“用其他程序打开”查看。")
            for w in (self.prev_button, self.next_button, self.page_box, self.print_button):
                w.setEnabled(False)
        else:
            self.page_box.setMaximum(len(self.pages))
            self.page_count.setText(f"页，共 {len(self.pages)} 页")
            self.show_page(0)

    def page_image(self) -> QtGui.QImage | None:
        pix = self.image.pixmap()
        return None if pix is None or pix.isNull() else pix.toImage()

    def show_page(self, index: int) -> None:
        if self.pages is None or not 0 <= index < len(self.pages):
            return
        self.index = index
        if self.page_box.value() != index + 1:
            self.page_box.blockSignals(True)
            self.page_box.setValue(index + 1)
            self.page_box.blockSignals(False)
        image = self.pages.render(index, SCREEN_DPI * self.zoom * self.devicePixelRatioF())
        pix = QtGui.QPixmap.fromImage(image)
        pix.setDevicePixelRatio(self.devicePixelRatioF())
        self.image.setPixmap(pix)
        self.prev_button.setEnabled(index > 0)
        self.next_button.setEnabled(index + 1 < len(self.pages))

    def _zoom_changed(self) -> None:
        self.zoom = float(self.zoom_box.currentData())
        self.show_page(self.index)

    def save_as(self) -> None:
        name, _ = QtWidgets.QFileDialog.getSaveFileName(
            self, "另存为", self.save_name, "PDF 文件 (*.pdf)"
        )
        if name:
            self.save_to(Path(name))

    def save_to(self, target: Path) -> None:
        try:
            shutil.copyfile(self.path, target)
        except OSError as exc:
            QtWidgets.QMessageBox.warning(self, "保存失败", f"无法保存到 {target}：{exc.strerror}")
            return
        if self.context.window is not None:
            self.context.window.status_message(f"已保存：{target}")

    def open_outside(self) -> None:
        QtGui.QDesktopServices.openUrl(QtCore.QUrl.fromLocalFile(str(self.path)))

    def print_pages(self) -> None:
        ps = print_support()
        printer = ps.QPrinter(ps.QPrinter.PrinterMode.HighResolution)
        printer.setPageSize(QtGui.QPageSize(QtGui.QPageSize.PageSizeId.A4))
        printer.setDocName(self.windowTitle())
        dialog = ps.QPrintDialog(printer, self)
        if dialog.exec() != QtWidgets.QDialog.DialogCode.Accepted:
            return
        self.print_to(printer)

    def print_to(self, printer) -> None:  # type: ignore[no-untyped-def]
        """Paint every page onto ``printer`` in a job (landscape pages turned onto the sheet)."""
        path = self.path

        def work(control):  # type: ignore[no-untyped-def]
            pages = PdfPages(path)
            painter = QtGui.QPainter()
            if not painter.begin(printer):
                raise OSError("无法开始打印（打印机不可用）")
            try:
                first, last = printer.fromPage(), printer.toPage()
                chosen = (
                    range(len(pages)) if first == 0 else range(first - 1, min(last, len(pages)))
                )
                dpi = min(float(printer.resolution()), PRINT_DPI)
                for n, i in enumerate(chosen):
                    control.check()
                    control.progress(n, len(chosen), f"第 {i + 1} 页")
                    if n:
                        printer.newPage()
                    image = pages.render(i, dpi)
                    if image.width() > image.height():  # a landscape page on a portrait sheet
                        image = image.transformed(QtGui.QTransform().rotate(-90))
                    area = painter.viewport()
                    size = image.size().scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
                    painter.setViewport(area.x(), area.y(), size.width(), size.height())
                    painter.setWindow(image.rect())
                    painter.drawImage(0, 0, image)
                    painter.setViewport(area)
                    painter.setWindow(QtCore.QRect(0, 0, area.width(), area.height()))
            finally:
                painter.end()
                pages.close()
            return len(chosen)

        def done(count: int) -> None:
            if self.context.window is not None:
                self.context.window.status_message(f"已送打印：{count} 页")

        def failed(exc: BaseException) -> None:
            QtWidgets.QMessageBox.warning(self, "打印失败", str(exc))

        self.context.run_job("打印", work, done, failed)

    def done(self, result: int) -> None:
        if self.pages is not None:
            self.pages.close()
            self.pages = None
        super().done(result)
