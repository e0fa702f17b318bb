"""Parts the first-start and sign-in dialogs share: the user name and password fields, the
line that says how it went, and the buttons."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QPushButton, QWidget


def credentials(
    parent: QWidget, prefix: str, user_name: str, password: str
) -> tuple[QLineEdit, QLineEdit]:
    """The user name and password fields (`prefix`.username, `prefix`.password), with the
    names a screen reader says; the password is not shown."""
    fields = []
    for name, spoken in (("username", user_name), ("password", password)):
        field = QLineEdit(parent)
        field.setObjectName(f"{prefix}.{name}")
        field.setAccessibleName(spoken)
        fields.append(field)
    fields[1].setEchoMode(QLineEdit.EchoMode.Password)
    return fields[0], fields[1]


def message_line(parent: QWidget, name: str) -> QLabel:
    """The line under the form that says how it went, hidden until there is something."""
    label = QLabel(parent)
    label.setObjectName(name)
    label.setWordWrap(True)
    label.hide()
    return label


def say(label: QLabel, text: str, role: str) -> None:
    """Show `text` on the message line, styled as `role` (hint, error)."""
    label.setText(text)
    label.setProperty("role", role)
    label.style().polish(label)
    label.show()


def ok_and_quit(
    dialog: QDialog, ok_name: str, quit_text: str
) -> tuple[QDialogButtonBox, QPushButton, QPushButton]:
    """The default button (`ok_name`, accepting) and a Quit button that rejects the dialog."""
    buttons = QDialogButtonBox(dialog)
    ok_button = QPushButton(dialog)
    ok_button.setObjectName(ok_name)
    ok_button.setDefault(True)
    buttons.addButton(ok_button, QDialogButtonBox.ButtonRole.AcceptRole)
    quit_button = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
    quit_button.setText(quit_text)
    buttons.rejected.connect(dialog.reject)
    return buttons, ok_button, quit_button
