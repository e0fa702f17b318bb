"""Repositories: SQL in, frozen domain objects out. They never commit; the unit of work does."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Table,
    case,
    delete,
    func,
    insert,
    literal,
    or_,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from console.domain.cases import Badge, CaseDetail, CaseEvent, CaseNote, CaseSummary
from console.domain.enums import AppealType, EventKind, Handling, Status, Urgency
from console.domain.errors import NotFound
from console.store.schema import (
    OPEN_STATUSES,
    Case,
    CaseAssistingAgency,
    CaseEventRow,
    CaseNoteRow,
    DailyCounter,
    DraftRow,
    MetaRow,
    OutboxRow,
)

SERVER_URL = "server_url"  # in console_meta: the centre this workstation is enrolled with

_SUMMARY_COLUMNS = (
    Case.id,
    Case.case_no,
    Case.created_at,
    Case.status,
    Case.appeal_type,
    Case.category_path,
    Case.lead_agency_name,
    Case.deadline_at,
    Case.description,
)
# A case's badge: the state of its newest mutation (those still waiting are the newest, as the
# outbox is sent in order), one step of the (case_id, mid) index per row.
_NEWEST_MUTATION = (
    select(
        case(
            (OutboxRow.state == "pending", Badge.WAITING.value),
            (
                OutboxRow.state.in_(("conflict", "rejected")) & OutboxRow.resolved_at.is_(None),
                OutboxRow.state,
            ),
            else_=Badge.SYNCED.value,
        )
    )
    .where(OutboxRow.case_id == Case.id)
    .order_by(OutboxRow.mid.desc())
    .limit(1)
    .correlate(Case)
    .scalar_subquery()
)
# Lists of cases: open ones first, then the newest; the id settles cases of the same moment,
# so that every page of every size cuts the same list (the console's and the server's alike).
OPEN_FIRST_NEWEST = (
    case((Case.status.in_(OPEN_STATUSES), 0), else_=1),
    Case.created_at.desc(),
    Case.id.desc(),
)


def prune(session: Session, key: Any, ended: ColumnElement[bool], batch: int) -> None:
    """Delete at most `batch` rows that `ended` selects, of the table of the primary key `key`.

    Rows another transaction is deleting are skipped, not waited for (PostgreSQL; SQLite has
    one writer at a time anyway): whoever prunes along the way never waits on another."""
    chosen = select(key).where(ended).limit(batch).with_for_update(skip_locked=True)
    session.execute(delete(key.class_).where(key.in_(chosen)))


def insert_or_update(session: Session, table: type[Any] | Table) -> Any:
    """INSERT … ON CONFLICT for whichever of the two databases the session is on."""
    dialect = session.get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)


def _summary(row: Any, badge: str) -> CaseSummary:
    return CaseSummary(
        id=row.id,
        case_no=row.case_no,
        created_at=row.created_at,
        status=Status(row.status),
        appeal_type=AppealType(row.appeal_type),
        category_path=row.category_path,
        lead_agency_name=row.lead_agency_name,
        deadline_at=row.deadline_at,
        description=row.description,
        badge=Badge(badge),
    )


@dataclass(frozen=True)
class NewEvent:
    id: str
    case_id: str
    at: datetime
    kind: EventKind
    actor: str
    seat_code: str
    detail: str = ""


class CaseRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def _summary_columns(self) -> tuple[Any, ...]:
        """The columns of a case row, with its badge: none on a console without a server."""
        linked = self._session.get(MetaRow, SERVER_URL) is not None
        badge = (
            func.coalesce(_NEWEST_MUTATION, Badge.SYNCED.value)
            if linked
            else literal(Badge.LOCAL.value)
        )
        return (*_SUMMARY_COLUMNS, badge.label("badge"))

    def add(self, values: dict[str, Any], assisting: Sequence[tuple[str, str]]) -> None:
        self._session.execute(insert(Case), [values])
        if assisting:
            self._session.execute(
                insert(CaseAssistingAgency),
                [
                    {"case_id": values["id"], "agency_code": code, "agency_name": name}
                    for code, name in assisting
                ],
            )

    def add_event(self, event: NewEvent) -> None:
        self._session.execute(
            insert(CaseEventRow),
            [
                {
                    "id": event.id,
                    "case_id": event.case_id,
                    "at": event.at,
                    "kind": event.kind.value,
                    "actor": event.actor,
                    "seat_code": event.seat_code,
                    "detail": event.detail,
                }
            ],
        )

    def add_note(self, note: CaseNote, case_id: str, seat_code: str) -> None:
        self._session.execute(
            insert(CaseNoteRow),
            [
                {
                    "id": note.id,
                    "case_id": case_id,
                    "at": note.at,
                    "author": note.author,
                    "seat_code": seat_code,
                    "text": note.text,
                }
            ],
        )
        self._session.execute(
            update(Case)
            .where(Case.id == case_id)
            .values(updated_at=note.at, version=Case.version + 1)
        )

    def exists(self, case_id: str) -> bool:
        return self._session.execute(select(Case.id).where(Case.id == case_id)).first() is not None

    def number_held(self, case_no: str) -> bool:
        query = select(Case.id).where(Case.case_no == case_no)
        return self._session.execute(query).first() is not None

    def by_caller(self, phone_e164: str, offset: int, limit: int) -> list[CaseSummary]:
        """The caller's cases, open ones first, newest first; one page."""
        query = (
            select(*self._summary_columns())
            .where(Case.caller_phone == phone_e164)
            .order_by(*OPEN_FIRST_NEWEST)
            .offset(offset)
            .limit(limit)
        )
        return [_summary(row, row.badge) for row in self._session.execute(query)]

    def called_since(self, phone_e164: str, since: datetime) -> bool:
        query = select(Case.id).where(Case.caller_phone == phone_e164, Case.created_at >= since)
        return self._session.execute(query.limit(1)).first() is not None

    def of_seat(
        self, seat_code: str, since: datetime, offset: int, limit: int
    ) -> list[CaseSummary]:
        """The seat's cases created since `since` and its open ones, open first, newest first."""
        query = (
            select(*self._summary_columns())
            .where(
                Case.seat_code == seat_code,
                or_(Case.created_at >= since, Case.status.in_(OPEN_STATUSES)),
            )
            .order_by(*OPEN_FIRST_NEWEST)
            .offset(offset)
            .limit(limit)
        )
        return [_summary(row, row.badge) for row in self._session.execute(query)]

    def communities(self, street_code: str, limit: int = 200) -> list[str]:
        query = (
            select(Case.community)
            .where(Case.street_code == street_code, Case.community != "")
            .group_by(Case.community)
            .order_by(func.count().desc())
            .limit(limit)
        )
        return list(self._session.execute(query).scalars())

    def detail(self, case_id: str) -> CaseDetail:
        found = self._session.execute(
            select(Case, *self._summary_columns()[-1:]).where(Case.id == case_id)
        ).first()
        if found is None:
            raise NotFound(case_id)
        row = found[0]
        assisting = self._session.execute(
            select(CaseAssistingAgency.agency_name).where(CaseAssistingAgency.case_id == case_id)
        ).scalars()
        return CaseDetail(
            summary=_summary(row, found.badge),
            caller_phone=row.caller_phone,
            caller_name=row.caller_name,
            callback_phone=row.callback_phone,
            confidential=row.confidential,
            anonymous=row.anonymous,
            urgency=Urgency(row.urgency),
            handling=Handling(row.handling),
            answer_text=row.answer_text,
            district_name=row.district_name,
            street_name=row.street_name,
            community=row.community,
            address=row.address,
            lead_agency_code=row.lead_agency_code,
            assisting_agency_names=tuple(assisting),
            routing_reason=row.routing_reason,
            deadline_reason=row.deadline_reason,
            operator=row.operator,
            seat_code=row.seat_code,
            events=case_events(self._session, case_id),
            notes=case_notes(self._session, case_id),
        )


