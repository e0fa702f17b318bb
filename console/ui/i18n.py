"""Languages: Chinese (shipped translation) and English (the source strings)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from console.paths import TRANSLATIONS

LANGUAGES = ("zh_CN", "en")


def system_language() -> str:
    return "zh_CN" if QLocale.system().language() == QLocale.Language.Chinese else "en"


class Languages:
    """Installs the translators of the chosen language; widgets retranslate on the event."""

    def __init__(self, app: QCoreApplication) -> None:
        self._app = app
        self._installed: list[QTranslator] = []
        self.current = "en"

    def remove(self) -> None:
        for translator in self._installed:
            self._app.removeTranslator(translator)
        self._installed = []

    def use(self, language: str) -> None:
        self.remove()
        self.current = language if language in LANGUAGES else "en"
        if self.current == "en":
            return
        qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        for name, folder in (
            (f"console_{self.current}", str(TRANSLATIONS)),
            (f"qtbase_{self.current}", qt_dir),
        ):
            translator = QTranslator(self._app)
            if translator.load(name, folder):
                self._app.installTranslator(translator)
                self._installed.append(translator)
