"""The conflicts inbox: each change the centre did not take as it was, in plain words."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractListModel, QEvent, QModelIndex, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from console.domain.enums import Urgency, parse_enum
from console.domain.numbering import spoken_form
from console.domain.reference import ReferenceData
from console.sync.api import NotApplied, Problem
from console.ui import labels
from console.ui.labels import fill, translate
from console.ui.models import Index, local_time
from console.ui.sync_link import SyncLink
from console.ui.tasks import OnError

log = logging.getLogger(__name__)


def field_value(field: str, value: str, reference: ReferenceData) -> str:
    """A stored value as the form shows it: names, not codes."""
    urgency = parse_enum(Urgency, value) if field == "urgency" else None
    if urgency is not None:
        return labels.urgencies()[urgency]
    if field == "category_code" and value in reference.categories:
        return reference.categories[value].path
    if field == "lead_agency_code" and value in reference.agencies:
        return reference.agencies[value].name
    return value


def rejection_text(problem: Problem) -> str:
    """Why the centre refused the change, and what to do about it."""
    texts = {
        "invalid_args": translate(
            "Conflicts",
            "The centre could not accept a value. Open the case and correct the field named "
            "below, then save again.",
        ),
        "invalid_case": translate(
            "Conflicts",
            "The centre found the case incomplete. Open it and complete the fields named below.",
        ),
        "impossible_transition": translate(
            "Conflicts",
            "The case had moved on at the centre, so this step was no longer possible. Open "
            "the case to see where it stands now.",
        ),
        "not_your_case": translate(
            "Conflicts",
            "The case was reassigned to someone else, so this change was not applied. Tell "
            "the case's new owner if it still matters.",
        ),
        "role_not_allowed": translate(
            "Conflicts", "Your account may not make this change. Ask your supervisor."
        ),
        "unknown_case": translate(
            "Conflicts", "The centre does not know this case. Call IT support."
        ),
    }
    return texts.get(
        problem.reason,
        fill(
            translate("Conflicts", "The centre refused this change (%1). Call IT support."),
            problem.reason,
        ),
    )


def not_applied_text(item: NotApplied, reference: ReferenceData) -> str:
    text = fill(
        translate(
            "Conflicts",
            "%1: you wrote “%2”, but %3 had already changed it to “%4”. Kept: “%4”; yours was "
            "not applied.",
        ),
        labels.field_name(item.field),
        field_value(item.field, item.mine, reference),
        item.by,
        field_value(item.field, item.kept, reference),
    )
    if item.field == "description":
        text += " " + translate("Conflicts", "Your text was added to the case as a note.")
    return text


def problem_text(problem: Problem, reference: ReferenceData) -> str:
    """The whole story of one problem, for the inbox's reading pane."""
    lines = [
        fill(
            translate(
                "Conflicts", "Case %1 · changed on this console at %2 · the centre answered at %3"
            ),
            spoken_form(problem.case_no),
            local_time(problem.made_at),
            local_time(problem.answered_at),
        ),
        "",
    ]
    if problem.new_case_no:
        lines += [
            fill(
                translate(
                    "Conflicts",
                    "This case now has the number %1. Give the caller this number if they call "
                    "back; the old one is no longer valid.",
                ),
                spoken_form(problem.new_case_no),
            ),
            "",
        ]
    if problem.rejected:
        lines.append(rejection_text(problem))
        if problem.field_name:
            lines.append(
                fill(translate("Conflicts", "Field: %1"), labels.field_name(problem.field_name))
            )
        lines += [
            "• "
            + fill(
                translate("Conflicts", "%1: “%2” was not applied; the case keeps “%3”."),
                labels.field_name(item.field),
                field_value(item.field, item.mine, reference),
                field_value(item.field, item.kept, reference),
            )
            for item in problem.not_applied
        ]
        return "\n".join(lines)
    lines.append(
        translate(
            "Conflicts",
            "Someone changed this case at the centre while this console was offline:",
        )
    )
    lines += [f"• {not_applied_text(item, reference)}" for item in problem.not_applied]
    if problem.applied:
        names = ", ".join(labels.field_name(f) for f in problem.applied)
        lines += ["", fill(translate("Conflicts", "Applied from the same change: %1."), names)]
    return "\n".join(lines)


