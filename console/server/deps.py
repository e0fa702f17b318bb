"""What the routes are given: a database session, the caller's identity, the clock, the data."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator
from datetime import datetime
from typing import Annotated, TypeVar

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool

from console.central.accounts import AuthFailed, Principal, authenticate
from console.central.mutations import Actor
from console.domain.reference import ReferenceData
from console.domain.workflow import Role
from console.server.errors import ApiError

_bearer = HTTPBearer(auto_error=False)
T = TypeVar("T")


def database(request: Request) -> Iterator[Session]:
    session: Session = request.app.state.sessions()
    try:
        yield session
    finally:
        session.close()


def now(request: Request) -> datetime:
    clock: Callable[[], datetime] = request.app.state.clock
    return clock()


def reference(request: Request) -> ReferenceData:
    data: ReferenceData = request.app.state.reference
    return data


Db = Annotated[Session, Depends(database)]
Now = Annotated[datetime, Depends(now)]
Reference = Annotated[ReferenceData, Depends(reference)]


Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


def principal(db: Db, at: Now, credentials: Credentials) -> Principal:
    try:
        return _authenticated(db, at, credentials)
    finally:
        # Hand the connection back at once: a request waiting for a worker thread (a long
        # poll, say) must not sit on one, or a burst of requests can starve the pool.
        db.close()


def _authenticated(db: Session, at: datetime, credentials: Credentials) -> Principal:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise AuthFailed("a bearer access token is required")
    return authenticate(db, credentials.credentials, at)


User = Annotated[Principal, Depends(principal)]


def roles(*allowed: Role) -> Callable[[Principal], Principal]:
    """A dependency that lets only the given roles through (403 for the others)."""

    def check(user: User) -> Principal:
        return _allowed(user, allowed)

    return check


def _allowed(user: Principal, allowed: Collection[Role]) -> Principal:
    if user.role not in allowed:
        raise ApiError(403, "forbidden", f"not allowed for role {user.role.value}")
    return user


async def in_one_thread(
    request: Request,
    credentials: Credentials,
    allowed: Collection[Role],
    work: Callable[[Session, Principal, datetime], T],
) -> T:
    """Log the caller in, check their role and do `work`, in one worker thread on one
    connection: for the requests every console makes every few seconds, where the separate
    steps of `User` and `Db` (a thread and a connection each) would cost more than the work."""
    sessions: sessionmaker[Session] = request.app.state.sessions

    def run() -> T:
        with sessions() as db:
            at = now(request)
            return work(db, _allowed(_authenticated(db, at, credentials), allowed), at)

    return await run_in_threadpool(run)


def actor(user: Principal) -> Actor:
    return Actor(
        username=user.username,
        role=user.role,
        agency_code=user.agency_code,
        client_id=user.client_id or "",
        seat_code=user.seat_code,
    )
