"""Console enrolment: a console registers its client id and receives its seat code."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from console.domain.workflow import Role
from console.server.deps import Db, Now, roles
from console.services.accounts import Principal
from console.services.enrolment import enrol

router = APIRouter(prefix="/v1", tags=["consoles"])
Staff = Annotated[Principal, Depends(roles(Role.CALL_TAKER, Role.SUPERVISOR, Role.ADMIN))]


class Enrolment(BaseModel):
    client_id: str = Field(min_length=1, max_length=36, description="the console's UUID")
    seat_code: str | None = Field(
        default=None, min_length=3, max_length=3, description="a wanted seat, if free"
    )


class Enrolled(BaseModel):
    client_id: str
    seat_code: str


@router.post("/consoles", responses={401: {}, 403: {}, 422: {}})
def enrol_console(body: Enrolment, user: Staff, db: Db, at: Now) -> Enrolled:
    """Enrol a console (again: the same seat). Its seat code goes into every case number."""
    console = enrol(db, body.client_id, body.seat_code, user.username, at)
    db.commit()
    return Enrolled(client_id=console.client_id, seat_code=console.seat_code)
