"""Console enrolment: a workstation becomes a console, with a client id, a secret and a seat.

A console is a credential. The server makes its client id and a random secret, hands both out
once and keeps only the secret's digest; every session for the console needs the secret. Only
a supervisor or admin enrols a workstation (logged in at it), or whoever holds a one-time code
the centre's IT issued on the server; a workstation that lost the answer to its code sends it
again with the same enrolment id and gets the console the code made. A workstation enrolled
again for its seat (reinstalled, say) takes the seat back: the console in service there is
retired, its sessions end at once and its secret opens nothing. An admin can retire a
console, which frees its seat; a retired console's row stays, for the record and its cases.

A console whose database was restored from an older copy renews its own enrolment: the server
refused its mutation numbers as used before (`mid_reused`), and it goes on under a new id on
the same seat. Every enrolment says the last case number the server holds for the seat today,
so that the workstation numbers its next cases after it.
"""

from __future__ import annotations

import base64
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from console.central.accounts import AuthFailed, digest
from console.domain.errors import FieldError, NotFound, ValidationFailed
from console.domain.numbering import centre_day, is_valid_seat_code
from console.store.schema import Case
from console.store.server_schema import AuthSession, ConflictRow, Console, EnrolCode

SEATS = [f"{n:03d}" for n in range(1, 1000)]
SECRET_BYTES = 32  # 256 bits
# 120 bits, written as 24 letters and digits in groups of four: typed by hand at a
# workstation, and still beyond guessing before it expires.
CODE_BYTES = 15
MAX_CODE_HOURS = 7 * 24
FREE_SEAT_LOCK = 0x5EA7  # the advisory lock enrolments for the first free seat take in turn
_IN_SERVICE = Console.retired_at.is_(None)


@dataclass(frozen=True)
class Enrolled:
    """A new console: its id, its seat and its secret, which is shown only this once."""

    client_id: str
    seat_code: str
    secret: str


def enrol(session: Session, seat: str | None, replace: bool, by: str, now: datetime) -> Enrolled:
    """A new console at `seat` (the first free one if None). A seat with a console in service
    is refused unless `replace`, which retires that console."""
    seat_code = _seat(session, seat, replace, now)
    return _new_console(session, str(uuid.uuid4()), seat_code, by, now)


def _take_turns(session: Session) -> None:
    """Enrolments for the first free seat take turns, each until its transaction ends: at the
    same moment (several workstations set up together) they would all pick the same seat, and
    all but one be refused. (On SQLite every write transaction takes its turn already.)"""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(func.pg_advisory_xact_lock(FREE_SEAT_LOCK)))


def _new_console(
    session: Session, client_id: str, seat_code: str, by: str, now: datetime
) -> Enrolled:
    secret = secrets.token_urlsafe(SECRET_BYTES)
    session.add(
        Console(
            client_id=client_id,
            seat_code=seat_code,
            enrolled_by=by,
            enrolled_at=now,
            last_mid=0,
            secret_hash=digest(secret),
        )
    )
    session.flush()
    return Enrolled(client_id, seat_code, secret)


def renew(session: Session, client_id: str, by: str, now: datetime) -> Enrolled:
    """A new console on the seat of `client_id`, which is retired (its sessions end)."""
    console = session.get(Console, client_id, with_for_update=True)
    if console is None or console.retired_at is not None:
        raise AuthFailed("the console is not in service")
    _retire(session, console, now)
    return _new_console(session, str(uuid.uuid4()), console.seat_code, by, now)


def last_case_no(session: Session, seat_code: str, now: datetime) -> str:
    """The last case number of the seat on the centre's day, as the seat numbered it: numbers
    the server gave instead (renumbering takes the highest free ones) do not count."""
    prefix = f"{centre_day(now):%y%m%d}{seat_code}"
    renumbered = select(ConflictRow.id).where(
        ConflictRow.case_id == Case.id, ConflictRow.field == "case_no"
    )
    query = select(func.max(Case.case_no)).where(
        Case.case_no.between(prefix + "0000", prefix + "9999"), ~renumbered.exists()
    )
    return session.execute(query).scalar() or ""


def _seat(session: Session, wanted: str | None, replace: bool, now: datetime) -> str:
    if wanted is None:
        _take_turns(session)
        return _free_seat(session)
    if not is_valid_seat_code(wanted):
        raise ValidationFailed([FieldError("seat_code", "invalid_seat")])
    holder = _in_service(session, wanted)
    if holder is not None:
        if not replace:
            raise ValidationFailed([FieldError("seat_code", "seat_taken")])
        _retire(session, holder, now)
    return wanted


