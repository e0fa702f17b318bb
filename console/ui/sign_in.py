"""Sign-in at a connected workstation: each user with their own account, once per shift."""

from __future__ import annotations

import math
from collections.abc import Callable

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from console.sync.api import SignInRefused
from console.ui.labels import fill


class SignInDialog(QDialog):
    """User name and password; the caller signs in and answers with `show_refusal`."""

    def __init__(
        self,
        submit: Callable[[str, str], None],
        seat_code: str,
        notice: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("signin.dialog")
        self.setWindowTitle(fill(self.tr("Sign in · seat %1"), seat_code))
        self.setMinimumWidth(480)
        self._submit = submit
        intro = QLabel(self.tr("Sign in with your own account for this shift."), self)
        self.notice = QLabel(notice, self)
        self.notice.setObjectName("signin.notice")
        self.notice.setProperty("role", "warning")
        self.notice.setWordWrap(True)
        self.notice.setVisible(bool(notice))
        self.username = QLineEdit(self)
        self.username.setObjectName("signin.username")
        self.username.setAccessibleName(self.tr("User name"))
        self.password = QLineEdit(self)
        self.password.setObjectName("signin.password")
        self.password.setAccessibleName(self.tr("Password"))
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = QLabel(self)
        self.message.setObjectName("signin.message")
        self.message.setWordWrap(True)
        self.message.hide()
        form = QFormLayout()
        form.addRow(self.tr("&User name"), self.username)
        form.addRow(self.tr("&Password"), self.password)
        buttons = QDialogButtonBox(self)
        self.ok_button = QPushButton(self.tr("&Sign in"), self)
        self.ok_button.setObjectName("signin.ok")
        self.ok_button.setDefault(True)
        buttons.addButton(self.ok_button, QDialogButtonBox.ButtonRole.AcceptRole)
        quit_button = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        quit_button.setText(self.tr("&Quit"))
        buttons.accepted.connect(self._on_ok)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (intro, self.notice):
            layout.addWidget(widget)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.username.setFocus()

    def _on_ok(self) -> None:
        if not self.username.text().strip():
            self.username.setFocus()
            return
        self.message.setText(self.tr("Signing in…"))
        self.message.setProperty("role", "hint")
        self.message.style().polish(self.message)
        self.message.show()
        self.ok_button.setEnabled(False)
        self._submit(self.username.text().strip(), self.password.text())

    def show_refusal(self, refusal: SignInRefused) -> None:
        self.ok_button.setEnabled(True)
        self.message.setText(self.refusal_text(refusal))
        self.message.setProperty("role", "error")
        self.message.style().polish(self.message)
        self.message.show()
        self.password.clear()
        self.password.setFocus()

    def refusal_text(self, refusal: SignInRefused) -> str:
        if refusal.reason == "throttled":
            wait = math.ceil(refusal.retry_after or 60)
            return fill(self.tr("Too many tries. Wait %1 seconds, then try again."), wait)
        texts = {
            "wrong_credentials": self.tr("Wrong user name or password."),
            "unknown_here_offline": self.tr(
                "The centre cannot be reached, and you have never signed in at this "
                "workstation, so it cannot check your password. Try again when the network "
                "is back, or use a workstation where you have signed in before."
            ),
            "disabled": self.tr("This account is disabled. Ask your supervisor."),
            "not_allowed": self.tr(
                "This account cannot sign in at a workstation. Ask your supervisor which "
                "account to use."
            ),
            "unreachable": self.tr("The centre cannot be reached. Try again in a moment."),
            "not_connected": self.tr("This workstation is not connected to the centre."),
        }
        return texts.get(refusal.reason, fill(self.tr("Sign-in refused: %1"), refusal.reason))
