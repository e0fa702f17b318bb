"""Open311 GeoReport v2: the categories as services, and service requests as cases.

A request posted by an Open311 client becomes a case in the normal queue through the mutation
engine (audit row, feed row, timeline), numbered under seat "000", which no console can have.
What goes out is public: category, status, district and street, dates and the agency; never
the caller's name, number or email, the free address or the coordinates a client sent (12345
requests are often about someone's home). The description only where the centre turns it on
(`ServerConfig.open311_descriptions`), with numbers and email addresses scrubbed; for a
confidential case neither its description nor where it is.
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from console.central import api_keys
from console.central.case_create import stored_case
from console.central.mutations import (
    APPLIED,
    Actor,
    Applying,
    Mutation,
    Outcome,
    Rejected,
    apply,
    handles,
)
from console.domain.arguments import text_arg
from console.domain.enums import AppealType, EventKind, Handling, Urgency
from console.domain.ids import new_id
from console.domain.intake import LIMITS
from console.domain.new_case import NewCase
from console.domain.numbering import MAX_DAILY, centre_day
from console.domain.phone import parse_phone
from console.domain.reference import Category, ReferenceData
from console.domain.routing import suggest_agency
from console.domain.sla import suggest_deadline
from console.domain.workflow import Role
from console.store.repositories import CounterRepository
from console.store.schema import Case, CaseEventRow, CaseNoteRow
from console.store.server_schema import Open311Token

log = logging.getLogger(__name__)

SEAT = "000"
ACTOR = Actor(username="open311", role=Role.CALL_TAKER, seat_code=SEAT)
MAX_RESULTS = 1000
WINDOW = timedelta(days=90)
_EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)
_LATEST = datetime(9000, 1, 1, tzinfo=UTC)
OPEN = frozenset({"dispatched", "accepted", "returned", "replied", "reopened"})
CLOSED = frozenset({"answered", "closed", "void"})
STATUSES = {"open": OPEN, "closed": CLOSED}
_CASE_NO = re.compile(r"[0-9]{13}")
_TOKEN = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}")
_CJK = re.compile(r"[\u3400-\u9fff]")
# What could name or reach a caller inside published text: phone numbers and email addresses.
_PHONE_LIKE = re.compile(
    r"(?<!\d)(?:\+?86[- ]?)?(?:1[3-9]\d{9}|0\d{2,3}[- ]?\d{7,8}|[2-9]\d{7})(?!\d)"
)
_EMAIL_LIKE = re.compile(r"[^\s@]+@[^\s@]+\.[^\s@]+")
# Timeline events worth telling the public, as the status note they become; the rest is internal.
_NOTES = {
    EventKind.ANSWERED: "已直接答复",
    EventKind.DISPATCHED: "已派单至{}",
    EventKind.SIGNED: "承办单位已签收",
    EventKind.RETURNED: "承办单位已退回，等待重新派单",
    EventKind.REPLIED: "承办单位已答复",
    EventKind.EXTENSION_REQUESTED: "承办单位已申请延期",
    EventKind.EXTENSION_APPROVED: "延期申请已批准",
    EventKind.EXTENSION_REFUSED: "延期申请未批准",
    EventKind.REDISPATCHED: "已改派至{}",
    EventKind.VOIDED: "工单已作废",
    EventKind.MERGED: "已与其他工单合并",
    EventKind.FOLLOWED_UP: "已回访",
}


class Open311Error(Exception):
    """A refusal in the spec's terms: the HTTP status and what to tell the client."""

    def __init__(self, status: int, *descriptions: str) -> None:
        super().__init__("; ".join(descriptions))
        self.status = status
        self.descriptions = descriptions


@dataclass(frozen=True)
class Submission:
    """A posted request, checked against the spec's form; blank fields are empty."""

    service_code: str
    lat: float | None = None
    long: float | None = None
    address_string: str = ""
    email: str = ""
    device_id: str = ""
    account_id: str = ""
    first_name: str = ""
    last_name: str = ""
    phone: str = ""
    description: str = ""
    media_url: str = ""


@dataclass(frozen=True)
class ServiceType:
    service_code: str
    service_name: str
    description: str
    metadata: bool
    type: str
    keywords: str
    group: str


