"""The console's copy of the centre's cases as pulled, and the users who signed in at the seat."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, delete, insert, select, update
from sqlalchemy.orm import Session

from console.store.repositories import insert_or_update
from console.store.schema import Case, CaseAssistingAgency, CaseEventRow, CaseNoteRow, SeatUser

CASES: Table = Case.__table__  # type: ignore[assignment]
# Kept as the console had them: the console that sent a case is no other console's business.
_LOCAL_ONLY = frozenset({"id", "client_id"})
_LISTS = (CaseNoteRow, CaseEventRow, CaseAssistingAgency)
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
        """Store cases as the server sent them; a case already here keeps its console id."""
        if not cases:
            return
        # On the table, not the mapped class: one executemany for the page, where the ORM's
        # bulk insert makes a statement of each set of columns not null (about one a case).
        upsert = insert_or_update(self._session, CASES)
        changed = {c.name: upsert.excluded[c.name] for c in CASES.c if c.name not in _LOCAL_ONLY}
        self._session.execute(
            upsert.on_conflict_do_update(index_elements=[Case.id], set_=changed), cases
        )

    def replace_lists(
        self,
        case_ids: Collection[str],
        lists: dict[type[Any], list[dict[str, Any]]],
        keep_notes: Collection[str],
    ) -> None:
        """The notes, timeline and assisting agencies of the cases as the server sent them; the
        notes `keep_notes` (not sent yet) stay."""
        ids = list(case_ids)
        for table in _LISTS:
            gone = delete(table).where(table.case_id.in_(ids))
            if table is CaseNoteRow and keep_notes:
                gone = gone.where(CaseNoteRow.id.not_in(list(keep_notes)))
            self._session.execute(gone)
            rows = lists.get(table, [])
            if table is CaseNoteRow and keep_notes:
                rows = [row for row in rows if row["id"] not in keep_notes]
            if rows:
                self._session.execute(insert(cast(Table, table.__table__)), rows)

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
            for table in _LISTS:
                self._session.execute(delete(table).where(table.case_id.in_(chunk)))
            self._session.execute(delete(Case).where(Case.id.in_(chunk)))

    def fields(self, case_id: str, names: Collection[str]) -> dict[str, Any] | None:
        """The case's values of the columns `names`; None if there is no such case."""
        columns = [CASES.c[name] for name in names]
        row = self._session.execute(select(*columns).where(Case.id == case_id)).first()
        return dict(row._mapping) if row is not None else None

    def set_fields(self, case_id: str, values: dict[str, Any], at: datetime | None = None) -> None:
        changed = {**values, "updated_at": at} if at is not None else values
        self._session.execute(update(Case).where(Case.id == case_id).values(**changed))


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
