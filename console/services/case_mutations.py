"""The mutations a console sends: create a case, change its fields, add a note.

Rules (server-authoritative, never by the client's clock): a create is always accepted and a
re-sent one is recognised by its id; a field another console changed since the version the user
edited keeps the server's value and the user's value becomes a conflict; a losing description
is kept as a note; notes never conflict.
"""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import insert, or_, select

from console.domain.enums import EventKind, Handling, Status
from console.domain.intake import IntakeForm, validate
from console.domain.numbering import is_valid_seat_code
from console.domain.phone import parse_phone
from console.domain.workflow import Role
from console.services.intake import new_id
from console.services.mutations import (
    APPLIED,
    CONFLICT,
    Applying,
    Outcome,
    Rejected,
    bulk_insert,
    handles,
    handles_runs,
)
from console.store.schema import Case, CaseAssistingAgency, CaseNoteRow
from console.store.server_schema import AuditRow, ConflictRow

STAFF = frozenset({Role.CALL_TAKER, Role.SUPERVISOR, Role.ADMIN})
_CASE_NO = re.compile(r"[0-9]{13}")
# Fields a console may change after intake, and how each is checked.
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
MAX_NOTE = 2000


def require_role(ctx: Applying, roles: frozenset[Role]) -> None:
    if ctx.actor.role not in roles:
        raise Rejected("role_not_allowed", role=ctx.actor.role.value)


def text_arg(args: dict[str, Any], name: str, limit: int, required: bool = True) -> str:
    value = args.get(name, "")
    if not isinstance(value, str) or len(value) > limit or (required and not value.strip()):
        raise Rejected("invalid_args", field=name)
    return value.strip()


def uuid_arg(args: dict[str, Any], name: str) -> str:
    value = args.get(name)
    try:
        return str(uuid.UUID(value if isinstance(value, str) else ""))
    except ValueError:
        raise Rejected("invalid_args", field=name) from None


def time_arg(args: dict[str, Any], name: str) -> datetime | None:
    value = args.get(name)
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise Rejected("invalid_args", field=name)
    return moment


@handles("case.create")
def create(ctx: Applying, args: dict[str, Any]) -> Outcome:
    return create_run(ctx, [args])[0]


@handles_runs("case.create")
def create_run(ctx: Applying, many: list[dict[str, Any]]) -> list[Outcome]:
    """Each create decided as if applied in order, then all written at once.

    A create sent again (the same id and number) is recognised; the same id with another
    number is refused, and so is a number already taken."""
    known, taken = _stored_cases(ctx, many)
    outcomes: list[Outcome] = []
    new: list[dict[str, Any]] = []
    for args in many:
        try:
            outcomes.append(_decide_create(ctx, args, known, taken, new))
        except Rejected as refusal:
            outcomes.append(refusal.outcome())
    _insert_cases(ctx, new)
    return outcomes


def _stored_cases(
    ctx: Applying, many: list[dict[str, Any]]
) -> tuple[dict[str, tuple[str, int]], set[str]]:
    """The stored cases with the ids or numbers of `many`: number and version by id; numbers."""
    ids = [str(a.get("id"))[:36] for a in many]
    numbers = [str(a.get("case_no"))[:16] for a in many]
    rows = ctx.session.execute(
        select(Case.id, Case.case_no, Case.version).where(
            or_(Case.id.in_(ids), Case.case_no.in_(numbers))
        )
    ).all()
    return {row.id: (row.case_no, row.version) for row in rows}, {row.case_no for row in rows}


def _decide_create(
    ctx: Applying,
    args: dict[str, Any],
    known: dict[str, tuple[str, int]],
    taken: set[str],
    new: list[dict[str, Any]],
) -> Outcome:
    require_role(ctx, STAFF)
    case_id = uuid_arg(args, "id")
    if case_id in known:
        case_no, version = known[case_id]
        if case_no != args.get("case_no"):
            raise Rejected("duplicate_id", case_id=case_id)
        return Outcome(APPLIED, {"case_id": case_id, "case_no": case_no, "version": version})
    values = _checked_case(ctx, args)
    if values["case_no"] in taken:
        raise Rejected("conflicts_with_stored_data")
    known[case_id] = (values["case_no"], values["version"])
    taken.add(values["case_no"])
    new.append({**values, "assisting": _assisting(ctx, args)})
    return Outcome(APPLIED, {"case_id": case_id, "case_no": values["case_no"], "version": 1})


def _assisting(ctx: Applying, args: dict[str, Any]) -> list[dict[str, str]]:
    codes = dict.fromkeys(
        a for a in args.get("assisting_agencies", []) if a in ctx.reference.agencies
    )
    return [{"agency_code": a, "agency_name": ctx.reference.agencies[a].name} for a in codes]


