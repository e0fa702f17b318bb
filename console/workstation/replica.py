"""The workstation's side of the sync, on its own database: the outbox to send and the
answers it got, the pages of the centre's cases it pulled, the users who signed in here.

A pulled case is stored as the server sent it, with what this console has not sent yet put
back on top: a case's waiting edits and notes are never lost to a page that crossed them. The
server's answer to a change is the truth the local copy follows: a value kept by the server is
the value shown, the user's is in the conflicts inbox.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from console.domain.edits import derived
from console.domain.reference import ReferenceData
from console.store.outbox import Answered, Queued
from console.store.replica import Known
from console.store.repositories import SERVER_URL
from console.store.uow import UnitOfWork
from console.workstation.cases import queue_edit
from console.workstation.context import Clock, Operator, Units

CURSOR = "sync.cursor"
# How long a mutation the server settled is kept after it was answered (or its problem dealt
# with); then it is forgotten, a chunk of them per write transaction.
ANSWERS_KEPT = timedelta(days=30)
PRUNE_CHUNK = 500


@dataclass(frozen=True)
class Linked:
    """The centre this workstation is enrolled with."""

    server_url: str
    client_id: str
    seat_code: str


@dataclass(frozen=True)
class Applied:
    """What a page changed here: the cases stored, and (id, number) of those removed."""

    case_ids: frozenset[str]
    left: tuple[tuple[str, str], ...]


class ReplicaService:
    def __init__(self, units: Units, reference: ReferenceData, clock: Clock) -> None:
        self._units = units
        self._reference = reference
        self._clock = clock

    # The enrolment ------------------------------------------------------------------------

    def linked(self) -> Linked | None:
        with self._units.read() as uow:
            url, client, seat = (uow.meta.get(k) for k in (SERVER_URL, "client_id", "seat_code"))
        return Linked(url, client, seat) if url and client and seat else None

    def link(self, server_url: str) -> None:
        """From now on this workstation syncs with `server_url` (enrolled there)."""
        with self._units.write() as uow:
            uow.meta.set(SERVER_URL, server_url)
            uow.commit()

    # Users who signed in here ---------------------------------------------------------------

    def known(self, username: str) -> Known | None:
        with self._units.read() as uow:
            return uow.seat_users.get(username)

    def remember(self, known: Known) -> None:
        with self._units.write() as uow:
            uow.seat_users.keep(known, self._clock())
            uow.commit()

    def forget(self, username: str) -> None:
        with self._units.write() as uow:
            uow.seat_users.forget(username)
            uow.commit()

    # Push -------------------------------------------------------------------------------------

    def next_batch(self, limit: int, start: int | None = None) -> list[Queued]:
        with self._units.read() as uow:
            return uow.outbox.next_batch(limit, start)

    def waiting(self) -> list[tuple[int, str, str, datetime]]:
        with self._units.read() as uow:
            return uow.outbox.waiting()

    def waiting_count(self) -> tuple[int, datetime | None]:
        with self._units.read() as uow:
            return uow.outbox.waiting_count()

    def record(self, sent: Sequence[Queued], results: Sequence[dict[str, Any]]) -> frozenset[str]:
        """Keep the server's answers on their mutations, in one transaction, and make the local
        copy follow them: a renumbered case takes its new number, a value the server kept is
        shown, a refused edit is undone. The cases changed here."""
        by_mid = {q.mid: q for q in sent}
        changed: set[str] = set()
        with self._units.write() as uow:
            uow.outbox.record(results, self._clock())
            for result in results:
                queued = by_mid.get(result["mid"])
                if queued is not None and self._follow(uow, queued, result):
                    changed.add(str(result.get("case_id", "")))
            uow.commit()
        return frozenset(changed)

    def _follow(self, uow: UnitOfWork, queued: Queued, result: dict[str, Any]) -> bool:
        case_id = result.get("case_id") or queued.args.get("case_id") or queued.args.get("id")
        if not isinstance(case_id, str):
            return False
        values: dict[str, Any] = {}
        if isinstance(result.get("case_no"), str):
            values["case_no"] = result["case_no"]
        for conflict in result.get("conflicts", []):
            values[conflict["field"]] = conflict["kept"]
        if result["status"] == "rejected" and queued.name == "case.update":
            values.update(self._undone(uow, case_id, queued))
        values = {k: v for k, v in values.items() if k != "case_no" or v}
        if not values:
            return False
        kept = {k: v for k, v in values.items() if isinstance(v, str)}
        uow.replica.set_fields(case_id, {**values, **derived(self._reference, kept)})
        return True

    @staticmethod
    def _undone(uow: UnitOfWork, case_id: str, queued: Queued) -> dict[str, Any]:
        """The values a refused edit replaced, of the fields that still hold the edit's."""
        before = uow.outbox.before(queued.mid)
        mine: dict[str, Any] = queued.args.get("set", {})
        now = uow.replica.fields(case_id, list(mine)) or {}
        return {name: before[name] for name in mine if name in before and now[name] == mine[name]}

    def prune(self) -> int:
        """Forget a chunk of the mutations settled more than ANSWERS_KEPT ago (see
        OutboxRepository.prune); how many: a full chunk means there may be more."""
        with self._units.write() as uow:
            forgotten = uow.outbox.prune(self._clock() - ANSWERS_KEPT, PRUNE_CHUNK)
            uow.commit()
        return forgotten

    # Pull -------------------------------------------------------------------------------------

    def cursor(self) -> str | None:
        with self._units.read() as uow:
            return uow.meta.get(CURSOR)

    def apply_page(
        self,
        fields: Sequence[str],
        changes: Sequence[dict[str, Any]],
        cursor: str | None,
        reset: bool,
        after: str | None,
    ) -> Applied | None:
        """Store a page of changes and its cursor in one transaction, if it follows on from the
        cursor kept here (`after`; None before the first page): None if it does not (the pull
        and the live channel each bring pages). `reset` first drops every pulled case (but
        those with changes not sent yet). A part of a page is stored with `cursor` None: the
        cursor stays `after`, so the page is pulled again should its last part never be."""
        with self._units.write() as uow:
            if uow.meta.get(CURSOR) != after:
                return None
            if reset:
                uow.replica.drop_pulled(uow.outbox.waiting_cases())
            removed = [c["id"] for c in changes if c["op"] == "remove"]
            left = uow.replica.remove(removed) if removed else []
            upserts = [c for c in changes if c["op"] == "upsert"]
            stored = self._store(uow, fields, upserts)
            if cursor is not None:
                uow.meta.set(CURSOR, cursor)
            uow.commit()
        return Applied(frozenset(stored), tuple(left))

    def _store(
        self, uow: UnitOfWork, fields: Sequence[str], upserts: Sequence[dict[str, Any]]
    ) -> list[str]:
        ids = [c["id"] for c in upserts]
        held = uow.replica.versions(ids)
        pending = uow.outbox.pending_of(ids)
        # A case waiting to be sent is taken as the server has it, then its own changes go back
        # on top; any other is taken unless an older version arrives after a newer one.
        newer = [c for c in upserts if c["id"] in pending or c["version"] >= held.get(c["id"], 0)]
        if any(len(c["data"]) != len(fields) for c in newer):
            raise ValueError("a case of the page does not hold a value for each of its fields")
        cases = [c["data"] for c in newer]
        self._make_room(uow, fields, cases)
        uow.replica.upsert(fields, cases)
        ids = [c["id"] for c in newer]
        waiting_notes = {
            args["note_id"]
            for case_id in ids
            for name, args in pending.get(case_id, [])
            if name == "case.add_note"
        }
        uow.replica.replace_lists(fields, cases, [i for i in ids if i in held], waiting_notes)
        for case_id in ids:
            for name, args in pending.get(case_id, []):
                if name == "case.update":
                    edit = args["set"]
                    uow.replica.set_fields(case_id, {**edit, **derived(self._reference, edit)})
        return ids

    @staticmethod
    def _make_room(uow: UnitOfWork, fields: Sequence[str], cases: Sequence[Sequence[Any]]) -> None:
        """Step aside for the server's cases: a case of this console that holds one of their
        numbers was numbered by a copy of the database restored from an older one, and the
        server gives it a new number when it arrives (a mark until then). The seat's next
        number skips those the server's cases hold here (see the intake's `_free_number`)."""
        ident, number = fields.index("id"), fields.index("case_no")
        uow.replica.step_aside({values[number]: values[ident] for values in cases})

    # Problems ---------------------------------------------------------------------------------

    def problems(self) -> list[Answered]:
        with self._units.read() as uow:
            return uow.outbox.problems()

    def resolve(self, mid: int) -> None:
        with self._units.write() as uow:
            uow.outbox.resolve(mid, self._clock())
            uow.commit()

    def apply_again(self, mid: int, operator: Operator) -> None:
        """A new change of the values of `mid` the server did not apply, on top of the case's
        version here; the problem is resolved in the same transaction."""
        with self._units.write() as uow:
            [problem] = uow.outbox.problems(mid)
            values = not_applied(problem)
            if values:
                queue_edit(uow, problem.case_id, values, self._reference, operator, self._clock())
            uow.outbox.resolve(mid, self._clock())
            uow.commit()


def not_applied(problem: Answered) -> dict[str, str]:
    """The edited values of a problem the server did not apply."""
    if problem.name != "case.update":
        return {}
    mine: dict[str, str] = problem.args.get("set", {})
    if problem.state == "rejected":
        return dict(mine)
    lost = {c["field"] for c in problem.result.get("conflicts", [])}
    return {name: value for name, value in mine.items() if name in lost}
