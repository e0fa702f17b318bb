"""First start: a standalone workstation (who is at this seat) or one connected to the centre."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from console.domain.errors import FieldError
from console.ui import labels
from console.ui.dialog_parts import credentials, message_line, ok_and_quit, say
from console.ui.labels import fill, translate

Standalone = Callable[[str, str], None]  # seat code, name
Connect = Callable[[str, str, str, str], None]  # server address, code, user name, password


def enrol_refusal(reason: str, server_url: str) -> str:
    """Why the centre did not connect this workstation, and what to do."""
    texts = {
        "unreachable": fill(
            translate(
                "FirstStartDialog",
                "The server at %1 cannot be reached. Check the address and the network cable, "
                "then try again.",
            ),
            server_url,
        ),
        "bad_code": translate(
            "FirstStartDialog",
            "The centre does not know this enrolment code, or it was used already or has "
            "expired. Ask your supervisor for a new one.",
        ),
        "not_allowed": translate(
            "FirstStartDialog",
            "This account may not connect workstations: a supervisor or an administrator "
            "must sign in here.",
        ),
        "wrong_credentials": translate("FirstStartDialog", "Wrong user name or password."),
        "disabled": translate("FirstStartDialog", "This account is disabled. Ask your supervisor."),
        "bad_address": translate(
            "FirstStartDialog",
            "Not a server address. Write it as IT gave it, like https://12345.example.gov.cn",
        ),
    }
    return texts.get(reason, fill(translate("FirstStartDialog", "The centre refused: %1"), reason))


class FirstStartDialog(QDialog):
    """Asks how this workstation works. Standalone: the seat code and the operator's name,
    which the caller stores. Connected: the centre's address and an enrolment code or a
    supervisor's sign-in; the seat then comes from the centre."""

    def __init__(
        self,
        standalone: Standalone,
        connect: Connect | None = None,
        server_url: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("setup.dialog")
        self.setWindowTitle(self.tr("Welcome to the 12345 Hotline Console"))
        self.setMinimumWidth(560)
        self._standalone = standalone
        self._connect = connect
        self.standalone_choice = QRadioButton(self.tr("Standa&lone: cases stay on this computer"))
        self.standalone_choice.setObjectName("setup.standalone")
        self.connect_choice = QRadioButton(self.tr("C&onnect to the centre"))
        self.connect_choice.setObjectName("setup.connect")
        choices = QButtonGroup(self)
        choices.addButton(self.standalone_choice)
        choices.addButton(self.connect_choice)
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self._standalone_page())
        self.pages.addWidget(self._connect_page(server_url))
        self.message = message_line(self, "setup.message")
        buttons, self.ok_button, self.quit_button = ok_and_quit(self, "setup.ok", self.tr("&Quit"))
        buttons.accepted.connect(self._on_ok)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("How does this workstation work?"), self))
        layout.addWidget(self.standalone_choice)
        layout.addWidget(self.connect_choice)
        layout.addWidget(self.pages)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.standalone_choice.toggled.connect(self._on_choice_toggled)
        self.connect_choice.setEnabled(connect is not None)
        (self.connect_choice if server_url and connect else self.standalone_choice).setChecked(True)
        self._on_choice_toggled()

    def _standalone_page(self) -> QWidget:
        page = QWidget(self)
        self.intro = QLabel(self.tr("Before the first call, say who is at this seat."), page)
        self.seat = QLineEdit(page)
        self.seat.setObjectName("setup.seat_code")
        self.seat.setAccessibleName(self.tr("Seat code"))
        self.seat.setMaxLength(3)
        self.seat.setPlaceholderText("042")
        self.name = QLineEdit(page)
        self.name.setObjectName("setup.operator")
        self.name.setAccessibleName(self.tr("Your name"))
        self.name.setMaxLength(50)
        self.errors = {"seat_code": QLabel(page), "operator": QLabel(page)}
        form = QFormLayout(page)
        form.addRow(self.intro)
        form.addRow(self.tr("Seat code (3 digits)"), self.seat)
        form.addRow("", self.errors["seat_code"])
        form.addRow(self.tr("Your name"), self.name)
        form.addRow("", self.errors["operator"])
        for label in self.errors.values():
            label.setProperty("role", "error")
            label.hide()
        return page

    def _connect_page(self, server_url: str) -> QWidget:
        page = QWidget(self)
        self.server = QLineEdit(server_url, page)
        self.server.setObjectName("setup.server")
        self.server.setAccessibleName(self.tr("Server address"))
        self.server.setPlaceholderText("https://12345.example.gov.cn")
        self.code = QLineEdit(page)
        self.code.setObjectName("setup.code")
        self.code.setAccessibleName(self.tr("Enrolment code"))
        self.username, self.password = credentials(
            page, "setup", self.tr("Supervisor's user name"), self.tr("Supervisor's password")
        )
        hint = QLabel(
            self.tr(
                "The seat code comes from the centre. Give the enrolment code your supervisor "
                "made for this seat, or let a supervisor sign in here instead."
            ),
            page,
        )
        hint.setWordWrap(True)
        hint.setProperty("role", "hint")
        form = QFormLayout(page)
        form.addRow(hint)
        form.addRow(self.tr("Server &address"), self.server)
        form.addRow(self.tr("&Enrolment code"), self.code)
        form.addRow(QLabel(self.tr("or a supervisor's sign-in:"), page))
        form.addRow(self.tr("&User name"), self.username)
        form.addRow(self.tr("&Password"), self.password)
        return page

    @property
    def connecting(self) -> bool:
        return self.connect_choice.isChecked()

    def _on_choice_toggled(self) -> None:
        self.pages.setCurrentIndex(1 if self.connecting else 0)
        self.ok_button.setText(self.tr("&Connect") if self.connecting else self.tr("&Start"))
        self.message.hide()
        (self.server if self.connecting and not self.server.text() else self.seat).setFocus()
        if self.connecting and self.server.text():
            self.code.setFocus()

    def _on_ok(self) -> None:
        if not self.connecting:
            self._standalone(self.seat.text(), self.name.text())
            return
        assert self._connect is not None
        server = self.server.text().strip()
        self.show_message(fill(self.tr("Connecting to %1…"), server), error=False)
        self.ok_button.setEnabled(False)
        self._connect(server, self.code.text().strip(), self.username.text(), self.password.text())

    def show_errors(self, errors: list[FieldError]) -> None:
        for label in self.errors.values():
            label.hide()
        for error in errors:
            self.errors[error.field].setText(labels.field_error(error))
            self.errors[error.field].show()

    def show_refusal(self, reason: str) -> None:
        self.ok_button.setEnabled(True)
        self.show_message(enrol_refusal(reason, self.server.text().strip()), error=True)
        self.password.clear()
        self.code.setFocus()

    def show_message(self, text: str, error: bool) -> None:
        say(self.message, text, "error" if error else "hint")
