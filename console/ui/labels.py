"""Words for the codes the core returns: enum values and field error codes.

Built on each call so they follow a language switch.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QCoreApplication

from console.domain.enums import AppealType, EventKind, Handling, Status, Urgency
from console.domain.errors import FieldError

_PLACEHOLDER = re.compile(r"%(\d)")
# The name the translation tool looks for: translate("Context", "source text").
translate = QCoreApplication.translate


def appeal_types() -> dict[AppealType, str]:
    return {
        AppealType.CONSULTATION: translate("Labels", "Consultation"),
        AppealType.HELP: translate("Labels", "Help request"),
        AppealType.COMPLAINT: translate("Labels", "Complaint"),
        AppealType.REPORT: translate("Labels", "Report of wrongdoing"),
        AppealType.SUGGESTION: translate("Labels", "Suggestion"),
        AppealType.PRAISE: translate("Labels", "Praise"),
    }


def urgencies() -> dict[Urgency, str]:
    return {
        Urgency.NORMAL: translate("Labels", "Normal"),
        Urgency.URGENT: translate("Labels", "Urgent"),
        Urgency.EMERGENCY: translate("Labels", "Emergency (danger to life or property)"),
    }


def handlings() -> dict[Handling, str]:
    return {
        Handling.DISPATCH: translate("Labels", "Dispatch to agency"),
        Handling.DIRECT_ANSWER: translate("Labels", "Direct answer"),
    }


def statuses() -> dict[Status, str]:
    return {
        Status.DRAFT: translate("Labels", "Draft"),
        Status.ANSWERED: translate("Labels", "Answered"),
        Status.DISPATCHED: translate("Labels", "Dispatched"),
        Status.ACCEPTED: translate("Labels", "Accepted"),
        Status.RETURNED: translate("Labels", "Returned"),
        Status.REPLIED: translate("Labels", "Replied"),
        Status.REOPENED: translate("Labels", "Reopened"),
        Status.CLOSED: translate("Labels", "Closed"),
        Status.VOID: translate("Labels", "Void"),
    }


def events() -> dict[EventKind, str]:
    return {
        EventKind.CREATED: translate("Labels", "Case created"),
        EventKind.ANSWERED: translate("Labels", "Answered at intake"),
        EventKind.DISPATCHED: translate("Labels", "Dispatched to"),
        EventKind.NOTE_ADDED: translate("Labels", "Note added"),
        EventKind.UPDATED: translate("Labels", "Changed"),
        EventKind.SIGNED: translate("Labels", "Signed for by the agency"),
        EventKind.RETURNED: translate("Labels", "Returned by the agency"),
        EventKind.REPLIED: translate("Labels", "Agency replied"),
        EventKind.EXTENSION_REQUESTED: translate("Labels", "Extension requested"),
        EventKind.EXTENSION_APPROVED: translate("Labels", "Extension approved"),
        EventKind.EXTENSION_REFUSED: translate("Labels", "Extension refused"),
        EventKind.REDISPATCHED: translate("Labels", "Re-dispatched to"),
        EventKind.REASSIGNED: translate("Labels", "Reassigned to"),
        EventKind.VOIDED: translate("Labels", "Voided"),
        EventKind.MERGED: translate("Labels", "Merged into"),
        EventKind.FOLLOWED_UP: translate("Labels", "Follow-up call"),
        EventKind.CONFLICT: translate("Labels", "Change not applied (conflict)"),
    }


def field_name(field: str) -> str:
    """A case field, named as the form names it."""
    names = {
        "urgency": translate("Labels", "Urgency"),
        "category_code": translate("Labels", "Category"),
        "district_name": translate("Labels", "District"),
        "street_name": translate("Labels", "Street"),
        "community": translate("Labels", "Community"),
        "address": translate("Labels", "Address"),
        "description": translate("Labels", "Description"),
        "caller_name": translate("Labels", "Caller name"),
        "callback_phone": translate("Labels", "Callback number"),
        "lead_agency_code": translate("Labels", "Lead agency"),
        "status": translate("Labels", "Status"),
        "owner": translate("Labels", "Owner"),
    }
    return names.get(field, field)


def field_error(error: FieldError) -> str:
    messages = {
        "required": translate("Labels", "Required."),
        "invalid_phone": translate(
            "Labels", "Not a valid phone number: mobile, or fixed line with or without area code."
        ),
        "too_short": translate(
            "Labels", "Too short: describe the request in at least a few words."
        ),
        "too_long": translate("Labels", "Too long."),
        "location_required": translate("Labels", "Say where: a district or an address."),
        "unknown_agency": translate("Labels", "Unknown agency."),
        "invalid_seat": translate("Labels", "A seat code is three digits, 001 to 999."),
    }
    return messages.get(error.code, translate("Labels", "Not accepted."))


def fill(template: str, *values: object) -> str:
    """Put values into a translated template's %1, %2 … in one pass (values may contain %)."""
    return _PLACEHOLDER.sub(lambda m: str(values[int(m.group(1)) - 1]), template)
