"""Applying mutations on the central server: every change of a case goes through here.

A mutation is applied in a savepoint of the caller's transaction, so a refused or failed one
leaves nothing behind while the others of the batch stand. Every change writes, in the same
transaction, the case's new version, a row of the change feed, an audit row and an event of the
case's timeline; a conflict also writes a conflict row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from console.domain.enums import EventKind
from console.domain.reference import ReferenceData
from console.domain.workflow import Role
from console.services.intake import new_id
from console.store.schema import Case, CaseEventRow
from console.store.server_schema import AuditRow, ChangeLog

APPLIED = "applied"
CONFLICT = "conflict"
REJECTED = "rejected"


@dataclass(frozen=True)
class Actor:
    """Who makes the change: the account, its role, its agency, the console it works on."""

    username: str
    role: Role
    agency_code: str = ""
    client_id: str = ""
    seat_code: str = ""


@dataclass(frozen=True)
class Mutation:
    name: str
    args: dict[str, Any]


@dataclass(frozen=True)
class Outcome:
    status: str  # applied, conflict or rejected
    body: dict[str, Any] = field(default_factory=dict)


class Rejected(Exception):
    """The mutation cannot be applied: a business refusal, with a stable code and details."""

    def __init__(self, code: str, **details: Any) -> None:
        super().__init__(code)
        self.code = code
        self.details = details


class Applying:
    """What a handler works with: the session, the actor, the time, the reference data."""

    def __init__(
        self,
        session: Session,
        actor: Actor,
        now: datetime,
        reference: ReferenceData,
        mid: int = 0,
    ) -> None:
        self.session = session
        self.actor = actor
        self.now = now
        self.reference = reference
        self.mid = mid  # the console's number of the mutation; 0 when not from a console

    def case(self, case_id: object) -> Case:
        """The case, locked for this transaction; a refusal if there is none."""
        if not isinstance(case_id, str):
            raise Rejected("invalid_args", field="case_id")
        query = select(Case).where(Case.id == case_id).with_for_update()
        found = self.session.execute(query).scalar_one_or_none()
        if found is None:
            raise Rejected("unknown_case", case_id=case_id)
        return found

    def changed(
        self,
        case: Case,
        action: str,
        before: dict[str, Any] | None,
        after: dict[str, Any],
        event: tuple[EventKind, str] | None,
    ) -> None:
        """Record a change of `case`: version, feed row, audit row and timeline event."""
        case.version = (case.version or 0) + 1
        case.updated_at = self.now
        self.session.flush()
        self.session.execute(
            insert(ChangeLog), [{"entity": "case", "entity_id": case.id, "at": self.now}]
        )
        self.session.execute(
            insert(AuditRow),
            [
                {
                    "at": self.now,
                    "actor": self.actor.username,
                    "client_id": self.actor.client_id,
                    "action": action,
                    "entity": "case",
                    "entity_id": case.id,
                    "before": _jsonable(before),
                    "after": _jsonable(after),
                }
            ],
        )
        if event is not None:
            self.event(case.id, *event)

    def event(self, case_id: str, kind: EventKind, detail: str = "") -> None:
        self.session.execute(
            insert(CaseEventRow),
            [
                {
                    "id": new_id(),
                    "case_id": case_id,
                    "at": self.now,
                    "kind": kind.value,
                    "actor": self.actor.username,
                    "seat_code": self.actor.seat_code,
                    "detail": detail,
                }
            ],
        )


Handler = Callable[[Applying, dict[str, Any]], Outcome]
HANDLERS: dict[str, Handler] = {}


def handles(name: str) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        HANDLERS[name] = handler
        return handler

    return register


def apply(
    session: Session,
    actor: Actor,
    mutation: Mutation,
    now: datetime,
    reference: ReferenceData,
    mid: int = 0,
) -> Outcome:
    """Apply one mutation in a savepoint; a refusal rolls back only what it had done."""
    handler = HANDLERS.get(mutation.name)
    if handler is None:
        return Outcome(REJECTED, {"reason": "unknown_mutation", "name": mutation.name})
    if not isinstance(mutation.args, dict):
        return Outcome(REJECTED, {"reason": "invalid_args"})
    savepoint = session.begin_nested()
    try:
        outcome = handler(Applying(session, actor, now, reference, mid), mutation.args)
    except Rejected as refusal:
        savepoint.rollback()
        return Outcome(REJECTED, {"reason": refusal.code, **refusal.details})
    except IntegrityError:
        savepoint.rollback()
        return Outcome(REJECTED, {"reason": "conflicts_with_stored_data"})
    savepoint.commit()
    return outcome


def _jsonable(values: dict[str, Any] | None) -> dict[str, Any] | None:
    if values is None:
        return None
    return {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in values.items()}