def _insert_cases(ctx: Applying, new: list[dict[str, Any]]) -> None:
    if not new:
        return
    cases = [{k: v for k, v in values.items() if k != "assisting"} for values in new]
    bulk_insert(ctx.session, Case, cases)
    assisting = [{"case_id": v["id"], **a} for v in new for a in v["assisting"]]
    bulk_insert(ctx.session, CaseAssistingAgency, assisting)
    audits = [ctx.audit_row(c["id"], "case.create", None, c) for c in cases]
    events = []
    for case in cases:
        dispatched = case["handling"] == Handling.DISPATCH.value
        handled = (
            (EventKind.DISPATCHED, case["lead_agency_name"])
            if dispatched
            else (EventKind.ANSWERED, "")
        )
        events += [
            ctx.event_row(case["id"], EventKind.CREATED, case["case_no"]),
            ctx.event_row(case["id"], *handled),
        ]
    ctx.record(audits, events)


def _checked_case(ctx: Applying, args: dict[str, Any]) -> dict[str, Any]:
    """The case as the server stores it: every field checked, nothing taken on trust."""
    case_no = args.get("case_no")
    seat = ctx.actor.seat_code
    if not isinstance(case_no, str) or not _CASE_NO.fullmatch(case_no):
        raise Rejected("invalid_args", field="case_no")
    if not is_valid_seat_code(seat) or case_no[6:9] != seat:
        raise Rejected("case_no_not_of_this_seat", seat_code=seat)
    form = _form(args)
    checked = validate(ctx.reference, form)
    if isinstance(checked, list):
        raise Rejected("invalid_case", errors=[{"field": e.field, "code": e.code} for e in checked])
    created = time_arg(args, "created_at") or ctx.now
    dispatch = checked.handling is Handling.DISPATCH
    agency = ctx.reference.agencies.get(form.lead_agency_code) if dispatch else None
    category = ctx.reference.categories[form.category_code]
    location = checked.location
    return {
        "id": uuid_arg(args, "id"),
        "case_no": case_no,
        "client_id": ctx.actor.client_id,
        "seat_code": seat,
        "operator": text_arg(args, "operator", 50, required=False) or ctx.actor.username,
        "owner": ctx.actor.username,
        "created_at": created,
        "updated_at": ctx.now,
        "version": 1,
        "status": (Status.DISPATCHED if dispatch else Status.ANSWERED).value,
        "appeal_type": checked.appeal_type.value,
        "urgency": checked.urgency.value,
        "handling": checked.handling.value,
        "category_code": category.code,
        "category_path": category.path,
        "district_code": location.district_code,
        "district_name": location.district_name,
        "street_code": location.street_code,
        "street_name": location.street_name,
        "community": location.community,
        "address": location.address,
        "description": form.description.strip(),
        "answer_text": "" if dispatch else form.answer_text.strip(),
        "caller_phone": checked.phone.e164,
        "caller_name": "" if form.anonymous else form.caller_name.strip(),
        "callback_phone": checked.callback.e164 if checked.callback else "",
        "confidential": form.confidential,
        "anonymous": form.anonymous,
        "lead_agency_code": agency.code if agency else "",
        "lead_agency_name": agency.name if agency else "",
        "routing_reason": text_arg(args, "routing_reason", 300, required=False),
        "deadline_at": time_arg(args, "deadline_at") if dispatch else None,
        "deadline_reason": text_arg(args, "deadline_reason", 200, required=False),
        "field_versions": {},
    }


def _form(args: dict[str, Any]) -> IntakeForm:
    def text(name: str) -> str:
        value = args.get(name, "")
        if not isinstance(value, str):
            raise Rejected("invalid_args", field=name)
        return value

    def flag(name: str) -> bool:
        value = args.get(name, False)
        if not isinstance(value, bool):
            raise Rejected("invalid_args", field=name)
        return value

    assisting = args.get("assisting_agencies", [])
    if not isinstance(assisting, list) or not all(isinstance(a, str) for a in assisting):
        raise Rejected("invalid_args", field="assisting_agencies")
    return IntakeForm(
        caller_phone=text("caller_phone"),
        appeal_type=text("appeal_type"),
        category_code=text("category_code"),
        district=text("district_name"),
        street=text("street_name"),
        community=text("community"),
        address=text("address"),
        description=text("description"),
        urgency=text("urgency") or "normal",
        caller_name=text("caller_name"),
        callback_phone=text("callback_phone"),
        confidential=flag("confidential"),
        anonymous=flag("anonymous"),
        handling=text("handling"),
        answer_text=text("answer_text"),
        lead_agency_code=text("lead_agency_code"),
        assisting_agency_codes=tuple(assisting),
    )


@handles("case.update")
def update(ctx: Applying, args: dict[str, Any]) -> Outcome:
    """Field by field: applied if unchanged on the server since `base_version`, else kept."""
    require_role(ctx, STAFF)
    case = ctx.case(args.get("case_id"))
    if ctx.actor.role is Role.CALL_TAKER and case.owner != ctx.actor.username:
        raise Rejected("not_your_case")
    base = args.get("base_version")
    changes = args.get("set")
    if not isinstance(base, int) or isinstance(base, bool) or not isinstance(changes, dict):
        raise Rejected("invalid_args", field="base_version" if not isinstance(base, int) else "set")
    if not changes or any(f not in EDITABLE for f in changes):
        raise Rejected("invalid_args", field="set")
    new_values = {f: _checked_field(ctx, f, v) for f, v in changes.items()}
    versions = dict(case.field_versions or {})
    applied, conflicts = _sort_out(ctx, case, base, new_values)
    if applied:
        before = {name: getattr(case, name) for name in applied}
        _set_fields(ctx, case, applied)
        ctx.changed(case, "case.update", before, applied, (EventKind.UPDATED, ", ".join(applied)))
        case.field_versions = {**versions, **dict.fromkeys(applied, case.version)}
    body = {"case_id": case.id, "version": case.version, "applied": sorted(applied)}
    if conflicts:
        return Outcome(CONFLICT, {**body, "conflicts": conflicts})
    return Outcome(APPLIED, body)


