"""Reading cases on the central server: one case with its timeline, a caller's history, search.

Who sees what (DESIGN §5) is decided here, so no route can forget it:
- call-takers, supervisors and admins read every case; an agency reads only the cases it leads,
  and every other case does not exist for it, so it cannot probe ids or numbers;
- the full caller (number, name, callback number) is only in the view of one case; lists
  (search, caller history) carry the number masked (138****8000) and no name;
- who called in a confidential (保密) case, not even masked, is for its owner, supervisors and
  admins only: an agency or another call-taker gets the case without its caller. Caller
  history still finds such a case by the full number (the query matches the stored number);
  it just does not return it.

The frozen views below are also what the API sends: one definition of the wire format.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, false, not_, or_, select, true
from sqlalchemy.orm import Session

from console.central.accounts import Principal
from console.domain.cases import REPEAT_WINDOW, CaseEvent, CaseNote
from console.domain.enums import AppealType, Handling, Status, Urgency
from console.domain.errors import FieldError, NotFound, ValidationFailed
from console.domain.phone import Phone, parse_phone
from console.domain.workflow import Role
from console.store.repositories import OPEN_FIRST_NEWEST, case_events, case_notes
from console.store.schema import (
    OPEN_STATUSES,
    Case,
    CaseAssistingAgency,
)

CASE_NO_LENGTH = 13
# The statuses in which the work is not answered yet: past its deadline such a case is overdue.
# A replied case waits for the follow-up call; the agency's clock has stopped.
AWAITING_RESULT = tuple(s for s in OPEN_STATUSES if s != Status.REPLIED.value)


@dataclass(frozen=True)
class CaseRow:
    """A case as a list shows it. `caller_phone_masked` is null where the caller is hidden."""

    id: str
    case_no: str
    created_at: datetime
    status: Status
    appeal_type: AppealType
    urgency: Urgency
    category_code: str
    category_path: str
    district_code: str
    district_name: str
    street_name: str
    address: str
    description: str
    lead_agency_code: str
    lead_agency_name: str
    owner: str
    deadline_at: datetime | None
    extension_until: datetime | None
    overdue: bool
    confidential: bool
    caller_phone_masked: str | None
    version: int


@dataclass(frozen=True)
class Caller:
    """Who called: E.164 numbers; an empty name for an anonymous caller."""

    phone: str
    name: str
    callback_phone: str
    anonymous: bool


@dataclass(frozen=True)
class AssistingAgency:
    code: str
    name: str


@dataclass(frozen=True)
class CaseView(CaseRow):
    """One case: the list's fields, the caller (null when hidden), the work on it, its
    timeline (oldest first) and its notes."""

    caller: Caller | None
    received_at: datetime | None  # when the server received it; created_at is the call's time
    handling: Handling
    answer_text: str
    street_code: str
    community: str
    routing_reason: str
    deadline_reason: str
    operator: str
    seat_code: str
    assisting_agencies: tuple[AssistingAgency, ...]
    return_reason: str
    reply_text: str
    solved: str
    satisfied: str
    merged_into: str
    events: tuple[CaseEvent, ...]
    notes: tuple[CaseNote, ...]


@dataclass(frozen=True)
class CaseList:
    """One page of cases; `has_more` says whether a next page exists."""

    items: tuple[CaseRow, ...]
    offset: int
    limit: int
    has_more: bool


@dataclass(frozen=True)
class CallerHistory:
    """A caller's cases, open ones first, then newest first. `repeat_caller`: the number
    called in the last 30 days."""

    phone_masked: str
    repeat_caller: bool
    cases: CaseList


@dataclass(frozen=True)
class CaseFilter:
    """Search criteria; empty ones do not filter. `number` and `category` match by prefix,
    `text` is a substring of the description or the address, the dates are a half-open
    interval [created_from, created_to)."""

    number: str = ""
    text: str = ""
    statuses: tuple[Status, ...] = ()
    overdue: bool | None = None
    agency: str = ""
    owner: str = ""
    category: str = ""
    district: str = ""
    created_from: datetime | None = None
    created_to: datetime | None = None


def visible_to(viewer: Principal) -> ColumnElement[bool]:
    """The cases `viewer` may read: all of them, or for an agency those it leads."""
    if viewer.role is not Role.AGENCY:
        return true()
    if not viewer.agency_code:  # an agency account without an agency leads nothing
        return false()
    return Case.lead_agency_code == viewer.agency_code


def can_see(session: Session, viewer: Principal, case_id: str) -> bool:
    query = select(Case.id).where(Case.id == case_id, visible_to(viewer))
    return session.execute(query).first() is not None


def get_case(session: Session, viewer: Principal, case_id: str, now: datetime) -> CaseView:
    """The case with its timeline and notes; NotFound when it does not exist for `viewer`."""
    query = select(Case).where(Case.id == case_id, visible_to(viewer))
    case = session.execute(query).scalar_one_or_none()
    if case is None:
        raise NotFound(case_id)
    return CaseView(
        **_row_values(case, viewer, now),
        caller=None if _hides_caller(viewer, case) else _caller(case),
        received_at=case.received_at,
        handling=Handling(case.handling),
        answer_text=case.answer_text,
        street_code=case.street_code,
        community=case.community,
        routing_reason=case.routing_reason,
        deadline_reason=case.deadline_reason,
        operator=case.operator,
        seat_code=case.seat_code,
        assisting_agencies=_assisting(session, case_id),
        return_reason=case.return_reason,
        reply_text=case.reply_text,
        solved=case.solved,
        satisfied=case.satisfied,
        merged_into=case.merged_into,
        events=case_events(session, case_id),
        notes=case_notes(session, case_id),
    )


def caller_history(
    session: Session, viewer: Principal, phone: Phone, now: datetime, offset: int, limit: int
) -> CallerHistory:
    query = (
        select(Case)
        .where(Case.caller_phone == phone.e164, visible_to(viewer))
        .order_by(*OPEN_FIRST_NEWEST)
    )
    since = now - REPEAT_WINDOW
    recent = select(Case.id).where(
        Case.caller_phone == phone.e164, Case.created_at >= since, visible_to(viewer)
    )
    repeat = session.execute(recent.limit(1)).first() is not None
    return CallerHistory(phone.masked, repeat, _page(session, query, viewer, now, offset, limit))


def search(
    session: Session,
    viewer: Principal,
    criteria: CaseFilter,
    now: datetime,
    offset: int,
    limit: int,
) -> CaseList:
    """Cases matching every criterion that `viewer` may read, newest first."""
    start, end = criteria.created_from, criteria.created_to
    if start is not None and end is not None and end <= start:
        raise ValidationFailed([FieldError("created_to", "not_after_created_from")])
    postgres = session.get_bind().dialect.name == "postgresql"
    query = (
        select(Case)
        .where(visible_to(viewer), *_conditions(criteria, now, postgres))
        .order_by(Case.created_at.desc(), Case.id.desc())
    )
    return _page(session, query, viewer, now, offset, limit)


def _overdue(now: datetime) -> ColumnElement[bool]:
    """Past its deadline and not answered yet; never null, so it can be negated."""
    return and_(
        Case.deadline_at.is_not(None),
        Case.deadline_at < now,
        Case.status.in_(AWAITING_RESULT),
    )


def _conditions(criteria: CaseFilter, now: datetime, postgres: bool) -> Iterator[Any]:
    if criteria.number:
        # A range, not LIKE: the unique index on case_no serves it under any collation.
        low, high = (criteria.number.ljust(CASE_NO_LENGTH, digit) for digit in "09")
        yield Case.case_no.between(low, high)
    if criteria.text:
        yield _contains(criteria.text, postgres)
    if criteria.statuses:
        yield Case.status.in_([s.value for s in criteria.statuses])
    if criteria.overdue is not None:
        yield _overdue(now) if criteria.overdue else not_(_overdue(now))
    if criteria.category:
        yield Case.category_code.startswith(criteria.category, autoescape=True)
    yield from _equal_or_in_range(criteria)


def _equal_or_in_range(criteria: CaseFilter) -> Iterator[Any]:
    exact = {
        Case.lead_agency_code: criteria.agency,
        Case.owner: criteria.owner,
        Case.district_code: criteria.district,
    }
    yield from (column == value for column, value in exact.items() if value)
    if criteria.created_from:
        yield Case.created_at >= criteria.created_from
    if criteria.created_to:
        yield Case.created_at < criteria.created_to


def _contains(text: str, postgres: bool) -> ColumnElement[bool]:
    """A substring of the description or the address. On PostgreSQL ILIKE on the bare column,
    which the pg_trgm GIN indexes serve (lower(column) would bypass them)."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    pattern = f"%{escaped}%"
    if postgres:
        return or_(
            Case.description.ilike(pattern, escape="\\"), Case.address.ilike(pattern, escape="\\")
        )
    return or_(Case.description.like(pattern, escape="\\"), Case.address.like(pattern, escape="\\"))