def case_events(session: Session, case_id: str) -> tuple[CaseEvent, ...]:
    """A case's timeline, oldest first; ids, made in order, keep events of one moment in it."""
    rows = session.execute(
        select(CaseEventRow)
        .where(CaseEventRow.case_id == case_id)
        .order_by(CaseEventRow.at, CaseEventRow.id)
    ).scalars()
    return tuple(CaseEvent(e.at, EventKind(e.kind), e.actor, e.seat_code, e.detail) for e in rows)


def case_notes(session: Session, case_id: str) -> tuple[CaseNote, ...]:
    """A case's notes, oldest first."""
    rows = session.execute(
        select(CaseNoteRow)
        .where(CaseNoteRow.case_id == case_id)
        .order_by(CaseNoteRow.at, CaseNoteRow.id)
    ).scalars()
    return tuple(CaseNote(n.id, n.at, n.author, n.text) for n in rows)


class CounterRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def next(self, day: str) -> int:
        """The next number of the day; the increment commits with the case that uses it."""
        upsert = insert_or_update(self._session, DailyCounter).values(day=day, last_seq=1)
        upsert = upsert.on_conflict_do_update(
            index_elements=[DailyCounter.day], set_={"last_seq": DailyCounter.last_seq + 1}
        ).returning(DailyCounter.last_seq)
        return int(self._session.execute(upsert).scalar_one())

    def at_least(self, day: str, last_seq: int) -> None:
        """Number the day's next case after `last_seq`, if it is not already past it."""
        upsert = insert_or_update(self._session, DailyCounter).values(day=day, last_seq=last_seq)
        self._session.execute(
            upsert.on_conflict_do_update(
                index_elements=[DailyCounter.day],
                set_={
                    "last_seq": case(
                        (DailyCounter.last_seq < last_seq, last_seq), else_=DailyCounter.last_seq
                    )
                },
            )
        )


class MetaRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def get(self, key: str) -> str | None:
        row = self._session.get(MetaRow, key)
        return row.value if row else None

    def set(self, key: str, value: str) -> None:
        upsert = insert_or_update(self._session, MetaRow).values(key=key, value=value)
        self._session.execute(
            upsert.on_conflict_do_update(index_elements=[MetaRow.key], set_={"value": value})
        )


class DraftRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def save(self, slot: str, payload: str, at: datetime) -> None:
        upsert = insert_or_update(self._session, DraftRow).values(
            slot=slot, payload=payload, updated_at=at
        )
        self._session.execute(
            upsert.on_conflict_do_update(
                index_elements=[DraftRow.slot], set_={"payload": payload, "updated_at": at}
            )
        )

    def load(self, slot: str) -> tuple[str, datetime] | None:
        row = self._session.get(DraftRow, slot)
        return (row.payload, row.updated_at) if row else None

    def clear(self, slot: str) -> None:
        self._session.execute(delete(DraftRow).where(DraftRow.slot == slot))
