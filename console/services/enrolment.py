"""Console enrolment: a console registers its client id and receives its seat code."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from console.domain.errors import FieldError, ValidationFailed
from console.domain.numbering import is_valid_seat_code
from console.store.server_schema import Console

SEATS = [f"{n:03d}" for n in range(1, 1000)]


def enrol(
    session: Session, client_id: str, requested_seat: str | None, by: str, now: datetime
) -> Console:
    """The console's enrolment; enrolling again returns the same seat."""
    try:
        client_id = str(uuid.UUID(client_id))
    except ValueError as error:
        raise ValidationFailed([FieldError("client_id", "invalid_uuid")]) from error
    existing = session.get(Console, client_id)
    if existing is not None:
        return existing
    taken = set(session.execute(select(Console.seat_code)).scalars())
    if requested_seat is not None:
        if not is_valid_seat_code(requested_seat):
            raise ValidationFailed([FieldError("seat_code", "invalid_seat")])
        if requested_seat in taken:
            raise ValidationFailed([FieldError("seat_code", "seat_taken")])
        seat = requested_seat
    else:
        seat = next((s for s in SEATS if s not in taken), "")
        if not seat:
            raise ValidationFailed([FieldError("seat_code", "no_seat_left")])
    console = Console(
        client_id=client_id, seat_code=seat, enrolled_by=by, enrolled_at=now, last_mid=0
    )
    session.add(console)
    session.flush()
    return console
