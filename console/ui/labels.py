"""Words for the codes the core returns: enum values and field error codes.

Built on each call so they follow a language switch.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from console.domain.enums import AppealType, EventKind, Handling, Status, Urgency
from console.domain.errors import FieldError


def _t(text: str) -> str:
    return QCoreApplication.translate("Labels", text)


def appeal_types() -> dict[AppealType, str]:
    return {
        AppealType.CONSULTATION: _t("Consultation"),
        AppealType.HELP: _t("Help request"),
        AppealType.COMPLAINT: _t("Complaint"),
        AppealType.REPORT: _t("Report of wrongdoing"),
        AppealType.SUGGESTION: _t("Suggestion"),
        AppealType.PRAISE: _t("Praise"),
    }


def urgencies() -> dict[Urgency, str]:
    return {
        Urgency.NORMAL: _t("Normal"),
        Urgency.URGENT: _t("Urgent"),
        Urgency.EMERGENCY: _t("Emergency (danger to life or property)"),
    }


def handlings() -> dict[Handling, str]:
    return {
        Handling.DISPATCH: _t("Dispatch to agency"),
        Handling.DIRECT_ANSWER: _t("Direct answer"),
    }


def statuses() -> dict[Status, str]:
    return {
        Status.DRAFT: _t("Draft"),
        Status.ANSWERED: _t("Answered"),
        Status.DISPATCHED: _t("Dispatched"),
        Status.ACCEPTED: _t("Accepted"),
        Status.RETURNED: _t("Returned"),
        Status.REPLIED: _t("Replied"),
        Status.REOPENED: _t("Reopened"),
        Status.CLOSED: _t("Closed"),
        Status.VOID: _t("Void"),
    }


def events() -> dict[EventKind, str]:
    return {
        EventKind.CREATED: _t("Case created"),
        EventKind.ANSWERED: _t("Answered at intake"),
        EventKind.DISPATCHED: _t("Dispatched to"),
        EventKind.NOTE_ADDED: _t("Note added"),
    }


def field_error(error: FieldError) -> str:
    messages = {
        "required": _t("Required."),
        "invalid_phone": _t(
            "Not a valid phone number: mobile, or fixed line with or without area code."
        ),
        "too_short": _t("Too short: describe the request in at least a few words."),
        "too_long": _t("Too long."),
        "location_required": _t("Say where: a district or an address."),
        "unknown_agency": _t("Unknown agency."),
        "invalid_seat": _t("A seat code is three digits, 001 to 999."),
    }
    return messages.get(error.code, error.code)