def _page(
    session: Session, query: Any, viewer: Principal, now: datetime, offset: int, limit: int
) -> CaseList:
    found = session.execute(query.offset(offset).limit(limit + 1)).scalars().all()
    rows = tuple(CaseRow(**_row_values(case, viewer, now)) for case in found[:limit])
    return CaseList(rows, offset, limit, has_more=len(found) > limit)


def _row_values(case: Case, viewer: Principal, now: datetime) -> dict[str, Any]:
    masked = None if _hides_caller(viewer, case) else _masked(case.caller_phone)
    late = case.deadline_at is not None and case.deadline_at < now
    return {
        "id": case.id,
        "case_no": case.case_no,
        "created_at": case.created_at,
        "status": Status(case.status),
        "appeal_type": AppealType(case.appeal_type),
        "urgency": Urgency(case.urgency),
        "category_code": case.category_code,
        "category_path": case.category_path,
        "district_code": case.district_code,
        "district_name": case.district_name,
        "street_name": case.street_name,
        "address": case.address,
        "description": case.description,
        "lead_agency_code": case.lead_agency_code,
        "lead_agency_name": case.lead_agency_name,
        "owner": case.owner,
        "deadline_at": case.deadline_at,
        "extension_until": case.extension_until,
        "overdue": late and case.status in AWAITING_RESULT,
        "confidential": case.confidential,
        "caller_phone_masked": masked,
        "version": case.version,
    }


def _hides_caller(viewer: Principal, case: Case) -> bool:
    """A confidential caller is for the case's owner and the supervisors: they may have to
    call back; their consoles still pull the case without it (case_docs)."""
    if not case.confidential or viewer.role in (Role.SUPERVISOR, Role.ADMIN):
        return False
    return viewer.role is Role.AGENCY or case.owner != viewer.username


def _masked(e164: str) -> str:
    phone = parse_phone(e164)
    return phone.masked if phone else "****"


def _caller(case: Case) -> Caller:
    return Caller(case.caller_phone, case.caller_name, case.callback_phone, case.anonymous)


def _assisting(session: Session, case_id: str) -> tuple[AssistingAgency, ...]:
    rows = session.execute(
        select(CaseAssistingAgency.agency_code, CaseAssistingAgency.agency_name)
        .where(CaseAssistingAgency.case_id == case_id)
        .order_by(CaseAssistingAgency.agency_code)
    )
    return tuple(AssistingAgency(code, name) for code, name in rows)
