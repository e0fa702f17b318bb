"""The intake form: keyboard-first, suggestions while typing, save with Ctrl+S."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDateTime, QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from console.domain.cases import SavedCase
from console.domain.errors import FieldError, ValidationFailed
from console.domain.intake import IntakeForm, validate
from console.domain.numbering import spoken_form
from console.domain.phone import parse_phone
from console.ui import labels
from console.ui.context import UiContext
from console.ui.form_state import FormState, read_form, write_form
from console.ui.models import local_time, qt_datetime

if TYPE_CHECKING:
    from console.workstation.intake import Suggestions

AUTOSAVE_MS = 1000
log = logging.getLogger(__name__)


class IntakePanel(QWidget):
    caller_number_changed = Signal(str)  # national text of a complete number, or "" if none
    case_saved = Signal(object)  # SavedCase
    draft_saved = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("intake.panel")
        self._ctx: UiContext | None = None
        self._dirty = False
        self._saving = False
        self._saved: SavedCase | None = None
        self._suggested_agency = ""
        self._deadline_overridden = False
        self._last_number = ""
        self._build()
        self._autosave = QTimer(self)
        self._autosave.setInterval(AUTOSAVE_MS)
        self._autosave.timeout.connect(self._on_autosave_timeout)
        self.setEnabled(False)
        self.retranslate()

    # -- construction -------------------------------------------------------------------
    def _build(self) -> None:
        w = self.widgets = FormState.create(self)
        self._errors: dict[str, QLabel] = {}
        self._captions: dict[str, QLabel] = {}
        # Two columns so the whole form fits a 1366×768 screen; the tab order stays the
        # order of the call (number, type, category, place, words, caller, handling).
        left = self._form_column(
            [
                ("caller_phone", w.caller_phone, "caller_phone"),
                ("appeal_type", w.appeal_type, "appeal_type"),
                ("category", w.category, "category"),
                ("description", w.description, "description"),
                ("urgency", w.urgency, "urgency"),
                ("caller_name", w.caller_name, "caller_name"),
                ("callback_phone", w.callback_phone, "callback_phone"),
                ("flags", self._stack(w.confidential, w.anonymous), ""),
            ]
        )
        right = self._form_column(
            [
                ("district", w.district, "district"),
                ("street", w.street, "street"),
                ("community", w.community, "community"),
                ("address", w.address, "address"),
                ("handling", self._stack(w.dispatch, w.direct_answer), "handling"),
                ("answer_text", w.answer_text, "answer_text"),
                ("lead_agency", self._stack(w.lead_agency, w.agency_reason), "lead_agency"),
                ("assisting", self._stack(w.assisting, w.assisting_list), "assisting_agencies"),
                ("deadline", self._stack(w.deadline, w.deadline_reason), "deadline"),
            ]
        )
        inner = QWidget(self)
        columns = QHBoxLayout(inner)
        for column in (left, right):
            box = QWidget(inner)
            # Ignored: the two columns share the width equally whatever their contents.
            box.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            stacked = QVBoxLayout(box)
            stacked.setContentsMargins(0, 0, 0, 0)
            stacked.addLayout(column)
            stacked.addStretch(1)
            columns.addWidget(box, 1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(inner)
        outer = QVBoxLayout(self)
        outer.addWidget(self._banner())
        outer.addWidget(scroll, 1)
        outer.addLayout(self._buttons())
        self._connect()

    def _form_column(self, rows: list[tuple[str, QWidget, str]]) -> QFormLayout:
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        for key, widget, error_field in rows:
            caption = QLabel(self)
            caption.setBuddy(widget.focusProxy() or widget)
            self._captions[key] = caption
            form.addRow(caption, self._with_error(widget, error_field))
        return form

    def _stack(self, first: QWidget, second: QWidget) -> QWidget:
        """Two widgets under one caption; focus goes to the first."""
        box = QWidget(self)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(first)
        layout.addWidget(second)
        box.setFocusProxy(first)
        return box

    def _with_error(self, field: QWidget, error_field: str) -> QWidget:
        if not error_field:
            return field
        label = QLabel(self)
        label.setObjectName(f"intake.error.{error_field}")
        label.setProperty("role", "error")
        label.setWordWrap(True)
        label.hide()
        self._errors[error_field] = label
        box = self._stack(field, label)
        box.setProperty("error_field", error_field)
        return box

    def _banner(self) -> QWidget:
        self._banner_frame = QFrame(self)
        self._banner_frame.setObjectName("intake.banner")
        layout = QHBoxLayout(self._banner_frame)
        self._banner_text = QLabel(self._banner_frame)
        self._banner_text.setObjectName("intake.banner_text")
        self._case_number = QLabel(self._banner_frame)
        self._case_number.setObjectName("intake.case_number")
        self._case_number.setTextInteractionFlags(
            self._case_number.textInteractionFlags().TextSelectableByMouse
        )
        big = QFont(self._case_number.font())
        big.setPointSizeF(big.pointSizeF() * 1.9)
        big.setBold(True)
        self._case_number.setFont(big)
        layout.addWidget(self._banner_text)
        layout.addWidget(self._case_number, 1)
        self._banner_frame.hide()
        return self._banner_frame

    def _buttons(self) -> QHBoxLayout:
        self.save_button = QPushButton(self)
        self.save_button.setObjectName("intake.save")
        self.save_button.setDefault(False)
        self.new_button = QPushButton(self)
        self.new_button.setObjectName("intake.new_call")
        layout = QHBoxLayout()
        layout.addStretch(1)
        layout.addWidget(self.new_button)
        layout.addWidget(self.save_button)
        self.save_button.clicked.connect(self.save)
        self.new_button.clicked.connect(self.new_call)
        return layout

    def _connect(self) -> None:
        w = self.widgets
        for edit in w.line_edits():
            edit.textEdited.connect(self._on_edited)
        for text in (w.description, w.answer_text):
            text.textChanged.connect(self._on_edited)
        for combo in (w.appeal_type, w.urgency):
            combo.activated.connect(self._on_edited)
        for box in (w.confidential, w.anonymous, w.dispatch, w.direct_answer):
            box.toggled.connect(self._on_edited)
        w.caller_phone.textChanged.connect(self._on_caller_phone_changed)
        w.category.category_changed.connect(self._update_suggestions)
        w.district.textChanged.connect(self._on_district_changed)
        w.street.textChanged.connect(self._on_street_changed)
        w.urgency.currentIndexChanged.connect(self._update_suggestions)
        w.dispatch.toggled.connect(self._on_handling_toggled)
        w.deadline.dateTimeChanged.connect(self._on_deadline_edited)
        w.assisting.returnPressed.connect(self._on_assisting_return)
        w.lead_agency.textEdited.connect(self._on_lead_agency_edited)

    # -- attaching the open console -----------------------------------------------------
    def attach(self, ctx: UiContext) -> None:
        self._ctx = ctx
        ref = ctx.console.reference
        w = self.widgets
        w.category.set_index(ctx.console.categories, ref.categories.values())
        w.district.set_names(d.name for d in ref.districts.values())
        w.street.set_names(s.name for s in ref.streets.values())
        w.lead_agency.set_agencies(ref.agencies.values())
        w.assisting.set_agencies(ref.agencies.values())
        self.setEnabled(True)
        self._autosave.start()
        self._update_suggestions()
        w.caller_phone.setFocus()

    def restore_draft(self, fields: dict[str, Any], saved_at: datetime) -> None:
        assert self._ctx is not None
        write_form(self.widgets, fields, self._ctx.console.reference)
        self._deadline_overridden = bool(fields.get("deadline"))
        self._show_banner(
            labels.fill(
                self.tr("Restored the call you were typing at %1 — it is not saved yet."),
                local_time(saved_at),
            ),
            "",
        )

    # -- state ---------------------------------------------------------------------------
    def form(self) -> IntakeForm:
        assert self._ctx is not None
        form = read_form(self.widgets)
        return replace(form, deadline=form.deadline if self._deadline_overridden else None)

    @property
    def saved_case(self) -> SavedCase | None:
        return self._saved

    def _on_edited(self, *_args: object) -> None:
        if self._saved is None:
            self._dirty = True

    def flush_draft(self) -> None:
        """Queue the unsaved typing now (closing the window); the writer finishes it."""
        self._on_autosave_timeout()

    def _on_autosave_timeout(self) -> None:
        if not self._dirty or self._saving or self._ctx is None:
            return
        self._dirty = False
        fields = read_form(self.widgets).__dict__ | {
            "deadline_overridden": self._deadline_overridden
        }
        payload = _jsonable(fields)
        drafts = self._ctx.console.drafts
        self._ctx.tasks.write(lambda: drafts.save(payload), lambda _: self.draft_saved.emit())

    # -- suggestions ---------------------------------------------------------------------
    def _on_caller_phone_changed(self, text: str) -> None:
        phone = parse_phone(text)
        number = phone.display if phone else ""
        if number != self._last_number:
            self._last_number = number
            self.caller_number_changed.emit(number)

    def _on_district_changed(self, _text: str) -> None:
        if self._ctx is None:
            return
        ref = self._ctx.console.reference
        district = ref.district_named(self.widgets.district.text().strip())
        streets = ref.streets_of(district.code) if district else list(ref.streets.values())
        self.widgets.street.set_names(s.name for s in streets)
        self._update_suggestions()

    def _on_street_changed(self, _text: str) -> None:
        self._update_suggestions()
        if self._ctx is None:
            return
        location = self._location_codes()
        if location[1]:
            cases = self._ctx.console.cases
            self._ctx.tasks.read(
                lambda: cases.communities(location[1]), self.widgets.community.set_names
            )

    def _location_codes(self) -> tuple[str, str]:
        assert self._ctx is not None
        from console.domain.intake import resolve_location

        location = resolve_location(self._ctx.console.reference, read_form(self.widgets))
        return location.district_code, location.street_code

    def _update_suggestions(self, *_args: object) -> None:
        """Fill agency and deadline from the rules, unless the call-taker chose their own."""
        if self._ctx is None:
            return
        w = self.widgets
        suggestion = self._ctx.console.intake.suggest(read_form(w))
        if self._saved is None:
            agency = suggestion.agency.agency.name if suggestion.agency else ""
            if agency and w.lead_agency.text().strip() in ("", self._suggested_agency):
                w.lead_agency.setText(agency)
            self._suggested_agency = agency
            if not self._deadline_overridden:
                w.deadline.blockSignals(True)
                w.deadline.setDateTime(qt_datetime(suggestion.deadline.due(datetime.now(UTC))))
                w.deadline.blockSignals(False)
        self._show_reasons(suggestion)

    def _on_lead_agency_edited(self, _text: str) -> None:
        assert self._ctx is not None
        self._show_reasons(self._ctx.console.intake.suggest(read_form(self.widgets)))

    def _show_reasons(self, suggestion: Suggestions) -> None:
        w = self.widgets
        rule = suggestion.deadline.rule
        w.deadline_reason.setText(labels.fill(self.tr("SLA rule %1: %2"), rule.id, rule.label))
        agency = suggestion.agency
        if agency is None:
            w.agency_reason.setText("")
        elif w.lead_agency.text().strip() == agency.agency.name:
            template = self.tr("Suggested by routing rule %1 (line %2): %3")
            w.agency_reason.setText(
                labels.fill(template, agency.rule.id, agency.rule.line, agency.rule.reason)
            )
        else:
            template = self.tr("Chosen by you; the rules suggest %1.")
            w.agency_reason.setText(labels.fill(template, agency.agency.name))

    def _on_deadline_edited(self, _value: QDateTime) -> None:
        self._deadline_overridden = True
        self._on_edited()

    def _on_handling_toggled(self, dispatch: bool) -> None:
        w = self.widgets
        w.answer_text.setEnabled(not dispatch)
        for widget in (w.lead_agency, w.assisting, w.assisting_list, w.deadline):
            widget.setEnabled(dispatch)

    def _on_assisting_return(self) -> None:
        agency = self.widgets.assisting.agency()
        if agency is not None:
            self.widgets.assisting_list.add(agency)
            self.widgets.assisting.clear()
            self._on_edited()

    # -- save and next call ----------------------------------------------------------------
    def save(self) -> None:
        if self._ctx is None or self._saving or self._saved is not None:
            return
        form = self.form()
        checked = validate(self._ctx.console.reference, form)
        if isinstance(checked, list):
            self._show_errors(checked)
            return
        self._show_errors([])
        self._saving = True
        self.save_button.setEnabled(False)
        intake, operator = self._ctx.console.intake, self._ctx.operator
        self._ctx.tasks.write(
            lambda: intake.submit(form, operator), self._on_saved, self._on_save_failed
        )

    def _on_saved(self, saved: SavedCase) -> None:
        self._saving = False
        self._dirty = False
        self._saved = saved
        self._set_editable(False)
        self._show_banner(self.tr("Saved. Case number:"), spoken_form(saved.case_no))
        self.new_button.setFocus()
        self.case_saved.emit(saved)

    def _on_save_failed(self, error: BaseException) -> None:
        self._saving = False
        self.save_button.setEnabled(True)
        if isinstance(error, ValidationFailed):
            self._show_errors(error.errors)
            return
        log.error("save failed", exc_info=error)
        self._show_banner(labels.fill(self.tr("Not saved: %1"), str(error)), "")

    def new_call(self) -> None:
        if self._ctx is None or self._saving:
            return
        had_unsaved = self._saved is None
        write_form(self.widgets, {}, self._ctx.console.reference)
        self._saved = None
        self._dirty = False
        self._deadline_overridden = False
        self._suggested_agency = ""
        self._set_editable(True)
        self._show_errors([])
        self._banner_frame.hide()
        self._update_suggestions()
        if had_unsaved:
            self._ctx.tasks.write(self._ctx.console.drafts.discard, lambda _: None)
        self.widgets.caller_phone.setFocus()

    def _set_editable(self, editable: bool) -> None:
        for widget in self.widgets.inputs():
            widget.setEnabled(editable)
        self.save_button.setEnabled(editable)
        if editable:
            self._on_handling_toggled(self.widgets.dispatch.isChecked())

    def _show_errors(self, errors: list[FieldError]) -> None:
        for label in self._errors.values():
            label.hide()
        shown = [(self._errors[e.field], e) for e in errors if e.field in self._errors]
        for label, error in shown:
            label.setText(labels.field_error(error))
            label.show()
        box = shown[0][0].parentWidget() if shown else None
        if box is not None:
            box.setFocus()  # the box's focus proxy is the field itself

    def _show_banner(self, text: str, number: str) -> None:
        self._banner_text.setText(text)
        self._case_number.setText(number)
        self._case_number.setVisible(bool(number))
        self._banner_frame.setProperty("kind", "saved" if number else "info")
        self._banner_frame.style().unpolish(self._banner_frame)
        self._banner_frame.style().polish(self._banner_frame)
        self._banner_frame.show()

    # -- language ------------------------------------------------------------------------
    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        captions = {
            "caller_phone": self.tr("Caller &phone"),
            "appeal_type": self.tr("Appeal t&ype"),
            "category": self.tr("&Category"),
            "district": self.tr("&District"),
            "street": self.tr("S&treet / township"),
            "community": self.tr("C&ommunity"),
            "address": self.tr("&Address"),
            "description": self.tr("D&escription"),
            "urgency": self.tr("&Urgency"),
            "caller_name": self.tr("Caller na&me"),
            "callback_phone": self.tr("Call&back number"),
            "flags": self.tr("Caller"),
            "handling": self.tr("Handling"),
            "answer_text": self.tr("Ans&wer given"),
            "lead_agency": self.tr("&Lead agency"),
            "assisting": self.tr("A&ssisting agencies"),
            "deadline": self.tr("Deadli&ne"),
        }
        for key, text in captions.items():
            self._captions[key].setText(text)
        self.widgets.retranslate()
        self.save_button.setText(self.tr("Save (Ctrl+S)"))
        self.new_button.setText(self.tr("New call (Ctrl+N)"))
        self.save_button.setAccessibleName(self.tr("Save case"))
        self.new_button.setAccessibleName(self.tr("New call"))
        self._case_number.setAccessibleName(self.tr("Case number"))
        if self._saved is not None:
            self._banner_text.setText(self.tr("Saved. Case number:"))
        self._update_suggestions()


def _jsonable(fields: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in fields.items()}
