"""One case: its details, its timeline and its notes; a note can be added."""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from console.domain.cases import CaseDetail, CaseNote
from console.domain.errors import ValidationFailed
from console.domain.numbering import spoken_form
from console.domain.phone import parse_phone
from console.ui import labels
from console.ui.case_edit import CaseEditDialog
from console.ui.context import UiContext
from console.ui.models import EventTableModel, local_time

log = logging.getLogger(__name__)


class CaseDialog(QDialog):
    """Signals:
    note_added(CaseNote): a note was saved.
    edited(): a change to the case's fields was saved.
    """

    note_added = Signal(object)  # CaseNote
    edited = Signal()

    def __init__(self, ctx: UiContext, case_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("case.dialog")
        # As tall as the screen allows, up to what the case needs, its buttons always in sight.
        screen = self.screen().availableGeometry()
        self.resize(780, min(720, screen.height() - 60))
        self._ctx = ctx
        self._case_id = case_id
        self._detail: CaseDetail | None = None
        self._fields = QFormLayout()
        self._values: dict[str, QLabel] = {}
        self.timeline = QTableView(self)
        self.timeline.setObjectName("case.timeline")
        self.events = EventTableModel(self)
        self.timeline.setModel(self.events)
        self.timeline.verticalHeader().hide()
        header = self.timeline.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.timeline.setMinimumHeight(130)
        self.notes = QPlainTextEdit(self)
        self.notes.setObjectName("case.notes")
        self.notes.setReadOnly(True)
        self.note_input = QPlainTextEdit(self)
        self.note_input.setObjectName("case.note_input")
        self.note_input.setTabChangesFocus(True)
        self.note_input.setMaximumHeight(70)
        self.note_error = QLabel(self)
        self.note_error.setProperty("role", "error")
        self.note_error.hide()
        self.add_button = QPushButton(self)
        self.add_button.setObjectName("case.add_note")
        self.add_button.clicked.connect(self.add_note)
        QShortcut(QKeySequence("Ctrl+Return"), self, self.add_note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        # A connected console edits cases after intake, as one change the centre weighs.
        self.edit_button = QPushButton(self)
        self.edit_button.setObjectName("case.edit")
        self.edit_button.clicked.connect(self.edit)
        self.edit_button.setEnabled(False)
        if ctx.link is not None:
            buttons.addButton(self.edit_button, QDialogButtonBox.ButtonRole.ActionRole)
        else:
            self.edit_button.hide()
        self._timeline_caption, self._notes_caption = QLabel(self), QLabel(self)
        # The case scrolls on a small screen; the note being typed and the buttons stay in sight.
        case = QWidget(self)
        case.setObjectName("case.content")
        shown = QVBoxLayout(case)
        shown.setContentsMargins(0, 0, 0, 0)
        shown.addLayout(self._fields)
        for shown_widget in (
            self._timeline_caption,
            self.timeline,
            self._notes_caption,
            self.notes,
        ):
            shown.addWidget(shown_widget)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(case)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        for widget in (self.note_input, self.note_error, self.add_button, buttons):
            layout.addWidget(widget)
        self.retranslate()
        self.reload()

    @property
    def case_id(self) -> str:
        return self._case_id

    def reload(self) -> None:
        """Show the case as the local copy holds it now; a note being typed stays."""
        cases = self._ctx.console.cases
        self._ctx.tasks.read(lambda: cases.detail(self._case_id), self._show)

    def edit(self) -> CaseEditDialog | None:
        if self._detail is None or self._ctx.link is None:
            return None
        dialog = CaseEditDialog(self._ctx, self._detail, self._on_edited, self)
        dialog.open()
        return dialog

    def _on_edited(self) -> None:
        self.edited.emit()
        self.reload()

    def _show(self, detail: CaseDetail) -> None:
        self._detail = detail
        self.edit_button.setEnabled(True)
        self.events.replace(detail.events)
        self.notes.setPlainText(
            "\n\n".join(f"{local_time(n.at)}  {n.author}\n{n.text}" for n in detail.notes)
        )
        self.retranslate()

    def add_note(self) -> None:
        text = self.note_input.toPlainText()
        cases, operator = self._ctx.console.cases, self._ctx.operator
        self._ctx.tasks.write(
            lambda: cases.add_note(self._case_id, text, operator),
            self._on_note_added,
            self._on_note_failed,
        )

    def _on_note_added(self, note: CaseNote) -> None:
        self.note_input.clear()
        self.note_error.hide()
        self.note_added.emit(note)
        self.reload()

    def _on_note_failed(self, error: BaseException) -> None:
        if isinstance(error, ValidationFailed):
            self.note_error.setText(labels.field_error(error.errors[0]))
        else:
            log.error("note not saved", exc_info=error)
            self.note_error.setText(labels.fill(self.tr("Not saved: %1"), str(error)))
        self.note_error.show()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self._timeline_caption.setText(self.tr("Timeline"))
        self._notes_caption.setText(self.tr("Notes"))
        self.add_button.setText(self.tr("Add note (Ctrl+Enter)"))
        self.add_button.setAccessibleName(self.tr("Add note"))
        self.edit_button.setText(self.tr("&Edit case…"))
        self.timeline.setAccessibleName(self.tr("Timeline"))
        self.notes.setAccessibleName(self.tr("Notes"))
        self.note_input.setAccessibleName(self.tr("New note"))
        self.note_input.setPlaceholderText(self.tr("Write a note about this case"))
        if self._detail is None:
            self.setWindowTitle(self.tr("Case"))
            return
        d = self._detail
        self.setWindowTitle(labels.fill(self.tr("Case %1"), spoken_form(d.summary.case_no)))
        self._set_rows(
            [
                ("case_no", self.tr("Case number"), spoken_form(d.summary.case_no)),
                ("status", self.tr("Status"), labels.statuses()[d.summary.status]),
                ("appeal", self.tr("Appeal type"), labels.appeal_types()[d.summary.appeal_type]),
                ("category", self.tr("Category"), d.summary.category_path),
                ("caller", self.tr("Caller"), self._caller_text(d)),
                (
                    "location",
                    self.tr("Location"),
                    " ".join(
                        p for p in (d.district_name, d.street_name, d.community, d.address) if p
                    ),
                ),
                ("description", self.tr("Description"), d.summary.description),
                ("handling", self.tr("Handling"), labels.handlings()[d.handling]),
                ("agency", self.tr("Lead agency"), self._agency_text(d)),
                ("deadline", self.tr("Deadline"), local_time(d.summary.deadline_at)),
                ("answer", self.tr("Answer given"), d.answer_text),
                (
                    "taken",
                    self.tr("Taken by"),
                    f"{d.operator} ({d.seat_code}), {local_time(d.summary.created_at)}",
                ),
            ]
        )

    def _caller_text(self, d: CaseDetail) -> str:
        phone = parse_phone(d.caller_phone)
        parts = [phone.display if phone else d.caller_phone, d.caller_name or self.tr("(no name)")]
        if d.anonymous:
            parts.append(self.tr("anonymous"))
        if d.confidential:
            parts.append(self.tr("confidential"))
        return " · ".join(parts)

    def _agency_text(self, d: CaseDetail) -> str:
        agencies = [d.summary.lead_agency_name, *d.assisting_agency_names]
        return " + ".join(a for a in agencies if a)

    def _set_rows(self, rows: list[tuple[str, str, str]]) -> None:
        for key, caption, value in rows:
            label = self._values.get(key)
            if label is None:
                label = QLabel(self)
                label.setObjectName(f"case.{key}")
                label.setWordWrap(True)
                self._values[key] = label
                self._fields.addRow(QLabel(caption, self), label)
            else:
                caption_label = self._fields.labelForField(label)
                if isinstance(caption_label, QLabel):
                    caption_label.setText(caption)
            label.setText(value)
            self._fields.setRowVisible(label, bool(value))
