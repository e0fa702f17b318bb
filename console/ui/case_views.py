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
        self.table = CaseTable("history.table", self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.repeat)
        layout.addWidget(self.table, 1)
        self.retranslate()

    def attach(self, ctx: UiContext) -> None:
        self._ctx = ctx

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
        self._ctx.tasks.read(lambda: history.caller_history(number, 0, PAGE), self._on_loaded)

    def _on_loaded(self, history: CallerHistory) -> None:
        if history.phone_e164 == "" or not self._number:
            return
        self.table.case_model.replace(list(history.cases), self._loader(self._number))
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
        self.refresh()

    def refresh(self) -> None:
        if self._ctx is None:
            return
        ctx = self._ctx

        def load(offset: int, done: PageCallback) -> None:
            ctx.tasks.read(lambda: ctx.console.cases.my_cases(ctx.operator, offset, PAGE), done)

        def first_page(rows: list[CaseSummary]) -> None:
            self.table.case_model.replace(rows, load)

        load(0, first_page)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.caption.setText(self.tr("Cases of this seat: today's and every open one."))
        self.table.setAccessibleName(self.tr("My cases"))
