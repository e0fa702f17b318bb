"""Applying mutations on the central server: every change of a case goes through here.

A mutation is applied in a savepoint of the caller's transaction, so a refused or failed one
leaves nothing behind while the others of the batch stand. Every change writes, in the same
transaction, the case's new version, a row of the change feed, an audit row and an event of the
case's timeline; a conflict also writes a conflict row.

A run of creates, the bulk of what consoles send, is decided one by one and then written with
one statement per table, in one savepoint: a savepoint and a few statements for each case would
cost more than all the rest of a push. Should the writing fail, each is applied again alone.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from itertools import groupby
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, InterfaceError, OperationalError
from sqlalchemy.orm import Session

from console.domain.enums import EventKind
from console.domain.errors import InvalidArgument
from console.domain.ids import new_id
from console.domain.reference import ReferenceData
from console.domain.text import UNSTORABLE
from console.domain.workflow import Role
from console.store.bulk import bulk_insert
from console.store.schema import Case, CaseEventRow
from console.store.server_schema import AuditRow, ChangeLog

APPLIED = "applied"
CONFLICT = "conflict"
REJECTED = "rejected"
MAX_ID = 36  # a UUID's text
log = logging.getLogger(__name__)


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

    def outcome(self) -> Outcome:
        return Outcome(REJECTED, {"reason": self.code, **self.details})


def refusal_of(error: Rejected | InvalidArgument) -> Outcome:
    """The answer to a refused mutation: its reason, or the argument it got wrong."""
    if isinstance(error, InvalidArgument):
        return Outcome(REJECTED, {"reason": "invalid_args", "field": error.field})
    return error.outcome()


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
        if not isinstance(case_id, str) or len(case_id) > MAX_ID:
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
        events = [self.event_row(case.id, *event)] if event is not None else []
        self.record([self.audit_row(case.id, action, before, after)], events)

    def event(self, case_id: str, kind: EventKind, detail: str = "") -> None:
        self.record([], [self.event_row(case_id, kind, detail)])

    def audit_row(
        self, case_id: str, action: str, before: dict[str, Any] | None, after: dict[str, Any]
    ) -> dict[str, Any]:
        return {
            "at": self.now,
            "actor": self.actor.username,
            "client_id": self.actor.client_id,
            "action": action,
            "entity": "case",
            "entity_id": case_id,
            "before": _jsonable(before),
            "after": _jsonable(after),
        }

    def event_row(self, case_id: str, kind: EventKind, detail: str = "") -> dict[str, Any]:
        return {
            "id": new_id(),
            "case_id": case_id,
            "at": self.now,
            "kind": kind.value,
            "actor": self.actor.username,
            "seat_code": self.actor.seat_code,
            "detail": detail,
        }

    def record(self, audits: list[dict[str, Any]], events: list[dict[str, Any]]) -> None:
        """Write changes' audit rows, with a feed row each, and timeline events, in bulk."""
        changes = [{"entity": "case", "entity_id": a["entity_id"], "at": self.now} for a in audits]
        for entity, rows in ((ChangeLog, changes), (AuditRow, audits), (CaseEventRow, events)):
            bulk_insert(self.session, entity, rows)


Handler = Callable[[Applying, dict[str, Any]], Outcome]
HANDLERS: dict[str, Handler] = {}
# A run handler applies consecutive mutations of one name together, with the outcomes they
# would have one by one, writing only once each is decided: none is half applied.
RunHandler = Callable[[Applying, list[dict[str, Any]]], list[Outcome]]
RUN_HANDLERS: dict[str, RunHandler] = {}


def handles(name: str) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        HANDLERS[name] = handler
        return handler

    return register


def handles_runs(name: str) -> Callable[[RunHandler], RunHandler]:
    def register(handler: RunHandler) -> RunHandler:
        RUN_HANDLERS[name] = handler
        return handler

    return register