@dataclass(frozen=True)
class Receipt:
    service_request_id: str
    token: str
    service_notice: str
    account_id: str | None


@dataclass(frozen=True)
class RequestView:
    service_request_id: str
    status: str
    status_notes: str | None
    service_name: str
    service_code: str
    description: str | None
    agency_responsible: str | None
    service_notice: str | None
    requested_datetime: datetime
    updated_datetime: datetime
    expected_datetime: datetime | None
    address: str | None
    address_id: str | None
    zipcode: str | None
    lat: float | None
    long: float | None
    media_url: str | None


@dataclass(frozen=True)
class Filters:
    """GET Service Requests: ids (if any) override every other filter."""

    ids: tuple[str, ...] = ()
    codes: tuple[str, ...] = ()
    start: datetime | None = None
    end: datetime | None = None
    statuses: frozenset[str] = frozenset({"open", "closed"})


def services(ref: ReferenceData) -> list[ServiceType]:
    return [_service(c) for c in sorted(ref.categories.values(), key=lambda c: c.code)]


def service(ref: ReferenceData, code: str) -> ServiceType:
    category = ref.categories.get(code)
    if category is None:
        raise Open311Error(404, "service_code not found")
    return _service(category)


def _service(category: Category) -> ServiceType:
    return ServiceType(
        service_code=category.code,
        service_name=category.level3,
        description=category.path,
        metadata=False,
        type="realtime",
        keywords=category.level2,
        group=category.level1,
    )


def authorise(session: Session, api_key: str) -> None:
    if not api_keys.valid(session, api_key):
        raise Open311Error(403, "api_key missing, unknown or revoked")


def submit(session: Session, ref: ReferenceData, now: datetime, posted: Submission) -> Receipt:
    """Take in a posted request as a dispatched case; the caller commits."""
    service(ref, posted.service_code)
    outcome = apply(session, ACTOR, Mutation("open311.create", _args(posted)), now, ref)
    if outcome.status != APPLIED:
        reason = outcome.body.get("reason")
        log.warning("open311 request refused", extra={"fields": {"reason": reason}})
        raise Open311Error(400, "the request could not be taken in; please call 12345")
    body = outcome.body
    log.info(
        "open311 request taken in",
        extra={"fields": {"case_no": body["case_no"], "service_code": posted.service_code}},
    )
    notice = f"已受理，由{body['agency']}办理，{body['sla']}"
    return Receipt(body["case_no"], body["token"], notice, posted.account_id or None)


def _args(posted: Submission) -> dict[str, Any]:
    phone = parse_phone(posted.phone) if posted.phone else None
    address = posted.address_string
    if posted.lat is not None and posted.long is not None:
        address = f"{address} (WGS84 {posted.lat:.6f},{posted.long:.6f})".strip()
    # Ways to reach the caller or their photo: for the staff, in a note, never published.
    contact = ("email", "media_url", "account_id", "device_id")
    note = "; ".join(f"{k}: {getattr(posted, k)}" for k in contact if getattr(posted, k))
    return {
        "service_code": posted.service_code,
        "description": posted.description,
        "address": address,
        "caller_name": _name(posted.first_name, posted.last_name),
        "caller_phone": phone.e164 if phone else "",
        "note": note,
    }


def _name(first: str, last: str) -> str:
    """Chinese names put the family name first, without a space."""
    if _CJK.search(first + last):
        return last + first
    return f"{first} {last}".strip()


