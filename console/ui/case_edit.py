"""Editing a case after intake: the fields a call-taker may still change. Only the fields
changed are saved, as one change the centre weighs field by field."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from console.domain.cases import CaseDetail
from console.domain.errors import ValidationFailed
from console.domain.numbering import spoken_form
from console.ui import labels
from console.ui.context import UiContext
from console.ui.fields import CategoryField, CompletingLineEdit
from console.ui.labels import fill

log = logging.getLogger(__name__)


class CaseEditDialog(QDialog):
    """The editable fields of one case, filled with what it holds now."""

    def __init__(
        self,
        ctx: UiContext,
        detail: CaseDetail,
        saved: Callable[[], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("edit.dialog")
        self.setWindowTitle(fill(self.tr("Edit case %1"), spoken_form(detail.summary.case_no)))
        self.setMinimumWidth(640)
        self._ctx = ctx
        self._detail = detail
        self._saved = saved
        ref = ctx.console.reference
        self.urgency = QComboBox(self)
        self.urgency.setObjectName("edit.urgency")
        for urgency, text in labels.urgencies().items():
            self.urgency.addItem(text, urgency.value)
        self.urgency.setCurrentIndex(self.urgency.findData(detail.urgency.value))
        self.category = CategoryField(self)
        self.category.setObjectName("edit.category")
        self.category.set_index(ctx.console.categories, ref.categories.values())
        self.category.setText(detail.summary.category_path)
        self.district = CompletingLineEdit("edit.district", self)
        self.district.set_names(d.name for d in ref.districts.values())
        self.district.setText(detail.district_name)
        self.street = CompletingLineEdit("edit.street", self)
        self.street.set_names(s.name for s in ref.streets.values())
        self.street.setText(detail.street_name)
        self.community = self._line("edit.community", detail.community)
        self.address = self._line("edit.address", detail.address)
        self.description = QPlainTextEdit(detail.summary.description, self)
        self.description.setObjectName("edit.description")
        self.description.setTabChangesFocus(True)
        self.caller_name = self._line("edit.caller_name", detail.caller_name)
        self.callback_phone = self._line("edit.callback_phone", detail.callback_phone)
        self.error = QLabel(self)
        self.error.setObjectName("edit.error")
        self.error.setProperty("role", "error")
        self.error.setWordWrap(True)
        self.error.hide()
        form = QFormLayout(self)
        for caption, widget in (
            (self.tr("&Urgency"), self.urgency),
            (self.tr("Ca&tegory"), self.category),
            (self.tr("&District"), self.district),
            (self.tr("St&reet"), self.street),
            (self.tr("Co&mmunity"), self.community),
            (self.tr("&Address"), self.address),
            (self.tr("D&escription"), self.description),
            (self.tr("Caller &name"), self.caller_name),
            (self.tr("Call&back number"), self.callback_phone),
        ):
            form.addRow(caption, widget)
            widget.setAccessibleName(caption.replace("&", ""))
        form.addRow(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText(self.tr("&Save (Ctrl+Enter)"))
        QShortcut(QKeySequence("Ctrl+Return"), self, self.save)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.description.setFocus()

    def _line(self, name: str, text: str) -> QLineEdit:
        line = QLineEdit(text, self)
        line.setObjectName(name)
        return line

    def changes(self) -> dict[str, str]:
        """The fields whose value differs from the case's, by the names the centre uses."""
        d = self._detail
        now = {
            "urgency": (str(self.urgency.currentData()), d.urgency.value),
            "category_code": (self.category.code(), self._category_code(d)),
            "district_name": (self.district.text().strip(), d.district_name),
            "street_name": (self.street.text().strip(), d.street_name),
            "community": (self.community.text().strip(), d.community),
            "address": (self.address.text().strip(), d.address),
            "description": (self.description.toPlainText().strip(), d.summary.description),
            "caller_name": (self.caller_name.text().strip(), d.caller_name),
            "callback_phone": (self.callback_phone.text().strip(), d.callback_phone),
        }
        return {field: new for field, (new, old) in now.items() if new != old}

    def _category_code(self, d: CaseDetail) -> str:
        found = (
            c
            for c in self._ctx.console.reference.categories.values()
            if c.path == d.summary.category_path
        )
        return next((c.code for c in found), "")

    def save(self) -> None:
        changes = self.changes()
        if "category_code" in changes and not changes["category_code"]:
            self._show_error(self.tr("Category: pick one from the list."))
            return
        if not changes:
            self.reject()
            return
        cases, operator = self._ctx.console.cases, self._ctx.operator
        case_id = self._detail.summary.id
        self.save_button.setEnabled(False)
        self._ctx.tasks.write(
            lambda: cases.edit(case_id, changes, operator), self._on_saved, self._on_failed
        )

    def _on_saved(self, _result: object) -> None:
        self.accept()
        self._saved()

    def _on_failed(self, error: BaseException) -> None:
        self.save_button.setEnabled(True)
        if isinstance(error, ValidationFailed):
            first = error.errors[0]
            self._show_error(f"{labels.field_name(first.field)}: {labels.field_error(first)}")
            return
        log.error("case edit not saved", exc_info=error)
        self._show_error(fill(self.tr("Not saved: %1"), str(error)))

    def _show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()
