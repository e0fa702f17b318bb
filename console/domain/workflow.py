"""The work order's life: who may do what to a case, from which status, to which status.

接 → 派 → 办 → 评: call-takers take calls in and edit their cases while they are open; agencies
sign for, return or reply to the cases they lead; supervisors re-dispatch, reassign, decide
extensions, void and merge; a follow-up call closes or reopens a replied case. Every mutation of
a case is checked against RULES, the one table of it (written out in console/server/WORKFLOW.md,
which a test holds to this table through the real server).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from console.domain.enums import Status


class Role(StrEnum):
    CALL_TAKER = "call_taker"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"
    AGENCY = "agency"


class Action(StrEnum):
    CREATE = "create"  # 受理: a new case, from a console
    EDIT = "update"  # a case's fields, after intake
    CHANGE_AGENCY = "change_lead_agency"  # an edit of the lead agency, before anyone signed
    NOTE = "add_note"
    SIGN = "sign"  # 签收
    RETURN = "return"  # 退单
    REPLY = "reply"  # 反馈
    REQUEST_EXTENSION = "request_extension"  # 申请延期
    APPROVE_EXTENSION = "approve_extension"
    REFUSE_EXTENSION = "refuse_extension"
    REDISPATCH = "redispatch"  # 改派
    REASSIGN = "reassign"
    VOID = "void"  # 作废
    MERGE = "merge"  # 合并重复工单
    FOLLOW_UP = "follow_up"  # 回访


RETURN_REASONS = {
    "wrong_locality": "属地不符",
    "unclear_ownership": "权属不清",
    "overlapping_duties": "职能交叉",
    "not_our_duty": "非本单位职责",
    "duplicate": "重复工单",
}
SOLVED = ("solved", "partly", "unsolved")
SATISFIED = ("satisfied", "basically", "dissatisfied")

_OPEN = frozenset(s for s in Status if s.is_open and s is not Status.DRAFT)
_NOT_VOID = frozenset(s for s in Status if s not in (Status.DRAFT, Status.VOID))
_DISPATCHED = frozenset({Status.DISPATCHED})
_WORKING = frozenset({Status.DISPATCHED, Status.ACCEPTED})
_ACCEPTED = frozenset({Status.ACCEPTED})
_REDISPATCHABLE = frozenset({Status.DISPATCHED, Status.ACCEPTED, Status.RETURNED, Status.REOPENED})
_STAFF = frozenset({Role.CALL_TAKER, Role.SUPERVISOR, Role.ADMIN})
_SUPERVISORS = frozenset({Role.SUPERVISOR, Role.ADMIN})
_AGENCY = frozenset({Role.AGENCY})


@dataclass(frozen=True)
class Rule:
    roles: frozenset[Role]
    from_statuses: frozenset[Status]
    to_status: Status | None  # None: the status stays as it is
    # Roles that may act only on their own cases: an agency on those it leads (always), a
    # call-taker on those it owns.
    owners_only: frozenset[Role] = _AGENCY


RULES: dict[Action, Rule] = {
    # A create has no status to come from; the handling decides where it goes.
    Action.CREATE: Rule(_STAFF, frozenset(), None),
    Action.EDIT: Rule(_STAFF, _OPEN, None, owners_only=_AGENCY | {Role.CALL_TAKER}),
    # Once an agency has signed for a case, moving it elsewhere is a supervisor's re-dispatch.
    Action.CHANGE_AGENCY: Rule(_STAFF, _DISPATCHED, None, owners_only=_AGENCY | {Role.CALL_TAKER}),
    # Notes are the centre's record: any staff member adds to any case but a void one (a
    # merged duplicate's notes belong on the case that carries on). An agency speaks through
    # its actions: the return's reason, the extension's reason, the reply.
    Action.NOTE: Rule(_STAFF, _NOT_VOID, None),
    Action.SIGN: Rule(_AGENCY, _DISPATCHED, Status.ACCEPTED),
    Action.RETURN: Rule(_AGENCY, _WORKING, Status.RETURNED),
    Action.REPLY: Rule(_AGENCY, _ACCEPTED, Status.REPLIED),
    Action.REQUEST_EXTENSION: Rule(_AGENCY, _ACCEPTED, None),
    Action.APPROVE_EXTENSION: Rule(_SUPERVISORS, _ACCEPTED, None),
    Action.REFUSE_EXTENSION: Rule(_SUPERVISORS, _ACCEPTED, None),
    Action.REDISPATCH: Rule(_SUPERVISORS, _REDISPATCHABLE, Status.DISPATCHED),
    Action.REASSIGN: Rule(_SUPERVISORS, _OPEN, None),
    Action.VOID: Rule(_SUPERVISORS, _OPEN, Status.VOID),
    Action.MERGE: Rule(_SUPERVISORS, _OPEN, Status.VOID),
    Action.FOLLOW_UP: Rule(_STAFF, frozenset({Status.REPLIED}), Status.CLOSED),
}


class Refusal(StrEnum):
    """Why an action was refused; stable codes the clients word."""

    ROLE = "role_not_allowed"
    STATUS = "impossible_transition"
    NOT_THEIR_CASE = "not_this_agencys_case"
    NOT_YOUR_CASE = "not_your_case"
    NO_EXTENSION = "no_extension_requested"


def may(role: Role, action: Action) -> bool:
    return role in RULES[action].roles


def refusal(action: Action, role: Role, theirs: bool, current: Status) -> Refusal | None:
    """Why `role` may not take `action` on a case in `current` status, checked in this order:
    the role, the case being theirs (`theirs`: owned, or led for an agency), the status."""
    rule = RULES[action]
    if role not in rule.roles:
        return Refusal.ROLE
    if role in rule.owners_only and not theirs:
        return Refusal.NOT_THEIR_CASE if role is Role.AGENCY else Refusal.NOT_YOUR_CASE
    if current not in rule.from_statuses:
        return Refusal.STATUS
    return None


def next_status(action: Action, current: Status, solved: str = "") -> Status:
    """The status after `action`, allowed from `current`."""
    if action is Action.FOLLOW_UP and solved == "unsolved":
        return Status.REOPENED
    return RULES[action].to_status or current
