"""Frozen views of stored cases that the services hand to the UI."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from console.domain.enums import AppealType, EventKind, Handling, Status, Urgency

REPEAT_WINDOW = timedelta(days=30)
MAX_NOTE = 2000  # characters of a note, on the console and on the server


class Badge(StrEnum):
    """A case's sync state, shown on each case row."""

    LOCAL = "local"  # a standalone console: nothing to show
    SYNCED = "synced"
    WAITING = "waiting"
    CONFLICT = "conflict"
    REJECTED = "rejected"


@dataclass(frozen=True)
class CaseSummary:
    id: str
    case_no: str
    created_at: datetime
    status: Status
    appeal_type: AppealType
    category_path: str
    lead_agency_name: str
    deadline_at: datetime | None
    description: str
    badge: Badge = Badge.LOCAL

    @property
    def is_open(self) -> bool:
        return self.status.is_open


@dataclass(frozen=True)
class CaseEvent:
    at: datetime
    kind: EventKind
    actor: str
    seat_code: str
    detail: str


@dataclass(frozen=True)
class CaseNote:
    id: str
    at: datetime
    author: str
    text: str


@dataclass(frozen=True)
class CaseDetail:
    summary: CaseSummary
    caller_phone: str
    caller_name: str
    callback_phone: str
    confidential: bool
    anonymous: bool
    urgency: Urgency
    handling: Handling
    answer_text: str
    district_name: str
    street_name: str
    community: str
    address: str
    lead_agency_code: str
    assisting_agency_names: tuple[str, ...]
    routing_reason: str
    deadline_reason: str
    operator: str
    seat_code: str
    events: tuple[CaseEvent, ...]
    notes: tuple[CaseNote, ...]


@dataclass(frozen=True)
class CallerHistory:
    phone_e164: str
    cases: tuple[CaseSummary, ...]
    repeat_caller: bool


@dataclass(frozen=True)
class SavedCase:
    id: str
    case_no: str
    status: Status
    deadline_at: datetime | None