class ProblemModel(QAbstractListModel):
    """The inbox's list: one line per problem, newest first."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._problems: list[Problem] = []

    def replace(self, problems: list[Problem]) -> None:
        self.beginResetModel()
        self._problems = list(problems)
        self.endResetModel()

    def problem(self, row: int) -> Problem:
        return self._problems[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._problems)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        problem = self._problems[index.row()]
        kind = (
            translate("Conflicts", "Rejected")
            if problem.rejected
            else translate("Conflicts", "Conflict")
        )
        return f"{kind} · {spoken_form(problem.new_case_no or problem.case_no)}"


class ConflictsDialog(QDialog):
    """Signals:
    case_opened(str): the user asked to open the problem's case.
    resolved(int): how many problems are left after one was resolved.
    """

    case_opened = Signal(str)
    resolved = Signal(int)

    def __init__(self, link: SyncLink, reference: ReferenceData, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("conflicts.dialog")
        self.resize(900, 520)
        self._link = link
        self._reference = reference
        self.problems = ProblemModel(self)
        self.list = QListView(self)
        self.list.setObjectName("conflicts.list")
        self.list.setModel(self.problems)
        self.list.setMinimumWidth(260)
        self.list.setSpacing(2)
        self.list.selectionModel().currentChanged.connect(self._on_current_changed)
        self.reading = QLabel(self)
        self.reading.setObjectName("conflicts.reading")
        self.reading.setWordWrap(True)
        self.reading.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.reading.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.empty = QLabel(self)
        self.mine_button = QPushButton(self)
        self.mine_button.setObjectName("conflicts.apply_mine")
        self.mine_button.clicked.connect(self._apply_mine_again)
        self.theirs_button = QPushButton(self)
        self.theirs_button.setObjectName("conflicts.keep_theirs")
        self.theirs_button.clicked.connect(self._keep_theirs)
        self.open_button = QPushButton(self)
        self.open_button.setObjectName("conflicts.open_case")
        self.open_button.clicked.connect(self._open_case)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        self.close_button = buttons.button(QDialogButtonBox.StandardButton.Close)
        for button in (self.mine_button, self.theirs_button, self.open_button):
            buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        panes = QHBoxLayout()
        panes.addWidget(self.list, 1)
        panes.addWidget(self.reading, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.empty)
        layout.addLayout(panes, 1)
        layout.addWidget(buttons)
        self.retranslate()
        self.reload()

    def reload(self) -> None:
        self._link.problems(self._show)

    def _show(self, problems: list[Problem]) -> None:
        row = max(0, self.list.currentIndex().row())
        self.problems.replace(problems)
        if problems:
            self.list.setCurrentIndex(self.problems.index(min(row, len(problems) - 1)))
            self.list.setFocus()
        else:  # nothing left: Enter closes the inbox
            self.close_button.setFocus()
        self._on_current_changed()
        self.resolved.emit(len(problems))

    def current(self) -> Problem | None:
        index = self.list.currentIndex()
        return self.problems.problem(index.row()) if index.isValid() else None

    def _on_current_changed(self, *_indexes: QModelIndex) -> None:
        problem = self.current()
        self.reading.setText(problem_text(problem, self._reference) if problem else "")
        for button in (self.theirs_button, self.open_button):
            button.setEnabled(problem is not None)
        self.mine_button.setEnabled(problem is not None and not problem.rejected)
        self.retranslate()

    def _apply_mine_again(self) -> None:
        problem = self.current()
        if problem is not None and not problem.rejected:
            mid = problem.mid
            self._resolve(lambda done, failed: self._link.apply_mine_again(mid, done, failed))

    def _keep_theirs(self) -> None:
        problem = self.current()
        if problem is not None:
            mid = problem.mid
            self._resolve(lambda done, failed: self._link.keep_theirs(mid, done, failed))

    def _resolve(self, call: Callable[[Callable[[None], None], OnError], None]) -> None:
        """One resolution at a time; the inbox is read again whatever came of it."""
        self.setEnabled(False)

        def done(_result: None) -> None:
            self.setEnabled(True)
            self.reload()

        def failed(error: BaseException) -> None:
            log.error("resolving a conflict failed", exc_info=error)
            done(None)

        call(done, failed)

    def _open_case(self) -> None:
        problem = self.current()
        if problem is not None:
            self.case_opened.emit(problem.case_id)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Conflicts and rejected changes"))
        self.empty.setText(
            self.tr("Nothing to look at: every change was taken as it was made.")
            if self.problems.rowCount() == 0
            else self.tr("Changes the centre did not take as they were made, newest first.")
        )
        self.mine_button.setText(self.tr("&Apply mine again"))
        problem = self.current()
        rejected = problem is not None and problem.rejected
        self.theirs_button.setText(self.tr("&Dismiss") if rejected else self.tr("&Keep theirs"))
        self.open_button.setText(self.tr("&Open case"))
        self.list.setAccessibleName(self.tr("Conflicts"))
