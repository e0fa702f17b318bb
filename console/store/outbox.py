"""The outbox: each user action's mutation for the server, in order, and the server's answer."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Table,
    bindparam,
    delete,
    exists,
    func,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.orm import Session, aliased

from console.store.schema import Case, OutboxRow

PENDING = "pending"
APPLIED = "applied"
PROBLEMS = ("conflict", "rejected")
_RESOLVED = tuple((state, OutboxRow.resolved_at) for state in PROBLEMS)


@dataclass(frozen=True)
class Queued:
    """A mutation as the console sends it, and when the user made it."""

    mid: int
    name: str
    args: dict[str, Any]
    created_at: datetime


@dataclass(frozen=True)
class Answered:
    """A mutation with the server's answer: for the conflicts inbox."""

    mid: int
    name: str
    case_id: str
    case_no: str
    args: dict[str, Any]
    before: dict[str, Any]
    created_at: datetime
    state: str
    result: dict[str, Any]
    answered_at: datetime


class OutboxRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def append(
        self,
        name: str,
        args: dict[str, Any],
        at: datetime,
        case_id: str,
        before: dict[str, Any] | None = None,
    ) -> int:
        """Queue a mutation of the case `case_id`; `before`, the values it replaces."""
        row = {
            "name": name,
            "args": json.dumps(args, ensure_ascii=False),
            "created_at": at,
            "case_id": case_id,
            "before": json.dumps(before or {}, ensure_ascii=False),
        }
        result = self._session.execute(insert(OutboxRow).returning(OutboxRow.mid), [row])
        return int(result.scalar_one())

    def next_batch(self, limit: int, start: int | None = None) -> list[Queued]:
        """The oldest `limit` mutations not yet answered, in order; or, from `start` on, those
        of any state (the server asks for them again)."""
        chosen = OutboxRow.state == PENDING if start is None else OutboxRow.mid >= start
        rows = self._session.execute(
            select(OutboxRow.mid, OutboxRow.name, OutboxRow.args, OutboxRow.created_at)
            .where(chosen)
            .order_by(OutboxRow.mid)
            .limit(limit)
        )
        return [Queued(mid, name, json.loads(args), at) for mid, name, args, at in rows]

    def record(self, results: Sequence[dict[str, Any]], at: datetime) -> None:
        """Keep each result on its mutation's row: its state, the whole answer, its time."""
        if not results:
            return
        table: Table = OutboxRow.__table__  # type: ignore[assignment]
        self._session.execute(
            update(table)
            .where(table.c.mid == bindparam("m"))
            .values(state=bindparam("s"), result=bindparam("r"), answered_at=at),
            [
                {"m": r["mid"], "s": r["status"], "r": json.dumps(r, ensure_ascii=False)}
                for r in results
            ],
        )

    def waiting(self) -> list[tuple[int, str, str, datetime]]:
        """(mid, name, case number, made at) of each mutation not yet answered, oldest first."""
        query = (
            select(
                OutboxRow.mid, OutboxRow.name, func.coalesce(Case.case_no, ""), OutboxRow.created_at
            )
            .outerjoin(Case, Case.id == OutboxRow.case_id)
            .where(OutboxRow.state == PENDING)
            .order_by(OutboxRow.mid)
        )
        return [(mid, name, no, at) for mid, name, no, at in self._session.execute(query)]

    def waiting_count(self) -> tuple[int, datetime | None]:
        """How many mutations wait for an answer, and when the oldest was made."""
        query = select(func.count(), func.min(OutboxRow.created_at)).where(
            OutboxRow.state == PENDING
        )
        count, oldest = self._session.execute(query).one()
        return int(count), oldest

    def problems(self, mid: int | None = None) -> list[Answered]:
        """Conflicts and rejections nobody has dealt with yet, newest first (or just `mid`)."""
        query = (
            select(OutboxRow, func.coalesce(Case.case_no, ""))
            .outerjoin(Case, Case.id == OutboxRow.case_id)
            .where(OutboxRow.state.in_(PROBLEMS), OutboxRow.resolved_at.is_(None))
            .order_by(OutboxRow.mid.desc())
        )
        if mid is not None:
            query = query.where(OutboxRow.mid == mid)
        return [_answered(row, case_no) for row, case_no in self._session.execute(query)]

    def before(self, mid: int) -> dict[str, Any]:
        """The values the mutation `mid` replaced when the user made it."""
        found = self._session.execute(select(OutboxRow.before).where(OutboxRow.mid == mid))
        return dict(json.loads(found.scalar_one_or_none() or "{}"))

    def waiting_cases(self) -> set[str]:
        """The cases with mutations not yet answered."""
        query = select(OutboxRow.case_id).where(OutboxRow.state == PENDING).distinct()
        return set(self._session.execute(query).scalars())

    def resolve(self, mid: int, at: datetime) -> None:
        self._session.execute(update(OutboxRow).where(OutboxRow.mid == mid).values(resolved_at=at))

    def pending_of(self, case_ids: Iterable[str]) -> dict[str, list[tuple[str, dict[str, Any]]]]:
        """The waiting mutations (name, arguments) of each of the cases that has some."""
        # One parameter however many cases: a page of a thousand is a query, not a thousand
        # parameters to bind.
        query = text(
            "SELECT case_id, name, args FROM outbox WHERE state = :state "
            "AND case_id IN (SELECT value FROM json_each(:ids)) ORDER BY mid"
        )
        ids = json.dumps(list(case_ids))
        found: dict[str, list[tuple[str, dict[str, Any]]]] = {}
        for case_id, name, args in self._session.execute(query, {"state": PENDING, "ids": ids}):
            found.setdefault(case_id, []).append((name, json.loads(args)))
        return found

    def prune(self, settled_before: datetime, limit: int) -> int:
        """Forget at most `limit` of the oldest mutations settled before `settled_before`:
        answered `applied` then, or a conflict or rejection the user dealt with then. Unsent
        mutations and problems nobody dealt with are kept, and so is every later mutation of
        a case with such a problem (a case's badge is its newest mutation's). The numbering
        goes on after the highest number ever given, whatever is forgotten (AUTOINCREMENT
        keeps its mark apart from the rows). How many were forgotten."""
        problem = aliased(OutboxRow)
        open_problem_before = exists().where(
            problem.case_id == OutboxRow.case_id,
            problem.mid < OutboxRow.mid,
            problem.state.in_(PROBLEMS),
            problem.resolved_at.is_(None),
        )
        forgotten = 0
        # Each state on its own, so that the (state, mid) index is walked in order and the
        # walk stops at the chunk's end.
        for state, settled_at in ((APPLIED, OutboxRow.answered_at), *_RESOLVED):
            chosen = (
                select(OutboxRow.mid)
                .where(OutboxRow.state == state, settled_at < settled_before)
                .where(~open_problem_before)
                .order_by(OutboxRow.mid)
                .limit(limit - forgotten)
            )
            result = self._session.execute(delete(OutboxRow).where(OutboxRow.mid.in_(chosen)))
            forgotten += int(result.rowcount)  # type: ignore[attr-defined]
            if forgotten >= limit:
                break
        return forgotten

    def restart_numbering(self) -> int:
        """Number the pending mutations 1, 2, 3… again, in their order, for a new enrolment;
        the settled ones are forgotten. The number of pending mutations."""
        columns = (
            OutboxRow.name,
            OutboxRow.args,
            OutboxRow.created_at,
            OutboxRow.state,
            OutboxRow.case_id,
            OutboxRow.before,
        )
        query = select(*columns).where(OutboxRow.state == PENDING).order_by(OutboxRow.mid)
        pending = [row._asdict() for row in self._session.execute(query)]
        self._session.execute(delete(OutboxRow))
        # AUTOINCREMENT keeps its high-water mark apart from the rows: start it again.
        self._session.execute(text("DELETE FROM sqlite_sequence WHERE name = 'outbox'"))
        rows = [{"mid": mid, **row} for mid, row in enumerate(pending, start=1)]
        if rows:
            self._session.execute(insert(OutboxRow), rows)
        return len(rows)


def _answered(row: OutboxRow, case_no: str) -> Answered:
    assert row.answered_at is not None
    return Answered(
        mid=row.mid,
        name=row.name,
        case_id=row.case_id,
        case_no=case_no,
        args=json.loads(row.args),
        before=json.loads(row.before),
        created_at=row.created_at,
        state=row.state,
        result=json.loads(row.result),
        answered_at=row.answered_at,
    )
