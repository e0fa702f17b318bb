"""What every mutation of a case is checked against before it changes anything, besides its
arguments (console.domain.arguments): the work order's rules (console.domain.workflow.RULES)
for the actor, the case and its status. A failed check is a `Rejected` with a stable reason."""

from __future__ import annotations

from console.central.mutations import Actor, Applying, Rejected
from console.domain.enums import Status
from console.domain.workflow import RULES, Action, Refusal, Role, may, refusal
from console.store.schema import Case

STAFF = RULES[Action.CREATE].roles


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
