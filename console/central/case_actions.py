"""What agencies and supervisors do to a case after intake, each a mutation with its audit trail.

Agencies sign for, return (with a reason code), reply and ask for more time, on their own cases
only; supervisors re-dispatch (one case, or many with `redispatch_many`), reassign, decide
extensions, void and merge; a follow-up call closes a replied case or reopens it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from console.central.case_checks import STAFF, acting_on
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
from console.domain.arguments import text_arg, time_arg
from console.domain.enums import EventKind, Status
from console.domain.errors import FieldError, ValidationFailed
from console.domain.reference import ReferenceData
from console.domain.text import CONTROL
from console.domain.workflow import (
    RETURN_REASONS,
    SATISFIED,
    SOLVED,
    Action,
    Refusal,
    next_status,
)
from console.store.schema import Case
from console.store.server_schema import Account


def _act(
    ctx: Applying, args: dict[str, Any], action: Action, solved: str = ""
) -> tuple[Case, Status]:
    """The locked case and its next status, once role, ownership and status allow `action`."""
    case = acting_on(ctx, args.get("case_id"), action)
    return case, next_status(action, Status(case.status), solved)


def _text(args: dict[str, Any], name: str, limit: int) -> str:
    """Required text without control characters (PostgreSQL refuses NUL; none belongs here)."""
    value = text_arg(args, name, limit)
    if CONTROL.search(value):
        raise Rejected("invalid_args", field=name)
    return value


def _done(
    ctx: Applying,
    case: Case,
    action: Action,
    changes: dict[str, Any],
    event: EventKind,
    detail: str = "",
) -> Outcome:
    before = {name: getattr(case, name) for name in changes}
    for name, value in changes.items():
        setattr(case, name, value)
    ctx.changed(case, f"case.{action.value}", before, changes, (event, detail))
    return Outcome(APPLIED, {"case_id": case.id, "version": case.version, "status": case.status})


@handles("case.sign")
def sign(ctx: Applying, args: dict[str, Any]) -> Outcome:
    case, status = _act(ctx, args, Action.SIGN)
    return _done(ctx, case, Action.SIGN, {"status": status.value}, EventKind.SIGNED)


@handles("case.return")
def return_case(ctx: Applying, args: dict[str, Any]) -> Outcome:
    case, status = _act(ctx, args, Action.RETURN)
    reason = args.get("reason_code")
    if not isinstance(reason, str) or reason not in RETURN_REASONS:
        raise Rejected("invalid_args", field="reason_code", allowed=sorted(RETURN_REASONS))
    changes = {"status": status.value, "return_reason": reason}
    return _done(ctx, case, Action.RETURN, changes, EventKind.RETURNED, RETURN_REASONS[reason])


@handles("case.reply")
def reply(ctx: Applying, args: dict[str, Any]) -> Outcome:
    case, status = _act(ctx, args, Action.REPLY)
    text = _text(args, "text", 4000)
    return _done(
        ctx, case, Action.REPLY, {"status": status.value, "reply_text": text}, EventKind.REPLIED
    )


@handles("case.request_extension")
def request_extension(ctx: Applying, args: dict[str, Any]) -> Outcome:
    case, _ = _act(ctx, args, Action.REQUEST_EXTENSION)
    until = time_arg(args, "until")
    if until is None or until <= max(ctx.now, case.deadline_at or ctx.now):
        raise Rejected("invalid_args", field="until")
    reason = _text(args, "reason", 500)
    return _done(
        ctx,
        case,
        Action.REQUEST_EXTENSION,
        {"extension_until": until},
        EventKind.EXTENSION_REQUESTED,
        reason,
    )


@handles("case.approve_extension")
def approve_extension(ctx: Applying, args: dict[str, Any]) -> Outcome:
    case, _ = _act(ctx, args, Action.APPROVE_EXTENSION)
    if case.extension_until is None:
        raise Rejected(Refusal.NO_EXTENSION.value)
    changes = {"deadline_at": case.extension_until, "extension_until": None}
    return _done(ctx, case, Action.APPROVE_EXTENSION, changes, EventKind.EXTENSION_APPROVED)


@handles("case.refuse_extension")
def refuse_extension(ctx: Applying, args: dict[str, Any]) -> Outcome:
    case, _ = _act(ctx, args, Action.REFUSE_EXTENSION)
    if case.extension_until is None:
        raise Rejected(Refusal.NO_EXTENSION.value)
    return _done(
        ctx, case, Action.REFUSE_EXTENSION, {"extension_until": None}, EventKind.EXTENSION_REFUSED
    )


@handles("case.redispatch")
def redispatch(ctx: Applying, args: dict[str, Any]) -> Outcome:
    case, status = _act(ctx, args, Action.REDISPATCH)
    code = args.get("agency_code")
    agency = ctx.reference.agencies.get(code) if isinstance(code, str) else None
    if agency is None:
        raise Rejected("invalid_args", field="agency_code")
    changes = {
        "status": status.value,
        "lead_agency_code": agency.code,
        "lead_agency_name": agency.name,
        "return_reason": "",
    }
    outcome = _done(ctx, case, Action.REDISPATCH, changes, EventKind.REDISPATCHED, agency.name)
    _claim_fields(case, ("lead_agency_code",))
    return outcome


@handles("case.reassign")
def reassign(ctx: Applying, args: dict[str, Any]) -> Outcome:
    case, _ = _act(ctx, args, Action.REASSIGN)
    owner = _text(args, "owner", 50)
    if not _is_staff_account(ctx, owner):
        raise Rejected("invalid_args", field="owner")
    outcome = _done(ctx, case, Action.REASSIGN, {"owner": owner}, EventKind.REASSIGNED, owner)
    _claim_fields(case, ("owner",))
    return outcome


@handles("case.void")
def void(ctx: Applying, args: dict[str, Any]) -> Outcome:
    case, status = _act(ctx, args, Action.VOID)
    reason = _text(args, "reason", 500)
    return _done(ctx, case, Action.VOID, {"status": status.value}, EventKind.VOIDED, reason)


@handles("case.merge")
def merge(ctx: Applying, args: dict[str, Any]) -> Outcome:
    """A duplicate goes void, pointing at the case that carries on."""
    _lock_in_id_order(ctx, args.get("case_id"), args.get("into_case_id"))
    case, status = _act(ctx, args, Action.MERGE)
    target = _merge_target(ctx, args.get("into_case_id"))
    if target is None or target.id == case.id or target.status == Status.VOID.value:
        raise Rejected("invalid_args", field="into_case_id")
    changes = {"status": status.value, "merged_into": target.id}
    outcome = _done(ctx, case, Action.MERGE, changes, EventKind.MERGED, target.case_no)
    ctx.changed(
        target,
        "case.merge_target",
        None,
        {"merged_from": case.id},
        (EventKind.MERGED, case.case_no),
    )
    return outcome


def _lock_in_id_order(ctx: Applying, *case_ids: object) -> None:
    """Two merges of the same pair in opposite directions must not deadlock: both lock the
    lower id first."""
    ids = sorted(i for i in case_ids if isinstance(i, str))
    query = select(Case.id).where(Case.id.in_(ids)).order_by(Case.id).with_for_update()
    ctx.session.execute(query).all()


def _merge_target(ctx: Applying, case_id: object) -> Case | None:
    try:
        return ctx.case(case_id)
    except Rejected:  # an unknown target is bad input, not an unknown case of the request
        return None


@handles("case.follow_up")
def follow_up(ctx: Applying, args: dict[str, Any]) -> Outcome:
    solved, satisfied = args.get("solved"), args.get("satisfied")
    if solved not in SOLVED or satisfied not in SATISFIED:
        raise Rejected("invalid_args", field="solved" if solved not in SOLVED else "satisfied")
    case, status = _act(ctx, args, Action.FOLLOW_UP, str(solved))
    changes = {"status": status.value, "solved": solved, "satisfied": satisfied}
    return _done(
        ctx, case, Action.FOLLOW_UP, changes, EventKind.FOLLOWED_UP, f"{solved}/{satisfied}"
    )


def _claim_fields(case: Case, names: tuple[str, ...]) -> None:
    """A supervisor's decision beats any console change based on an older version."""
    case.field_versions = {**(case.field_versions or {}), **dict.fromkeys(names, case.version)}


def _is_staff_account(ctx: Applying, username: str) -> bool:
    """Cases are owned by the centre's people: an enabled call-taker, supervisor or admin."""
    query = select(Account.id).where(
        Account.username == username,
        Account.role.in_([r.value for r in STAFF]),
        Account.disabled.is_(False),
    )
    return ctx.session.execute(query).first() is not None


def redispatch_many(
    session: Session,
    actor: Actor,
    case_ids: Sequence[str],
    agency_code: str,
    now: datetime,
    reference: ReferenceData,
) -> dict[str, Outcome]:
    """Re-dispatch each case in its own savepoint: a refused one leaves the others standing.

    The cases are locked in id order, so two overlapping bulk requests cannot deadlock.
    """
    if agency_code not in reference.agencies:
        raise ValidationFailed([FieldError("agency_code", "unknown_agency")])
    return {
        case_id: apply(
            session,
            actor,
            Mutation("case.redispatch", {"case_id": case_id, "agency_code": agency_code}),
            now,
            reference,
        )
        for case_id in sorted(set(case_ids))
    }
