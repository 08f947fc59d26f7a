"""The program's own resources: the bundled CJK font and Qt's Chinese translations.

Loaded through :mod:`gxdesk.paths` so a source checkout and the frozen build
find them the same way. The font makes Chinese show on a machine that has no
Chinese font at all; the translations make Qt's own dialogs (file dialogs,
buttons) speak Chinese. The PyInstaller spec must list ``resources/fonts`` and
PySide6's ``translations/qtbase_zh_CN.qm``.
"""

from __future__ import annotations

from gxdesk.paths import resource
from gxdesk.ui.qt import QtCore, QtGui, QtWidgets

FONT_FILE = ("fonts", "wqy-microhei.ttc")
FONT_POINT_SIZE = 10


def install_font(app: QtWidgets.QApplication) -> str:
    """Register the bundled font and make it the application font; returns its family."""
    font_id = QtGui.QFontDatabase.addApplicationFont(str(resource(*FONT_FILE)))
    families = QtGui.QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    if not families:
        return app.font().family()
    font = QtGui.QFont(families[0], FONT_POINT_SIZE)
    app.setFont(font)
    return families[0]


ICON_FILE = ("icons", "gxdesk.png")


def install_icon(app: QtWidgets.QApplication) -> bool:
    """The program's icon for its windows (the .exe's own icon is set by the build)."""
    icon = QtGui.QIcon(str(resource(*ICON_FILE)))
    if icon.isNull():
        return False
    app.setWindowIcon(icon)
    return True


def install_translations(app: QtWidgets.QApplication) -> list[QtCore.QTranslator]:
    """Load Qt's zh_CN translations (bundled folder first, then PySide6's own)."""
    QtCore.QLocale.setDefault(
        QtCore.QLocale(QtCore.QLocale.Language.Chinese, QtCore.QLocale.Country.China)
    )
    folders = [
        str(resource("translations")),
        QtCore.QLibraryInfo.path(QtCore.QLibraryInfo.LibraryPath.TranslationsPath),
    ]
    loaded = []
    for name in ("qtbase_zh_CN",):
        for folder in folders:
            translator = QtCore.QTranslator(app)
            if translator.load(name, folder):
                app.installTranslator(translator)
                loaded.append(translator)
                break
    return loaded
