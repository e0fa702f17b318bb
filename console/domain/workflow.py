"""The work order's life after intake: who may do what, from which status, to which status.

接 → 派 → 办 → 评: agencies sign for, return or reply to their cases; supervisors re-dispatch,
reassign, decide extensions, void and merge; a follow-up call closes or reopens a replied case.
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
_DISPATCHED = frozenset({Status.DISPATCHED})
_WORKING = frozenset({Status.DISPATCHED, Status.ACCEPTED})
_ACCEPTED = frozenset({Status.ACCEPTED})
_REDISPATCHABLE = frozenset({Status.DISPATCHED, Status.ACCEPTED, Status.RETURNED, Status.REOPENED})
_SUPERVISORS = frozenset({Role.SUPERVISOR, Role.ADMIN})


@dataclass(frozen=True)
class Rule:
    roles: frozenset[Role]
    from_statuses: frozenset[Status]
    to_status: Status | None  # None: the status stays as it is


RULES: dict[Action, Rule] = {
    Action.SIGN: Rule(frozenset({Role.AGENCY}), _DISPATCHED, Status.ACCEPTED),
    Action.RETURN: Rule(frozenset({Role.AGENCY}), _WORKING, Status.RETURNED),
    Action.REPLY: Rule(frozenset({Role.AGENCY}), _ACCEPTED, Status.REPLIED),
    Action.REQUEST_EXTENSION: Rule(frozenset({Role.AGENCY}), _ACCEPTED, None),
    Action.APPROVE_EXTENSION: Rule(_SUPERVISORS, _ACCEPTED, None),
    Action.REFUSE_EXTENSION: Rule(_SUPERVISORS, _ACCEPTED, None),
    Action.REDISPATCH: Rule(_SUPERVISORS, _REDISPATCHABLE, Status.DISPATCHED),
    Action.REASSIGN: Rule(_SUPERVISORS, _OPEN, None),
    Action.VOID: Rule(_SUPERVISORS, _OPEN, Status.VOID),
    Action.MERGE: Rule(_SUPERVISORS, _OPEN, Status.VOID),
    Action.FOLLOW_UP: Rule(
        frozenset({Role.CALL_TAKER, Role.SUPERVISOR, Role.ADMIN}),
        frozenset({Status.REPLIED}),
        Status.CLOSED,
    ),
}


class Refusal(StrEnum):
    """Why an action was refused; stable codes the clients word."""

    ROLE = "role_not_allowed"
    STATUS = "impossible_transition"
    NOT_THEIR_CASE = "not_this_agencys_case"
    NO_EXTENSION = "no_extension_requested"


def may(role: Role, action: Action) -> bool:
    return role in RULES[action].roles


def next_status(action: Action, current: Status, solved: str = "") -> Status | Refusal:
    """The status after `action`, or why it cannot happen from `current`."""
    rule = RULES[action]
    if current not in rule.from_statuses:
        return Refusal.STATUS
    if action is Action.FOLLOW_UP and solved == "unsolved":
        return Status.REOPENED
    return rule.to_status or current
