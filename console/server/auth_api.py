"""Logins, token refresh, logout, and the admin's account management."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from pydantic import BaseModel, Field

from console.central import accounts, throttle
from console.central.accounts import Principal, Tokens
from console.domain.workflow import Role
from console.server.config import ServerConfig
from console.server.deps import Db, Now, Reference, User, roles
from console.server.errors import ApiError

router = APIRouter(prefix="/v1", tags=["accounts"])
Admin = Annotated[Principal, Depends(roles(Role.ADMIN))]
USERNAME = Path(min_length=1, max_length=50)


class Login(BaseModel):
    username: str = Field(min_length=1, max_length=50)
    password: str = Field(min_length=1, max_length=accounts.MAX_PASSWORD)
    client_id: str | None = Field(
        default=None,
        max_length=36,
        description="the console this session pushes and pulls for (staff only); none for a "
        "session without a console, such as an agency's",
    )
    console_secret: str | None = Field(
        default=None, max_length=100, description="the console's secret, given at enrolment"
    )


class Refresh(BaseModel):
    refresh_token: str = Field(min_length=1, max_length=100)


class TokensOut(BaseModel):
    access_token: str
    refresh_token: str = Field(description="for one refresh only: shown again, it ends the session")
    token_type: str = "bearer"
    expires_in: int = Field(description="seconds; never past the session's end")
    refresh_expires_in: int = Field(description="seconds until the session ends")


class Me(BaseModel):
    username: str
    display_name: str
    role: Role
    agency_code: str
    client_id: str | None
    seat_code: str


class NewAccount(BaseModel):
    username: str = Field(min_length=3, max_length=50, pattern=r"^[a-z0-9][a-z0-9_.-]+$")
    display_name: str = Field(min_length=1, max_length=50)
    role: Role
    password: str = Field(min_length=accounts.MIN_PASSWORD, max_length=accounts.MAX_PASSWORD)
    agency_code: str = Field(default="", max_length=64)


def _out(tokens: Tokens, now_s: float) -> TokensOut:
    return TokensOut(
        access_token=tokens.access_token,
        refresh_token=tokens.refresh_token,
        expires_in=int(tokens.access_expires.timestamp() - now_s),
        refresh_expires_in=int(tokens.refresh_expires.timestamp() - now_s),
    )


LOGIN_REFUSALS: dict[int | str, dict[str, Any]] = {
    401: {
        "description": "wrong name, password or console secret, or unknown or retired "
        "console: one answer for all"
    },
    403: {
        "description": "`account_disabled`: the password is right but the account is disabled "
        "(said to no one without the right password); `forbidden`: a console's session is "
        "for staff, an agency logs in without one"
    },
    429: {
        "description": "too many failed logins for this name from this address, or from this "
        "address; other addresses are not slowed",
        "headers": {"Retry-After": {"description": "seconds", "schema": {"type": "integer"}}},
    },
}


@router.post("/auth/login", responses=LOGIN_REFUSALS)
def login(body: Login, request: Request, db: Db, at: Now) -> TokensOut:
    """Log in; with `client_id` and `console_secret`, the session may push and pull for that
    console."""
    address = request.client.host if request.client else None
    config: ServerConfig = request.app.state.config
    attempt = accounts.LoginAttempt(
        body.username,
        body.password,
        address,
        body.client_id,
        body.console_secret,
        throttle.shared(address, config.shared_networks),
    )
    try:
        tokens = accounts.login(db, attempt, at)
    except accounts.AccountDisabled as refusal:
        raise ApiError(403, "account_disabled", "this account is disabled") from refusal
    except accounts.ConsoleNeedsStaff as refusal:
        raise ApiError(403, "forbidden", str(refusal)) from refusal
    db.commit()
    return _out(tokens, at.timestamp())


@router.post(
    "/auth/refresh",
    responses={
        401: {
            "description": "unknown token or ended session; a token already used ends its session"
        }
    },
)
def refresh(body: Refresh, db: Db, at: Now) -> TokensOut:
    """New tokens for the session; the refresh token given is spent."""
    tokens = accounts.refresh(db, body.refresh_token, at)
    db.commit()
    return _out(tokens, at.timestamp())


@router.post("/auth/logout", status_code=204, responses={401: {}})
def logout(user: User, db: Db) -> None:
    accounts.logout(db, user.session_id)
    db.commit()


@router.get("/me", responses={401: {}})
def me(user: User) -> Me:
    return Me(
        username=user.username,
        display_name=user.display_name,
        role=user.role,
        agency_code=user.agency_code,
        client_id=user.client_id,
        seat_code=user.seat_code,
    )


@router.post("/accounts", status_code=201, responses={401: {}, 403: {}, 422: {}})
def create_account(body: NewAccount, _admin: Admin, db: Db, ref: Reference, at: Now) -> Me:
    account = accounts.create_account(
        db,
        ref,
        body.username,
        body.display_name,
        body.role.value,
        body.password,
        body.agency_code,
        at,
    )
    db.commit()
    return Me(
        username=account.username,
        display_name=account.display_name,
        role=body.role,
        agency_code=account.agency_code,
        client_id=None,
        seat_code="",
    )


@router.post("/accounts/{username}/disable", status_code=204, responses={401: {}, 403: {}})
def disable(username: Annotated[str, USERNAME], _admin: Admin, db: Db) -> None:
    """Disable an account: every session of it ends at its next request."""
    accounts.set_disabled(db, username, disabled=True)
    db.commit()


@router.post("/accounts/{username}/enable", status_code=204, responses={401: {}, 403: {}})
def enable(username: Annotated[str, USERNAME], _admin: Admin, db: Db) -> None:
    accounts.set_disabled(db, username, disabled=False)
    db.commit()
