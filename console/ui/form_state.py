"""The intake form's widgets, and moving their contents to and from an `IntakeForm`."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QWidget,
)

from console.domain.enums import AppealType, Handling, Urgency
from console.domain.intake import LIMITS, IntakeForm
from console.domain.reference import ReferenceData
from console.ui import labels
from console.ui.fields import AgencyField, AssistingList, CategoryField, CompletingLineEdit
from console.ui.labels import translate
from console.ui.models import CENTRE_ZONE, from_qt, qt_datetime

_APPEALS = list(AppealType)
_URGENCIES = list(Urgency)


@dataclass
class FormState:
    caller_phone: QLineEdit
    appeal_type: QComboBox
    category: CategoryField
    district: CompletingLineEdit
    street: CompletingLineEdit
    community: CompletingLineEdit
    address: QLineEdit
    description: QPlainTextEdit
    urgency: QComboBox
    caller_name: QLineEdit
    callback_phone: QLineEdit
    confidential: QCheckBox
    anonymous: QCheckBox
    dispatch: QRadioButton
    direct_answer: QRadioButton
    answer_text: QPlainTextEdit
    lead_agency: AgencyField
    agency_reason: QLabel
    assisting: AgencyField
    assisting_list: AssistingList
    deadline: QDateTimeEdit
    deadline_reason: QLabel

    @classmethod
    def create(cls, parent: QWidget) -> FormState:
        state = cls(
            caller_phone=QLineEdit(parent),
            appeal_type=QComboBox(parent),
            category=CategoryField(parent),
            district=CompletingLineEdit("intake.district", parent),
            street=CompletingLineEdit("intake.street", parent),
            community=CompletingLineEdit("intake.community", parent),
            address=QLineEdit(parent),
            description=QPlainTextEdit(parent),
            urgency=QComboBox(parent),
            caller_name=QLineEdit(parent),
            callback_phone=QLineEdit(parent),
            confidential=QCheckBox(parent),
            anonymous=QCheckBox(parent),
            dispatch=QRadioButton(parent),
            direct_answer=QRadioButton(parent),
            answer_text=QPlainTextEdit(parent),
            lead_agency=AgencyField("intake.lead_agency", parent),
            agency_reason=QLabel(parent),
            assisting=AgencyField("intake.assisting", parent),
            assisting_list=AssistingList(parent),
            deadline=QDateTimeEdit(parent),
            deadline_reason=QLabel(parent),
        )
        state._configure()
        return state

    def _configure(self) -> None:
        for f in fields(self):
            widget = getattr(self, f.name)
            if not widget.objectName():
                widget.setObjectName(f"intake.{f.name}")
        self.appeal_type.addItems([""] * len(_APPEALS))
        self.appeal_type.setCurrentIndex(-1)
        self.urgency.addItems([""] * len(_URGENCIES))
        for text in (self.description, self.answer_text):
            text.setTabChangesFocus(True)
        self.description.setMinimumHeight(110)
        self.answer_text.setMaximumHeight(80)
        self.dispatch.setChecked(True)
        self.answer_text.setEnabled(False)
        self.deadline.setCalendarPopup(True)
        self.deadline.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.deadline.setTimeZone(CENTRE_ZONE)
        for label in (self.agency_reason, self.deadline_reason):
            label.setWordWrap(True)
            label.setProperty("role", "hint")
        for name, limit in LIMITS.items():
            widget = getattr(self, name, None)
            if isinstance(widget, QLineEdit):
                widget.setMaxLength(limit)
        self.caller_phone.setMaxLength(32)
        self.callback_phone.setMaxLength(32)

    def line_edits(self) -> list[QLineEdit]:
        return [
            getattr(self, f.name)
            for f in fields(self)
            if isinstance(getattr(self, f.name), QLineEdit)
        ]

    def inputs(self) -> list[QWidget]:
        return [
            getattr(self, f.name)
            for f in fields(self)
            if not isinstance(getattr(self, f.name), QLabel)
        ]

    def retranslate(self) -> None:
        for i, text in enumerate(labels.appeal_types().values()):
            self.appeal_type.setItemText(i, text)
        for i, text in enumerate(labels.urgencies().values()):
            self.urgency.setItemText(i, text)
        self.appeal_type.setPlaceholderText(translate("IntakePanel", "Choose…"))
        self.caller_phone.setPlaceholderText(
            translate("IntakePanel", "Mobile or fixed line, e.g. 13812345678 or 010 6512 3456")
        )
        self.category.setPlaceholderText(
            translate("IntakePanel", "Type Chinese, pinyin or initials: 占道, zhandao, zdjy")
        )
        self.address.setPlaceholderText(
            translate("IntakePanel", "Free address; an unknown place never blocks saving")
        )
        self.confidential.setText(translate("IntakePanel", "Confidential"))
        self.confidential.setToolTip(translate("IntakePanel", "The agency does not see who called"))
        self.anonymous.setText(translate("IntakePanel", "Anonymous"))
        self.dispatch.setText(labels.handlings()[Handling.DISPATCH])
        self.direct_answer.setText(labels.handlings()[Handling.DIRECT_ANSWER])
        self.assisting.setPlaceholderText(
            translate("IntakePanel", "Type an agency and press Enter to add it")
        )
        names = {
            "caller_phone": translate("IntakePanel", "Caller phone"),
            "appeal_type": translate("IntakePanel", "Appeal type"),
            "category": translate("IntakePanel", "Category"),
            "district": translate("IntakePanel", "District"),
            "street": translate("IntakePanel", "Street or township"),
            "community": translate("IntakePanel", "Community"),
            "address": translate("IntakePanel", "Address"),
            "description": translate("IntakePanel", "Description"),
            "urgency": translate("IntakePanel", "Urgency"),
            "caller_name": translate("IntakePanel", "Caller name"),
            "callback_phone": translate("IntakePanel", "Callback number"),
            "answer_text": translate("IntakePanel", "Answer given"),
            "lead_agency": translate("IntakePanel", "Lead agency"),
            "assisting": translate("IntakePanel", "Assisting agency"),
            "assisting_list": translate("IntakePanel", "Assisting agencies"),
            "deadline": translate("IntakePanel", "Deadline"),
        }
        for name, accessible in names.items():
            getattr(self, name).setAccessibleName(accessible)


def read_form(w: FormState) -> IntakeForm:
    appeal = w.appeal_type.currentIndex()
    agency = w.lead_agency.agency()
    return IntakeForm(
        caller_phone=w.caller_phone.text(),
        appeal_type=_APPEALS[appeal].value if appeal >= 0 else "",
        category_code=w.category.code(),
        district=w.district.text(),
        street=w.street.text(),
        community=w.community.text(),
        address=w.address.text(),
        description=w.description.toPlainText(),
        urgency=_URGENCIES[max(w.urgency.currentIndex(), 0)].value,
        caller_name=w.caller_name.text(),
        callback_phone=w.callback_phone.text(),
        confidential=w.confidential.isChecked(),
        anonymous=w.anonymous.isChecked(),
        handling=(Handling.DISPATCH if w.dispatch.isChecked() else Handling.DIRECT_ANSWER).value,
        answer_text=w.answer_text.toPlainText(),
        lead_agency_code=agency.code if agency else "",
        assisting_agency_codes=w.assisting_list.codes(),
        deadline=from_qt(w.deadline.dateTime()),
    )


def write_form(w: FormState, values: dict[str, Any], ref: ReferenceData) -> None:
    """Fill the widgets from a stored draft; an empty dict clears the form."""
    form = IntakeForm()
    text = {
        f.name: str(values.get(f.name, getattr(form, f.name)))
        for f in fields(form)
        if isinstance(getattr(form, f.name), str)
    }
    for name in (
        "caller_phone",
        "district",
        "street",
        "community",
        "address",
        "caller_name",
        "callback_phone",
    ):
        getattr(w, name).setText(text[name])
    w.description.setPlainText(text["description"])
    w.answer_text.setPlainText(text["answer_text"])
    appeals = [a.value for a in _APPEALS]
    w.appeal_type.setCurrentIndex(
        appeals.index(text["appeal_type"]) if text["appeal_type"] in appeals else -1
    )
    urgencies = [u.value for u in _URGENCIES]
    w.urgency.setCurrentIndex(
        urgencies.index(text["urgency"]) if text["urgency"] in urgencies else 0
    )
    w.category.set_code(text["category_code"])
    w.confidential.setChecked(bool(values.get("confidential")))
    w.anonymous.setChecked(bool(values.get("anonymous")))
    direct = text["handling"] == Handling.DIRECT_ANSWER.value
    (w.direct_answer if direct else w.dispatch).setChecked(True)
    agency = ref.agencies.get(text["lead_agency_code"])
    w.lead_agency.setText(agency.name if agency else "")
    w.assisting.clear()
    w.assisting_list.set_codes(values.get("assisting_agency_codes", ()), ref)
    deadline = values.get("deadline")
    if deadline and values.get("deadline_overridden"):
        w.deadline.setDateTime(qt_datetime(datetime.fromisoformat(deadline)))