def unstorable_text(value: object) -> str | None:
    """Where `value`, decoded JSON, holds text no database can store, in a key or a string at
    any depth: its path ("notes.0.text"), the culprit escaped; None if it holds none."""
    pending: list[tuple[tuple[object, ...], object]] = [((), value)]
    while pending:  # not recursive: JSON nests deeper than Python's stack
        path, item = pending.pop()
        if isinstance(item, str) and UNSTORABLE.search(item):
            return _shown(path)
        if isinstance(item, dict):
            for key, inner in item.items():
                if isinstance(key, str) and UNSTORABLE.search(key):
                    return _shown((*path, key))
                pending.append(((*path, key), inner))
        elif isinstance(item, list):
            pending += [((*path, i), inner) for i, inner in enumerate(item)]
    return None


def _shown(path: tuple[object, ...]) -> str:
    text = ".".join(map(str, path))
    return UNSTORABLE.sub(lambda found: f"\\u{ord(found[0]):04x}", text)


def _refusal(mutation: Mutation) -> Outcome | None:
    """Why the mutation is refused before any handler sees it, if it is."""
    if mutation.name not in HANDLERS:
        return Outcome(REJECTED, {"reason": "unknown_mutation", "name": mutation.name})
    if not isinstance(mutation.args, dict):
        return Outcome(REJECTED, {"reason": "invalid_args"})
    field = unstorable_text(mutation.args)
    if field is not None:
        return Outcome(REJECTED, {"reason": "invalid_text", "field": field})
    return None


def apply(
    session: Session,
    actor: Actor,
    mutation: Mutation,
    now: datetime,
    reference: ReferenceData,
    mid: int = 0,
) -> Outcome:
    """Apply one mutation in a savepoint; a refusal rolls back only what it had done."""
    refused = _refusal(mutation)
    if refused is not None:
        return refused
    handler = HANDLERS[mutation.name]
    savepoint = session.begin_nested()
    try:
        outcome = handler(Applying(session, actor, now, reference, mid), mutation.args)
    except (Rejected, InvalidArgument) as error:
        savepoint.rollback()
        return refusal_of(error)
    except IntegrityError:
        savepoint.rollback()
        return Outcome(REJECTED, {"reason": "conflicts_with_stored_data"})
    except (OperationalError, InterfaceError):
        raise  # the database failed, not the mutation: the caller retries the whole batch
    except Exception as error:
        # A handler's bug must neither stop the console's queue nor leave half a change: the
        # mutation is refused and the batch goes on. The message may quote a caller's words.
        savepoint.rollback()
        log.error("mutation %s failed: %s", mutation.name, type(error).__name__)
        log.debug("mutation %s failed", mutation.name, exc_info=error)
        return Outcome(REJECTED, {"reason": "could_not_apply"})
    savepoint.commit()
    return outcome


def apply_all(
    session: Session,
    actor: Actor,
    mutations: Sequence[Mutation],
    now: datetime,
    reference: ReferenceData,
    first_mid: int = 0,
) -> list[Outcome]:
    """Apply mutations in order, the first numbered `first_mid` (0: not from a console).

    A run of one name that has a run handler goes in one savepoint; should it fail at all,
    its mutations are applied again one by one, each in its own savepoint."""
    outcomes: list[Outcome] = []
    for _, group in groupby(mutations, key=lambda m: m.name):
        run = list(group)
        mid = first_mid + len(outcomes) if first_mid else 0
        together = _apply_run(session, actor, run, now, reference, mid)
        if together is None:
            together = [
                apply(session, actor, m, now, reference, mid + i if mid else 0)
                for i, m in enumerate(run)
            ]
        outcomes += together
    return outcomes


def _apply_run(
    session: Session,
    actor: Actor,
    run: list[Mutation],
    now: datetime,
    reference: ReferenceData,
    mid: int,
) -> list[Outcome] | None:
    handler = RUN_HANDLERS.get(run[0].name)
    if handler is None or len(run) == 1 or any(_refusal(m) for m in run):
        return None  # a refused one: each goes alone, so that only it is refused
    savepoint = session.begin_nested()
    try:
        outcomes = handler(Applying(session, actor, now, reference, mid), [m.args for m in run])
    except (OperationalError, InterfaceError):
        raise
    except Exception:  # e.g. a concurrent writer took a number: decide each on its own
        savepoint.rollback()
        return None
    savepoint.commit()
    return outcomes


def _jsonable(values: dict[str, Any] | None) -> dict[str, Any] | None:
    if values is None:
        return None
    return {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in values.items()}
