"""The console's copy of the centre's cases as pulled, and the users who signed in at the seat."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson
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
# The field of a pulled case that holds each list.
_LIST_FIELDS = {NOTES: "notes", EVENTS: "events", ASSISTING: "assisting_agencies"}
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
        """The version of each case of `ids` held here."""
        found = self._raw().execute(
            "SELECT c.id, c.version FROM json_each(?) AS j CROSS JOIN cases AS c ON c.id = j.value",
            (_array(ids),),
        )
        return dict(found)

    def upsert(self, fields: Sequence[str], cases: Sequence[Sequence[Any]]) -> None:
        """Store cases as the server sent them, each the values of `fields` (times in ISO 8601;
        values of no column here are left out); a case already here keeps its console id."""
        names = [name for name in fields if name in CASES.c and name not in _LOCAL_ONLY]
        pick = _picker(fields, ["id", *names])
        convert = _converter(CASES, ["id", *names])
        rows = [(*convert(pick(values)), "") for values in cases]
        changed = ", ".join(f"{name} = excluded.{name}" for name in names)
        self._insert(
            CASES, ["id", *names, "client_id"], rows, f"ON CONFLICT (id) DO UPDATE SET {changed}"
        )

    def replace_lists(
        self,
        fields: Sequence[str],
        cases: Sequence[Sequence[Any]],
        held: Collection[str],
        keep_notes: Collection[str],
    ) -> None:
        """The notes, timeline and assisting agencies of `cases` (each the values of `fields`,
        its id first, times in ISO 8601) as the server sent them; those of the cases `held` here
        before are replaced, but the notes `keep_notes` (not sent yet) stay."""
        raw = self._raw()
        if held:
            for table in LISTS:
                gone = f"DELETE FROM {table.name} WHERE case_id IN (SELECT value FROM json_each(?))"
                if table is NOTES and keep_notes:
                    gone += " AND id NOT IN (SELECT value FROM json_each(?))"
                    raw.execute(gone, (_array(held), _array(keep_notes)))
                else:
                    raw.execute(gone, (_array(held),))
        ident = fields.index("id")
        for table in LISTS:
            at = fields.index(_LIST_FIELDS[table])
            items = [(values[ident], item) for values in cases for item in values[at]]
            if table is NOTES and keep_notes:
                items = [(case_id, item) for case_id, item in items if item["id"] not in keep_notes]
            if not items:
                continue
            names = [c.name for c in table.c if c.name in items[0][1]]
            convert = _converter(table, names)
            rows = [(*convert([item[n] for n in names]), case_id) for case_id, item in items]
            self._insert(table, [*names, "case_id"], rows, "")

    def _insert(
        self, table: Table, names: Sequence[str], rows: Sequence[Sequence[Any]], tail: str
    ) -> None:
        """Insert rows of values of the columns `names` straight through the driver: a page of
        a thousand cases and their lists is the first download's unit, and the ORM's handling
        of each value would cost more than writing it."""
        if not rows:
            return
        marks = ", ".join("?" * len(names))
        sql = f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({marks}) {tail}"
        self._raw().executemany(sql, rows)

    def _raw(self) -> Any:
        """The driver's connection, in the session's transaction."""
        return self._session.connection().connection.driver_connection

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
        found = self._raw().execute(
            "SELECT c.id, c.case_no FROM json_each(?) AS j CROSS JOIN cases AS c "
            "ON c.case_no = j.value",
            (_array(numbers),),
        )
        for case_id, case_no in found.fetchall():
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


def _array(items: Collection[str]) -> str:
    """A JSON array of `items`: one parameter, read back by json_each."""
    return orjson.dumps(list(items)).decode()


def _picker(fields: Sequence[str], names: Sequence[str]) -> Callable[[Sequence[Any]], list[Any]]:
    """Takes the values of `names` out of values of `fields`, in that order."""
    where = [fields.index(name) for name in names]
    return lambda values: [values[i] for i in where]


def _converter(table: Table, names: Sequence[str]) -> Callable[[list[Any]], list[Any]]:
    """Turns values of the columns `names` as the server sent them into what the columns
    hold: times as the UTC columns keep them."""
    times = [i for i, name in enumerate(names) if isinstance(table.c[name].type, UTCDateTime)]

    def convert(values: list[Any]) -> list[Any]:
        for i in times:
            values[i] = _stored(values[i])
        return values

    return convert


def _stored(value: str | None) -> str | None:
    """An ISO 8601 time as the UTC columns hold it (naive UTC, SQLite's text form)."""
    if value is None:
        return None
    # The server writes UTC as `2026-12-01T08:30:00.123456+00:00`, whole seconds without the
    # fraction: the text is rearranged. Any other form is read as a time.
    if value.endswith("+00:00") and value[10:11] == "T":
        if len(value) == 32:
            return f"{value[:10]} {value[11:26]}"
        if len(value) == 25:
            return f"{value[:10]} {value[11:19]}.000000"
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