@handles("open311.create")
def create(ctx: Applying, args: dict[str, Any]) -> Outcome:
    # Only the Open311 endpoint acts under seat 000: a console cannot take in cases this way.
    if ctx.actor.seat_code != SEAT:
        raise Rejected("role_not_allowed", role=ctx.actor.role.value)
    category = ctx.reference.categories.get(str(args.get("service_code")))
    if category is None:
        raise Rejected("invalid_args", field="service_code")
    values = stored_case(ctx, _new_case(ctx, category, args))
    ctx.session.add(Case(**values))
    ctx.session.flush()
    case = ctx.session.get(Case, values["id"])
    assert case is not None
    case.version = 0  # `changed` makes it version 1
    ctx.changed(case, "open311.create", None, values, (EventKind.CREATED, case.case_no))
    ctx.event(case.id, EventKind.DISPATCHED, case.lead_agency_name)
    note = text_arg(args, "note", 1000, required=False)
    if note:
        _add_note(ctx, case.id, note)
    token = str(uuid.uuid4())
    ctx.session.execute(
        insert(Open311Token), [{"token": token, "case_id": case.id, "created_at": ctx.now}]
    )
    body = {"case_id": case.id, "case_no": case.case_no, "token": token}
    return Outcome(APPLIED, {**body, "agency": case.lead_agency_name, "sla": case.deadline_reason})


def _new_case(ctx: Applying, category: Category, args: dict[str, Any]) -> NewCase:
    """A request for help where the address says, sent to the agency the routing rules name,
    with the category's deadline."""
    address = text_arg(args, "address", LIMITS["address"])
    district, street = _place(ctx.reference, address)
    routed = suggest_agency(ctx.reference, category.code, district, street)
    if routed is None:
        raise Rejected("no_agency", category=category.code)
    sla = suggest_deadline(ctx.reference, category.code, Urgency.NORMAL)
    ref = ctx.reference
    return NewCase(
        id=new_id(),
        case_no=_next_case_no(ctx),
        created_at=ctx.now,
        appeal_type=AppealType.HELP,
        handling=Handling.DISPATCH,
        category_code=category.code,
        description=text_arg(args, "description", LIMITS["description"], required=False),
        caller_phone=text_arg(args, "caller_phone", 20, required=False),
        district_name=ref.districts[district].name if district else "",
        street_name=ref.streets[street].name if street else "",
        address=address,
        caller_name=text_arg(args, "caller_name", LIMITS["caller_name"], required=False),
        lead_agency_code=routed.agency.code,
        routing_reason=routed.rule.reason,
        deadline_at=sla.due(ctx.now),
        deadline_reason=sla.rule.label,
    )


def _place(ref: ReferenceData, address: str) -> tuple[str, str]:
    """District and street codes whose names the address names, when it names one only."""
    districts = [d.code for d in ref.districts.values() if d.name in address]
    district = districts[0] if len(districts) == 1 else ""
    candidates = ref.streets_of(district) if district else ref.streets.values()
    streets = [s for s in candidates if s.name in address]
    if len(streets) != 1:
        return district, ""
    return streets[0].district_code, streets[0].code


def _next_case_no(ctx: Applying) -> str:
    """The next number of the centre's day under seat 000; it commits with the case."""
    day = centre_day(ctx.now)
    sequence = CounterRepository(ctx.session).next(f"{day:%Y%m%d}")
    if sequence > MAX_DAILY:
        raise Rejected("numbering_exhausted", day=f"{day:%Y%m%d}")
    return f"{day:%y%m%d}{SEAT}{sequence:04d}"


def _add_note(ctx: Applying, case_id: str, text: str) -> None:
    row = {"id": new_id(), "case_id": case_id, "at": ctx.now, "author": ctx.actor.username}
    ctx.session.execute(insert(CaseNoteRow), [{**row, "seat_code": SEAT, "text": text}])
    ctx.event(case_id, EventKind.NOTE_ADDED)


def token(session: Session, value: str) -> str:
    """The service_request_id a token stands for."""
    if not _TOKEN.fullmatch(value):
        raise Open311Error(404, "token not found")
    query = (
        select(Case.case_no)
        .join(Open311Token, Open311Token.case_id == Case.id)
        .where(Open311Token.token == value)
    )
    case_no = session.execute(query).scalar_one_or_none()
    if case_no is None:
        raise Open311Error(404, "token not found")
    return case_no


def one(
    session: Session, ref: ReferenceData, case_no: str, descriptions: bool = False
) -> RequestView:
    """The request numbered `case_no`; its description only if `descriptions` are published."""
    if _CASE_NO.fullmatch(case_no):
        query = _public().where(Case.case_no == case_no)
        for found in _fetch(session, ref, query, descriptions):
            return found
    raise Open311Error(404, "service_request_id not found")


