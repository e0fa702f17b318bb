"""A call taken from the keyboard alone, found again in the caller's history."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from console.domain.cases import SavedCase
from console.domain.enums import Status
from console.domain.numbering import spoken_form
from console.ui.app import ConsoleApp
from console.ui.case_dialog import CaseDialog
from tests.ui.driving import CTRL, fill_complaint, press, save, type_text

PHONE = "13800138000"
DESCRIPTION = "楼下商户长期占道经营，晚上十点以后还在营业，行人只能走机动车道。"


def take_call(qtbot: QtBot, app: ConsoleApp, phone: str = PHONE) -> SavedCase:
    fill_complaint(app.window.intake, phone, DESCRIPTION)
    with qtbot.waitSignal(app.window.intake.case_saved, timeout=5000) as saved:
        save(app.window)
    case: SavedCase = saved.args[0]
    return case


def test_a_call_saved_by_keyboard_shows_its_number_and_suggestions(
    qtbot: QtBot, console: ConsoleApp
) -> None:
    intake = console.window.intake
    fill_complaint(intake, PHONE, DESCRIPTION)
    assert intake.widgets.category.text() == "城市管理 › 市容环境 › 占道经营"
    assert intake.widgets.lead_agency.text() == "望京街道办事处"
    assert "R002" in intake.widgets.agency_reason.text()
    assert "7" in intake.widgets.deadline_reason.text()

    with qtbot.waitSignal(intake.case_saved, timeout=5000) as saved:
        save(console.window)

    case: SavedCase = saved.args[0]
    assert case.status is Status.DISPATCHED
    number = intake.findChild(QLabel, "intake.case_number")
    assert number.isVisible()
    assert number.text() == spoken_form(case.case_no)
    assert number.text().replace(" ", "").endswith("0420001")
    assert not intake.widgets.caller_phone.isEnabled()


def test_new_call_clears_the_form_in_one_key(qtbot: QtBot, console: ConsoleApp) -> None:
    take_call(qtbot, console)
    intake = console.window.intake
    press(intake.new_button, Qt.Key.Key_N, CTRL)
    qtbot.waitUntil(lambda: intake.widgets.caller_phone.isEnabled())
    assert intake.widgets.caller_phone.text() == ""
    assert intake.widgets.description.toPlainText() == ""
    assert intake.widgets.category.code() == ""
    assert not intake.findChild(QLabel, "intake.case_number").isVisible()
    assert intake.widgets.caller_phone.hasFocus()


def test_the_callers_history_fills_when_the_number_is_complete(
    qtbot: QtBot, console: ConsoleApp, qtmodeltester: object
) -> None:
    first = take_call(qtbot, console)
    intake, history = console.window.intake, console.window.history
    press(intake.new_button, Qt.Key.Key_N, CTRL)

    type_text(intake.widgets.caller_phone, "138 0013 800")
    assert history.table.case_model.rowCount() == 0
    with qtbot.waitSignal(history.history_loaded, timeout=5000):
        type_text(intake.widgets.caller_phone, "0")

    model = history.table.case_model
    assert model.rowCount() == 1
    assert model.index(0, 0).data() == spoken_form(first.case_no)
    assert model.index(0, 3).data() == "望京街道办事处"
    assert history.repeat.isVisible()
    qtmodeltester.check(model)  # type: ignore[attr-defined]


def test_a_history_row_opens_the_case_with_its_timeline_and_takes_a_note(
    qtbot: QtBot, console: ConsoleApp, qtmodeltester: object
) -> None:
    take_call(qtbot, console)
    window = console.window
    press(window.intake.new_button, Qt.Key.Key_N, CTRL)
    with qtbot.waitSignal(window.history.history_loaded, timeout=5000):
        type_text(window.intake.widgets.caller_phone, PHONE)

    table = window.history.table
    table.setFocus()
    table.setCurrentIndex(table.case_model.index(0, 0))
    press(table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.findChild(CaseDialog) is not None)
    dialog = window.findChild(CaseDialog)
    qtbot.waitUntil(lambda: dialog.events.rowCount() == 2)
    assert dialog.findChild(QLabel, "case.description").text() == DESCRIPTION
    qtmodeltester.check(dialog.events)  # type: ignore[attr-defined]

    type_text(dialog.note_input, "来电人再次来电催办")
    with qtbot.waitSignal(dialog.note_added, timeout=5000):
        press(dialog.note_input, Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: dialog.events.rowCount() == 3)
    assert "来电人再次来电催办" in dialog.notes.toPlainText()
    assert dialog.note_input.toPlainText() == ""


def test_my_cases_lists_the_call_just_taken(qtbot: QtBot, console: ConsoleApp) -> None:
    case = take_call(qtbot, console)
    model = console.window.my_cases.table.case_model
    qtbot.waitUntil(lambda: model.rowCount() == 1)
    assert model.index(0, 0).data() == spoken_form(case.case_no)


def test_a_direct_answer_closes_the_case_at_intake(qtbot: QtBot, console: ConsoleApp) -> None:
    intake = console.window.intake
    w = intake.widgets
    type_text(w.caller_phone, "010-65123456")
    w.appeal_type.setFocus()
    press(w.appeal_type, Qt.Key.Key_Down)
    type_text(w.category, "gongnuan")
    popup = w.category.popup()
    assert popup is not None
    qtbot.waitUntil(popup.isVisible)
    press(popup, Qt.Key.Key_Down)
    press(popup, Qt.Key.Key_Return)
    type_text(w.description, "咨询今年供暖开始时间")
    w.dispatch.setFocus()
    press(w.dispatch, Qt.Key.Key_Down)
    assert w.direct_answer.isChecked()
    assert not w.lead_agency.isEnabled()
    type_text(w.answer_text, "本市供暖季为11月15日至次年3月15日")

    with qtbot.waitSignal(intake.case_saved, timeout=5000) as saved:
        save(console.window)

    case: SavedCase = saved.args[0]
    assert case.status is Status.ANSWERED
    assert case.deadline_at is None
