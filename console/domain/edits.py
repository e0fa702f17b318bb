"""What a case's fields may become after intake: the same rules on the console, which checks
an edit before it is saved, and on the server, which checks it again when it arrives."""

from __future__ import annotations

from console.domain.enums import Urgency, parse_enum
from console.domain.intake import LIMITS, MIN_DESCRIPTION
from console.domain.phone import parse_phone
from console.domain.reference import ReferenceData

# Fields a console may change after intake.
EDITABLE = (
    "urgency",
    "category_code",
    "district_name",
    "street_name",
    "community",
    "address",
    "description",
    "caller_name",
    "callback_phone",
    "lead_agency_code",
)
# The form's names of the fields whose names differ on the case; codes and numbers are short.
_FORM_FIELDS = {"district_name": "district", "street_name": "street"}
CODE_LIMIT = 30


def checked_edit(reference: ReferenceData, name: str, value: object) -> str | None:
    """The value to store for field `name` (trimmed, a phone number normalised), or None if
    `value` cannot be stored there."""
    if name not in EDITABLE or not isinstance(value, str):
        return None
    if len(value) > LIMITS.get(_FORM_FIELDS.get(name, name), CODE_LIMIT):
        return None
    if name == "urgency" and parse_enum(Urgency, value) is None:
        return None
    if name == "category_code" and value not in reference.categories:
        return None
    if name == "lead_agency_code" and value not in reference.agencies:
        return None
    if name == "callback_phone" and value:
        phone = parse_phone(value)
        return phone.e164 if phone is not None else None
    if name == "description" and len(value.strip()) < MIN_DESCRIPTION:
        return None
    return value.strip()


def derived(reference: ReferenceData, values: dict[str, str]) -> dict[str, str]:
    """The fields that follow from the edited ones: a category's path, an agency's name."""
    more = {}
    if "category_code" in values:
        more["category_path"] = reference.categories[values["category_code"]].path
    if "lead_agency_code" in values:
        more["lead_agency_name"] = reference.agencies[values["lead_agency_code"]].name
    return more
