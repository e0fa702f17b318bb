"""The tables: the cases both programs hold, and the console's own; the server's own are in
`server_schema`. A table only one program's database holds says so (`only_on`), and only that
program's migrations build it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from console.domain.enums import Status

OPEN_STATUSES = tuple(s.value for s in Status if s.is_open and s is not Status.DRAFT)
_OPEN_SQL = "status IN (" + ", ".join(f"'{s}'" for s in OPEN_STATUSES) + ")"


class UTCDateTime(TypeDecorator[datetime]):
    """Stored as naive UTC, returned as aware UTC, so both databases sort it the same way."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return value.replace(tzinfo=UTC) if value is not None else None


utc = Annotated[datetime, mapped_column(UTCDateTime())]
uuid_pk = Annotated[str, mapped_column(String(36), primary_key=True)]
short = Annotated[str, mapped_column(String(64), default="", server_default="")]
flag = Annotated[bool, mapped_column(Boolean, default=False, server_default=text("false"))]

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def only_on(program: Literal["console", "server"]) -> dict[str, Any]:
    """The table options of a table only one program's database holds."""
    return {"info": {"only_on": program}}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Case(Base):
    __tablename__ = "cases"

    id: Mapped[uuid_pk]
    case_no: Mapped[str] = mapped_column(String(16), unique=True)
    client_id: Mapped[str] = mapped_column(String(36))
    seat_code: Mapped[str] = mapped_column(String(3))
    operator: Mapped[str] = mapped_column(String(50))
    created_at: Mapped[utc]
    updated_at: Mapped[utc]
    version: Mapped[int] = mapped_column(Integer, default=1)
    status: Mapped[str] = mapped_column(String(16))
    appeal_type: Mapped[str] = mapped_column(String(16))
    urgency: Mapped[str] = mapped_column(String(16))
    handling: Mapped[str] = mapped_column(String(16))
    category_code: Mapped[str] = mapped_column(String(6))
    category_path: Mapped[str] = mapped_column(String(200))
    district_code: Mapped[short]
    district_name: Mapped[short]
    street_code: Mapped[short]
    street_name: Mapped[short]
    community: Mapped[short]
    address: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(Text)
    answer_text: Mapped[str] = mapped_column(Text, default="")
    caller_phone: Mapped[str] = mapped_column(String(20))
    caller_name: Mapped[short]
    callback_phone: Mapped[str] = mapped_column(String(20), default="")
    confidential: Mapped[flag]
    anonymous: Mapped[flag]
    lead_agency_code: Mapped[short]
    lead_agency_name: Mapped[str] = mapped_column(String(100), default="")
    routing_reason: Mapped[str] = mapped_column(String(300), default="")
    deadline_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    deadline_reason: Mapped[str] = mapped_column(String(200), default="")
    # Work after intake, kept by the central server and pulled by the consoles.
    owner: Mapped[short]
    field_versions: Mapped[dict[str, int]] = mapped_column(
        JSON, default=dict, server_default=text("'{}'")
    )
    extension_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    return_reason: Mapped[short]
    reply_text: Mapped[str] = mapped_column(Text, default="", server_default="")
    solved: Mapped[short]
    satisfied: Mapped[short]
    merged_into: Mapped[short]
    # When the central server received the case; `created_at` is when the call was taken.
    received_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    __table_args__ = (
        Index("ix_cases_caller_phone_created_at", "caller_phone", "created_at"),
        Index("ix_cases_seat_code_created_at", "seat_code", "created_at"),
        Index("ix_cases_status_deadline_at", "status", "deadline_at"),
        Index("ix_cases_lead_agency_code_created_at", "lead_agency_code", "created_at"),
        Index("ix_cases_owner_created_at", "owner", "created_at"),
        Index("ix_cases_created_at", "created_at"),
        # Chinese substring search on the server (pg_trgm); nothing of it in SQLite.
        Index(
            "ix_cases_description_trgm",
            "description",
            postgresql_using="gin",
            postgresql_ops={"description": "gin_trgm_ops"},
        ).ddl_if(dialect="postgresql"),
        Index(
            "ix_cases_address_trgm",
            "address",
            postgresql_using="gin",
            postgresql_ops={"address": "gin_trgm_ops"},
        ).ddl_if(dialect="postgresql"),
        # The scope of a console's download, decided without reading the table (pull).
        Index(
            "ix_cases_scope",
            "id",
            postgresql_include=["status", "created_at", "owner", "seat_code"],
        ).ddl_if(dialect="postgresql"),
        Index(
            "ix_cases_open_by_seat",
            "seat_code",
            "created_at",
            sqlite_where=text(_OPEN_SQL),
            postgresql_where=text(_OPEN_SQL),
        ),
    )