def _free_seat(session: Session) -> str:
    taken = set(session.execute(select(Console.seat_code).where(_IN_SERVICE)).scalars())
    seat = next((s for s in SEATS if s not in taken), "")
    if not seat:
        raise ValidationFailed([FieldError("seat_code", "no_seat_left")])
    return seat


def issue_code(session: Session, seat: str | None, hours: int, by: str, now: datetime) -> str:
    """A one-time enrolment code for `seat` (any free seat if None), valid for `hours`; only
    its digest is kept."""
    problems = []
    if seat is not None and not is_valid_seat_code(seat):
        problems.append(FieldError("seat", "invalid_seat"))
    if not 1 <= hours <= MAX_CODE_HOURS:
        problems.append(FieldError("hours", "out_of_range"))
    if problems:
        raise ValidationFailed(problems)
    letters = base64.b32encode(secrets.token_bytes(CODE_BYTES)).decode()
    code = "-".join(letters[i : i + 4] for i in range(0, len(letters), 4))
    expires = now + timedelta(hours=hours)
    session.add(
        EnrolCode(
            code_hash=_code_digest(code),
            seat_code=seat or "",
            created_by=by,
            created_at=now,
            expires_at=expires,
        )
    )
    return code


def redeem(session: Session, code: str, now: datetime, enrolment_id: str = "") -> Enrolled:
    """Enrol with a one-time code. Unknown, used and expired codes are refused alike, but for
    a code sent again with the `enrolment_id` it was spent with (see `_redeemed_again`)."""
    client_id = str(uuid.uuid4())
    # Spent in one statement, so that two workstations sending one code cannot both enrol.
    spent = session.execute(
        update(EnrolCode)
        .where(
            EnrolCode.code_hash == _code_digest(code),
            EnrolCode.used_at.is_(None),
            EnrolCode.expires_at > now,
        )
        .values(used_at=now, used_by=client_id, enrolment_id=enrolment_id)
        .returning(EnrolCode.seat_code, EnrolCode.created_by)
    ).first()
    if spent is None:
        again = _redeemed_again(session, code, enrolment_id, now) if enrolment_id else None
        if again is None:
            raise AuthFailed("unknown, used or expired enrolment code")
        return again
    seat_code = _seat(session, spent.seat_code or None, replace=True, now=now)
    return _new_console(session, client_id, seat_code, f"code of {spent.created_by}"[:50], now)


def _redeemed_again(
    session: Session, code: str, enrolment_id: str, now: datetime
) -> Enrolled | None:
    """A code sent again by the workstation that spent it (the same enrolment id), before it
    expires, while the console it made is in service and has never signed in: the workstation
    never got the answer. The console gets a new secret, so that only this answer opens it."""
    query = select(EnrolCode.used_by).where(
        EnrolCode.code_hash == _code_digest(code),
        EnrolCode.used_at.is_not(None),
        EnrolCode.enrolment_id == enrolment_id,
        EnrolCode.expires_at > now,
    )
    client_id = session.execute(query).scalar()
    console = session.get(Console, client_id, with_for_update=True) if client_id else None
    if console is None or console.retired_at is not None:
        return None
    used = select(AuthSession.id).where(AuthSession.client_id == console.client_id).exists()
    if session.execute(select(used)).scalar():
        return None
    secret = secrets.token_urlsafe(SECRET_BYTES)
    console.secret_hash = digest(secret)
    session.flush()
    return Enrolled(console.client_id, console.seat_code, secret)


def _code_digest(code: str) -> str:
    # As typed: with or without the dashes, in either case, with stray spaces.
    return digest("".join(code.split()).replace("-", "").upper())


@dataclass(frozen=True)
class Retired:
    client_id: str
    seat_code: str
    retired_at: datetime


def retire(session: Session, client_id: str, now: datetime) -> Retired:
    """Retire a console (again: nothing changes): its seat is free, its sessions end."""
    console = session.get(Console, client_id)
    if console is None:
        raise NotFound("no such console")
    return _retire(session, console, now)


def retire_seat(session: Session, seat: str, now: datetime) -> Retired:
    """Retire the console in service at `seat`."""
    console = _in_service(session, seat)
    if console is None:
        raise NotFound(f"no console in service at seat {seat}")
    return _retire(session, console, now)


def _retire(session: Session, console: Console, now: datetime) -> Retired:
    console.retired_at = retired_at = console.retired_at or now
    session.execute(
        update(AuthSession).where(AuthSession.client_id == console.client_id).values(revoked=True)
    )
    # Before a new console takes the seat: one console in service per seat.
    session.flush()
    return Retired(console.client_id, console.seat_code, retired_at)


def _in_service(session: Session, seat: str) -> Console | None:
    query = select(Console).where(Console.seat_code == seat, _IN_SERVICE)
    return session.execute(query).scalar()
