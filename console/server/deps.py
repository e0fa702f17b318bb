"""What the routes are given: a database session, the caller's identity, the clock, the data."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from console.domain.reference import ReferenceData
from console.domain.workflow import Role
from console.server.errors import ApiError
from console.services.accounts import AuthFailed, Principal, authenticate
from console.services.mutations import Actor

_bearer = HTTPBearer(auto_error=False)


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


def principal(
    db: Db,
    at: Now,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise AuthFailed("a bearer access token is required")
    try:
        return authenticate(db, credentials.credentials, at)
    finally:
        # Hand the connection back at once: a request waiting for a worker thread (a long
        # poll, say) must not sit on one, or a burst of requests can starve the pool.
        db.close()


User = Annotated[Principal, Depends(principal)]


def roles(*allowed: Role) -> Callable[[Principal], Principal]:
    """A dependency that lets only the given roles through (403 for the others)."""

    def check(user: User) -> Principal:
        if user.role not in allowed:
            raise ApiError(403, "forbidden", f"not allowed for role {user.role.value}")
        return user

    return check


def actor(user: Principal) -> Actor:
    return Actor(
        username=user.username,
        role=user.role,
        agency_code=user.agency_code,
        client_id=user.client_id or "",
        seat_code=user.seat_code,
    )
