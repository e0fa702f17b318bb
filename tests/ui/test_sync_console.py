"""The console's window connected to the centre: a real server process on PostgreSQL behind a
loopback proxy, the real sync, the real window, driven by keyboard."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select, update

from console.domain.cases import CaseSummary, SavedCase
from console.domain.clock import utc_now
from console.domain.errors import NotFound
from console.domain.numbering import spoken_form
from console.domain.workflow import Role
from console.store.schema import Case
from console.ui.app import ConsoleApp
from console.ui.case_dialog import CaseDialog
from console.ui.case_edit import CaseEditDialog
from console.ui.case_views import CaseTable
from tests.postgres import Cluster
from tests.server.process import PASSWORD, Server, start_server
from tests.sync.engines import QUICK, Workstation, enrol_code, wait_until
from tests.sync.faults import Fault, FaultProxy, Faults
from tests.ui.conftest import Starter
from tests.ui.driving import CTRL, fill_complaint, press, save, type_text

ALT = Qt.KeyboardModifier.AltModifier
RETURN = Qt.Key.Key_Return


class Centre:
    """The centre's server, reached through a proxy whose address the consoles keep while the
    server process behind it stops and starts again."""

    def __init__(self, database_url: str, folder: Path) -> None:
        self.folder = folder
        self.server = start_server(database_url, folder)
        self.proxy = FaultProxy(_port(self.server))

    @property
    def url(self) -> str:
        return self.proxy.url

    @contextmanager
    def down(self) -> Iterator[None]:
        """The server process stopped for the block, then started again."""
        self.server.stop()
        try:
            yield
        finally:
            self.server = start_server(self.server.database_url, self.folder)
            self.proxy.retarget(_port(self.server))

    def close(self) -> None:
        self.proxy.close()
        self.server.stop()


def _port(server: Server) -> int:
    return int(server.url.rsplit(":", 1)[1])


@pytest.fixture(scope="module")
def centre(
    pg_cluster: Cluster, pg_template: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Centre]:
    url = pg_cluster.url(pg_cluster.create_database(template=pg_template))
    running = Centre(url, tmp_path_factory.mktemp("centre"))
    yield running
    running.close()


def start_connected(
    qtbot: QtBot, start_console: Starter, centre: Centre, username: str, data_dir: Path
) -> ConsoleApp:
    """A new workstation connected with an enrolment code, its user signed in."""
    app = start_console(
        "--lang", "en", "--server", centre.url,
        data_dir=data_dir, wait_ready=False, sync_settings=QUICK,
    )  # fmt: skip
    qtbot.waitUntil(lambda: app.setup_dialog is not None and app.setup_dialog.isVisible())
    assert app.setup_dialog is not None
    type_text(app.setup_dialog.code, enrol_code(centre.server))
    press(app.setup_dialog.code, RETURN)
    sign_in(qtbot, app, username, PASSWORD)
    qtbot.waitUntil(app.window.intake.isEnabled, timeout=10_000)
    return app


def sign_in(qtbot: QtBot, app: ConsoleApp, username: str, password: str) -> None:
    visible = lambda: app.sign_in_dialog is not None and app.sign_in_dialog.isVisible()  # noqa: E731
    qtbot.waitUntil(visible, timeout=15_000)
    dialog = app.sign_in_dialog
    assert dialog is not None
    dialog.username.clear()
    type_text(dialog.username, username)
    type_text(dialog.password, password)
    press(dialog.password, RETURN)


def link_text(app: ConsoleApp) -> str:
    return app.window.sync_status.link_label.text()


def badge_of(table: CaseTable, case_no: str) -> str:
    model = table.case_model
    column = model.badge_column
    assert column is not None
    for row in range(model.rowCount()):
        case: CaseSummary = model.case_at(row)
        if case.case_no == case_no:
            return str(model.index(row, column).data())
    return ""


def take_call(qtbot: QtBot, app: ConsoleApp, phone: str, description: str) -> SavedCase:
    intake = app.window.intake
    fill_complaint(intake, phone, description)
    with qtbot.waitSignal(intake.case_saved, timeout=10_000) as saved:
        save(app.window)
    case: SavedCase = saved.args[0]
    press(intake.widgets.caller_phone, Qt.Key.Key_N, CTRL)  # ready for the next call
    return case


def test_a_workstation_connects_with_an_enrolment_code_and_its_user_signs_in(
    qtbot: QtBot, start_console: Starter, centre: Centre, tmp_path: Path
) -> None:
    user = centre.server.user(Role.CALL_TAKER)
    app = start_console(
        "--lang", "en", "--server", centre.url, wait_ready=False, sync_settings=QUICK
    )
    qtbot.waitUntil(lambda: app.setup_dialog is not None and app.setup_dialog.isVisible())
    setup = app.setup_dialog
    assert setup is not None
    assert setup.connecting, "--server offers to connect, not the standalone seat and name"
    assert setup.server.text() == centre.url

    type_text(setup.code, "NOT-A-CODE")
    press(setup.code, RETURN)
    qtbot.waitUntil(lambda: "Ask your supervisor for a new one" in setup.message.text())
    setup.code.clear()
    type_text(setup.code, enrol_code(centre.server))
    press(setup.code, RETURN)

    qtbot.waitUntil(lambda: app.sign_in_dialog is not None and app.sign_in_dialog.isVisible())
    assert app.link is not None and app.link.enrolment is not None
    seat = app.link.enrolment.seat_code  # from the centre, not typed
    assert app.window.seat_label.text() == f"Seat {seat} · nobody signed in"
    assert link_text(app) == "Signed out · nothing is sent until someone signs in"
    assert not app.window.intake.isEnabled()
    sign_in(qtbot, app, user, "not my password")
    dialog = app.sign_in_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.message.text() == "Wrong user name or password.")
    sign_in(qtbot, app, user, PASSWORD)

    qtbot.waitUntil(app.window.intake.isEnabled, timeout=10_000)
    assert app.window.seat_label.text() == f"Seat {seat} · {user}"
    qtbot.waitUntil(lambda: link_text(app).startswith("Online · last synced"), timeout=10_000)


def test_a_case_saved_offline_waits_warns_at_closing_and_is_synced_when_the_server_is_back(
    qtbot: QtBot, start_console: Starter, centre: Centre, tmp_path: Path
) -> None:
    user = centre.server.user(Role.CALL_TAKER)
    app = start_connected(qtbot, start_console, centre, user, tmp_path / "console")
    my_cases = app.window.my_cases.table
    with centre.down():
        qtbot.waitUntil(lambda: link_text(app).startswith("Offline since"), timeout=15_000)
        case = take_call(qtbot, app, "13911112222", "楼下早市占道经营，早上六点开始噪声很大。")
        qtbot.waitUntil(lambda: badge_of(my_cases, case.case_no) == "waiting")
        qtbot.waitUntil(lambda: "1 waiting, oldest 0 min" in link_text(app))

        press(app.window.intake.widgets.caller_phone, Qt.Key.Key_Q, CTRL)
        qtbot.waitUntil(lambda: app.window.close_warning is not None)
        warning = app.window.close_warning
        assert warning is not None
        assert f"new case {spoken_form(case.case_no)}" in warning.informativeText()
        stay = next(b for b in warning.buttons() if b.text() == "&Stay")
        stay.click()
        assert app.window.isVisible()
        assert not app.window.intake.widgets.caller_phone.text()

    qtbot.waitUntil(lambda: link_text(app).startswith("Online"), timeout=20_000)
    qtbot.waitUntil(lambda: badge_of(my_cases, case.case_no) == "synced", timeout=20_000)
    numbers = [row.case_no for row in centre.server.rows(select(Case.case_no))]
    assert case.case_no in numbers


def test_what_another_console_does_appears_without_refreshing(
    qtbot: QtBot, start_console: Starter, centre: Centre, tmp_path: Path
) -> None:
    user, other = centre.server.user(Role.CALL_TAKER), centre.server.user(Role.CALL_TAKER)
    app = start_connected(qtbot, start_console, centre, user, tmp_path / "console")
    phone = "13933334444"
    mine = take_call(qtbot, app, phone, "小区路灯坏了一个多月，晚上出行很不方便。")
    qtbot.waitUntil(lambda: badge_of(app.window.my_cases.table, mine.case_no) == "synced")
    case_window = app.window.open_case(mine.id)
    assert isinstance(case_window, CaseDialog)
    type_text(case_window.note_input, "来电人说明天再打来")
    type_text(app.window.intake.widgets.caller_phone, phone)
    history = app.window.history.table.case_model
    qtbot.waitUntil(lambda: history.rowCount() == 1)

    second = Workstation(tmp_path / "second", QUICK)
    try:
        second.sync.connect(centre.url, code=enrol_code(centre.server))
        second.sync.sign_in(other, PASSWORD)
        second.take_call(phone=phone)
        qtbot.waitUntil(lambda: history.rowCount() == 2, timeout=10_000)

        op = second.operator
        second.writer.submit(
            lambda: second.local.cases.add_note(mine.id, "二号坐席已回电", op)
        ).result()
        second.sync.nudge()
        qtbot.waitUntil(lambda: "二号坐席已回电" in case_window.notes.toPlainText(), timeout=10_000)
        assert case_window.note_input.toPlainText() == "来电人说明天再打来"
    finally:
        second.close()


def test_an_offline_edit_that_meets_a_supervisors_change_shows_in_the_inbox(
    qtbot: QtBot, start_console: Starter, centre: Centre, tmp_path: Path
) -> None:
    user, boss = centre.server.user(Role.CALL_TAKER), centre.server.user(Role.SUPERVISOR)
    app = start_connected(qtbot, start_console, centre, user, tmp_path / "console")
    my_cases = app.window.my_cases.table
    case = take_call(qtbot, app, "13955556666", "人行道上的井盖松动，踩上去会晃，怕有人摔倒。")
    qtbot.waitUntil(lambda: badge_of(my_cases, case.case_no) == "synced", timeout=10_000)
    supervisor = Workstation(tmp_path / "supervisor", QUICK)
    try:
        supervisor.sync.connect(centre.server.url, code=enrol_code(centre.server))
        supervisor.sync.sign_in(boss, PASSWORD)
        wait_until(lambda: holds(supervisor, case.id))

        centre.proxy.set(Faults(Fault.RESET, Fault.RESET))  # this console's cable pulled
        qtbot.waitUntil(lambda: link_text(app).startswith("Offline since"), timeout=15_000)
        edit_case(qtbot, app, case.id, urgency_downs=1)  # urgent
        edit_case(qtbot, app, case.id, address="望京西园三区")
        op = supervisor.operator
        changes = {"urgency": "emergency", "address": "望京西园四区"}
        supervisor.writer.submit(lambda: supervisor.local.cases.edit(case.id, changes, op)).result()
        supervisor.sync.nudge()
        wait_until(lambda: server_case(centre, case.id) == ("emergency", "望京西园四区"))
        centre.proxy.heal()

        status = app.window.sync_status
        qtbot.waitUntil(
            lambda: status.inbox_button.text() == "Conflicts: 2 (Ctrl+I)", timeout=20_000
        )
        qtbot.waitUntil(lambda: badge_of(my_cases, case.case_no) == "conflict")
        app.window.activateWindow()
        qtbot.waitUntil(app.window.isActiveWindow)
        press(app.window.intake.widgets.caller_phone, Qt.Key.Key_I, CTRL)
        inbox = app.window.conflicts
        assert inbox is not None
        qtbot.waitUntil(lambda: inbox.problems.rowCount() == 2)
        newest = inbox.reading.text()  # the address, changed last
        assert f"Case {spoken_form(case.case_no)}" in newest
        assert f"Address: you wrote “望京西园三区”, but {boss} had already changed it" in newest
        assert "Kept: “望京西园四区”; yours was not applied." in newest

        press(inbox.list, Qt.Key.Key_K, ALT)  # keep theirs
        qtbot.waitUntil(lambda: inbox.problems.rowCount() == 1)
        assert "Urgency: you wrote “Urgent”" in inbox.reading.text()
        assert "“Emergency (danger to life or property)”" in inbox.reading.text()
        press(inbox.list, Qt.Key.Key_A, ALT)  # apply mine again
        qtbot.waitUntil(lambda: inbox.problems.rowCount() == 0)
        assert inbox.empty.text().startswith("Nothing to look at")
        qtbot.waitUntil(lambda: not status.inbox_button.isVisible())
        wait_until(lambda: server_case(centre, case.id) == ("urgent", "望京西园四区"))
        qtbot.waitUntil(lambda: badge_of(my_cases, case.case_no) == "synced", timeout=10_000)
    finally:
        centre.proxy.heal()
        supervisor.close()


def test_a_case_that_leaves_the_local_copy_is_named_in_the_status_bar(
    qtbot: QtBot, start_console: Starter, centre: Centre, tmp_path: Path
) -> None:
    user, other = centre.server.user(Role.CALL_TAKER), centre.server.user(Role.CALL_TAKER)
    boss = centre.server.user(Role.SUPERVISOR)
    app = start_connected(qtbot, start_console, centre, user, tmp_path / "console")
    second = Workstation(tmp_path / "second", QUICK)
    try:
        second.sync.connect(centre.server.url, code=enrol_code(centre.server))
        second.sync.sign_in(other, PASSWORD)
        phone = "13977778888"
        theirs = second.take_call(phone=phone)
        type_text(app.window.intake.widgets.caller_phone, phone)
        history = app.window.history.table.case_model
        qtbot.waitUntil(lambda: history.rowCount() == 1, timeout=10_000)
        case_no = history.case_at(0).case_no
    finally:
        second.close()

    # Taken long ago, voided now: neither open, recent, this user's nor this seat's.
    with centre.server.database() as session:
        session.execute(
            update(Case).where(Case.id == theirs).values(created_at=utc_now() - timedelta(days=40))
        )
        session.commit()
    with centre.server.client(centre.server.login(boss)) as http:
        http.post(f"/v1/cases/{theirs}/void", json={"reason": "重复来电"}).raise_for_status()

    left = app.window.sync_status.left_label
    qtbot.waitUntil(left.isVisible, timeout=10_000)
    assert left.text() == f"Left this copy: {spoken_form(case_no)}"
    qtbot.waitUntil(lambda: history.rowCount() == 0)


def test_a_user_who_signed_in_here_before_signs_in_while_the_centre_is_unreachable(
    qtbot: QtBot, start_console: Starter, centre: Centre, tmp_path: Path
) -> None:
    user, stranger = centre.server.user(Role.CALL_TAKER), centre.server.user(Role.CALL_TAKER)
    app = start_connected(qtbot, start_console, centre, user, tmp_path / "console")
    notice = app.window.offline_notice
    assert not notice.isVisible()
    centre.proxy.set(Faults(Fault.RESET, Fault.RESET))
    try:
        app.window.sign_out_action.trigger()
        sign_in(qtbot, app, stranger, PASSWORD)
        dialog = app.sign_in_dialog
        assert dialog is not None
        qtbot.waitUntil(
            lambda: "you have never signed in at this workstation" in dialog.message.text()
        )
        sign_in(qtbot, app, user, PASSWORD)
        qtbot.waitUntil(notice.isVisible, timeout=10_000)
        assert "checked again when the centre is back" in notice.text()
        assert link_text(app).startswith("Offline since")
    finally:
        centre.proxy.heal()
    qtbot.waitUntil(lambda: not notice.isVisible(), timeout=20_000)  # checked, and online

    app.window.sign_out_action.trigger()
    qtbot.waitUntil(lambda: app.sign_in_dialog is not None and app.sign_in_dialog.isVisible())
    assert app.sign_in_dialog is not None
    press(app.sign_in_dialog.username, Qt.Key.Key_Escape)  # Esc never leaves it disabled
    qtbot.waitUntil(lambda: not app.window.isVisible())


def test_a_user_disabled_at_the_centre_is_asked_to_sign_in_again_with_the_work_kept(
    qtbot: QtBot, start_console: Starter, centre: Centre, tmp_path: Path
) -> None:
    user, admin = centre.server.user(Role.CALL_TAKER), centre.server.user(Role.ADMIN)
    app = start_connected(qtbot, start_console, centre, user, tmp_path / "console")
    qtbot.waitUntil(lambda: link_text(app).startswith("Online"), timeout=10_000)
    with centre.server.client(centre.server.login(admin)) as http:
        http.post(f"/v1/accounts/{user}/disable").raise_for_status()
    case = take_call(qtbot, app, "13922223333", "楼道里的灯坏了，晚上上下楼看不见台阶。")

    visible = lambda: app.sign_in_dialog is not None and app.sign_in_dialog.isVisible()  # noqa: E731
    qtbot.waitUntil(visible, timeout=20_000)
    dialog = app.sign_in_dialog
    assert dialog is not None
    assert dialog.notice.text() == "Your session ended. Sign in again; nothing saved is lost."
    assert link_text(app) == "Sync stopped: your session ended. Sign in again."
    assert badge_of(app.window.my_cases.table, case.case_no) == "waiting"
    sign_in(qtbot, app, user, PASSWORD)
    qtbot.waitUntil(lambda: dialog.message.text() != "Signing in…", timeout=10_000)
    assert dialog.message.text() == "This account is disabled. Ask your supervisor."


def test_a_standalone_console_shows_nothing_of_a_centre(qtbot: QtBot, console: ConsoleApp) -> None:
    window = console.window
    assert window.my_cases.table.case_model.badge_column is None
    assert window.sync_status.link_label.text() == "Local database · no server configured"
    assert window.setup_action.isEnabled()
    assert not window.conflicts_action.isEnabled()
    assert not window.sign_out_action.isEnabled()
    case = take_call(qtbot, console, "13900001111", "咨询公积金提取需要带哪些材料。")
    case_window = window.open_case(case.id)
    assert case_window is not None
    assert case_window.edit_button.isHidden()


def edit_case(
    qtbot: QtBot, app: ConsoleApp, case_id: str, urgency_downs: int = 0, address: str = ""
) -> None:
    """Open the case, press Alt+E, change the fields by keyboard, save with Ctrl+Enter."""
    case_window = app.window.open_case(case_id)
    assert case_window is not None
    qtbot.waitUntil(case_window.edit_button.isEnabled)
    case_window.activateWindow()
    qtbot.waitUntil(case_window.isActiveWindow)
    press(case_window.note_input, Qt.Key.Key_E, ALT)
    qtbot.waitUntil(lambda: case_window.findChild(CaseEditDialog) is not None)
    editor = case_window.findChild(CaseEditDialog)
    assert editor is not None
    editor.activateWindow()
    qtbot.waitUntil(editor.isActiveWindow)
    for _ in range(urgency_downs):
        press(editor.urgency, Qt.Key.Key_Down)
    if address:
        editor.address.selectAll()
        type_text(editor.address, address)
    with qtbot.waitSignal(case_window.edited, timeout=5000):
        press(editor.address, RETURN, CTRL)
    case_window.close()


def holds(station: Workstation, case_id: str) -> bool:
    try:
        station.local.cases.detail(case_id)
    except NotFound:
        return False
    return True


def server_case(centre: Centre, case_id: str) -> tuple[str, str]:
    with centre.server.database() as session:
        case = session.get_one(Case, case_id)
        return (case.urgency, case.address)
