"""First start: who is at this seat."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QWidget

from console.domain.errors import FieldError
from console.ui import labels


class FirstStartDialog(QDialog):
    """Asks the seat code and the operator's name; the caller stores them."""

    def __init__(self, submit: Callable[[str, str], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("setup.dialog")
        self.setWindowTitle(self.tr("Welcome to the 12345 Hotline Console"))
        self._submit = submit
        self.intro = QLabel(self.tr("Before the first call, say who is at this seat."), self)
        self.seat = QLineEdit(self)
        self.seat.setObjectName("setup.seat_code")
        self.seat.setAccessibleName(self.tr("Seat code"))
        self.seat.setMaxLength(3)
        self.seat.setPlaceholderText("042")
        self.name = QLineEdit(self)
        self.name.setObjectName("setup.operator")
        self.name.setAccessibleName(self.tr("Your name"))
        self.name.setMaxLength(50)
        self.errors = {"seat_code": QLabel(self), "operator": QLabel(self)}
        form = QFormLayout(self)
        form.addRow(self.intro)
        form.addRow(self.tr("Seat code (3 digits)"), self.seat)
        form.addRow("", self.errors["seat_code"])
        form.addRow(self.tr("Your name"), self.name)
        form.addRow("", self.errors["operator"])
        for label in self.errors.values():
            label.setProperty("role", "error")
            label.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok, self)
        buttons.accepted.connect(self._on_ok)
        form.addRow(buttons)

    def _on_ok(self) -> None:
        self._submit(self.seat.text(), self.name.text())

    def show_errors(self, errors: list[FieldError]) -> None:
        for label in self.errors.values():
            label.hide()
        for error in errors:
            self.errors[error.field].setText(labels.field_error(error))
            self.errors[error.field].show()
