"""The program's own resources: the bundled CJK font and Qt's Chinese translations.

Loaded through :mod:`gxdesk.paths` so a source checkout and the frozen build
find them the same way. The font makes Chinese show on a machine that has no
Chinese font at all; the translations make Qt's own dialogs (file dialogs,
buttons) speak Chinese. The PyInstaller spec must list ``resources/fonts`` and
PySide6's ``translations/qtbase_zh_CN.qm``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import MutableMapping

from gxdesk.paths import resource
from gxdesk.ui.qt import QtCore, QtGui, QtWidgets

FONT_FILE = ("fonts", "wqy-microhei.ttc")
FONT_POINT_SIZE = 10

#: Strings of Qt's own dialogs that ``qtbase_zh_CN.qm`` does not translate, keyed by
#: (context, source text). Found by rendering the non-native file dialog (what clerks
#: on Kylin/UOS see) and listing every label still in English; tests/test_qt_chinese.py
#: does the same, so a Qt update that changes a string shows up there.
QT_SUPPLEMENT = {
    ("QFileDialog", "&Look in:"): "查找范围(&L)：",
    ("QFileDialog", "Files of &type:"): "文件类型(&T)：",
    ("QAbstractFileIconProvider", "Folder"): "文件夹",
    ("QAbstractFileIconProvider", "File Folder"): "文件夹",
    ("QAbstractFileIconProvider", "Drive"): "驱动器",
}

#: The locale categories Qt reads for its *system* locale on Linux: dates and file
#: sizes in the file dialog follow ``QLocale.system()``, not the default locale.
_LOCALE_CATEGORIES = ("LC_TIME", "LC_NUMERIC", "LC_MESSAGES")
CHINESE_LOCALE = "zh_CN.UTF-8"


def prefer_chinese_system_locale(
    environ: MutableMapping[str, str] = os.environ, platform: str = sys.platform
) -> list[str]:
    """Make Qt's system locale Chinese for dates and numbers where the desktop's is not.

    Must run before the QApplication exists. Only Linux reads it from the
    environment (Windows asks the system, whose locale a Chinese clerk has set
    already); an explicit ``LC_ALL`` is left alone. Returns the variables set.
    """
    if not platform.startswith("linux") or environ.get("LC_ALL"):
        return []
    changed = []
    for name in _LOCALE_CATEGORIES:
        current = environ.get(name) or environ.get("LANG", "")
        if not current.lower().startswith("zh"):
            environ[name] = CHINESE_LOCALE
            changed.append(name)
    return changed


class SupplementTranslator(QtCore.QTranslator):
    """Qt strings missing from ``qtbase_zh_CN.qm`` (see :data:`QT_SUPPLEMENT`)."""

    def translate(
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str | None:
        # None is a null QString: "not translated here, ask the next translator". An empty
        # string would be taken as the translation and blank every other label.
        return QT_SUPPLEMENT.get((context, source))

    def isEmpty(self) -> bool:  # noqa: N802 - Qt's name
        return False


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
    loaded: list[QtCore.QTranslator] = []
    supplement = SupplementTranslator(app)
    app.installTranslator(supplement)  # installed first: asked last, after Qt's own
    loaded.append(supplement)
    for name in ("qtbase_zh_CN",):
        for folder in folders:
            translator = QtCore.QTranslator(app)
            if translator.load(name, folder):
                app.installTranslator(translator)
                loaded.append(translator)
                break
    return loaded
