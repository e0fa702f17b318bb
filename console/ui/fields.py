"""Input widgets of the intake form that know the reference data: categories, places, agencies."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QStringListModel, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCompleter,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QWidget,
)

from console.domain.category_search import CategoryIndex
from console.domain.reference import Agency, Category, ReferenceData

CODE_ROLE = Qt.ItemDataRole.UserRole + 1


class CompletingLineEdit(QLineEdit):
    """A line edit that offers the names it is given, matching anywhere in the name."""

    def __init__(self, object_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self._names = QStringListModel(self)
        completer = QCompleter(self._names, self)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setCompleter(completer)

    def set_names(self, names: Iterable[str]) -> None:
        self._names.setStringList(list(names))


class CategoryField(QLineEdit):
    """Type Chinese, pinyin or pinyin initials; pick a leaf; the text becomes its full path."""

    category_changed = Signal(str)  # the leaf's code, or "" when none is chosen

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("intake.category")
        self._index: CategoryIndex | None = None
        self._by_path: dict[str, Category] = {}
        self._results = QStringListModel(self)
        self._completer = QCompleter(self._results, self)
        self._completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self._completer.setWidget(self)
        self._completer.setMaxVisibleItems(12)
        self._completer.activated.connect(self._on_completer_activated)
        self.textEdited.connect(self._on_text_edited)
        self.textChanged.connect(self._on_text_changed)

    def set_index(self, index: CategoryIndex, categories: Iterable[Category]) -> None:
        self._index = index
        self._by_path = {c.path: c for c in categories}

    def popup(self) -> QAbstractItemView | None:
        """The list of matching categories shown while typing."""
        return self._completer.popup()

    def code(self) -> str:
        category = self._by_path.get(self.text())
        return category.code if category else ""

    def set_code(self, code: str) -> None:
        path = next((p for p, c in self._by_path.items() if c.code == code), "")
        self.setText(path)

    def _on_text_changed(self, _text: str) -> None:
        self.category_changed.emit(self.code())

    def _on_text_edited(self, text: str) -> None:
        if self._index is None:
            return
        found = self._index.search(text, limit=30)
        self._results.setStringList([c.path for c in found])
        # Shown after the key event is fully handled: the completer's own key handling
        # would otherwise hide a popup opened in the middle of it.
        QTimer.singleShot(0, self._complete if found else self._hide_popup)

    def _hide_popup(self) -> None:
        popup = self.popup()
        if popup is not None:
            popup.hide()

    def _complete(self) -> None:
        if self.isVisible() and self.isEnabled():
            self._completer.complete()

    def _on_completer_activated(self, path: str) -> None:
        self.setText(path)


class AgencyField(CompletingLineEdit):
    """An agency chosen by name from the directory."""

    def __init__(self, object_name: str, parent: QWidget | None = None) -> None:
        super().__init__(object_name, parent)
        self._by_name: dict[str, Agency] = {}

    def set_agencies(self, agencies: Iterable[Agency]) -> None:
        self._by_name = {a.name: a for a in agencies}
        self.set_names(self._by_name)

    def agency(self) -> Agency | None:
        return self._by_name.get(self.text().strip())


class AssistingList(QListWidget):
    """Assisting agencies (协办) added to the case; Delete removes the selected one."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("intake.assisting_list")
        self.setMaximumHeight(72)

    def add(self, agency: Agency) -> None:
        if agency.code not in self.codes():
            item = QListWidgetItem(agency.name, self)
            item.setData(CODE_ROLE, agency.code)

    def codes(self) -> tuple[str, ...]:
        return tuple(str(self.item(i).data(CODE_ROLE)) for i in range(self.count()))

    def set_codes(self, codes: Iterable[str], ref: ReferenceData) -> None:
        self.clear()
        for code in codes:
            if code in ref.agencies:
                self.add(ref.agencies[code])

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            for item in self.selectedItems():
                self.takeItem(self.row(item))
            return
        super().keyPressEvent(event)
