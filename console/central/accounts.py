"""Accounts, logins and sessions of the central server.

Passwords are hashed with Argon2id. A login gives an access token for 15 minutes, never past
the session's end, and a refresh token for one shift; both are random and stored only as
hashes, so a database copy opens no session, and disabling an account ends its sessions at the
next request. A session for a console also needs the console's secret (see `enrolment`), and
ends when the console is retired.

Refreshing spends the refresh token; one shown again was copied, so the whole session ends and
the thief's tokens stop working with the owner's. Only a retry of a refresh whose answer was
lost is answered again: the token spent last, within `REFRESH_GRACE`, while the token given for
it has never been shown. Failed logins are throttled per (name,
address) and per address (see `throttle`), and an unknown name costs the same Argon2 time as
a real one, so the answer's time does not tell which names exist. A disabled account is
refused as such only to whoever gives its right password; any other is told only that the
credentials are wrong.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, NoReturn

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Row, select, update
from sqlalchemy.orm import Session

from console.central import throttle
from console.domain.errors import ConsoleError, FieldError, ValidationFailed
from console.domain.ids import new_id
from console.domain.reference import ReferenceData
from console.domain.workflow import Role
from console.store.repositories import prune
from console.store.server_schema import Account, AuthSession, Console, SpentRefreshToken

ACCESS_LIFETIME = timedelta(minutes=15)
REFRESH_LIFETIME = timedelta(hours=12)  # one shift
# A refresh whose answer was lost is tried again with the spent token: within this time, and
# while the token it was exchanged for has never been shown, it is answered again.
REFRESH_GRACE = timedelta(seconds=60)
CONSOLE_ROLES = frozenset({Role.CALL_TAKER, Role.SUPERVISOR, Role.ADMIN})
# Spent refresh tokens forgotten at each login: a session spends some 50 in its shift.
PRUNE_BATCH = 500
MIN_PASSWORD = 12
MAX_PASSWORD = 128
_USERNAME = re.compile(r"[a-z0-9][a-z0-9_.-]{2,49}")
_hasher = PasswordHasher()  # Argon2id with the library's RFC 9106 low-memory profile


class AuthFailed(ConsoleError):
    """Wrong user name or password, a disabled account, or an unknown or expired token."""


class AccountDisabled(ConsoleError):
    """The password is right, but the account is disabled."""


class TooManyAttempts(ConsoleError):
    def __init__(self, retry_after: int) -> None:
        super().__init__(f"too many failed logins; retry after {retry_after} s")
        self.retry_after = retry_after


class ConsoleNeedsStaff(ConsoleError):
    """The account is right, but its role works without a console (an agency)."""


@dataclass(frozen=True)
class LoginAttempt:
    """What a login sends, and the address it comes from as the server sees it."""

    username: str
    password: str
    address: str | None
    client_id: str | None = None
    console_secret: str | None = None
    shared_address: bool = False  # many people log in from it: counted per name only


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
    # When the access token stops opening anything: the end of a stream that lives on it.
    expires_at: datetime | None = None


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


def login(session: Session, attempt: LoginAttempt, now: datetime) -> Tokens:
    """New session tokens; refused alike for a wrong name, password or console secret or a
    retired console; as disabled for a disabled account's right password."""
    keys = throttle.Keys.of(attempt.username, attempt.address, attempt.shared_address)
    wait = throttle.wait(session, keys, now)
    if wait is not None:
        raise TooManyAttempts(wait)
    account = _verified(session, attempt.username, attempt.password)
    if account is None or not _console_opens(session, attempt):
        throttle.fail(session, keys, now)
        session.commit()  # the failure counts although the login is refused
        raise AuthFailed("invalid credentials")
    if attempt.client_id is not None and Role(account.role) not in CONSOLE_ROLES:
        raise ConsoleNeedsStaff(f"a {account.role} works without a console")
    throttle.forgive(session, keys)
    _prune_spent(session, now)
    return _new_session(session, account, attempt.client_id, now)


def _verified(session: Session, username: str, password: str) -> Account | None:
    """The account, if it may log in with this password. An unknown name is checked against
    a dummy hash, so that it takes as long as a real one; a disabled account's right password
    raises AccountDisabled."""
    account = session.execute(select(Account).where(Account.username == username)).scalar()
    if account is None:
        _verify(_dummy_hash(), password)
        return None
    if not _verify(account.password_hash, password):
        return None
    if account.disabled:
        raise AccountDisabled(f"the account {username} is disabled")
    return account


@functools.cache
def _dummy_hash() -> str:
    return _hasher.hash(secrets.token_urlsafe(16))


def _verify(stored: str, password: str) -> bool:
    try:
        return _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def _console_opens(session: Session, attempt: LoginAttempt) -> bool:
    """No console asked for, or one in service whose secret this is."""
    if attempt.client_id is None:
        return True
    console = session.get(Console, attempt.client_id)
    if console is None or console.retired_at is not None or console.secret_hash is None:
        return False
    given = digest(attempt.console_secret or "")
    return hmac.compare_digest(given, console.secret_hash)