def _sort_out(
    ctx: Applying, case: Case, base: int, values: dict[str, Any]
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The values to apply, and the conflicts of those changed by someone else since `base`."""
    versions = case.field_versions or {}
    applied: dict[str, Any] = {}
    conflicts: list[dict[str, Any]] = []
    for name, value in values.items():
        if versions.get(name, 0) <= base:
            applied[name] = value
            continue
        actor, client_id = _last_change(ctx, case.id, name)
        if client_id and client_id == ctx.actor.client_id:
            applied[name] = value
        else:
            conflicts.append(_conflict(ctx, case, name, value, actor))
    return applied, conflicts


def _checked_field(ctx: Applying, name: str, value: Any) -> Any:
    if not isinstance(value, str):
        raise Rejected("invalid_args", field=name)
    limits = {"description": 4000, "address": 200, "caller_name": 50, "community": 50}
    if len(value) > limits.get(name, 30):
        raise Rejected("invalid_args", field=name)
    if name == "urgency" and value not in ("normal", "urgent", "emergency"):
        raise Rejected("invalid_args", field=name)
    if name == "category_code" and value not in ctx.reference.categories:
        raise Rejected("invalid_args", field=name)
    if name == "lead_agency_code" and value not in ctx.reference.agencies:
        raise Rejected("invalid_args", field=name)
    if name == "callback_phone" and value:
        phone = parse_phone(value)
        if phone is None:
            raise Rejected("invalid_args", field=name)
        return phone.e164
    if name == "description" and len(value.strip()) < 5:
        raise Rejected("invalid_args", field=name)
    return value.strip()


def _set_fields(ctx: Applying, case: Case, values: dict[str, Any]) -> None:
    for name, value in values.items():
        setattr(case, name, value)
    if "category_code" in values:
        case.category_path = ctx.reference.categories[values["category_code"]].path
    if "lead_agency_code" in values:
        case.lead_agency_name = ctx.reference.agencies[values["lead_agency_code"]].name


def _conflict(ctx: Applying, case: Case, name: str, yours: Any, by: str) -> dict[str, Any]:
    """Keep the server's value; store the user's, and for a description keep it as a note."""
    kept = getattr(case, name)
    ctx.session.execute(
        insert(ConflictRow),
        [
            {
                "id": new_id(),
                "case_id": case.id,
                "client_id": ctx.actor.client_id,
                "mid": ctx.mid,
                "field": name,
                "yours": yours,
                "kept": kept,
                "kept_by": by,
                "at": ctx.now,
            }
        ],
    )
    ctx.event(case.id, EventKind.CONFLICT, name)
    if name == "description":
        _add_note(ctx, case.id, new_id(), yours)
    return {"field": name, "yours": yours, "kept": kept, "by": by}


def _last_change(ctx: Applying, case_id: str, name: str) -> tuple[str, str]:
    """Who changed the field last, and on which console. A console's own earlier change is no
    conflict: its mutations are based on what it knew when they were made, not on what it
    has sent since."""
    query = select(AuditRow).where(AuditRow.entity_id == case_id).order_by(AuditRow.id.desc())
    for row in ctx.session.execute(query).scalars():
        if name in (row.after or {}):
            return row.actor, row.client_id
    return "", ""


@handles("case.add_note")
def add_note(ctx: Applying, args: dict[str, Any]) -> Outcome:
    """Append-only: never a conflict; a note sent again is recognised by its id."""
    case = ctx.case(args.get("case_id"))
    theirs = bool(ctx.actor.agency_code) and case.lead_agency_code == ctx.actor.agency_code
    if ctx.actor.role is Role.AGENCY and not theirs:
        raise Rejected("not_this_agencys_case")
    note_id = uuid_arg(args, "note_id")
    text = text_arg(args, "text", MAX_NOTE)
    if ctx.session.get(CaseNoteRow, note_id) is None:
        _add_note(ctx, case.id, note_id, text)
        ctx.changed(case, "case.add_note", None, {"note_id": note_id}, (EventKind.NOTE_ADDED, ""))
    return Outcome(APPLIED, {"case_id": case.id, "version": case.version, "note_id": note_id})


def _add_note(ctx: Applying, case_id: str, note_id: str, text: str) -> None:
    ctx.session.execute(
        insert(CaseNoteRow),
        [
            {
                "id": note_id,
                "case_id": case_id,
                "at": ctx.now,
                "author": ctx.actor.username,
                "seat_code": ctx.actor.seat_code,
                "text": text,
            }
        ],
    )
