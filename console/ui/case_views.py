"""Panels listing cases: the caller's history and this seat's cases."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from console.domain.cases import CallerHistory, CaseSummary
from console.sync.api import Link, SyncState
from console.ui.context import UiContext
from console.ui.labels import fill
from console.ui.models import CASE_ID_ROLE, CaseTableModel, PageCallback, PageLoader

PAGE = 100


class CaseTable(QTableView):
    """A read-only table of cases; Enter or a double click opens the case."""

    case_opened = Signal(str)

    def __init__(self, object_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self.case_model = CaseTableModel(PAGE, self)
        self.setModel(self.case_model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.verticalHeader().hide()
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        for stretched in (2, 3):  # category and agency share what the others leave
            header.setSectionResizeMode(stretched, QHeaderView.ResizeMode.Stretch)
        self.activated.connect(self._on_activated)

    def show_badges(self, shown: bool) -> None:
        self.case_model.show_badges(shown)
        column = self.case_model.badge_column
        if column is not None:
            self.horizontalHeader().setSectionResizeMode(
                column, QHeaderView.ResizeMode.ResizeToContents
            )

    def replace(self, rows: list[CaseSummary], loader: PageLoader | None) -> None:
        """New rows; the selected case stays selected if it is still listed."""
        current = self.currentIndex()
        selected = current.data(CASE_ID_ROLE) if current.isValid() else None
        column = max(0, current.column())
        self.case_model.replace(rows, loader)
        for row, case in enumerate(rows):
            if case.id == selected:
                self.setCurrentIndex(self.case_model.index(row, column))
                break

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            last = self.case_model.columnCount() - 1
            self.case_model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, last)
        super().changeEvent(event)

    def _on_activated(self, index: QModelIndex) -> None:
        self.case_opened.emit(str(index.data(CASE_ID_ROLE)))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self._on_activated(self.currentIndex())
            return
        super().keyPressEvent(event)


class HistoryPanel(QWidget):
    """Every earlier case of the caller's number, open ones first."""

    history_loaded = Signal(object)  # CallerHistory

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("history.panel")
        self._ctx: UiContext | None = None
        self._number = ""
        self.summary = QLabel(self)
        self.summary.setObjectName("history.summary")
        self.repeat = QLabel(self)
        self.repeat.setObjectName("history.repeat")
        self.repeat.setProperty("role", "warning")
        self.repeat.hide()
        self.offline = QLabel(self)
        self.offline.setObjectName("history.offline")
        self.offline.setProperty("role", "warning")
        self.offline.setWordWrap(True)
        self.offline.hide()
        self.table = CaseTable("history.table", self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.offline)
        layout.addWidget(self.repeat)
        layout.addWidget(self.table, 1)
        self.retranslate()

    def attach(self, ctx: UiContext) -> None:
        self._ctx = ctx
        self.table.show_badges(ctx.link is not None)

    @property
    def number(self) -> str:
        return self._number

    def show_caller(self, number: str) -> None:
        """Load the history of a complete number; an empty number clears the panel."""
        self._number = number
        if not number or self._ctx is None:
            self.table.case_model.replace([], None)
            self.repeat.hide()
            self.retranslate()
            return
        history = self._ctx.console.history
        # A refresh reads as many rows as are shown, so the list does not shrink under the user.
        count = max(PAGE, self.table.case_model.rowCount())
        self._ctx.tasks.read(lambda: history.caller_history(number, 0, count), self._on_loaded)

    def show_link(self, state: SyncState) -> None:
        """Offline, the history comes from the local copy alone, and says so."""
        self.offline.setVisible(state.link in (Link.OFFLINE, Link.STOPPED))

    def refresh(self) -> None:
        if self._number:
            self.show_caller(self._number)

    def _on_loaded(self, history: CallerHistory) -> None:
        if history.phone_e164 == "" or not self._number:
            return
        self.table.replace(list(history.cases), self._loader(self._number))
        self.repeat.setVisible(history.repeat_caller)
        self.retranslate()
        self.history_loaded.emit(history)

    def _loader(self, number: str) -> PageLoader:
        assert self._ctx is not None
        ctx = self._ctx

        def load(offset: int, done: PageCallback) -> None:
            ctx.tasks.read(
                lambda: list(ctx.console.history.caller_history(number, offset, PAGE).cases), done
            )

        return load

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        count = self.table.case_model.rowCount()
        if not self._number:
            self.summary.setText(self.tr("Type the caller's number to see their earlier cases."))
        elif count == 0:
            self.summary.setText(fill(self.tr("No earlier cases for %1."), self._number))
        else:
            self.summary.setText(fill(self.tr("Earlier cases of %1 (open first):"), self._number))
        self.repeat.setText(self.tr("Repeat caller: called in the last 30 days."))
        self.offline.setText(
            self.tr("Offline: may be incomplete. Cases taken at other seats meanwhile are missing.")
        )
        self.table.setAccessibleName(self.tr("Caller history"))


class MyCasesPanel(QWidget):
    """This seat's cases of today and its open ones."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mycases.panel")
        self._ctx: UiContext | None = None
        self.caption = QLabel(self)
        self.table = CaseTable("mycases.table", self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.caption)
        layout.addWidget(self.table, 1)
        self.retranslate()

    def attach(self, ctx: UiContext) -> None:
        self._ctx = ctx
        self.table.show_badges(ctx.link is not None)
        self.refresh()

    def refresh(self) -> None:
        if self._ctx is None:
            return
        ctx = self._ctx

        def load(offset: int, done: PageCallback) -> None:
            ctx.tasks.read(lambda: ctx.console.cases.my_cases(ctx.operator, offset, PAGE), done)

        def first_page(rows: list[CaseSummary]) -> None:
            self.table.replace(rows, load)

        # As many rows as are shown, so a refresh does not shrink the list under the user.
        count = max(PAGE, self.table.case_model.rowCount())
        ctx.tasks.read(lambda: ctx.console.cases.my_cases(ctx.operator, 0, count), first_page)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.caption.setText(self.tr("Cases of this seat: today's and every open one."))
        self.table.setAccessibleName(self.tr("My cases"))
