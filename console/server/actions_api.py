"""Agency and supervisor actions on a case, each one mutation through the engine.

`POST /v1/cases/{case_id}/{action}` with a typed body per action. Every action is applied with
the caller's identity in a savepoint, writing the case's new version, an audit row (actor,
console, time, before/after), a timeline event and a change-feed row in the same transaction,
committed per request. The answer is an `ActionAnswer`:

- 200 `applied`, with the case's new version and status;
- 403 the role may not take this action (before anything is read);
- 404 no such case, or, for an agency, a case it does not lead;
- 409 `rejected` by the workflow: `reason` is the stable code (`impossible_transition`,
  `no_extension_requested`) and `error` the usual error body;
- 422 invalid input (`error.fields` names each field); nothing was changed.

`POST /v1/cases/redispatch` re-dispatches up to 200 cases at once: each in its own savepoint,
one result per case, 200 even when some were refused.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Response
from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from pydantic_core import PydanticCustomError
from sqlalchemy.orm import Session

from console.central import case_actions, case_queries, changes
from console.central.accounts import Principal
from console.central.mutations import APPLIED, Mutation, Outcome
from console.domain.errors import FieldError, ValidationFailed
from console.domain.reference import ReferenceData
from console.domain.workflow import RETURN_REASONS, RULES, SATISFIED, SOLVED, Action
from console.server.cases_api import CODE, PLAIN_TEXT, USERNAME, Moment
from console.server.deps import Db, Now, Reference, actor, roles
from console.server.errors import ApiError

router = APIRouter(prefix="/v1", tags=["actions"])
CaseId = Annotated[uuid.UUID, Path(description="the case's id (a UUID)")]
MAX_BULK = 200
# Refusals that are not the workflow's "not now" (409) keep their HTTP meaning. The route's
# checks come first, so the engine gives these only when the case changed in between.
_NOT_THE_WORKFLOWS = {
    "role_not_allowed": (403, "forbidden", "not allowed for this role"),
    "not_this_agencys_case": (404, "not_found", "no such case"),
    "unknown_case": (404, "not_found", "no such case"),
    "could_not_apply": (500, "internal_error", "unexpected error"),
}


def _one_of(values: Collection[str]) -> Callable[[str], str]:
    def check(value: str) -> str:
        if value not in values:
            raise PydanticCustomError("unknown_code", "not one of {allowed}", {"allowed": values})
        return value

    return check


def _code(values: Collection[str], description: str) -> Any:
    return Field(description=description, json_schema_extra={"enum": list(values)})


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Return(Body):
    reason_code: Annotated[str, AfterValidator(_one_of(RETURN_REASONS))] = _code(
        RETURN_REASONS,
        "why the agency returns the case: "
        + ", ".join(f"{code} ({label})" for code, label in RETURN_REASONS.items()),
    )


class Reply(Body):
    text: str = Field(
        min_length=1, max_length=4000, pattern=PLAIN_TEXT, description="what was done (办理结果)"
    )


class ExtensionRequest(Body):
    until: Moment = Field(description="the new deadline, after the current one and now")
    reason: str = Field(min_length=1, max_length=500, pattern=PLAIN_TEXT)


class Redispatch(Body):
    agency_code: str = Field(max_length=64, pattern=CODE, description="the new lead agency")


class Reassign(Body):
    owner: str = Field(
        max_length=50, pattern=USERNAME, description="user name of an enabled staff account"
    )


class Void(Body):
    reason: str = Field(min_length=1, max_length=500, pattern=PLAIN_TEXT)


class Merge(Body):
    into_case_id: uuid.UUID = Field(description="the case that carries on (not void, not this)")


class FollowUp(Body):
    solved: Annotated[str, AfterValidator(_one_of(SOLVED))] = _code(SOLVED, "解决情况")
    satisfied: Annotated[str, AfterValidator(_one_of(SATISFIED))] = _code(SATISFIED, "满意度")


def _unique(ids: list[uuid.UUID]) -> list[uuid.UUID]:
    if len(set(ids)) != len(ids):
        raise PydanticCustomError("duplicate_ids", "a case is listed twice")
    return ids


class BulkRedispatch(Body):
    case_ids: Annotated[list[uuid.UUID], AfterValidator(_unique)] = Field(
        min_length=1, max_length=MAX_BULK
    )
    agency_code: str = Field(max_length=64, pattern=CODE)


class ErrorBody(BaseModel):
    code: str
    message: str


class ActionResult(BaseModel):
    """The result of one action on one case."""

    status: Literal["applied", "rejected", "conflict"]
    case_id: str
    version: int | None = Field(default=None, description="the case's version after it")
    case_status: str | None = Field(default=None, description="the case's status after it")
    reason: str | None = Field(default=None, description="why it was refused: a stable code")
    details: dict[str, Any] = Field(default={}, description="what the refusal is about")


class ActionAnswer(ActionResult):
    """The answer to one action: on a 409 also the usual error body."""

    error: ErrorBody | None = Field(default=None, description="set on a 409")


class BulkResult(BaseModel):
    applied: int
    rejected: int
    results: list[ActionResult] = Field(description="one per case, in the order asked")


@dataclass(frozen=True)
class Target:
    user: Principal
    case_id: str
    action: Action


def acting(action: Action) -> Callable[..., Target]:
    """The caller and the case, once the role may take `action` (403) and the case exists for
    the caller (404: an agency cannot tell another agency's case from none)."""
    allowed = roles(*RULES[action].roles)

    # A default, not Annotated: the annotations are strings, resolved without this closure.
    def check(case_id: CaseId, db: Db, user: Principal = Depends(allowed)) -> Target:  # noqa: B008
        if not case_queries.can_see(db, user, str(case_id)):
            raise ApiError(404, "not_found", "no such case")
        return Target(user, str(case_id), action)

    return check


@dataclass(frozen=True)
class Runner:
    """Applies one action through the engine and commits it, or leaves nothing behind."""

    db: Session
    reference: ReferenceData
    now: datetime
    response: Response  # where a refusal sets its 409

    def __call__(self, target: Target, **args: Any) -> ActionAnswer:
        mutation = Mutation(f"case.{target.action.value}", {"case_id": target.case_id, **args})
        outcome = changes.apply(self.db, actor(target.user), mutation, self.now, self.reference)
        if outcome.status == APPLIED:
            self.db.commit()
        else:
            self.db.rollback()
        return _answer(target.case_id, outcome, self.response)


def _runner(db: Db, ref: Reference, at: Now, response: Response) -> Runner:
    return Runner(db, ref, at, response)


Run = Annotated[Runner, Depends(_runner)]


def _result(case_id: str, outcome: Outcome) -> ActionResult:
    body = dict(outcome.body)
    if outcome.status == APPLIED:
        return ActionResult(
            status="applied", case_id=case_id, version=body["version"], case_status=body["status"]
        )
    reason = str(body.pop("reason", "rejected"))
    return ActionResult(status="rejected", case_id=case_id, reason=reason, details=body)


def _answer(case_id: str, outcome: Outcome, response: Response) -> ActionAnswer:
    result = ActionAnswer(**_result(case_id, outcome).model_dump())
    if result.status == "applied":
        return result
    reason = result.reason or ""
    if reason in ("invalid_args", "invalid_text"):
        code = "invalid" if reason == "invalid_args" else reason
        raise ValidationFailed([FieldError(str(result.details.get("field", "")), code)])
    if reason in _NOT_THE_WORKFLOWS:
        raise ApiError(*_NOT_THE_WORKFLOWS[reason])
    response.status_code = 409
    return result.model_copy(update={"error": ErrorBody(code=reason, message=_message(result))})


def _message(result: ActionResult) -> str:
    details = result.details
    if result.reason == "impossible_transition":
        return f"cannot {details.get('action')} a case that is {details.get('status')}"
    if result.reason == "no_extension_requested":
        return "no extension was requested"
    return str(result.reason)


_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"description": "the body cannot be read as JSON"},
    401: {"description": "no valid access token"},
    403: {"description": "the role may not take this action"},
    404: {"description": "no such case (for an agency: none it leads)"},
    409: {"model": ActionAnswer, "description": "refused by the workflow; `reason` says why"},
    422: {"description": "invalid input; `error.fields` names each field"},
}


