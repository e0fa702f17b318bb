"""Chinese or English, switched from the menu; every visible string follows."""

from __future__ import annotations

import re
import stat
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QLabel,
    QLineEdit,
    QMenu,
    QTabWidget,
    QWidget,
)
from pytestqt.qtbot import QtBot

from console.ui.app import ConsoleApp
from tests.ui.conftest import Starter
from tests.ui.driving import fill_complaint, save

ENGLISH_WORD = re.compile(r"[A-Za-z]{3,}")
# Text that is the same in both languages: key names, and data the user typed or the centre wrote.
NOT_UI_TEXT = re.compile(r"Ctrl\+\w|English|zhandao|zdjy|SLA|R\d{3}")


def visible_texts(window: QWidget) -> list[str]:
    texts: list[str] = [window.windowTitle()]
    for widget in window.findChildren(QWidget):
        if not widget.isVisible():
            continue
        if isinstance(widget, (QLabel, QAbstractButton)):
            texts.append(widget.text())
        if isinstance(widget, QLineEdit):
            texts.append(widget.placeholderText())
        if isinstance(widget, QComboBox):
            texts += [widget.itemText(i) for i in range(widget.count())]
        if isinstance(widget, QTabWidget):
            texts += [widget.tabText(i) for i in range(widget.count())]
    for menu in window.findChildren(QMenu):
        texts.append(menu.title())
        texts += [action.text() for action in menu.actions()]
    return [t for t in texts if t]


def untranslated(window: QWidget) -> list[str]:
    return [t for t in visible_texts(window) if ENGLISH_WORD.search(NOT_UI_TEXT.sub("", t))]


def test_the_menu_switches_language_and_every_visible_string_follows(
    qtbot: QtBot, console: ConsoleApp
) -> None:
    window = console.window
    fill_complaint(window.intake, "13800138000", "楼下商户占道经营，影响通行")
    with qtbot.waitSignal(window.intake.case_saved, timeout=5000):
        save(window)
    english = visible_texts(window)
    assert "Save (Ctrl+S)" in english

    window.language_actions["zh_CN"].trigger()

    qtbot.waitUntil(lambda: window.intake.save_button.text() == "保存 (Ctrl+S)")
    assert untranslated(window) == []
    assert window.history.table.case_model.headerData(0, Qt.Orientation.Horizontal, 0) == "工单编号"
    window.language_actions["en"].trigger()
    qtbot.waitUntil(lambda: window.intake.save_button.text() == "Save (Ctrl+S)")


def test_the_language_chosen_is_remembered(
    qtbot: QtBot, start_console: Starter, tmp_path: Path
) -> None:
    first = start_console("--seat", "042", "--operator", "王芳", "--lang", "en")
    first.window.language_actions["zh_CN"].trigger()
    first.close()
    again = start_console(data_dir=tmp_path / "console")
    assert again.window.intake.save_button.text() == "保存 (Ctrl+S)"
    assert untranslated(again.window) == []


def test_what_the_console_keeps_is_readable_by_its_user_only(
    start_console: Starter, tmp_path: Path
) -> None:
    folder = tmp_path / "console"
    app = start_console("--seat", "042", "--operator", "王芳", "--lang", "en", data_dir=folder)
    app.choose_language("zh_CN")
    app.settings.sync()
    app.close()
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    kept = {p.name: stat.S_IMODE(p.stat().st_mode) for p in folder.iterdir() if p.is_file()}
    assert {"console.sqlite3", "console.log", "settings.ini"} <= set(kept)
    assert set(kept.values()) == {0o600}
