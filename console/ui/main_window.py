"""The main window only assembles the panels, the menus and the status bar."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from console.domain.errors import ReferenceProblem
from console.domain.numbering import spoken_form
from console.sync.api import Arrived, Link, Problem, SyncState
from console.ui.case_dialog import CaseDialog
from console.ui.case_views import HistoryPanel, MyCasesPanel
from console.ui.conflicts import ConflictsDialog
from console.ui.context import UiContext
from console.ui.intake_panel import IntakePanel
from console.ui.labels import fill, translate
from console.ui.models import local_time
from console.ui.sync_link import SyncLink, Waiting
from console.ui.sync_status import SyncStatus

MAX_WAITING_NAMED = 10


def mutation_name(name: str) -> str:
    names = {
        "case.create": translate("MainWindow", "new case"),
        "case.update": translate("MainWindow", "change to a case"),
        "case.add_note": translate("MainWindow", "note"),
    }
    return names.get(name, name)


class MainWindow(QMainWindow):
    """Signals:
    setup_requested(): the user asked to connect this workstation (or set its seat again).
    sign_out_requested(): the user asked to sign out.
    close_cancelled(): warned of changes waiting, the user chose to stay.
    """

    setup_requested = Signal()
    sign_out_requested = Signal()
    close_cancelled = Signal()

    def __init__(self, choose_language: Callable[[str], None], language: str) -> None:
        super().__init__()
        self.setObjectName("main.window")
        self._ctx: UiContext | None = None
        self._link: SyncLink | None = None
        self._signed_in_offline = False
        self._close_confirmed = False
        self.close_warning: QMessageBox | None = None
        self.conflicts: ConflictsDialog | None = None
        self._case_dialogs: list[CaseDialog] = []
        self._choose_language = choose_language
        self._reference_problem: ReferenceProblem | None = None
        self.intake = IntakePanel(self)
        self.history = HistoryPanel(self)
        self.my_cases = MyCasesPanel(self)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("main.tabs")
        self.tabs.addTab(self.history, "")
        self.tabs.addTab(self.my_cases, "")
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.intake)
        splitter.addWidget(self.tabs)
        splitter.setSizes([740, 620])
        self.warning = QLabel(self)
        self.warning.setObjectName("main.warning")
        self.warning.setProperty("role", "warning")
        self.warning.setWordWrap(True)
        self.warning.hide()
        self.offline_notice = QLabel(self)
        self.offline_notice.setObjectName("main.offline_sign_in")
        self.offline_notice.setProperty("role", "notice")
        self.offline_notice.setWordWrap(True)
        self.offline_notice.hide()
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.addWidget(self.warning)
        layout.addWidget(self.offline_notice)
        layout.addWidget(splitter, 1)
        self.setCentralWidget(central)
        self.seat_label = QLabel(self)
        self.seat_label.setObjectName("status.seat")
        self.sync_status = SyncStatus(self)
        self.sync_status.inbox_requested.connect(self.open_conflicts)
        self.statusBar().addWidget(self.seat_label)
        self.statusBar().addPermanentWidget(self.sync_status)
        self._build_menus(language)
        self.intake.caller_number_changed.connect(self._on_intake_caller_number_changed)
        self.intake.case_saved.connect(self._on_intake_case_saved)
        self.history.table.case_opened.connect(self.open_case)
        self.my_cases.table.case_opened.connect(self.open_case)
        self.retranslate()

    def _build_menus(self, language: str) -> None:
        bar = self.menuBar()
        self.call_menu = bar.addMenu("")
        self.new_action = self._action("action.new_call", "Ctrl+N", self.intake.new_call)
        self.save_action = self._action("action.save", "Ctrl+S", self.intake.save)
        self.history_action = self._action("action.history", "Ctrl+H", self._focus_history)
        self.my_cases_action = self._action("action.my_cases", "Ctrl+M", self._focus_my_cases)
        self.quit_action = self._action("action.quit", "Ctrl+Q", self.close)
        for action in (
            self.new_action,
            self.save_action,
            self.history_action,
            self.my_cases_action,
            self.quit_action,
        ):
            self.call_menu.addAction(action)
        self.centre_menu = bar.addMenu("")
        self.centre_menu.setObjectName("menu.centre")
        self.conflicts_action = self._action("action.conflicts", "Ctrl+I", self.open_conflicts)
        self.sign_out_action = self._action("action.sign_out", "", self.sign_out_requested.emit)
        self.setup_action = self._action("action.setup", "", self.setup_requested.emit)
        for action in (self.conflicts_action, self.sign_out_action, self.setup_action):
            self.centre_menu.addAction(action)
        self.language_menu = bar.addMenu("")
        self.language_menu.setObjectName("menu.language")
        group = QActionGroup(self)
        self.language_actions: dict[str, QAction] = {}
        for code, name in (("zh_CN", "中文"), ("en", "English")):
            action = QAction(name, self, checkable=True, checked=code == language)
            action.setObjectName(f"language.{code}")
            action.triggered.connect(lambda _on=False, c=code: self._choose_language(c))
            group.addAction(action)
            self.language_menu.addAction(action)
            self.language_actions[code] = action

    def _action(self, name: str, keys: str, slot: Callable[[], object]) -> QAction:
        action = QAction(self)
        action.setObjectName(name)
        action.setShortcut(QKeySequence(keys))
        action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        action.triggered.connect(slot)
        return action

    def attach(self, ctx: UiContext) -> None:
        self._ctx = ctx
        self.intake.attach(ctx)
        self.history.attach(ctx)
        self.my_cases.attach(ctx)
        self._reference_problem = ctx.console.reference_problem
        self.retranslate()

    def attach_link(self, link: SyncLink) -> None:
        """A connected workstation: the sync's state and arrivals reach every view."""
        self._link = link
        link.state_changed.connect(self._on_link_state_changed)
        link.arrived.connect(self._on_link_arrived)
        self._on_link_state_changed(link.state)
        if not link.standalone:
            self.count_conflicts()
        self.retranslate()

    def connected(self) -> None:
        """The workstation was just connected: its seat and its link show at once."""
        if self._link is not None:
            self._on_link_state_changed(self._link.state)

    def signed_in(self, ctx: UiContext, offline: bool) -> None:
        self._signed_in_offline = offline
        self.attach(ctx)

    def open_case(self, case_id: str) -> CaseDialog | None:
        if self._ctx is None:
            return None
        dialog = CaseDialog(self._ctx, case_id, self)
        dialog.note_added.connect(lambda _note: self.history.refresh())
        dialog.edited.connect(self._on_case_edited)
        dialog.finished.connect(lambda _result: self._case_dialogs.remove(dialog))
        self._case_dialogs.append(dialog)
        dialog.open()
        return dialog

    def open_conflicts(self) -> ConflictsDialog | None:
        if self._link is None or self._ctx is None:
            return None
        if self.conflicts is None:
            self.conflicts = ConflictsDialog(self._link, self._ctx.console.reference, self)
            self.conflicts.case_opened.connect(self.open_case)
            self.conflicts.resolved.connect(self.sync_status.show_conflicts)
        else:
            self.conflicts.reload()
        self.conflicts.open()
        return self.conflicts

    def count_conflicts(self) -> None:
        if self._link is not None:
            self._link.problems(self._on_problems_counted)

    def _on_problems_counted(self, problems: list[Problem]) -> None:
        self.sync_status.show_conflicts(len(problems))

    def _on_link_state_changed(self, state: SyncState) -> None:
        enrolled = self._link is not None and not self._link.standalone
        self.sync_status.show_state(state, enrolled)
        self.history.show_link(state)
        self.retranslate()

    def _on_link_arrived(self, arrived: Arrived) -> None:
        self.history.refresh()
        self.my_cases.refresh()
        for dialog in self._case_dialogs:
            if dialog.case_id in arrived.case_ids:
                dialog.reload()
        if arrived.left:
            self.sync_status.show_left(arrived.left)
        if arrived.conflicts:
            self.count_conflicts()
            if self.conflicts is not None and self.conflicts.isVisible():
                self.conflicts.reload()

    def _on_case_edited(self) -> None:
        self.history.refresh()
        self.my_cases.refresh()
        if self._link is not None:
            self._link.nudge()

    def _on_intake_caller_number_changed(self, number: str) -> None:
        self.history.show_caller(number)
        if number:
            self.tabs.setCurrentWidget(self.history)

    def _on_intake_case_saved(self, _saved: object) -> None:
        self.my_cases.refresh()
        self.history.refresh()
        if self._link is not None:
            self._link.nudge()

    def _focus_history(self) -> None:
        self.tabs.setCurrentWidget(self.history)
        self.history.table.setFocus()

    def _focus_my_cases(self) -> None:
        self.tabs.setCurrentWidget(self.my_cases)
        self.my_cases.refresh()
        self.my_cases.table.setFocus()

    def closeEvent(self, event: QCloseEvent) -> None:
        link = self._link
        if link is not None and link.state.waiting and not self._close_confirmed:
            # Which changes wait is read off the GUI thread; the warning comes back here.
            event.ignore()
            link.waiting(self._warn_before_closing)
            return
        self.intake.flush_draft()
        super().closeEvent(event)

    def close_without_asking(self) -> None:
        self._close_confirmed = True
        self.close()

    def _warn_before_closing(self, waiting: Waiting) -> None:
        if not waiting:
            self.close_without_asking()
            return
        lines = [
            f"• {mutation_name(name)} {spoken_form(case_no)} ({local_time(made_at)})"
            for _mid, name, case_no, made_at in waiting[:MAX_WAITING_NAMED]
        ]
        if len(waiting) > MAX_WAITING_NAMED:
            lines.append(fill(self.tr("… and %1 more"), len(waiting) - MAX_WAITING_NAMED))
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(self.tr("Changes not sent yet"))
        box.setObjectName("close.warning")
        box.setText(
            fill(
                self.tr(
                    "Saved on this computer but not yet sent to the centre: %1. They are "
                    "sent the next time the console starts here."
                ),
                len(waiting),
            )
        )
        box.setInformativeText("\n".join(lines))
        quit_button = box.addButton(self.tr("&Quit anyway"), QMessageBox.ButtonRole.AcceptRole)
        stay = box.addButton(self.tr("&Stay"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(stay)
        box.finished.connect(
            lambda _result: (
                self.close_without_asking()
                if box.clickedButton() is quit_button
                else self.close_cancelled.emit()
            )
        )
        self.close_warning = box
        box.open()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("12345 Hotline Console"))
        self.call_menu.setTitle(self.tr("&Intake"))
        self.language_menu.setTitle(self.tr("Lan&guage"))
        self.new_action.setText(self.tr("&New call"))
        self.save_action.setText(self.tr("&Save case"))
        self.history_action.setText(self.tr("Caller &history"))
        self.my_cases_action.setText(self.tr("&My cases"))
        self.quit_action.setText(self.tr("&Quit"))
        self.centre_menu.setTitle(self.tr("&Centre"))
        self.conflicts_action.setText(self.tr("Conflicts &inbox"))
        self.sign_out_action.setText(self.tr("Sign &out"))
        self.setup_action.setText(self.tr("&Connect to the centre…"))
        connected = self._link is not None and not self._link.standalone
        self.conflicts_action.setEnabled(connected)
        self.sign_out_action.setEnabled(connected)
        self.setup_action.setEnabled(self._link is None or self._link.may_connect)
        self.tabs.setTabText(0, self.tr("Caller history"))
        self.tabs.setTabText(1, self.tr("My cases"))
        enrolment = self._link.enrolment if self._link is not None else None
        if self._ctx is None and enrolment is not None:
            seat = enrolment.seat_code
            self.seat_label.setText(fill(self.tr("Seat %1 · nobody signed in"), seat))
        elif self._ctx is None:
            self.seat_label.setText(self.tr("Opening the local database…"))
        else:
            op = self._ctx.operator
            self.seat_label.setText(fill(self.tr("Seat %1 · %2"), op.seat_code, op.name))
        link = self._link
        offline = self._signed_in_offline and link is not None and link.state.link is Link.OFFLINE
        self.offline_notice.setVisible(offline)
        self.offline_notice.setText(
            self.tr(
                "Signed in offline: the centre cannot be reached, so your password was checked "
                "on this computer. It is checked again when the centre is back."
            )
        )
        problem = self._reference_problem
        self.warning.setVisible(problem is not None)
        if problem is not None:
            self.warning.setText(
                fill(
                    self.tr("Reference data file %1, line %2: %3. The previous data stays in use."),
                    problem.file,
                    str(problem.line),
                    problem.reason,
                )
            )
