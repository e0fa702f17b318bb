"""Closed sets of values used across the product."""

from __future__ import annotations

from enum import StrEnum
from typing import TypeVar


class AppealType(StrEnum):
    """诉求类型."""

    CONSULTATION = "consultation"  # 咨询
    HELP = "help"  # 求助
    COMPLAINT = "complaint"  # 投诉
    REPORT = "report"  # 举报
    SUGGESTION = "suggestion"  # 建议
    PRAISE = "praise"  # 表扬


class Urgency(StrEnum):
    NORMAL = "normal"
    URGENT = "urgent"
    EMERGENCY = "emergency"


class Handling(StrEnum):
    DIRECT_ANSWER = "direct_answer"  # 直接答复
    DISPATCH = "dispatch"  # 派单


class Status(StrEnum):
    DRAFT = "draft"
    ANSWERED = "answered"
    DISPATCHED = "dispatched"
    ACCEPTED = "accepted"
    RETURNED = "returned"
    REPLIED = "replied"
    REOPENED = "reopened"
    CLOSED = "closed"
    VOID = "void"

    @property
    def is_open(self) -> bool:
        return self not in _FINAL


_FINAL = frozenset({Status.ANSWERED, Status.CLOSED, Status.VOID})


class EventKind(StrEnum):
    CREATED = "created"
    ANSWERED = "answered"
    DISPATCHED = "dispatched"
    NOTE_ADDED = "note_added"
    UPDATED = "updated"
    SIGNED = "signed"
    RETURNED = "returned"
    REPLIED = "replied"
    EXTENSION_REQUESTED = "extension_requested"
    EXTENSION_APPROVED = "extension_approved"
    EXTENSION_REFUSED = "extension_refused"
    REDISPATCHED = "redispatched"
    REASSIGNED = "reassigned"
    VOIDED = "voided"
    MERGED = "merged"
    FOLLOWED_UP = "followed_up"
    CONFLICT = "conflict"


_E = TypeVar("_E", bound=StrEnum)


def parse_enum(kind: type[_E], value: str) -> _E | None:
    """The member whose value is `value`, or None."""
    try:
        return kind(value)
    except ValueError:
        return None