def search(
    session: Session,
    ref: ReferenceData,
    now: datetime,
    filters: Filters,
    descriptions: bool = False,
) -> list[RequestView]:
    """Newest first, at most 1000; a list of ids overrides every other filter. Descriptions
    only if `descriptions` are published."""
    if filters.ids:
        query = _public().where(Case.case_no.in_(filters.ids))
        return _fetch(session, ref, query, descriptions)
    start, end = _window(filters.start, filters.end, now)
    statuses = frozenset().union(*(STATUSES[s] for s in filters.statuses))
    query = _public().where(
        Case.created_at >= start, Case.created_at <= end, Case.status.in_(statuses)
    )
    if filters.codes:
        query = query.where(Case.category_code.in_(filters.codes))
    return _fetch(session, ref, query, descriptions)


def _window(
    start: datetime | None, end: datetime | None, now: datetime
) -> tuple[datetime, datetime]:
    """At most 90 days, like the 1000 results a limit: a longer span keeps its last 90 days."""
    # Within these bounds neither the arithmetic nor the conversion to UTC can overflow.
    start = min(max(start, _EARLIEST), _LATEST) if start else None
    end = min(max(end, _EARLIEST), _LATEST) if end else None
    if start is None:
        return (end or now) - WINDOW, end or now
    if end is None:
        return start, start + WINDOW
    return max(start, end - WINDOW), end


def _public() -> Any:
    order = (Case.created_at.desc(), Case.case_no.desc())
    return select(Case).where(Case.status.in_(OPEN | CLOSED)).order_by(*order).limit(MAX_RESULTS)


def _fetch(
    session: Session, ref: ReferenceData, query: Any, descriptions: bool
) -> list[RequestView]:
    cases: Sequence[Case] = session.execute(query).scalars().all()
    notes = _status_notes(session, [c.id for c in cases])
    return [_view(ref, c, notes.get(c.id), descriptions) for c in cases]


def _status_notes(session: Session, case_ids: list[str]) -> dict[str, str]:
    """Each case's latest public event, worded for the public."""
    if not case_ids:
        return {}
    query = (
        select(CaseEventRow.case_id, CaseEventRow.kind, CaseEventRow.detail)
        .where(CaseEventRow.case_id.in_(case_ids), CaseEventRow.kind.in_(list(_NOTES)))
        .order_by(CaseEventRow.at, CaseEventRow.id)
    )
    latest = {}
    for case_id, kind, detail in session.execute(query):
        # Only an agency's name is ever put into a note: the other details are internal.
        latest[case_id] = _NOTES[EventKind(kind)].format(detail)
    return latest


def _view(ref: ReferenceData, case: Case, notes: str | None, descriptions: bool) -> RequestView:
    category = ref.categories.get(case.category_code)
    hidden = case.confidential
    shown = descriptions and not hidden
    return RequestView(
        service_request_id=case.case_no,
        status="open" if case.status in OPEN else "closed",
        status_notes=notes,
        service_name=category.level3 if category else case.category_path.split(" › ")[-1],
        service_code=case.category_code,
        description=(_scrub(case.description, case) or None) if shown else None,
        agency_responsible=case.lead_agency_name or None,
        service_notice=None,
        requested_datetime=case.created_at,
        updated_datetime=case.updated_at,
        expected_datetime=case.deadline_at,
        address=None if hidden else case.district_name + case.street_name or None,
        address_id=None,
        zipcode=None,
        lat=None,
        long=None,
        media_url=None,
    )


def _scrub(text: str, case: Case) -> str:
    """Published text without phone numbers, email addresses or the caller's name."""
    text = _EMAIL_LIKE.sub("***", _PHONE_LIKE.sub("***", text))
    for number in {case.caller_phone, case.callback_phone} - {""}:
        # The caller's own numbers however typed: "138 0013 8000", "010-6512 3456".
        digits = r"[-\s]?".join(number.removeprefix("+86"))
        text = re.sub(rf"0?[-\s]?{digits}", "***", text)
    name = case.caller_name.strip()
    return text.replace(name, "**") if len(name) >= 2 else text
