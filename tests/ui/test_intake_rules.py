"""What the form refuses, and what it never refuses, as the call-taker sees it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from console.domain.cases import SavedCase
from console.ui.app import ConsoleApp
from console.ui.models import local_time
from console.workstation.context import Operator
from tests.ui.conftest import Starter
from tests.ui.driving import CTRL, begin_call, press, save, type_text


def error_text(app: ConsoleApp, field: str) -> str | None:
    label = app.window.intake.findChild(QLabel, f"intake.error.{field}")
    return label.text() if label.isVisible() else None


def saved_count(app: ConsoleApp) -> int:
    assert app.console is not None
    return len(app.console.cases.my_cases(Operator("042", "王芳", "")))


def test_an_empty_form_names_every_missing_field_and_saves_nothing(
    qtbot: QtBot, console: ConsoleApp
) -> None:
    save(console.window)
    qtbot.waitUntil(lambda: error_text(console, "caller_phone") is not None)
    for field in ("caller_phone", "appeal_type", "category", "description", "lead_agency"):
        assert error_text(console, field) == "Required.", field
    assert console.window.intake.widgets.caller_phone.hasFocus()
    assert console.window.intake.saved_case is None
    assert saved_count(console) == 0


def test_a_bad_phone_number_is_explained_next_to_the_field(
    qtbot: QtBot, console: ConsoleApp
) -> None:
    intake = console.window.intake
    type_text(intake.widgets.caller_phone, "1380013")
    type_text(intake.widgets.callback_phone, "12")
    save(console.window)
    qtbot.waitUntil(lambda: error_text(console, "caller_phone") is not None)
    assert "phone number" in (error_text(console, "caller_phone") or "")
    assert "phone number" in (error_text(console, "callback_phone") or "")


def test_a_complaint_needs_a_place_and_a_name_unless_anonymous(
    qtbot: QtBot, console: ConsoleApp
) -> None:
    intake = console.window.intake
    w = intake.widgets
    begin_call(intake, "13900001111", 3, "zaosheng")
    type_text(w.description, "夜间施工噪声扰民")
    save(console.window)
    qtbot.waitUntil(lambda: error_text(console, "address") is not None)
    assert error_text(console, "caller_name") == "Required."
    assert saved_count(console) == 0

    type_text(w.address, "某个说不清的工地旁边")
    w.anonymous.setFocus()
    press(w.anonymous, Qt.Key.Key_Space)
    with qtbot.waitSignal(intake.case_saved, timeout=5000) as saved:
        save(console.window)
    case: SavedCase = saved.args[0]
    assert case.case_no
    assert error_text(console, "address") is None


def test_an_unknown_place_typed_as_free_text_never_blocks_the_save(
    qtbot: QtBot, console: ConsoleApp
) -> None:
    intake = console.window.intake
    w = intake.widgets
    begin_call(intake, "13900002222", 2, "tingshui")
    type_text(w.district, "不存在区")
    type_text(w.street, "无名街道")
    type_text(w.description, "家里停水一天了，没有通知")
    assert w.lead_agency.text()  # the rules still suggest an agency for a water cut
    assert "24" in w.deadline_reason.text()
    with qtbot.waitSignal(intake.case_saved, timeout=5000):
        save(console.window)
    assert console.console is not None
    detail = console.console.cases.detail(intake.saved_case.id)  # type: ignore[union-attr]
    assert (detail.district_name, detail.street_name) == ("不存在区", "无名街道")


def test_an_overridden_agency_is_kept_and_the_reason_says_so(
    qtbot: QtBot, console: ConsoleApp
) -> None:
    intake = console.window.intake
    w = intake.widgets
    begin_call(intake, "13900003333", 2, "zdjy")
    type_text(w.street, "望京街道")
    assert w.lead_agency.text() == "望京街道办事处"
    w.lead_agency.selectAll()
    type_text(w.lead_agency, "北京市城市管理综合行政执法局")
    assert "望京街道办事处" in w.agency_reason.text()
    type_text(w.assisting, "望京街道办事处")
    press(w.assisting, Qt.Key.Key_Return)
    assert w.assisting_list.codes() == ("S110105026",)
    type_text(w.description, "商户占道经营，多次反映无果")
    type_text(w.street, "")  # moving on does not bring the suggestion back
    assert w.lead_agency.text() == "北京市城市管理综合行政执法局"
    with qtbot.waitSignal(intake.case_saved, timeout=5000):
        save(console.window)
    assert console.console is not None
    detail = console.console.cases.detail(intake.saved_case.id)  # type: ignore[union-attr]
    assert detail.summary.lead_agency_name == "北京市城市管理综合行政执法局"
    assert detail.assisting_agency_names == ("望京街道办事处",)
    assert detail.routing_reason == ""


def test_the_first_start_asks_who_is_at_the_seat(
    qtbot: QtBot, start_console: Starter, tmp_path: Path
) -> None:
    app = start_console("--lang", "en", wait_ready=False)
    qtbot.waitUntil(lambda: app.window.findChild(QLabel) is not None and _setup(app) is not None)
    dialog = _setup(app)
    assert dialog is not None
    type_text(dialog.seat, "42")
    type_text(dialog.name, "赵敏")
    press(dialog.name, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.errors["seat_code"].isVisible())
    assert "three digits" in dialog.errors["seat_code"].text()
    assert not app.window.intake.isEnabled()

    dialog.seat.clear()
    type_text(dialog.seat, "007")
    press(dialog.name, Qt.Key.Key_Return)
    qtbot.waitUntil(app.window.intake.isEnabled)
    assert "007" in app.window.seat_label.text()
    app.close()

    again = start_console("--lang", "en", data_dir=tmp_path / "console")
    assert "赵敏" in again.window.seat_label.text()


def _setup(app: ConsoleApp) -> object:
    from console.ui.first_start import FirstStartDialog

    dialog = app.window.findChild(FirstStartDialog)
    return dialog if dialog is not None and dialog.isVisible() else None


def test_ctrl_s_saves_from_any_field(qtbot: QtBot, console: ConsoleApp) -> None:
    intake = console.window.intake
    w = intake.widgets
    begin_call(intake, "13900004444", 1, "wuye")
    type_text(w.description, "咨询物业费标准")
    with qtbot.waitSignal(intake.case_saved, timeout=5000):
        press(w.caller_phone, Qt.Key.Key_S, CTRL)


def test_a_deadline_changed_by_the_call_taker_is_the_one_saved(
    qtbot: QtBot, console: ConsoleApp
) -> None:
    intake = console.window.intake
    w = intake.widgets
    begin_call(intake, "13900005555", 2, "tingshui")
    type_text(w.address, "丰台区某小区3号楼")
    type_text(w.description, "整栋楼停水，家中有老人")
    suggested = w.deadline.dateTime()
    w.deadline.setFocus()
    w.deadline.setCurrentSection(w.deadline.Section.DaySection)
    press(w.deadline, Qt.Key.Key_Up)
    assert w.deadline.dateTime() == suggested.addDays(1)
    shown = w.deadline.text()

    with qtbot.waitSignal(intake.case_saved, timeout=5000) as saved:
        save(console.window)
    case: SavedCase = saved.args[0]
    assert case.deadline_at is not None
    assert local_time(case.deadline_at) == shown
