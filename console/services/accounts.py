"""Accounts, logins and sessions of the central server.

Passwords are hashed with Argon2id. A login gives an access token for 15 minutes and a refresh
token for one shift; both are random and stored only as hashes, so a database copy opens no
session, and disabling an account ends its sessions at the next request. Failed logins are
counted per user name in the database, so every server instance sees the same count.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from console.domain.errors import ConsoleError, FieldError, ValidationFailed
from console.domain.reference import ReferenceData
from console.domain.workflow import Role
from console.services.intake import new_id
from console.store.server_schema import Account, AuthSession, Console, LoginFailures

ACCESS_LIFETIME = timedelta(minutes=15)
REFRESH_LIFETIME = timedelta(hours=12)  # one shift
FAILURE_WINDOW = timedelta(minutes=15)
MAX_FAILURES = 5
MIN_PASSWORD = 12
MAX_PASSWORD = 128
_USERNAME = re.compile(r"[a-z0-9][a-z0-9_.-]{2,49}")
_hasher = PasswordHasher()  # Argon2id with the library's RFC 9106 low-memory profile


class AuthFailed(ConsoleError):
    """Wrong user name or password, a disabled account, or an unknown or expired token."""


class TooManyAttempts(ConsoleError):
    def __init__(self, retry_after: int) -> None:
        super().__init__(f"too many failed logins; retry after {retry_after} s")
        self.retry_after = retry_after


@dataclass(frozen=True)
class Tokens:
    access_token: str
    refresh_token: str
    access_expires: datetime
    refresh_expires: datetime


@dataclass(frozen=True)
class Principal:
    """The account behind a valid access token, and the console its session is bound to."""

    username: str
    display_name: str
    role: Role
    agency_code: str
    session_id: str
    client_id: str | None
    seat_code: str


def digest(secret: str) -> str:
    """How tokens and keys are stored: a database copy opens nothing."""
    return hashlib.sha256(secret.encode()).hexdigest()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def create_account(
    session: Session,
    reference: ReferenceData,
    username: str,
    display_name: str,
    role: str,
    password: str,
    agency_code: str = "",
    now: datetime | None = None,
) -> Account:
    errors = []
    if not _USERNAME.fullmatch(username):
        errors.append(FieldError("username", "invalid_username"))
    if not display_name.strip() or len(display_name) > 50:
        errors.append(FieldError("display_name", "required"))
    if role not in {r.value for r in Role}:
        errors.append(FieldError("role", "invalid_role"))
    if role == Role.AGENCY.value and agency_code not in reference.agencies:
        errors.append(FieldError("agency_code", "unknown_agency"))
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        errors.append(FieldError("password", "password_length"))
    if session.execute(select(Account.id).where(Account.username == username)).first():
        errors.append(FieldError("username", "taken"))
    if errors:
        raise ValidationFailed(errors)
    account = Account(
        id=new_id(),
        username=username,
        display_name=display_name.strip(),
        role=role,
        agency_code=agency_code if role == Role.AGENCY.value else "",
        password_hash=hash_password(password),
        disabled=False,
        created_at=now or datetime.now().astimezone(),
    )
    session.add(account)
    return account


def login(
    session: Session, username: str, password: str, client_id: str | None, now: datetime
) -> Tokens:
    """New session tokens; refused alike for a wrong name, password or a disabled account."""
    failures = session.get(LoginFailures, username, with_for_update=True)
    if failures is not None and now - failures.window_start >= FAILURE_WINDOW:
        session.delete(failures)
        session.flush()
        failures = None
    if failures is not None and failures.failures >= MAX_FAILURES:
        left = FAILURE_WINDOW - (now - failures.window_start)
        raise TooManyAttempts(max(1, int(left.total_seconds())))
    account = session.execute(select(Account).where(Account.username == username)).scalar()
    if account is None or account.disabled or not _verify(account, password):
        _count_failure(session, username, failures, now)
        raise AuthFailed("invalid credentials")
    if failures is not None:
        session.delete(failures)
    if client_id is not None and session.get(Console, client_id) is None:
        raise AuthFailed("console not enrolled")
    return _new_session(session, account, client_id, now)


def _verify(account: Account, password: str) -> bool:
    try:
        return _hasher.verify(account.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _count_failure(
    session: Session, username: str, failures: LoginFailures | None, now: datetime
) -> None:
    if failures is None:
        session.add(LoginFailures(key=username, window_start=now, failures=1))
    else:
        failures.failures += 1
    # The count must stand even though the login is refused: commit it now.
    session.commit()


def _new_session(
    session: Session, account: Account, client_id: str | None, now: datetime
) -> Tokens:
    access, refresh = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    tokens = Tokens(access, refresh, now + ACCESS_LIFETIME, now + REFRESH_LIFETIME)
    session.add(
        AuthSession(
            id=new_id(),
            account_id=account.id,
            client_id=client_id,
            access_hash=digest(access),
            access_expires=tokens.access_expires,
            refresh_hash=digest(refresh),
            refresh_expires=tokens.refresh_expires,
            created_at=now,
            revoked=False,
        )
    )
    return tokens


def refresh(session: Session, refresh_token: str, now: datetime) -> Tokens:
    """New tokens for a live session; the refresh token used is spent."""
    row = session.execute(
        select(AuthSession, Account)
        .join(Account, Account.id == AuthSession.account_id)
        .where(AuthSession.refresh_hash == digest(refresh_token))
        .with_for_update()
    ).first()
    if row is None:
        raise AuthFailed("unknown refresh token")
    auth, account = row
    if auth.revoked or account.disabled or auth.refresh_expires <= now:
        raise AuthFailed("session ended")
    access, new_refresh = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    auth.access_hash, auth.refresh_hash = digest(access), digest(new_refresh)
    auth.access_expires = now + ACCESS_LIFETIME
    return Tokens(access, new_refresh, auth.access_expires, auth.refresh_expires)


def authenticate(session: Session, access_token: str, now: datetime) -> Principal:
    # Columns, not ORM objects: every request of every console passes here.
    row = session.execute(
        select(
            AuthSession.id,
            AuthSession.client_id,
            AuthSession.revoked,
            AuthSession.access_expires,
            Account.username,
            Account.display_name,
            Account.role,
            Account.agency_code,
            Account.disabled,
            Console.seat_code,
        )
        .join(Account, Account.id == AuthSession.account_id)
        .outerjoin(Console, Console.client_id == AuthSession.client_id)
        .where(AuthSession.access_hash == digest(access_token))
    ).first()
    if row is None:
        raise AuthFailed("unknown token")
    if row.revoked or row.disabled or row.access_expires <= now:
        raise AuthFailed("session ended")
    return Principal(
        username=row.username,
        display_name=row.display_name,
        role=Role(row.role),
        agency_code=row.agency_code,
        session_id=row.id,
        client_id=row.client_id,
        seat_code=row.seat_code or "",
    )


def logout(session: Session, session_id: str) -> None:
    session.execute(update(AuthSession).where(AuthSession.id == session_id).values(revoked=True))


def set_disabled(session: Session, username: str, disabled: bool) -> None:
    """Disable (ending every session at once) or enable an account."""
    account = session.execute(select(Account).where(Account.username == username)).scalar()
    if account is None:
        raise ValidationFailed([FieldError("username", "unknown_account")])
    account.disabled = disabled
    if disabled:
        session.execute(
            update(AuthSession).where(AuthSession.account_id == account.id).values(revoked=True)
        )
