"""Tables only the central server fills: accounts, sessions, the sync ledger, the change feed,
the audit trail, conflicts and Open311 keys; the server's migration branch alone builds them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from console.store.schema import Base, UTCDateTime, flag, only_on, short, utc, uuid_pk

BIGINT = BigInteger().with_variant(Integer, "sqlite")  # SQLite autoincrements INTEGER only


class Account(Base):
    __tablename__ = "accounts"
    __table_args__ = only_on("server")

    id: Mapped[uuid_pk]
    username: Mapped[str] = mapped_column(String(50), unique=True)
    display_name: Mapped[str] = mapped_column(String(50))
    role: Mapped[str] = mapped_column(String(16))
    agency_code: Mapped[short]
    password_hash: Mapped[str] = mapped_column(String(200))
    disabled: Mapped[flag]
    created_at: Mapped[utc]


class AuthSession(Base):
    """A login: short-lived access token, refresh token for one shift; stored as hashes."""

    __tablename__ = "auth_sessions"
    __table_args__ = only_on("server")

    id: Mapped[uuid_pk]
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), index=True)
    client_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    access_hash: Mapped[str] = mapped_column(String(64), unique=True)
    access_expires: Mapped[utc]
    refresh_hash: Mapped[str] = mapped_column(String(64), unique=True)
    refresh_expires: Mapped[utc]
    created_at: Mapped[utc]
    revoked: Mapped[flag]


class Console(Base):
    """An enrolled console, its seat code, and its sync ledger: the last mutation applied.

    A console is a credential: its secret is stored only as a digest. A retired console (its
    workstation re-enrolled, or retired by an admin) keeps its row for the record and frees
    its seat: a seat is unique among the consoles in service only.
    """

    __tablename__ = "consoles"

    client_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    seat_code: Mapped[str] = mapped_column(String(3))
    enrolled_by: Mapped[str] = mapped_column(String(50))
    enrolled_at: Mapped[utc]
    last_mid: Mapped[int] = mapped_column(BIGINT, default=0)
    last_seen: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    secret_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    __table_args__ = (
        Index(
            "ux_consoles_seat_in_service",
            "seat_code",
            unique=True,
            sqlite_where=text("retired_at IS NULL"),
            postgresql_where=text("retired_at IS NULL"),
        ),
        only_on("server"),
    )


class EnrolCode(Base):
    """A one-time code that enrols one workstation, issued by an admin, for a seat or any."""

    __tablename__ = "enrol_codes"
    __table_args__ = only_on("server")

    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    seat_code: Mapped[str] = mapped_column(String(3), default="", server_default="")
    created_by: Mapped[str] = mapped_column(String(50))
    created_at: Mapped[utc]
    expires_at: Mapped[utc]
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    used_by: Mapped[str] = mapped_column(String(36), default="", server_default="")
    # The id the workstation sent with the code: sent again, it gets the console again.
    enrolment_id: Mapped[str] = mapped_column(String(36), default="", server_default="")


class MutationResult(Base):
    """The stored answer to each mutation: a mutation sent again gets the same answer."""

    __tablename__ = "mutation_results"
    __table_args__ = only_on("server")

    client_id: Mapped[str] = mapped_column(ForeignKey("consoles.client_id"), primary_key=True)
    mid: Mapped[int] = mapped_column(BIGINT, primary_key=True)
    status: Mapped[str] = mapped_column(String(16))
    body: Mapped[dict[str, Any]] = mapped_column(JSON)
    at: Mapped[utc]
    # What was sent under the number (its name and arguments), so a number sent again with
    # other content is refused instead of answered with this result.
    digest: Mapped[str] = mapped_column(String(64), default="", server_default="")


class ChangeLog(Base):
    """One row per change of a case, for the pull feed.

    On PostgreSQL `xid` is the writing transaction's id (set by the database), so the feed can
    wait for transactions that took a lower `seq` but commit later; on SQLite writers are
    serialised and `seq` alone orders the feed.
    """

    __tablename__ = "change_log"

    seq: Mapped[int] = mapped_column(BIGINT, primary_key=True, autoincrement=True)
    xid: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    entity: Mapped[str] = mapped_column(String(16))
    entity_id: Mapped[str] = mapped_column(String(36))
    at: Mapped[utc]

    __table_args__ = (Index("ix_change_log_xid_seq", "xid", "seq"), only_on("server"))


class AuditRow(Base):
    __tablename__ = "audit_log"
    __table_args__ = only_on("server")

    id: Mapped[int] = mapped_column(BIGINT, primary_key=True, autoincrement=True)
    at: Mapped[utc]
    actor: Mapped[str] = mapped_column(String(50))
    client_id: Mapped[short]
    action: Mapped[str] = mapped_column(String(40))
    entity: Mapped[str] = mapped_column(String(16))
    entity_id: Mapped[str] = mapped_column(String(36), index=True)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)


class ConflictRow(Base):
    """A change the server did not apply as sent, kept to be shown, never silent."""

    __tablename__ = "conflicts"
    __table_args__ = only_on("server")

    id: Mapped[uuid_pk]
    case_id: Mapped[str] = mapped_column(String(36), index=True)
    client_id: Mapped[str] = mapped_column(String(36))
    mid: Mapped[int] = mapped_column(BIGINT)
    field: Mapped[str] = mapped_column(String(40))
    yours: Mapped[Any] = mapped_column(JSON, nullable=True)
    kept: Mapped[Any] = mapped_column(JSON, nullable=True)
    kept_by: Mapped[short]
    at: Mapped[utc]


class ApiKey(Base):
    """An Open311 client's key, stored as a hash; revoked keys stay for the record."""

    __tablename__ = "api_keys"
    __table_args__ = only_on("server")

    id: Mapped[uuid_pk]
    name: Mapped[str] = mapped_column(String(100))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[utc]
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class Open311Token(Base):
    __tablename__ = "open311_tokens"
    __table_args__ = only_on("server")

    token: Mapped[str] = mapped_column(String(36), primary_key=True)
    case_id: Mapped[str] = mapped_column(String(36))
    created_at: Mapped[utc]


class LoginFailures(Base):
    """Failed logins in the current window, per (user name, source address) and per source
    address, shared by every server instance; rows of ended windows are pruned."""

    __tablename__ = "login_failures"
    __table_args__ = only_on("server")

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    window_start: Mapped[utc] = mapped_column(index=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)


class SpentRefreshToken(Base):
    """A refresh token already exchanged: shown again, it was stolen, and its session ends,
    unless its answer was lost (see `console.central.accounts.REFRESH_GRACE`)."""

    __tablename__ = "spent_refresh_tokens"
    __table_args__ = only_on("server")

    refresh_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("auth_sessions.id"), index=True)
    spent_at: Mapped[utc]
    # The refresh token it was exchanged for; none for a token replaced unseen by a retry.
    successor_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
