"""Item models over the frozen case views the services return."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QDateTime,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimeZone,
)
from PySide6.QtGui import QBrush, QColor, QFont

from console.domain.cases import Badge, CaseEvent, CaseSummary
from console.domain.enums import EventKind
from console.domain.numbering import CENTRE_TZ, spoken_form
from console.ui import labels
from console.ui.labels import translate

CASE_ID_ROLE = Qt.ItemDataRole.UserRole + 1
PageCallback = Callable[[list[CaseSummary]], None]
PageLoader = Callable[[int, PageCallback], None]
Index = QModelIndex | QPersistentModelIndex
_OVERDUE = QColor("#b3261e")
# Quiet for the usual states, visible for the two that need the user.
_BADGE_COLOURS = {
    Badge.SYNCED: QColor("#3f6b4f"),
    Badge.WAITING: QColor("#5b6472"),
    Badge.CONFLICT: QColor("#8a5a00"),
    Badge.REJECTED: QColor("#b3261e"),
}


# Times are shown in the centre's time, whatever the workstation's clock is set to.
CENTRE_ZONE = QTimeZone.fromSecondsAheadOfUtc(round(CENTRE_TZ.utcoffset(None).total_seconds()))


def qt_datetime(moment: datetime) -> QDateTime:
    return QDateTime.fromMSecsSinceEpoch(round(moment.timestamp() * 1000), CENTRE_ZONE)


def from_qt(moment: QDateTime) -> datetime:
    return datetime.fromtimestamp(moment.toMSecsSinceEpoch() / 1000, UTC)


def local_time(moment: datetime | None) -> str:
    return moment.astimezone(CENTRE_TZ).strftime("%Y-%m-%d %H:%M") if moment else ""


def short_time(moment: datetime | None) -> str:
    """Month, day and time: what a row has room for (the year is in the case number)."""
    return moment.astimezone(CENTRE_TZ).strftime("%m-%d %H:%M") if moment else ""


class CaseTableModel(QAbstractTableModel):
    """Cases in pages: the first page is handed in, later ones load as the view scrolls."""

    def __init__(self, page_size: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._page_size = page_size
        self._rows: list[CaseSummary] = []
        self._loader: PageLoader | None = None
        self._has_more = False
        self._loading = False
        self._generation = 0
        self._badges = False

    def show_badges(self, shown: bool) -> None:
        """A connected console shows each row's sync state in a last column."""
        self.beginResetModel()
        self._badges = shown
        self.endResetModel()

    @property
    def badge_column(self) -> int | None:
        return len(_HEADERS) if self._badges else None

    def replace(self, first_page: list[CaseSummary], loader: PageLoader | None) -> None:
        self.beginResetModel()
        self._generation += 1
        self._rows = list(first_page)
        self._loader = loader
        self._has_more = loader is not None and len(first_page) >= self._page_size
        self._loading = False
        self.endResetModel()

    def case_at(self, row: int) -> CaseSummary:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(_HEADERS) + (1 if self._badges else 0)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            if section == self.badge_column:
                return translate("CaseTable", "Sync")
            return translate("CaseTable", _HEADERS[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        case = self._rows[index.row()]
        if index.column() == self.badge_column:
            return _badge_data(case.badge, role)
        if role == Qt.ItemDataRole.DisplayRole:
            return _cell(case, index.column())
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{local_time(case.created_at)}  {case.category_path}\n{case.description}"
        if role == CASE_ID_ROLE:
            return case.id
        if role == Qt.ItemDataRole.ForegroundRole and _overdue(case):
            return QBrush(_OVERDUE)
        if role == Qt.ItemDataRole.FontRole and case.is_open:
            font = QFont()
            font.setBold(True)
            return font
        return None

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self._has_more and not self._loading

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if not self.canFetchMore(parent) or self._loader is None:
            return
        self._loading = True
        generation = self._generation
        self._loader(len(self._rows), lambda page: self._append(generation, page))

    def _append(self, generation: int, page: list[CaseSummary]) -> None:
        if generation != self._generation:
            return
        self._loading = False
        self._has_more = len(page) >= self._page_size
        if page:
            start = len(self._rows)
            self.beginInsertRows(QModelIndex(), start, start + len(page) - 1)
            self._rows.extend(page)
            self.endInsertRows()


_HEADERS = ("Case number", "Status", "Category", "Lead agency", "Deadline")
# Listed for the translation tool, which cannot see through the tuple above.
_ = (
    translate("CaseTable", "Case number"),
    translate("CaseTable", "Status"),
    translate("CaseTable", "Category"),
    translate("CaseTable", "Lead agency"),
    translate("CaseTable", "Deadline"),
)


def badges() -> dict[Badge, str]:
    return {
        Badge.LOCAL: "",
        Badge.SYNCED: translate("CaseTable", "synced"),
        Badge.WAITING: translate("CaseTable", "waiting"),
        Badge.CONFLICT: translate("CaseTable", "conflict"),
        Badge.REJECTED: translate("CaseTable", "rejected"),
    }


def _badge_data(badge: Badge, role: int) -> Any:
    if role == Qt.ItemDataRole.DisplayRole:
        return badges()[badge]
    if role == Qt.ItemDataRole.ForegroundRole and badge in _BADGE_COLOURS:
        return QBrush(_BADGE_COLOURS[badge])
    if role == Qt.ItemDataRole.ToolTipRole:
        return {
            Badge.SYNCED: translate("CaseTable", "The centre has this case as shown."),
            Badge.WAITING: translate("CaseTable", "Saved here; waiting to be sent to the centre."),
            Badge.CONFLICT: translate(
                "CaseTable", "Someone else changed this case too: see the conflicts (Ctrl+I)."
            ),
            Badge.REJECTED: translate(
                "CaseTable", "The centre refused a change: see the conflicts (Ctrl+I)."
            ),
        }.get(badge)
    return None


def _overdue(case: CaseSummary) -> bool:
    return case.is_open and case.deadline_at is not None and case.deadline_at < datetime.now(UTC)


def _cell(case: CaseSummary, column: int) -> str:
    # The case number starts with the date it was taken: no separate column for that.
    if column == 0:
        return spoken_form(case.case_no)
    if column == 1:
        return labels.statuses()[case.status]
    if column == 2:
        return case.category_path.rsplit(" › ", 1)[-1]
    if column == 3:
        return case.lead_agency_name
    return short_time(case.deadline_at)


def _event_detail(event: CaseEvent) -> str:
    if event.kind is EventKind.CREATED:
        return spoken_form(event.detail)
    if event.kind in (EventKind.UPDATED, EventKind.CONFLICT):  # fields, named as on the form
        return ", ".join(labels.field_name(f) for f in event.detail.split(", ") if f)
    return event.detail


class EventTableModel(QAbstractTableModel):
    """A case's timeline."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._events: tuple[CaseEvent, ...] = ()

    def replace(self, events: tuple[CaseEvent, ...]) -> None:
        self.beginResetModel()
        self._events = events
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._events)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 3

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            headers = (
                translate("Timeline", "When"),
                translate("Timeline", "Event"),
                translate("Timeline", "By"),
            )
            return headers[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        event = self._events[index.row()]
        if index.column() == 0:
            return local_time(event.at)
        if index.column() == 1:
            return f"{labels.events()[event.kind]} {_event_detail(event)}".strip()
        return f"{event.actor} ({event.seat_code})"
