"""Push: a console's numbered mutations, each applied exactly once.

A batch is one transaction. The console's ledger row is locked first, so two requests of one
console, on any server instance, are applied one after the other. Each mutation is applied
atomically (see `mutations.apply_all`); its result (applied, conflict or rejected) is stored
and the ledger advanced in the same transaction, so a mutation sent again, after a lost
response, gets the stored result instead of being applied twice. A business refusal advances
the ledger like any other result: it never blocks the console's queue.

A number is bound to what was sent under it: each result is stored with a digest of the
mutation's name and arguments, and a number sent again with other content is refused as a
whole batch (`MidReused`), never answered with another mutation's result. That happens when a
console's database was restored from an older copy: the console must take a new enrolment and
send its unsent work again under the new numbers (creates are recognised by their case id).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, text, update
from sqlalchemy.orm import Session

from console.central import changes  # noqa: F401  (registers every mutation handler)
from console.central.mutations import Actor, Mutation, Outcome, apply_all
from console.domain.errors import ConsoleError, FieldError, ValidationFailed
from console.domain.reference import ReferenceData
from console.store.bulk import bulk_insert
from console.store.server_schema import Console, MutationResult

MAX_BATCH = 100
LOCK_TIMEOUT_MS = 3000


@dataclass(frozen=True)
class Pushed:
    """One mutation as the console sent it."""

    mid: int
    name: str
    args: dict[str, Any]

    def digest(self) -> str:
        """What was sent under the number, canonically: keys sorted, text escaped."""
        canonical = json.dumps([self.name, self.args], sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass(frozen=True)
class Stored:
    """A mutation's stored result and the digest of what was sent under its number."""

    result: dict[str, Any]
    digest: str


@dataclass(frozen=True)
class PushResult:
    last_mid: int
    results: list[dict[str, Any]]


class NotYourConsole(ConsoleError):
    """The session is not bound to the console it pushes for."""


class MidReused(ConsoleError):
    """A number the server applied before comes again with other content."""

    def __init__(self, mid: int) -> None:
        super().__init__(f"mutation number {mid} was used before for another mutation")
        self.mid = mid


class Gap(ConsoleError):
    """The batch starts after a mutation the server has not received."""

    def __init__(self, expected: int) -> None:
        super().__init__(f"mutation {expected} is missing")
        self.expected = expected


def push(
    session: Session,
    actor: Actor,
    client_id: str,
    mutations: Sequence[Pushed],
    now: datetime,
    reference: ReferenceData,
) -> PushResult:
    """Apply the batch; the caller commits (once, for the whole batch)."""
    if not actor.client_id or actor.client_id != client_id:
        raise NotYourConsole("the session is not bound to this console")
    _check_numbering(mutations)
    last_mid = _lock_ledger(session, client_id)
    if mutations[0].mid > last_mid + 1:
        raise Gap(last_mid + 1)
    stored = _stored(session, client_id, mutations[0].mid, min(last_mid, mutations[-1].mid))
    results = [_again(m, stored.get(m.mid)) for m in mutations if m.mid <= last_mid]
    fresh = [m for m in mutations if m.mid > last_mid]
    if fresh:
        results += _apply(session, actor, fresh, now, reference)
    _advance(session, client_id, fresh[-1].mid if fresh else None, now)
    return PushResult(max(last_mid, mutations[-1].mid), results)


def _apply(
    session: Session,
    actor: Actor,
    fresh: list[Pushed],
    now: datetime,
    reference: ReferenceData,
) -> list[dict[str, Any]]:
    """Apply the mutations not applied before and store their results."""
    batch = [Mutation(m.name, m.args) for m in fresh]
    outcomes = apply_all(session, actor, batch, now, reference, fresh[0].mid)
    rows = [_result(m, outcome) for m, outcome in zip(fresh, outcomes, strict=True)]
    stored = [{**row, "client_id": actor.client_id, "at": now} for row in rows]
    bulk_insert(session, MutationResult, stored)
    return [{"mid": r["mid"], "status": r["status"], **r["body"]} for r in rows]


def _again(mutation: Pushed, stored: Stored | None) -> dict[str, Any]:
    """The stored result of a mutation sent again, if it is the same mutation."""
    if stored is None:
        # Results are written with the ledger; only a hand-edited database lacks one.
        return {"mid": mutation.mid, "status": "rejected", "reason": "result_not_kept"}
    # Results stored before digests were kept have none: they are answered as before.
    if stored.digest and stored.digest != mutation.digest():
        raise MidReused(mutation.mid)
    return stored.result


def _check_numbering(mutations: Sequence[Pushed]) -> None:
    """A batch is a run of consecutive numbers, so a gap can only come before its first."""
    if not 1 <= len(mutations) <= MAX_BATCH:
        raise ValidationFailed([FieldError("mutations", "batch_size")])
    first = mutations[0].mid
    if any(m.mid != first + i for i, m in enumerate(mutations)):
        raise ValidationFailed([FieldError("mutations", "mids_not_consecutive")])


def _lock_ledger(session: Session, client_id: str) -> int:
    if session.get_bind().dialect.name == "postgresql":
        # A batch waits this long at most for a lock (its console's ledger, a case) before the
        # push is answered 503, to be sent again, instead of hanging on.
        session.execute(text(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT_MS}ms'"))
    # Locked, the row also settles a retirement committed while this request logged in.
    query = select(Console.last_mid).where(
        Console.client_id == client_id, Console.retired_at.is_(None)
    )
    last_mid = session.execute(query.with_for_update()).scalar()
    if last_mid is None:
        raise NotYourConsole("the console is not enrolled or was retired")
    return last_mid


def _stored(session: Session, client_id: str, first: int, last: int) -> dict[int, Stored]:
    if first > last:
        return {}
    columns = (
        MutationResult.mid,
        MutationResult.status,
        MutationResult.body,
        MutationResult.digest,
    )
    query = select(*columns).where(
        MutationResult.client_id == client_id, MutationResult.mid.between(first, last)
    )
    return {
        mid: Stored({"mid": mid, "status": status, **body}, digest)
        for mid, status, body, digest in session.execute(query)
    }


def _result(mutation: Pushed, outcome: Outcome) -> dict[str, Any]:
    """The result to store; a case's status is renamed so it cannot hide the result's."""
    body = dict(outcome.body)
    if "status" in body:
        body["case_status"] = body.pop("status")
    return {
        "mid": mutation.mid,
        "status": outcome.status,
        "body": body,
        "digest": mutation.digest(),
    }


def _advance(session: Session, client_id: str, last_mid: int | None, now: datetime) -> None:
    values: dict[str, Any] = {"last_seen": now}
    if last_mid is not None:
        values["last_mid"] = last_mid
    session.execute(update(Console).where(Console.client_id == client_id).values(**values))
