"""Sign-in at a connected workstation: each user with their own account, once per shift."""

from __future__ import annotations

import math
from collections.abc import Callable

from PySide6.QtWidgets import QDialog, QFormLayout, QLabel, QVBoxLayout, QWidget

from console.sync.api import SignInRefused
from console.ui.dialog_parts import credentials, message_line, ok_and_quit, say
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
        self.username, self.password = credentials(
            self, "signin", self.tr("User name"), self.tr("Password")
        )
        self.message = message_line(self, "signin.message")
        form = QFormLayout()
        form.addRow(self.tr("&User name"), self.username)
        form.addRow(self.tr("&Password"), self.password)
        buttons, self.ok_button, _ = ok_and_quit(self, "signin.ok", self.tr("&Quit"))
        self.ok_button.setText(self.tr("&Sign in"))
        buttons.accepted.connect(self._on_ok)
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
        say(self.message, self.tr("Signing in…"), "hint")
        self.ok_button.setEnabled(False)
        self._submit(self.username.text().strip(), self.password.text())

    def show_refusal(self, refusal: SignInRefused) -> None:
        self.ok_button.setEnabled(True)
        say(self.message, self.refusal_text(refusal), "error")
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
