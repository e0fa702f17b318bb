"""What every mutation of a case is checked against before it changes anything: its arguments,
and the work order's rules (console.domain.workflow.RULES) for the actor, the case and its
status. A failed check is a `Rejected` with a stable reason."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from console.central.mutations import Actor, Applying, Rejected
from console.domain.enums import Status
from console.domain.workflow import RULES, Action, Refusal, Role, may, refusal
from console.store.schema import Case

STAFF = RULES[Action.CREATE].roles
# The years a time a client sends may fall in: anything else is a typing or clock error, and
# the far ends of datetime's range overflow when converted to UTC.
YEARS = range(2000, 2101)
MAX_TIME_TEXT = 40  # "2026-01-15T09:30:00.123456+08:00" and a little more


def require(ctx: Applying, action: Action) -> None:
    """The actor's role may take `action` at all: checked before any case is read."""
    if not may(ctx.actor.role, action):
        raise Rejected(Refusal.ROLE.value, role=ctx.actor.role.value)


def acting_on(ctx: Applying, case_id: object, action: Action) -> Case:
    """The case, locked, once the role, the case being the actor's and its status allow
    `action`."""
    require(ctx, action)
    case = ctx.case(case_id)
    allow(ctx, case, action)
    return case


def allow(ctx: Applying, case: Case, action: Action) -> None:
    """Refuse `action` unless the rules allow it to the actor on `case` as it is now."""
    found = refusal(action, ctx.actor.role, theirs(ctx.actor, case), Status(case.status))
    if found is Refusal.STATUS:
        raise Rejected(found.value, status=case.status, action=action.value)
    if found is not None:
        raise Rejected(found.value)


def theirs(actor: Actor, case: Case) -> bool:
    """An agency's case is one it leads; anyone else's, one they own."""
    if actor.role is Role.AGENCY:
        # An agency account without an agency must not match the empty code of direct answers.
        return bool(actor.agency_code) and case.lead_agency_code == actor.agency_code
    return case.owner == actor.username


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
    """An ISO 8601 time with its offset, in the years 2000 to 2100; None if not given."""
    value = args.get(name)
    if value is None:
        return None
    try:
        fits = isinstance(value, str) and len(value) <= MAX_TIME_TEXT
        moment = datetime.fromisoformat(value) if fits else None
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None or moment.year not in YEARS:
        raise Rejected("invalid_args", field=name)
    return moment
