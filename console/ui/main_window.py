"""The main window only assembles the panels, the menus and the status bar."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QSplitter, QTabWidget, QVBoxLayout, QWidget

from console.domain.errors import ReferenceProblem
from console.ui.case_dialog import CaseDialog
from console.ui.case_views import HistoryPanel, MyCasesPanel
from console.ui.context import UiContext
from console.ui.intake_panel import IntakePanel
from console.ui.labels import fill


class MainWindow(QMainWindow):
    def __init__(self, choose_language: Callable[[str], None], language: str) -> None:
        super().__init__()
        self.setObjectName("main.window")
        self._ctx: UiContext | None = None
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
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.addWidget(self.warning)
        layout.addWidget(splitter, 1)
        self.setCentralWidget(central)
        self.seat_label = QLabel(self)
        self.seat_label.setObjectName("status.seat")
        self.mode_label = QLabel(self)
        self.mode_label.setObjectName("status.mode")
        self.statusBar().addWidget(self.seat_label)
        self.statusBar().addPermanentWidget(self.mode_label)
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

    def open_case(self, case_id: str) -> CaseDialog | None:
        if self._ctx is None:
            return None
        dialog = CaseDialog(self._ctx, case_id, self)
        dialog.note_added.connect(lambda _note: self.history.show_caller(self.history.number))
        dialog.open()
        return dialog

    def _on_intake_caller_number_changed(self, number: str) -> None:
        self.history.show_caller(number)
        if number:
            self.tabs.setCurrentWidget(self.history)

    def _on_intake_case_saved(self, _saved: object) -> None:
        self.my_cases.refresh()
        self.history.show_caller(self.history.number)

    def _focus_history(self) -> None:
        self.tabs.setCurrentWidget(self.history)
        self.history.table.setFocus()

    def _focus_my_cases(self) -> None:
        self.tabs.setCurrentWidget(self.my_cases)
        self.my_cases.refresh()
        self.my_cases.table.setFocus()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.intake.flush_draft()
        super().closeEvent(event)

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
        self.tabs.setTabText(0, self.tr("Caller history"))
        self.tabs.setTabText(1, self.tr("My cases"))
        self.mode_label.setText(self.tr("Local database · no server configured"))
        if self._ctx is None:
            self.seat_label.setText(self.tr("Opening the local database…"))
        else:
            op = self._ctx.operator
            self.seat_label.setText(fill(self.tr("Seat %1 · %2"), op.seat_code, op.name))
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
