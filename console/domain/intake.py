"""The intake form as the call-taker filled it, and the rules it must meet to be saved."""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from datetime import datetime
from typing import Any

from console.domain.enums import AppealType, Handling, Urgency, parse_enum
from console.domain.errors import FieldError
from console.domain.phone import Phone, parse_phone
from console.domain.reference import ReferenceData
from console.domain.text import typed

LIMITS = {
    "description": 4000,
    "caller_name": 50,
    "address": 200,
    "community": 50,
    "district": 30,
    "street": 30,
    "answer_text": 4000,
}
MIN_DESCRIPTION = 5
# Appeal types whose handling needs to know where the problem is (at least a district or an
# address): a complaint, help request or report is sent to whoever is responsible there.
_NEEDS_LOCATION = frozenset({AppealType.COMPLAINT, AppealType.HELP, AppealType.REPORT})
# A complaint answered by the agency needs a name to call back unless the caller is anonymous.
_NEEDS_NAME = frozenset({AppealType.COMPLAINT})


@dataclass(frozen=True)
class IntakeForm:
    """Everything typed or chosen on the intake screen, as text and flags."""

    caller_phone: str = ""
    appeal_type: str = ""
    category_code: str = ""
    district: str = ""
    street: str = ""
    community: str = ""
    address: str = ""
    description: str = ""
    urgency: str = Urgency.NORMAL.value
    caller_name: str = ""
    callback_phone: str = ""
    confidential: bool = False
    anonymous: bool = False
    handling: str = Handling.DISPATCH.value
    answer_text: str = ""
    lead_agency_code: str = ""
    assisting_agency_codes: tuple[str, ...] = ()
    deadline: datetime | None = field(default=None)

    def as_typed(self) -> IntakeForm:
        """The form without control characters in its text (see `text.typed`)."""
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        texts: dict[str, Any] = {k: typed(v) for k, v in values.items() if isinstance(v, str)}
        return replace(self, **texts)


@dataclass(frozen=True)
class Location:
    district_code: str
    district_name: str
    street_code: str
    street_name: str
    community: str
    address: str


@dataclass(frozen=True)
class ValidIntake:
    """An intake that passed validation, normalised and ready to be stored."""

    form: IntakeForm
    phone: Phone
    callback: Phone | None
    appeal_type: AppealType
    urgency: Urgency
    handling: Handling
    location: Location


def resolve_location(ref: ReferenceData, form: IntakeForm) -> Location:
    """Codes for the names typed, where they are known; unknown names are kept as text."""
    district = ref.district_named(form.district.strip())
    named = ref.streets_named(form.street.strip())
    street = next((s for s in named if not district or s.district_code == district.code), None)
    if street and not district:
        district = ref.districts[street.district_code]
    return Location(
        district_code=district.code if district else "",
        district_name=district.name if district else form.district.strip(),
        street_code=street.code if street else "",
        street_name=street.name if street else form.street.strip(),
        community=form.community.strip(),
        address=form.address.strip(),
    )


def validate(ref: ReferenceData, form: IntakeForm) -> ValidIntake | list[FieldError]:
    """The normalised intake, or every problem found (never just the first)."""
    errors: list[FieldError] = []

    def check(condition: bool, name: str, code: str) -> None:
        if condition and not any(e.field == name for e in errors):
            errors.append(FieldError(name, code))

    phone = parse_phone(form.caller_phone)
    check(not form.caller_phone.strip(), "caller_phone", "required")
    check(phone is None, "caller_phone", "invalid_phone")
    callback = parse_phone(form.callback_phone) if form.callback_phone.strip() else None
    check(bool(form.callback_phone.strip()) and callback is None, "callback_phone", "invalid_phone")
    appeal = parse_enum(AppealType, form.appeal_type)
    check(appeal is None, "appeal_type", "required")
    check(form.category_code not in ref.categories, "category", "required")
    description = form.description.strip()
    check(not description, "description", "required")
    check(len(description) < MIN_DESCRIPTION, "description", "too_short")
    for name, limit in LIMITS.items():
        check(len(str(getattr(form, name)).strip()) > limit, name, "too_long")
    urgency = parse_enum(Urgency, form.urgency)
    check(urgency is None, "urgency", "required")
    handling = parse_enum(Handling, form.handling)
    check(handling is None, "handling", "required")
    location = resolve_location(ref, form)
    if appeal in _NEEDS_LOCATION:
        check(not (location.district_name or location.address), "address", "location_required")
    if appeal in _NEEDS_NAME:
        check(not form.anonymous and not form.caller_name.strip(), "caller_name", "required")
    if handling is Handling.DIRECT_ANSWER:
        check(len(form.answer_text.strip()) < 2, "answer_text", "required")
    if handling is Handling.DISPATCH:
        check(form.lead_agency_code not in ref.agencies, "lead_agency", "required")
    unknown = [c for c in form.assisting_agency_codes if c not in ref.agencies]
    check(bool(unknown), "assisting_agencies", "unknown_agency")
    if errors or phone is None or appeal is None or urgency is None or handling is None:
        return errors
    return ValidIntake(form, phone, callback, appeal, urgency, handling, location)
