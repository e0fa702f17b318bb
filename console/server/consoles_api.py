"""Console enrolment and retirement: a workstation becomes a console, with a secret and a seat.

A supervisor or admin enrols the workstation they are logged in at, or the workstation sends a
one-time code issued with `python main.py server enrol-code`. The console's secret is in the
answer only: every login for the console needs it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Path
from pydantic import BaseModel, Field
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from console.central import enrolment
from console.central.accounts import Principal
from console.domain.workflow import Role
from console.server.deps import Db, Now, roles
from console.server.errors import ApiError

router = APIRouter(prefix="/v1", tags=["consoles"])
Enrollers = Annotated[Principal, Depends(roles(Role.SUPERVISOR, Role.ADMIN))]
Admin = Annotated[Principal, Depends(roles(Role.ADMIN))]
ConsoleUser = Annotated[Principal, Depends(roles(Role.CALL_TAKER, Role.SUPERVISOR, Role.ADMIN))]
CLIENT_ID = Path(min_length=1, max_length=36, description="the console's client id")


class Enrolment(BaseModel):
    seat_code: str | None = Field(
        default=None, min_length=3, max_length=3, description="the seat; the first free if none"
    )
    replace: bool = Field(
        default=False,
        description="take `seat_code` even if a console is in service there, retiring that "
        "console: a reinstalled workstation taking its seat back",
    )


class EnrolmentCode(BaseModel):
    code: str = Field(min_length=1, max_length=64, description="as issued, dashes optional")
    enrolment_id: str = Field(
        default="",
        max_length=36,
        description="a random id the workstation makes for its enrolment and sends with every "
        "try: a code sent again with the id it was spent with, because the answer was lost, "
        "is answered again (with a new secret) while the console it made has never signed in",
    )


class EnrolledOut(BaseModel):
    client_id: str = Field(description="the console's id, for every login and push")
    seat_code: str = Field(description="the console's seat, part of every case number")
    console_secret: str = Field(
        description="shown only now: keep it where only the workstation's user can read it; "
        "every login for this console needs it"
    )
    last_case_no: str = Field(
        description="the last case number the server holds for the seat today (empty if "
        "none): a workstation taking its seat back numbers its next cases after it"
    )


class RetiredOut(BaseModel):
    client_id: str
    seat_code: str = Field(description="the seat it held, free for another console")
    retired_at: datetime


def _enrolled(db: Session, at: datetime, enrol: Callable[[], enrolment.Enrolled]) -> EnrolledOut:
    try:
        enrolled = enrol()
        last = enrolment.last_case_no(db, enrolled.seat_code, at)
        db.commit()
    except IntegrityError as error:  # another enrolment took the seat at the same moment
        db.rollback()
        raise ApiError(409, "seat_taken", "the seat was taken just now: enrol again") from error
    return EnrolledOut(
        client_id=enrolled.client_id,
        seat_code=enrolled.seat_code,
        console_secret=enrolled.secret,
        last_case_no=last,
    )


TAKEN_NOW = {"description": "another enrolment took the seat at the same moment: send again"}


@router.post(
    "/consoles",
    status_code=201,
    responses={
        401: {"description": "no valid session"},
        403: {"description": "only a supervisor or admin enrols a workstation"},
        409: TAKEN_NOW,
        422: {"description": "bad seat code, seat taken (without `replace`), or no seat left"},
    },
)
def enrol_console(body: Enrolment, user: Enrollers, db: Db, at: Now) -> EnrolledOut:
    """Enrol the workstation as a new console, with a seat and a secret."""
    return _enrolled(
        db, at, lambda: enrolment.enrol(db, body.seat_code, body.replace, user.username, at)
    )


@router.post(
    "/consoles/enrol",
    status_code=201,
    responses={
        401: {"description": "unknown, used (but for a retry of its enrolment) or expired code"},
        409: TAKEN_NOW,
        422: {"description": "no seat left"},
    },
)
def enrol_with_code(body: EnrolmentCode, db: Db, at: Now) -> EnrolledOut:
    """Enrol a workstation with a one-time code: no login needed. A code issued for a seat
    takes that seat, retiring the console in service there. Sent again with the same
    `enrolment_id`, the code enrols the same console again, with a new secret."""
    return _enrolled(db, at, lambda: enrolment.redeem(db, body.code, at, body.enrolment_id))


@router.post(
    "/consoles/renew",
    status_code=201,
    responses={
        401: {"description": "no valid session, or its console is not in service"},
        403: {"description": "the session is not bound to a console"},
    },
)
def renew(user: ConsoleUser, db: Db, at: Now) -> EnrolledOut:
    """The session's console goes on as a new console on the same seat; the old one is
    retired and this session ends. For a console whose database was restored from an older
    copy (a push answered `mid_reused`): it numbers its unsent mutations again from 1 for
    the new id, its cases after `last_case_no`, signs in again and sends them (SYNC.md)."""
    if not user.client_id:
        raise ApiError(403, "no_console", "sign in for the console first")
    client_id = user.client_id
    return _enrolled(db, at, lambda: enrolment.renew(db, client_id, user.username, at))


@router.post(
    "/consoles/{client_id}/retire",
    responses={
        401: {"description": "no valid session"},
        403: {"description": "only an admin retires a console"},
        404: {"description": "no such console"},
    },
)
def retire(client_id: Annotated[str, CLIENT_ID], _admin: Admin, db: Db, at: Now) -> RetiredOut:
    """Retire a console: its seat is free, its sessions end at once, its secret opens
    nothing. Retiring it again changes nothing."""
    retired = enrolment.retire(db, client_id, at)
    db.commit()
    return RetiredOut(
        client_id=retired.client_id, seat_code=retired.seat_code, retired_at=retired.retired_at
    )