def _new_session(
    session: Session, account: Account, client_id: str | None, now: datetime
) -> Tokens:
    access, refresh = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    ends = now + REFRESH_LIFETIME
    tokens = Tokens(access, refresh, _access_expiry(now, ends), ends)
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


def _access_expiry(now: datetime, session_ends: datetime) -> datetime:
    return min(now + ACCESS_LIFETIME, session_ends)


def _prune_spent(session: Session, now: datetime) -> None:
    # A session lasts at most REFRESH_LIFETIME, so a token spent before that has no live
    # session left to protect. A batch at a time, so a login never waits long.
    ended = SpentRefreshToken.spent_at <= now - REFRESH_LIFETIME
    prune(session, SpentRefreshToken.refresh_hash, ended, PRUNE_BATCH)


def refresh(session: Session, refresh_token: str, now: datetime) -> Tokens:
    """New tokens for a live session; the refresh token used is spent, and spending it again
    ends the session, unless it is a retry of a refresh whose answer was lost (see
    `REFRESH_GRACE`)."""
    hashed = digest(refresh_token)
    row = _locked_session(session, AuthSession.refresh_hash == hashed)
    retried = None
    if row is None:
        # Locked first, so that two retries of one lost answer are answered one after the other.
        retried = session.get(SpentRefreshToken, hashed, with_for_update=True)
        if retried is None:
            raise AuthFailed("unknown refresh token")
        row = _locked_session(session, AuthSession.id == retried.session_id)
        if row is None or not _answer_lost(retried, row[0], now):
            _end_session(session, retried.session_id)
    auth, account = row
    if auth.revoked or account.disabled or auth.refresh_expires <= now:
        raise AuthFailed("session ended")
    # On a retry, the successor nobody received is spent in its place: shown, it ends the session.
    spent = SpentRefreshToken(refresh_hash=auth.refresh_hash, session_id=auth.id, spent_at=now)
    session.add(spent)
    access, new_refresh = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    auth.access_hash, auth.refresh_hash = digest(access), digest(new_refresh)
    auth.access_expires = _access_expiry(now, auth.refresh_expires)
    (retried or spent).successor_hash = auth.refresh_hash
    return Tokens(access, new_refresh, auth.access_expires, auth.refresh_expires)


def _locked_session(session: Session, which: Any) -> Row[AuthSession, Account] | None:
    return session.execute(
        select(AuthSession, Account)
        .join(Account, Account.id == AuthSession.account_id)
        .where(which)
        .with_for_update()
    ).first()


def _answer_lost(spent: SpentRefreshToken, auth: AuthSession, now: datetime) -> bool:
    """The token spent last, shown again soon, while the token given for it was never used:
    the console never got the answer. A thief showing it once the owner has refreshed again,
    or after the grace, ends the session as any spent token does."""
    return spent.successor_hash == auth.refresh_hash and now - spent.spent_at <= REFRESH_GRACE


def _end_session(session: Session, session_id: str) -> NoReturn:
    """A spent refresh token shown again: someone holds a copy. Which of the two is the
    owner cannot be told, so the session ends for both."""
    logout(session, session_id)
    session.commit()  # the session ends although this request is refused
    raise AuthFailed("refresh token used twice: the session has ended; log in again")


def authenticate(session: Session, access_token: str, now: datetime) -> Principal:
    # Columns, not ORM objects: every request of every console passes here.
    row = session.execute(
        select(
            AuthSession.id,
            AuthSession.client_id,
            AuthSession.revoked,
            AuthSession.access_expires,
            AuthSession.refresh_expires,
            Account.username,
            Account.display_name,
            Account.role,
            Account.agency_code,
            Account.disabled,
            Console.seat_code,
            Console.retired_at,
        )
        .join(Account, Account.id == AuthSession.account_id)
        .outerjoin(Console, Console.client_id == AuthSession.client_id)
        .where(AuthSession.access_hash == digest(access_token))
    ).first()
    if row is None:
        raise AuthFailed("unknown token")
    if _ended(row, now):
        raise AuthFailed("session ended")
    return Principal(
        username=row.username,
        display_name=row.display_name,
        role=Role(row.role),
        agency_code=row.agency_code,
        session_id=row.id,
        client_id=row.client_id,
        seat_code=row.seat_code or "",
        expires_at=min(row.access_expires, row.refresh_expires),
    )


def _ended(row: Row[*tuple[Any, ...]], now: datetime) -> bool:
    if row.revoked or row.disabled or min(row.access_expires, row.refresh_expires) <= now:
        return True
    # Retiring a console revokes its sessions too; checked here as well, a console marked
    # retired (or deleted) by any other means opens nothing either.
    return row.client_id is not None and (row.seat_code is None or row.retired_at is not None)


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
