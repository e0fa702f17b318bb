"""The console's copy of the centre's cases as pulled, and the users who signed in at the seat."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Table, delete, select, update
from sqlalchemy.orm import Session

from console.store.repositories import insert_or_update
from console.store.schema import (
    Case,
    CaseAssistingAgency,
    CaseEventRow,
    CaseNoteRow,
    SeatUser,
    UTCDateTime,
)

CASES: Table = Case.__table__  # type: ignore[assignment]
NOTES: Table = CaseNoteRow.__table__  # type: ignore[assignment]
EVENTS: Table = CaseEventRow.__table__  # type: ignore[assignment]
ASSISTING: Table = CaseAssistingAgency.__table__  # type: ignore[assignment]
LISTS = (NOTES, EVENTS, ASSISTING)
# Kept as the console had them: the console that sent a case is no other console's business.
_LOCAL_ONLY = frozenset({"id", "client_id"})
AWAITING = "?"  # after a case number the server is to give again


@dataclass(frozen=True)
class Known:
    """A user who signed in at this seat while the server answered."""

    username: str
    verifier: str
    display_name: str
    role: str


class ReplicaRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def versions(self, ids: Collection[str]) -> dict[str, int]:
        query = select(Case.id, Case.version).where(Case.id.in_(list(ids)))
        return {row.id: row.version for row in self._session.execute(query)}

    def upsert(self, cases: Sequence[dict[str, Any]]) -> None:
        """Store cases as the server sent them (times in ISO 8601); a case already here keeps
        its console id."""
        self._insert(CASES, cases, update=True)

    def replace_lists(
        self,
        case_ids: Collection[str],
        lists: dict[Table, list[dict[str, Any]]],
        keep_notes: Collection[str],
    ) -> None:
        """The notes, timeline and assisting agencies of the cases as the server sent them
        (times in ISO 8601); the notes `keep_notes` (not sent yet) stay."""
        ids = list(case_ids)
        for table in LISTS:
            gone = delete(table).where(table.c.case_id.in_(ids))
            rows = lists.get(table, [])
            if table is NOTES and keep_notes:
                gone = gone.where(table.c.id.not_in(list(keep_notes)))
                rows = [row for row in rows if row["id"] not in keep_notes]
            self._session.execute(gone)
            self._insert(table, rows, update=False)

    def _insert(self, table: Table, rows: Sequence[dict[str, Any]], update: bool) -> None:
        """Insert (or update, by id) rows of the same keys straight through the driver: a page
        of a thousand cases and their lists is the first download's unit, and the ORM's
        handling of each value would cost more than writing it."""
        if not rows:
            return
        names = [c.name for c in table.c if c.name in rows[0]]
        times = {c.name for c in table.c if isinstance(c.type, UTCDateTime)}
        sql = (
            f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"
        )
        if update:
            changed = ", ".join(f"{n} = excluded.{n}" for n in names if n not in _LOCAL_ONLY)
            sql += f" ON CONFLICT (id) DO UPDATE SET {changed}"
        values = [tuple(_stored(row[n]) if n in times else row[n] for n in names) for row in rows]
        raw = self._session.connection().connection.driver_connection
        raw.executemany(sql, values)  # type: ignore[union-attr]

    def remove(self, ids: Collection[str]) -> list[tuple[str, str]]:
        """Delete the cases with their lists; (id, case number) of those that were here."""
        wanted = list(ids)
        found = [
            (case_id, case_no)
            for case_id, case_no in self._session.execute(
                select(Case.id, Case.case_no).where(Case.id.in_(wanted))
            )
        ]
        self._delete([case_id for case_id, _ in found])
        return found

    def step_aside(self, numbers: dict[str, str]) -> None:
        """Mark the number of each case that holds one of `numbers` (case number: the id of
        the case coming with it) but is another case."""
        query = select(Case.id, Case.case_no).where(Case.case_no.in_(list(numbers)))
        for case_id, case_no in self._session.execute(query).all():
            if numbers[case_no] != case_id:
                self._session.execute(
                    update(Case).where(Case.id == case_id).values(case_no=case_no + AWAITING)
                )

    def drop_pulled(self, keep: Collection[str]) -> None:
        """Delete every case this console did not take itself, but those of `keep`."""
        query = select(Case.id).where(Case.client_id == "", Case.id.not_in(list(keep)))
        self._delete(list(self._session.execute(query).scalars()))

    def _delete(self, ids: list[str]) -> None:
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            for table in LISTS:
                self._session.execute(delete(table).where(table.c.case_id.in_(chunk)))
            self._session.execute(delete(Case).where(Case.id.in_(chunk)))

    def fields(self, case_id: str, names: Collection[str]) -> dict[str, Any] | None:
        """The case's values of the columns `names`; None if there is no such case."""
        columns = [CASES.c[name] for name in names]
        row = self._session.execute(select(*columns).where(Case.id == case_id)).first()
        return dict(row._mapping) if row is not None else None

    def set_fields(self, case_id: str, values: dict[str, Any], at: datetime | None = None) -> None:
        changed = {**values, "updated_at": at} if at is not None else values
        self._session.execute(update(Case).where(Case.id == case_id).values(**changed))


def _stored(value: str | None) -> str | None:
    """An ISO 8601 time as the UTC columns hold it (naive UTC, SQLite's text form)."""
    if value is None:
        return None
    return datetime.fromisoformat(value).astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


class SeatUserRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def get(self, username: str) -> Known | None:
        row = self._session.get(SeatUser, username)
        if row is None:
            return None
        return Known(row.username, row.verifier, row.display_name, row.role)

    def keep(self, known: Known, at: datetime) -> None:
        values = {
            "username": known.username,
            "verifier": known.verifier,
            "display_name": known.display_name,
            "role": known.role,
            "signed_in_at": at,
        }
        upsert = insert_or_update(self._session, SeatUser).values(**values)
        self._session.execute(
            upsert.on_conflict_do_update(index_elements=[SeatUser.username], set_=values)
        )

    def forget(self, username: str) -> None:
        self._session.execute(delete(SeatUser).where(SeatUser.username == username))