def _post(action: Action, summary: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    roles_text = ", ".join(sorted(r.value for r in RULES[action].roles))
    return router.post(
        f"/cases/{{case_id}}/{action.value}",
        summary=summary,
        description=f"Allowed for: {roles_text}. From status: "
        + ", ".join(sorted(s.value for s in RULES[action].from_statuses))
        + ".",
        responses=_RESPONSES,
        operation_id=f"case_{action.value}",
    )


@_post(Action.SIGN, "签收: the agency signs for a dispatched case")
def sign(target: Annotated[Target, Depends(acting(Action.SIGN))], run: Run) -> ActionAnswer:
    return run(target)


@_post(Action.RETURN, "退单: the agency returns the case, with a reason code")
def return_case(
    body: Return, target: Annotated[Target, Depends(acting(Action.RETURN))], run: Run
) -> ActionAnswer:
    return run(target, reason_code=body.reason_code)


@_post(Action.REPLY, "反馈: the agency replies with what it did")
def reply(
    body: Reply, target: Annotated[Target, Depends(acting(Action.REPLY))], run: Run
) -> ActionAnswer:
    return run(target, text=body.text)


@_post(Action.REQUEST_EXTENSION, "申请延期: the agency asks for a later deadline")
def request_extension(
    body: ExtensionRequest,
    target: Annotated[Target, Depends(acting(Action.REQUEST_EXTENSION))],
    run: Run,
) -> ActionAnswer:
    return run(target, until=body.until.isoformat(), reason=body.reason)


@_post(Action.APPROVE_EXTENSION, "A supervisor grants the requested deadline")
def approve_extension(
    target: Annotated[Target, Depends(acting(Action.APPROVE_EXTENSION))], run: Run
) -> ActionAnswer:
    return run(target)


@_post(Action.REFUSE_EXTENSION, "A supervisor refuses the requested deadline")
def refuse_extension(
    target: Annotated[Target, Depends(acting(Action.REFUSE_EXTENSION))], run: Run
) -> ActionAnswer:
    return run(target)


@_post(Action.REDISPATCH, "改派: a supervisor sends the case to another agency")
def redispatch(
    body: Redispatch, target: Annotated[Target, Depends(acting(Action.REDISPATCH))], run: Run
) -> ActionAnswer:
    return run(target, agency_code=body.agency_code)


@_post(Action.REASSIGN, "A supervisor gives the case to another call-taker")
def reassign(
    body: Reassign, target: Annotated[Target, Depends(acting(Action.REASSIGN))], run: Run
) -> ActionAnswer:
    return run(target, owner=body.owner)


@_post(Action.VOID, "作废: a supervisor voids an invalid case")
def void(
    body: Void, target: Annotated[Target, Depends(acting(Action.VOID))], run: Run
) -> ActionAnswer:
    return run(target, reason=body.reason)


@_post(Action.MERGE, "合并: a supervisor voids a duplicate, pointing at the case that carries on")
def merge(
    body: Merge, target: Annotated[Target, Depends(acting(Action.MERGE))], run: Run
) -> ActionAnswer:
    return run(target, into_case_id=str(body.into_case_id))


@_post(Action.FOLLOW_UP, "回访: the follow-up call's answers close the case or reopen it")
def follow_up(
    body: FollowUp, target: Annotated[Target, Depends(acting(Action.FOLLOW_UP))], run: Run
) -> ActionAnswer:
    return run(target, solved=body.solved, satisfied=body.satisfied)


Supervisor = Annotated[Principal, Depends(roles(*RULES[Action.REDISPATCH].roles))]


@router.post(
    "/cases/redispatch",
    summary="改派 in bulk: up to 200 cases to one agency, each applied on its own",
    responses={k: v for k, v in _RESPONSES.items() if k != 409},
)
def redispatch_many(
    body: BulkRedispatch, user: Supervisor, db: Db, ref: Reference, at: Now
) -> BulkResult:
    """Each case is re-dispatched in its own savepoint; a refused one (wrong status, unknown
    case) leaves the others applied. An unknown agency refuses the whole request (422)."""
    ids = [str(case_id) for case_id in body.case_ids]
    outcomes = case_actions.redispatch_many(db, actor(user), ids, body.agency_code, at, ref)
    db.commit()
    results = [_result(case_id, outcomes[case_id]) for case_id in ids]
    applied = sum(r.status == "applied" for r in results)
    return BulkResult(applied=applied, rejected=len(results) - applied, results=results)
