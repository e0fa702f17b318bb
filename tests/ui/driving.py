"""Driving the real console by keyboard, shared by in-process tests and subprocess scenarios."""

from __future__ import annotations

import re
import time
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from console.ui.intake_panel import IntakePanel
from console.ui.main_window import MainWindow

NO_MODIFIER = Qt.KeyboardModifier.NoModifier
CTRL = Qt.KeyboardModifier.ControlModifier


def wait_until(condition: Callable[[], object], timeout: float = 10.0) -> None:
    """Process events until `condition` holds; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("condition not met in time")
        QApplication.processEvents()
        time.sleep(0.005)  # releases the GIL, so the console's worker threads can run


def press(widget: QWidget, key: Qt.Key, modifier: Qt.KeyboardModifier = NO_MODIFIER) -> None:
    QTest.keyClick(widget, key, modifier)


def type_text(widget: QWidget, text: str) -> None:
    """ASCII as key presses; Chinese as an input method commits it, a phrase at a time."""
    widget.setFocus()
    for chunk in re.findall(r"[\x00-\x7f]+|[^\x00-\x7f]+", text):
        if chunk.isascii():
            QTest.keyClicks(widget, chunk)
        else:
            event = QInputMethodEvent()
            event.setCommitString(chunk)
            QApplication.sendEvent(widget, event)


def choose_appeal_type(intake: IntakePanel, position: int) -> None:
    """Pick the appeal type by arrow keys: 1 consultation, 2 help, 3 complaint …"""
    combo = intake.widgets.appeal_type
    combo.setFocus()
    for _ in range(position):
        press(combo, Qt.Key.Key_Down)


def choose_category(intake: IntakePanel, query: str) -> None:
    """Type a query into the category field and take the first match with Down, Enter."""
    field = intake.widgets.category
    type_text(field, query)
    popup = field.popup()
    assert popup is not None
    wait_until(popup.isVisible)
    press(popup, Qt.Key.Key_Down)
    press(popup, Qt.Key.Key_Return)


def begin_call(intake: IntakePanel, phone: str, appeal_position: int, category: str) -> None:
    """The first three things a call-taker types: number, appeal type, category."""
    type_text(intake.widgets.caller_phone, phone)
    choose_appeal_type(intake, appeal_position)
    choose_category(intake, category)


def fill_complaint(intake: IntakePanel, phone: str, description: str) -> None:
    """A complaint about street vending in Wangjing, Chaoyang, as a call-taker types it."""
    w = intake.widgets
    begin_call(intake, phone, 3, "zdjy")
    type_text(w.district, "朝阳区")
    type_text(w.street, "望京街道")
    type_text(w.address, "阜通东大街6号楼下")
    type_text(w.description, description)
    type_text(w.caller_name, "李先生")


def save(window: MainWindow) -> None:
    press(window.intake.widgets.description, Qt.Key.Key_S, CTRL)