class CaseAssistingAgency(Base):
    __tablename__ = "case_assisting_agencies"

    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), primary_key=True)
    agency_code: Mapped[str] = mapped_column(String(64), primary_key=True)
    agency_name: Mapped[str] = mapped_column(String(100))


class CaseEventRow(Base):
    __tablename__ = "case_events"

    id: Mapped[uuid_pk]
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), index=True)
    at: Mapped[utc]
    kind: Mapped[str] = mapped_column(String(32))
    actor: Mapped[str] = mapped_column(String(50))
    seat_code: Mapped[str] = mapped_column(String(3))
    detail: Mapped[str] = mapped_column(Text, default="")


class CaseNoteRow(Base):
    __tablename__ = "case_notes"

    id: Mapped[uuid_pk]
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), index=True)
    at: Mapped[utc]
    author: Mapped[str] = mapped_column(String(50))
    seat_code: Mapped[str] = mapped_column(String(3))
    text: Mapped[str] = mapped_column(Text)


class OutboxRow(Base):
    """Mutations for the server, numbered 1, 2, 3… per console, each with the server's answer
    once it came: `state` pending, then applied, conflict or rejected."""

    __tablename__ = "outbox"
    __table_args__ = (
        # A case's badge: the state of its newest mutation.
        Index("ix_outbox_case_id_mid", "case_id", "mid"),
        Index("ix_outbox_state_mid", "state", "mid"),
        {"sqlite_autoincrement": True, **only_on("console")},
    )

    mid: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(40))
    args: Mapped[str] = mapped_column(Text)
    created_at: Mapped[utc]
    state: Mapped[str] = mapped_column(String(16), default="pending")
    case_id: Mapped[str] = mapped_column(String(36), default="", server_default="")
    # The case's values the change replaced, to put back when the server refuses it.
    before: Mapped[str] = mapped_column(Text, default="{}", server_default="{}")
    result: Mapped[str] = mapped_column(Text, default="", server_default="")
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # A conflict or rejection the user has dealt with (apply mine again, keep theirs).
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class SeatUser(Base):
    """Who signed in at this workstation while it was online: what lets them sign in again
    when the server cannot be reached (a slow hash of the password, never the password)."""

    __tablename__ = "seat_users"
    __table_args__ = only_on("console")

    username: Mapped[str] = mapped_column(String(50), primary_key=True)
    verifier: Mapped[str] = mapped_column(String(200))
    display_name: Mapped[str] = mapped_column(String(50))
    role: Mapped[str] = mapped_column(String(16))
    signed_in_at: Mapped[utc]


class MetaRow(Base):
    __tablename__ = "console_meta"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class DailyCounter(Base):
    __tablename__ = "daily_counters"

    day: Mapped[str] = mapped_column(String(8), primary_key=True)
    last_seq: Mapped[int] = mapped_column(Integer)


class DraftRow(Base):
    __tablename__ = "drafts"
    __table_args__ = only_on("console")

    slot: Mapped[str] = mapped_column(String(40), primary_key=True)
    payload: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[utc]
